"""The curated content of an election as one reviewable file: validate, load (upsert) and export.

The file's shape (YAML or JSON):
    election {slug, name, date, status}
    themes [{slug, name {nl, en}}]
    documents [{slug, title, authors, kind, status, date, date_note, file, sha256}]
    actors [{slug, name, kind, documents [slug], description {nl, en}}]
    statements [{slug, order, theme, text {nl, en}, explanation {nl, en},
                 positions [{actor, stance, explanation {nl, en},
                             citations [{document, quote, location}]}]}]
A citation's location is always derived by the quote matcher; a location in the file is informative.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import yaml
from django.db import transaction
from django.utils import timezone

from positions import published
from positions.extraction import Extraction, ExtractionError, extract_once
from positions.ingest import add_version
from positions.models import (
    Actor,
    Citation,
    Document,
    Election,
    Passage,
    Position,
    Publication,
    Stance,
    Statement,
    Theme,
)
from positions.quality import publication_problems
from positions.sources import DOCUMENTS_DIR, SourceText

LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); citaten © de genoemde auteurs"


class ContentError(Exception):
    """The file has problems; `problems` names the statement, actor and what is wrong."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Report:
    counts: dict[str, Counter] = field(default_factory=dict)

    def count(self, kind: str, outcome: str):
        self.counts.setdefault(kind, Counter())[outcome] += 1

    def lines(self):
        for kind, counter in self.counts.items():
            parts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counter.items()))
            yield f"{kind}: {parts}"


def read_file(path) -> dict:
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    if not isinstance(data, dict):
        raise ContentError([f"{path}: not a YAML/JSON mapping"])
    return data


def _date(value, where, problems):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: date {value!r} is not YYYY-MM-DD")
        return None


def _bilingual(value, where, problems, required=True) -> dict:
    if not required and (value is None or (isinstance(value, dict) and not value.get("nl"))):
        return {"nl": "", "en": ""}
    if not isinstance(value, dict) or not value.get("nl") or not value.get("en"):
        problems.append(f"{where}: needs a text in Dutch (nl) and English (en)")
        return {"nl": "", "en": ""}
    return {"nl": str(value["nl"]).strip(), "en": str(value["en"]).strip()}


def _slug(item) -> str:
    return str(item.get("slug", "?")) if isinstance(item, dict) else repr(item)


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX_LENGTH = Statement._meta.get_field("slug").max_length
TEXT_MAX_LENGTH = Statement._meta.get_field("text_nl").max_length


def _check_slug(slug, where, problems):
    # SQLite does not enforce column lengths; PostgreSQL would fail halfway through a load.
    if not isinstance(slug, str) or not SLUG.fullmatch(slug) or len(slug) > SLUG_MAX_LENGTH:
        problems.append(f"{where}: slug must be at most {SLUG_MAX_LENGTH} letters, digits and hyphens")


def _require(mapping, keys, where, problems) -> bool:
    missing = [k for k in keys if not isinstance(mapping, dict) or mapping.get(k) in (None, "")]
    if missing:
        problems.append(f"{where}: missing {', '.join(missing)}")
    return not missing


def validate(data: dict) -> list[str]:
    """Every problem in the file, each naming where it is; an empty list means it can be loaded."""
    problems: list[str] = []
    election = data.get("election") or {}
    if _require(election, ["slug", "name", "date"], "election", problems):
        _check_slug(election["slug"], "election", problems)
    _date(election.get("date"), "election", problems)
    if election.get("status", "draft") not in Election.Status.values:
        problems.append(f"election: status {election.get('status')!r} is not draft or published")

    themes = {t.get("slug") for t in data.get("themes") or [] if isinstance(t, dict)}
    for theme in data.get("themes") or []:
        if _require(theme, ["slug", "name"], f"theme {theme!r}", problems):
            _check_slug(theme["slug"], f"theme {theme['slug']}", problems)
            _bilingual(theme["name"], f"theme {theme['slug']}", problems)

    documents = {}
    for doc in data.get("documents") or []:
        where = f"document {_slug(doc)}"
        if not _require(doc, ["slug", "title", "authors", "kind", "date", "file", "sha256"], where, problems):
            continue
        documents[doc["slug"]] = doc
        _check_slug(doc["slug"], where, problems)
        _date(doc["date"], where, problems)
        if doc["kind"] not in Document.Kind.values:
            problems.append(f"{where}: kind {doc['kind']!r} is not one of {', '.join(Document.Kind.values)}")
        if doc.get("status", "final") not in Document.Status.values:
            problems.append(
                f"{where}: status {doc['status']!r} is not one of {', '.join(Document.Status.values)}"
            )
        path = DOCUMENTS_DIR / doc["file"]
        if not path.is_file():
            problems.append(f"{where}: file {doc['file']} is not in positions/documents/")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != doc["sha256"]:
            problems.append(f"{where}: {doc['file']} does not have sha256 {doc['sha256']}")
        else:
            try:
                shipped_extraction(
                    doc["file"], doc["sha256"], json.dumps(doc.get("hints") or {}, sort_keys=True)
                )
            except ExtractionError as error:
                problems.append(f"{where}: {doc['file']} cannot be read: {error}")

    actors = {}
    for actor in data.get("actors") or []:
        where = f"actor {_slug(actor)}"
        if not _require(actor, ["slug", "name", "kind"], where, problems):
            continue
        actors[actor["slug"]] = actor
        _check_slug(actor["slug"], where, problems)
        if actor["kind"] not in Actor.Kind.values:
            problems.append(f"{where}: kind {actor['kind']!r} is not one of {', '.join(Actor.Kind.values)}")
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
        _check_slug(st["slug"], where, problems)
        seen_orders.add(st["order"])
        if not isinstance(st["order"], int) or st["order"] < 1:
            problems.append(f"{where}: order must be a positive whole number")
        if st["theme"] not in themes:
            problems.append(f"{where}: unknown theme {st['theme']!r}")
        text = _bilingual(st["text"], f"{where} text", problems)
        if max(len(text["nl"]), len(text["en"])) > TEXT_MAX_LENGTH:
            problems.append(f"{where}: text is longer than {TEXT_MAX_LENGTH} characters")
        _bilingual(st["explanation"], f"{where} explanation", problems)
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
    if pos["stance"] not in Stance.values:
        problems.append(f"{where}: stance {pos['stance']!r} is not one of {', '.join(Stance.values)}")
    _bilingual(pos.get("explanation"), f"{where} explanation", problems, required=False)
    citations = pos.get("citations") or []
    if pos["stance"] == Stance.NO_POSITION_FOUND and citations:
        problems.append(f"{where}: 'no_position_found' cannot have citations")
    if pos["stance"] in (Stance.AGREE, Stance.NEUTRAL, Stance.DISAGREE) and not citations:
        problems.append(f"{where}: stance {pos['stance']!r} needs at least one verbatim citation")
    for cit in citations:
        if not _require(cit, ["document", "quote"], f"{where} citation", problems):
            continue
        doc = documents.get(cit["document"])
        if doc is None:
            problems.append(f"{where}: citation from unknown document {cit['document']!r}")
        elif cit["document"] not in (actors[actor_slug].get("documents") or []):
            problems.append(f"{where}: document {cit['document']!r} is not one of this actor's sources")
        elif (source := _shipped_source(doc)) is not None and source.find(cit["quote"]) is None:
            problems.append(
                f"{where}: quote not found in document {cit['document']!r}: “{cit['quote'][:80]}…”"
            )
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
        return SourceText(name, shipped_extraction(name, sha256, hints).lines)
    except ExtractionError:
        return None


def _shipped_source(doc: dict) -> SourceText | None:
    """The text of a shipped file, when the file is there, has its hash and can be read."""
    return _source(doc["file"], doc["sha256"], _hints_key(doc))


def _upsert(model, report: Report, kind: str, lookup: dict, values: dict):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.count(kind, "created")
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        report.count(kind, "updated")
    else:
        report.count(kind, "unchanged")
    return obj


@transaction.atomic
def load_election(data: dict) -> tuple[Election, Report]:
    """Idempotent upsert of a whole election; nothing is written when the file has a problem."""
    problems = validate(data)
    if problems:
        raise ContentError(problems)
    report = Report()
    e = data["election"]
    election = _upsert(
        Election,
        report,
        "election",
        {"slug": e["slug"]},
        {"name": e["name"], "date": _date(e["date"], "", []), "status": e.get("status", "draft")},
    )
    themes = {
        t["slug"]: _upsert(
            Theme,
            report,
            "themes",
            {"slug": t["slug"]},
            {"name_nl": t["name"]["nl"], "name_en": t["name"]["en"]},
        )
        for t in data.get("themes") or []
    }
    documents = {}
    for d in data.get("documents") or []:
        documents[d["slug"]] = _upsert(
            Document,
            report,
            "documents",
            {"slug": d["slug"]},
            {
                "title": d["title"],
                "authors": d["authors"],
                "kind": d["kind"],
                "status": d.get("status", "final"),
                "date": _date(d["date"], "", []),
                "date_note": d.get("date_note") or "",
                "hints": d.get("hints") or {},
            },
        )
        document = documents[d["slug"]]
        if document.sha256 != d["sha256"] or not document.versions.filter(sha256=d["sha256"]).exists():
            add_version(
                document, d["file"], (DOCUMENTS_DIR / d["file"]).read_bytes(), by="load_election",
                extraction=shipped_extraction(d["file"], d["sha256"], _hints_key(d)),
            )  # fmt: skip
    actors = {}
    for order, a in enumerate(data.get("actors") or [], 1):
        description = _bilingual(a.get("description"), "", [], required=False)
        actor = _upsert(
            Actor,
            report,
            "actors",
            {"election": election, "slug": a["slug"]},
            {
                "name": a["name"],
                "kind": a["kind"],
                "order": order,
                "description_nl": description["nl"],
                "description_en": description["en"],
            },
        )
        actor.documents.set([documents[s] for s in a.get("documents") or []])
        actors[a["slug"]] = actor
    _delete_missing(report, "actors", election.actors.exclude(slug__in=list(actors)))

    wanted = [s["slug"] for s in data.get("statements") or []]
    _delete_missing(report, "statements", election.statements.exclude(slug__in=wanted))
    # Free the order numbers that change, so that reordering never trips the unique constraint.
    wanted_order = {s["slug"]: s["order"] for s in data.get("statements") or []}
    for st in election.statements.all():
        if st.order != wanted_order[st.slug]:
            Statement.objects.filter(pk=st.pk).update(order=st.order + 100_000)
    for s in data.get("statements") or []:
        statement = _upsert(
            Statement,
            report,
            "statements",
            {"election": election, "slug": s["slug"]},
            {
                "order": s["order"],
                "theme": themes[s["theme"]],
                "text_nl": s["text"]["nl"].strip(),
                "text_en": s["text"]["en"].strip(),
                "explanation_nl": s["explanation"]["nl"].strip(),
                "explanation_en": s["explanation"]["en"].strip(),
            },
        )
        _load_positions(statement, s.get("positions") or [], actors, documents, report)
    for document in documents.values():
        if not document.passages.exists():
            Passage.index(document)
    if election.status == Election.Status.PUBLISHED:
        problems = publication_problems(election)
        if problems:
            raise ContentError(problems)
        if publish(election, by="load_election"):
            report.count("publication", "created")
    return election, report


class PublishRefused(Exception):
    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


@transaction.atomic
def publish_checked(election: Election, by: str = "") -> Publication | None:
    """Publish after the checks (four eyes, verified citations, separating statements)."""
    problems = publication_problems(election)
    if problems:
        raise PublishRefused(problems)
    return publish(election, by=by)


def publish(election: Election, by: str = "") -> Publication | None:
    """Freeze the election's current content for citizens; None when nothing changed since the last."""
    data = json.loads(json.dumps(export_election(election), default=str))
    latest = election.latest_publication()
    if latest is not None and latest.data == data:
        return None
    number = latest.number + 1 if latest else 1
    publication = Publication.objects.create(election=election, number=number, data=data, published_by=by)
    Election.objects.filter(pk=election.pk).update(
        status=Election.Status.PUBLISHED, published_at=timezone.now()
    )
    transaction.on_commit(lambda: published.forget(election.slug))  # other processes: refresh()
    return publication


def _load_positions(statement, positions, actors, documents, report):
    seen = []
    for p in positions:
        explanation = _bilingual(p.get("explanation"), "", [], required=False)
        position = _upsert(
            Position,
            report,
            "positions",
            {"statement": statement, "actor": actors[p["actor"]]},
            {
                "stance": p["stance"],
                "explanation_nl": explanation["nl"],
                "explanation_en": explanation["en"],
                # The file is reviewed in version control (a pull request): its positions count as reviewed.
                "review_status": Position.Review.REVIEWED,
            },
        )
        seen.append(position.pk)
        wanted = [(c["document"], c["quote"].strip()) for c in p.get("citations") or []]
        existing = [(c.document.slug, c.quote) for c in position.citations.select_related("document")]
        if wanted == existing:
            for _citation in wanted:
                report.count("citations", "unchanged")
            continue
        position.citations.all().delete()
        for order, (doc_slug, quote) in enumerate(wanted):
            citation = Citation(position=position, document=documents[doc_slug], quote=quote, order=order)
            citation.locate()
            citation.save()
            report.count("citations", "replaced" if existing else "created")
    _delete_missing(report, "positions", statement.positions.exclude(pk__in=seen))


def _delete_missing(report, kind, queryset):
    for _obj in queryset:
        report.count(kind, "deleted")
    queryset.delete()


def _text(obj, field):
    return {"nl": getattr(obj, f"{field}_nl"), "en": getattr(obj, f"{field}_en")}


def export_election(election: Election) -> dict:
    """The election in the file's shape: loading this back changes nothing."""
    statements = (
        election.statements.select_related("theme")
        .prefetch_related("positions__actor", "positions__citations__document")
        .order_by("order")
    )
    actors = list(election.actors.prefetch_related("documents").order_by("order", "name"))
    documents = {d.pk: d for a in actors for d in a.documents.all()}
    # Documents of no actor yet (a party without positions so far) belong to every election's file.
    documents.update({d.pk: d for d in Document.objects.filter(actors=None)})
    themes = {s.theme.pk: s.theme for s in statements}
    actor_order = {a.pk: i for i, a in enumerate(actors)}
    return {
        "election": {
            "slug": election.slug,
            "name": election.name,
            "date": election.date,
            "status": election.status,
        },
        "themes": [
            {"slug": t.slug, "name": _text(t, "name")} for t in sorted(themes.values(), key=lambda t: t.slug)
        ],
        "documents": [
            {
                "slug": d.slug,
                "title": d.title,
                "authors": d.authors,
                "kind": d.kind,
                "status": d.status,
                "date": d.date,
                "date_note": d.date_note,
                "file": d.file,
                "sha256": d.sha256,
                **({"hints": d.hints} if d.hints else {}),
            }
            for d in sorted(documents.values(), key=lambda d: (d.date, d.slug))
        ],
        "actors": [
            {
                "slug": a.slug,
                "name": a.name,
                "kind": a.kind,
                "documents": [d.slug for d in sorted(a.documents.all(), key=lambda d: (d.date, d.slug))],
                "description": _text(a, "description"),
            }
            for a in actors
        ],
        "statements": [
            {
                "slug": s.slug,
                "order": s.order,
                "theme": s.theme.slug,
                "text": _text(s, "text"),
                "explanation": _text(s, "explanation"),
                "positions": [
                    {
                        "actor": p.actor.slug,
                        "stance": p.stance,
                        "explanation": _text(p, "explanation"),
                        "citations": [
                            {
                                "document": c.document.slug,
                                "quote": c.quote,
                                "location": c.location,
                                "lines": [c.line_start, c.line_end],
                            }
                            for c in p.citations.all()
                        ],
                    }
                    for p in sorted(s.positions.all(), key=lambda p: actor_order[p.actor_id])
                ],
            }
            for s in statements
        ],
    }


def open_data_json(data: dict) -> str:
    """The open-data form of an election (keys sorted, so the same from any database)."""
    return json.dumps({"licence": LICENCE, **data}, ensure_ascii=False, indent=2, sort_keys=True, default=str)


def dump_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
