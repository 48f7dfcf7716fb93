"""The content file of an election (YAML or JSON): its shape, reading it and checking it.

The file's shape:
    election {slug, name, date, status}
    themes [{slug, name {nl, en}}]
    documents [{slug, title, authors, kind, status, date, date_note, file, sha256, hints?}]
    actors [{slug, name, kind, documents [slug], description {nl, en}}]
    statements [{slug, order, theme, text {nl, en}, explanation {nl, en}, status_quo?,
                 positions [{actor, stance, explanation {nl, en}, review?,
                             citations [{document, quote, role?, location}]}]}]
A citation's location is always derived by the quote matcher; a location in the file is informative.
`status_quo: true` marks a statement where agreeing keeps things as they are. A citation's `role` is
`support` (the default, omitted), `differs` (another document of the actor takes a different
position) or `context` (background); a stance needs at least one `support` citation. `review` is the
double reading of the position (REVIEW_KEYS: roles and a date, never names).
A document's `file` is in positions/documents/ and must have the given sha256; `hints` are the
extraction hints (data) of positions/extraction.py.

Field rules (lengths, slugs, choices) are the models' own: each entry is checked by `full_clean()` of
an unsaved instance. Only cross-references and quote lookups are checked here by hand.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from functools import lru_cache

import yaml
from django.core.exceptions import ValidationError
from django.utils import translation

from positions.extraction import Extraction, ExtractionError, extract_once
from positions.models import Actor, Citation, Document, Election, Position, Stance, Statement, Theme
from positions.sources import DOCUMENTS_DIR, SourceText

REVIEW_KEYS = ("first_reading", "second_reading", "resolution", "coded_by", "reviewed_by", "read_on")


class ContentError(Exception):
    """The file has problems; `problems` names the statement, actor and what is wrong."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def read_file(path) -> dict:
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    if not isinstance(data, dict):
        raise ContentError([f"{path}: not a YAML/JSON mapping"])
    return data


def as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def bilingual(value) -> dict:
    """{"nl": …, "en": …} with both texts stripped ("" where missing)."""
    value = value if isinstance(value, dict) else {}
    return {lang: str(value.get(lang) or "").strip() for lang in ("nl", "en")}


def _slug(item) -> str:
    return str(item.get("slug", "?")) if isinstance(item, dict) else repr(item)


def _require(mapping, keys, where, problems) -> bool:
    missing = [k for k in keys if not isinstance(mapping, dict) or mapping.get(k) in (None, "")]
    if missing:
        problems.append(f"{where}: missing {', '.join(missing)}")
    return not missing


def _both_languages(value, where, problems):
    texts = bilingual(value)
    if not texts["nl"] or not texts["en"]:
        problems.append(f"{where}: needs a text in Dutch (nl) and English (en)")


def _date(value, where, problems):
    if as_date(value) is None:
        problems.append(f"{where}: date {value!r} is not YYYY-MM-DD")


def _model_check(instance, where, problems, exclude=()):
    """The model's own field rules (length, slug, choices), each problem prefixed with where it is."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            for message in messages:
                problems.append(f"{where}: {field_name}: {message}")


def validate(data: dict) -> list[str]:
    """Every problem in the file, each naming where it is; an empty list means it can be loaded.

    In English, like all output for the operator (the models' messages included)."""
    with translation.override("en"):
        return _validate(data)


def _validate(data: dict) -> list[str]:
    problems: list[str] = []
    election = data.get("election") or {}
    if _require(election, ["slug", "name", "date"], "election", problems):
        _date(election["date"], "election", problems)
        _model_check(
            Election(slug=election["slug"], name=election["name"], date=as_date(election["date"]),
                     status=election.get("status", "draft")),
            "election", problems, exclude=["date"] if as_date(election["date"]) is None else [],
        )  # fmt: skip
    if election.get("sourcing", Election.Sourcing.QUOTES) != Election.Sourcing.QUOTES:
        problems.append("election: a content file's positions are backed by quotes (sourcing: quotes)")

    themes = set()
    for theme in data.get("themes") or []:
        where = f"theme {_slug(theme)}"
        if _require(theme, ["slug", "name"], where, problems):
            themes.add(theme["slug"])
            _both_languages(theme["name"], where, problems)
            names = bilingual(theme["name"])
            _model_check(Theme(slug=theme["slug"], name_nl=names["nl"], name_en=names["en"]), where, problems,
                         exclude=[f"name_{lang}" for lang in names if not names[lang]])  # fmt: skip

    documents = {}
    for doc in data.get("documents") or []:
        where = f"document {_slug(doc)}"
        if not _require(doc, ["slug", "title", "authors", "kind", "date", "file", "sha256"], where, problems):
            continue
        documents[doc["slug"]] = doc
        _date(doc["date"], where, problems)
        _model_check(
            Document(slug=doc["slug"], title=doc["title"], authors=doc["authors"], kind=doc["kind"],
                     status=doc.get("status", "final"), date=as_date(doc["date"]), date_note=doc.get("date_note") or "",
                     file=doc["file"], sha256=doc["sha256"], hints=doc.get("hints") or {}),
            where, problems, exclude=["date"] if as_date(doc["date"]) is None else [],
        )  # fmt: skip
        path = DOCUMENTS_DIR / doc["file"]
        if not path.is_file():
            problems.append(f"{where}: file {doc['file']} is not in positions/documents/")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != doc["sha256"]:
            problems.append(f"{where}: {doc['file']} does not have sha256 {doc['sha256']}")
        else:
            try:
                shipped_extraction(doc["file"], doc["sha256"], _hints_key(doc))
            except ExtractionError as error:
                problems.append(f"{where}: {doc['file']} cannot be read: {error}")

    actors = {}
    for actor in data.get("actors") or []:
        where = f"actor {_slug(actor)}"
        if not _require(actor, ["slug", "name", "kind"], where, problems):
            continue
        actors[actor["slug"]] = actor
        _model_check(Actor(slug=actor["slug"], name=actor["name"], kind=actor["kind"]), where, problems,
                     exclude=["election"])  # fmt: skip
        for slug in actor.get("documents") or []:
            if slug not in documents:
                problems.append(f"{where}: unknown document {slug!r}")

    seen_slugs, seen_orders = set(), set()
    for st in data.get("statements") or []:
        where = f"statement {_slug(st)}"
        if not _require(st, ["slug", "order", "theme", "text", "explanation"], where, problems):
            continue
        if st["slug"] in seen_slugs:
            problems.append(f"{where}: slug used twice")
        if st["order"] in seen_orders:
            problems.append(f"{where}: order {st['order']} used twice")
        seen_slugs.add(st["slug"])
        seen_orders.add(st["order"])
        if not isinstance(st["order"], int) or st["order"] < 1:
            problems.append(f"{where}: order must be a positive whole number")
        if not isinstance(st.get("status_quo", False), bool):
            problems.append(f"{where}: status_quo must be true or false")
        if st["theme"] not in themes:
            problems.append(f"{where}: unknown theme {st['theme']!r}")
        _both_languages(st["text"], f"{where} text", problems)
        _both_languages(st["explanation"], f"{where} explanation", problems)
        text, explanation = bilingual(st["text"]), bilingual(st["explanation"])
        _model_check(
            Statement(slug=st["slug"], order=st["order"] if isinstance(st["order"], int) else 1,
                      text_nl=text["nl"], text_en=text["en"], explanation_nl=explanation["nl"],
                      explanation_en=explanation["en"]),
            where, problems,
            exclude=["election", "theme"] + [f"{f}_{lang}" for f, texts in (("text", text), ("explanation", explanation))
                                             for lang in texts if not texts[lang]],
        )  # fmt: skip
        seen_actors = set()
        for pos in st.get("positions") or []:
            problems.extend(_validate_position(pos, where, actors, documents, seen_actors))
    return problems


def _validate_position(pos, statement_where, actors, documents, seen_actors) -> list[str]:
    problems: list[str] = []
    actor_slug = pos.get("actor") if isinstance(pos, dict) else None
    where = f"{statement_where}, actor {actor_slug}"
    if not _require(pos, ["actor", "stance"], where, problems):
        return problems
    if actor_slug not in actors:
        return [f"{where}: unknown actor"]
    if actor_slug in seen_actors:
        problems.append(f"{where}: more than one position for this actor")
    seen_actors.add(actor_slug)
    explanation = bilingual(pos.get("explanation"))
    if explanation["nl"] and not explanation["en"]:
        problems.append(f"{where} explanation: needs a text in Dutch (nl) and English (en)")
    _model_check(Position(stance=pos["stance"], explanation_nl=explanation["nl"], explanation_en=explanation["en"]),
                 where, problems, exclude=["statement", "actor"])  # fmt: skip
    if "review" in pos:
        problems.extend(_validate_review(pos["review"], where))
    citations = pos.get("citations") or []
    if pos["stance"] == Stance.NO_POSITION_FOUND and citations:
        problems.append(f"{where}: 'no_position_found' cannot have citations")
    supporting = [
        c
        for c in citations
        if isinstance(c, dict) and c.get("role", Citation.Role.SUPPORT) == Citation.Role.SUPPORT
    ]
    if pos["stance"] in (Stance.AGREE, Stance.NEUTRAL, Stance.DISAGREE) and not supporting:
        problems.append(
            f"{where}: stance {pos['stance']!r} needs at least one verbatim citation that supports it"
        )
    for cit in citations:
        if not _require(cit, ["document", "quote"], f"{where} citation", problems):
            continue
        if cit.get("role", Citation.Role.SUPPORT) not in Citation.Role.values:
            problems.append(
                f"{where}: citation role {cit['role']!r} is not one of {', '.join(Citation.Role.values)}"
            )
        doc = documents.get(cit["document"])
        if doc is None:
            problems.append(f"{where}: citation from unknown document {cit['document']!r}")
        elif cit["document"] not in (actors[actor_slug].get("documents") or []):
            problems.append(f"{where}: document {cit['document']!r} is not one of this actor's sources")
        elif (source := shipped_source(doc)) is not None and source.find(cit["quote"]) is None:
            problems.append(
                f"{where}: quote not found in document {cit['document']!r}: “{cit['quote'][:80]}…”"
            )
    return problems


def _validate_review(review, where) -> list[str]:
    """The double reading: only its own keys, readings that are stances, a YYYY-MM-DD date."""
    if not isinstance(review, dict):
        return [f"{where} review: must be a mapping of {', '.join(REVIEW_KEYS)}"]
    problems = [f"{where} review: unknown key {key!r}" for key in review if key not in REVIEW_KEYS]
    for key in ("first_reading", "second_reading"):
        if review.get(key) not in (None, *Stance.values):
            problems.append(f"{where} review: {key} {review[key]!r} is not a stance")
    if review.get("read_on") is not None:
        _date(review["read_on"], f"{where} review", problems)
    return problems


@lru_cache(maxsize=16)
def shipped_extraction(name: str, sha256: str, hints: str) -> Extraction:
    """A file of positions/documents/ extracted once per process (keyed by its hash and hints)."""
    return extract_once(name, (DOCUMENTS_DIR / name).read_bytes(), json.loads(hints))


def _hints_key(doc: dict) -> str:
    return json.dumps(doc.get("hints") or {}, sort_keys=True)


@lru_cache(maxsize=16)
def _source(name: str, sha256: str, hints: str) -> SourceText | None:
    path = DOCUMENTS_DIR / name
    if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
        return None
    try:
        return SourceText(
            name, shipped_extraction(name, sha256, hints).lines, json.loads(hints).get("remove", ())
        )
    except ExtractionError:
        return None


def shipped_source(doc: dict) -> SourceText | None:
    """The text of a shipped file, when the file is there, has its hash and can be read."""
    return _source(doc["file"], doc["sha256"], _hints_key(doc))
