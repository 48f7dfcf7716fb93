"""The election in the content file's shape (export), its open-data JSON and its YAML form."""

from __future__ import annotations

import json

import yaml

from positions.contentfile import REVIEW_KEYS
from positions.models import LICENCE, Citation, Document, Election


def _sorted_keys(value):
    """JSON with its keys in one order on every database (PostgreSQL's jsonb reorders them)."""
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value


def _sorted_review(reading: dict) -> dict:
    """The review record in the file's key order (PostgreSQL's jsonb reorders keys)."""
    return {key: reading[key] for key in REVIEW_KEYS if key in reading}


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
            "sourcing": election.sourcing,
            "licence": election.licence,
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
                **({"hints": _sorted_keys(d.hints)} if d.hints else {}),
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
                **({"status_quo": True} if s.keeps_status_quo else {}),
                "positions": [
                    {
                        "actor": p.actor.slug,
                        "stance": p.stance,
                        "explanation": _text(p, "explanation"),
                        **({"review": _sorted_review(p.reading)} if p.reading else {}),
                        "citations": [
                            {
                                "document": c.document.slug,
                                "quote": c.quote,
                                **({"role": c.role} if c.role != Citation.Role.SUPPORT else {}),
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
    licence = data["election"].get("licence") or LICENCE  # publications from before the field: ours
    return json.dumps({"licence": licence, **data}, ensure_ascii=False, indent=2, sort_keys=True, default=str)


def dump_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
