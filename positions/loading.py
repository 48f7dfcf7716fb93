"""Loading an election's content file into the database: an idempotent, all-or-nothing upsert."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from positions.contentfile import (
    REVIEW_KEYS,
    ContentError,
    _hints_key,
    as_date,
    bilingual,
    shipped_extraction,
    validate,
)  # fmt: skip
from positions.ingest import add_version, reextract
from positions.models import (
    LICENCE,
    Actor,
    Citation,
    Document,
    Election,
    Passage,
    Position,
    Statement,
    Theme,
    import_author,
)
from positions.publishing import publish
from positions.quality import publication_problems
from positions.sources import DOCUMENTS_DIR, stored


@dataclass
class Report:
    counts: dict[str, Counter] = field(default_factory=dict)

    def count(self, kind: str, outcome: str):
        self.counts.setdefault(kind, Counter())[outcome] += 1

    def lines(self):
        for kind, counter in self.counts.items():
            parts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counter.items()))
            yield f"{kind}: {parts}"


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
def load_election(data: dict, by=None) -> tuple[Election, Report]:
    """Idempotent upsert of a whole election; nothing is written when the file has a problem.

    The positions it creates or changes are by `by` (a user; "import" when None). A published
    election stays online with its last publication until the file's content is published.
    """
    problems = validate(data)
    if problems:
        raise ContentError(problems)
    by = by or import_author()
    report = Report()
    e = data["election"]
    was_published = Election.objects.filter(slug=e["slug"], status=Election.Status.PUBLISHED).exists()
    election = _upsert(
        Election,
        report,
        "election",
        {"slug": e["slug"]},
        {
            "name": e["name"],
            "date": as_date(e["date"]),
            "status": Election.Status.PUBLISHED if was_published else e.get("status", "draft"),
            "sourcing": Election.Sourcing.QUOTES,
            "licence": e.get("licence") or LICENCE,
        },
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
                "date": as_date(d["date"]),
                "date_note": d.get("date_note") or "",
                "hints": d.get("hints") or {},
            },
        )
        document = documents[d["slug"]]
        extraction = shipped_extraction(d["file"], d["sha256"], _hints_key(d))
        if document.sha256 != d["sha256"] or not document.versions.filter(sha256=d["sha256"]).exists():
            add_version(document, d["file"], (DOCUMENTS_DIR / d["file"]).read_bytes(), by="load_election",
                        extraction=extraction)  # fmt: skip
        elif document.current_version().lines != stored(extraction.lines):
            # Changed hints (or extraction): the stored text and the citations' locations follow.
            reextract(document, by, extraction)
            report.count("documents", "re-extracted")
    actors = {}
    for order, a in enumerate(data.get("actors") or [], 1):
        description = bilingual(a.get("description"))
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
                "keeps_status_quo": bool(s.get("status_quo", False)),
            },
        )
        _load_positions(statement, s.get("positions") or [], actors, documents, report, by)
    for document in documents.values():
        if not document.passages.exists():
            Passage.index(document)
    if e.get("status") == Election.Status.PUBLISHED:
        problems = publication_problems(election)
        if problems:
            raise ContentError(problems)
        if publish(election, by="load_election"):
            report.count("publication", "created")
    return election, report


def _load_positions(statement, positions, actors, documents, report, by):
    seen = []
    for p in positions:
        explanation = bilingual(p.get("explanation"))
        position = _upsert(
            Position,
            report,
            "positions",
            {"statement": statement, "actor": actors[p["actor"]]},
            {
                "stance": p["stance"],
                "explanation_nl": explanation["nl"],
                "explanation_en": explanation["en"],
                "reading": _reading(p.get("review")),
                # The file is reviewed in version control (a pull request): its positions count as reviewed.
                "review_status": Position.Review.REVIEWED,
                "changed_by": by,
            },
        )
        seen.append(position.pk)
        wanted = [
            (c["document"], c["quote"].strip(), c.get("role", Citation.Role.SUPPORT))
            for c in p.get("citations") or []
        ]
        existing = [(c.document.slug, c.quote, c.role) for c in position.citations.select_related("document")]
        if wanted == existing:
            for _citation in wanted:
                report.count("citations", "unchanged")
            continue
        position.citations.all().delete()
        for order, (doc_slug, quote, role) in enumerate(wanted):
            citation = Citation(
                position=position, document=documents[doc_slug], quote=quote, role=role, order=order
            )
            citation.locate()
            citation.save()
            report.count("citations", "replaced" if existing else "created")
    _delete_missing(report, "positions", statement.positions.exclude(pk__in=seen))


def _reading(review) -> dict:
    """The file's review record as stored: its keys only, the date as YYYY-MM-DD."""
    if not review:
        return {}
    reading = {key: review[key] for key in REVIEW_KEYS if key in review}
    if "read_on" in reading:
        reading["read_on"] = as_date(reading["read_on"]).isoformat()
    return reading


def _delete_missing(report, kind, queryset):
    deleted = queryset.count()
    if deleted:
        report.counts.setdefault(kind, Counter())["deleted"] += deleted
        queryset.delete()
