"""Import an election in the open Wahl-O-Mat data layout (qual-o-mat-data), so the app can run
on real data from other countries.

Files per election: statement.json [{id, text, label?, category?}], party.json [{id, name,
longname}], answer.json [{id, message}], opinion.json [{id, party, statement, answer, comment}],
comment.json [{id, text}] and overview.json {title, date, …}. Answers: 0 = agree, 1 = disagree,
2 = neutral. Comments are wrapped in literal quotes; "" means none. Positions come without a
citation (the party's comment is the explanation), so the election is marked as backed by the
parties' own justifications, and carries the licence the importer names. Its positions are by the
importing user (or "import") and wait for another person's review like any other change.

Importing over a published election replaces the editable content only: citizens keep seeing the
last publication until the new content is published.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from positions.models import Actor, Election, Position, Stance, Statement, Theme, import_author

ANSWERS = {0: Stance.AGREE, 1: Stance.DISAGREE, 2: Stance.NEUTRAL}


class WahlomatError(Exception):
    pass


def _read(directory: Path, name: str):
    try:
        return json.loads((directory / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WahlomatError(f"{name} ontbreekt in {directory}") from None
    except json.JSONDecodeError as error:
        raise WahlomatError(f"{name} is geen geldige JSON: {error}") from None


def unquote(comment: str) -> str:
    """'"Wir sind dafür."' -> 'Wir sind dafür.'; '""' -> ''."""
    text = (comment or "").strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    return text


@transaction.atomic
def import_wahlomat(directory, slug: str, licence: str, by=None) -> Election:
    if not licence.strip():
        raise WahlomatError("geef de licentie van de data op (--licence)")
    by = by or import_author()
    directory = Path(directory)
    overview = _read(directory, "overview.json")
    statements = _read(directory, "statement.json")
    parties = _read(directory, "party.json")
    opinions = _read(directory, "opinion.json")
    comments = {c["id"]: c["text"] for c in _read(directory, "comment.json")}
    try:
        date = datetime.date.fromisoformat(str(overview["date"])[:10])
    except (KeyError, ValueError):
        raise WahlomatError("overview.json heeft geen geldige datum") from None

    election, _ = Election.objects.update_or_create(
        slug=slug,
        defaults={"name": overview.get("title") or slug, "date": date, "licence": licence.strip(),
                  "sourcing": Election.Sourcing.PARTY},
    )  # fmt: skip
    theme, _ = Theme.objects.get_or_create(
        slug="wahl-o-mat", defaults={"name_nl": "Algemeen", "name_en": "General"}
    )
    election.statements.all().delete()
    election.actors.all().delete()
    actors = {}
    for order, party in enumerate(parties, 1):
        actors[party["id"]] = Actor.objects.create(
            election=election, slug=slugify(party["name"])[:50] or f"partij-{party['id']}", name=party["name"],
            kind=Actor.Kind.PARTY, order=order, description_nl=party.get("longname", ""),
        )  # fmt: skip
    by_id = {}
    for order, st in enumerate(statements, 1):
        text = st["text"].strip()
        by_id[st["id"]] = Statement.objects.create(
            election=election, slug=slugify(st.get("label") or text)[:50] or f"stelling-{order}", order=order,
            theme=theme, text_nl=text[:300], text_en="", explanation_nl=st.get("label", ""), explanation_en="",
        )  # fmt: skip
    for opinion in opinions:
        if opinion["answer"] not in ANSWERS:
            raise WahlomatError(f"opinion {opinion['id']}: onbekend antwoord {opinion['answer']!r}")
        try:
            statement, actor = by_id[opinion["statement"]], actors[opinion["party"]]
        except KeyError:
            raise WahlomatError(f"opinion {opinion['id']}: onbekende stelling of partij") from None
        Position.objects.create(
            statement=statement, actor=actor, stance=ANSWERS[opinion["answer"]],
            explanation_nl=unquote(comments.get(opinion.get("comment"), "")), changed_by=by,
        )  # fmt: skip
    return election
