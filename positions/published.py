"""The published content, as citizens see it, cached in each process.

A snapshot is built from an election's latest Publication (one row of frozen JSON), never from the
live editing tables, so an edit after publication reaches nobody until it is republished. Answer
steps read only the cache: they make no database query. Pages that may make a query (the start
page, the result page) call `refresh()` first, which asks the database with one query whether
another process published something (at most once a second per process), and keeps serving the
cache when the database is away.

Every snapshot loaded from the database is also kept as a file (settings.PUBLISHED_DIR), so that a
process that starts while the database is away still serves the last published content.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Max
from django.dispatch import Signal
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

# Sent when this process drops or replaces a published election, so that whatever was built on
# the old snapshot (rendered fragments) can go. Receivers get `slug` (None: every election).
content_changed = Signal()


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


class Localized:
    """Fields stored as {"nl": …, "en": …} read in the active language (Dutch as fallback)."""

    def _pick(self, texts: dict) -> str:
        return (texts.get("en") if _english() else "") or texts.get("nl", "")


@dataclass(frozen=True)
class Citation:
    document: Document
    quote: str
    location: str
    line_start: int | None
    line_end: int | None
    role: str = "support"  # "differs": another document of the actor, taking a different position; "context"


@dataclass(frozen=True)
class Position(Localized):
    actor: str
    stance: str
    explanations: dict
    citations: tuple[Citation, ...]

    @property
    def explanation(self):
        return self._pick(self.explanations)


@dataclass(frozen=True)
class Theme(Localized):
    slug: str
    names: dict

    @property
    def name(self):
        return self._pick(self.names)


@dataclass(frozen=True)
class Statement(Localized):
    number: int  # 1-based place in the questionnaire
    slug: str
    theme: Theme
    texts: dict
    explanations: dict
    positions: dict  # actor slug -> Position

    @property
    def text(self):
        return self._pick(self.texts)

    @property
    def explanation(self):
        return self._pick(self.explanations)


@dataclass(frozen=True)
class Document:
    slug: str
    title: str
    authors: str
    kind: str
    status: str
    date: datetime.date
    date_note: str
    file: str
    sha256: str


@dataclass(frozen=True)
class Actor(Localized):
    slug: str
    name: str
    kind: str
    descriptions: dict
    documents: tuple[Document, ...]

    @property
    def description(self):
        return self._pick(self.descriptions)

    @property
    def is_party(self):
        return self.kind == "party"


@dataclass(frozen=True, eq=False)  # one publication's content: hashed and compared by identity
class Snapshot:
    slug: str
    name: str
    date: datetime.date
    publication: int
    statements: tuple[Statement, ...]
    actors: tuple[Actor, ...]
    documents: tuple[Document, ...]
    themes: tuple[Theme, ...] = field(default=())
    quoted: bool = True  # every stance backed by verbatim quotes; else the parties' own justifications

    @cached_property
    def parties(self) -> tuple[Actor, ...]:
        return tuple(a for a in self.actors if a.is_party)

    @cached_property
    def comparisons(self) -> tuple[Actor, ...]:
        return tuple(a for a in self.actors if not a.is_party)

    @cached_property
    def actor_by_slug(self) -> dict[str, Actor]:
        return {a.slug: a for a in self.actors}

    @cached_property
    def fingerprint(self) -> str:
        """Changes when the questionnaire's statements change, not when only wording does."""
        import hashlib

        return hashlib.sha256(" ".join(s.slug for s in self.statements).encode()).hexdigest()[:10]

    def statement(self, number: int) -> Statement | None:
        return self.statements[number - 1] if 1 <= number <= len(self.statements) else None


def build_snapshot(data: dict, publication: int) -> Snapshot:
    """Turn a publication's JSON (the export format) into immutable objects."""
    documents = {
        d["slug"]: Document(
            d["slug"], d["title"], d["authors"], d["kind"], d.get("status", "final"),
            datetime.date.fromisoformat(str(d["date"])), d.get("date_note") or "", d["file"], d["sha256"],
        )
        for d in data["documents"]
    }  # fmt: skip
    themes = {t["slug"]: Theme(t["slug"], t["name"]) for t in data["themes"]}
    actors = tuple(
        Actor(a["slug"], a["name"], a["kind"], a.get("description") or {},
              tuple(documents[s] for s in a.get("documents") or []))
        for a in data["actors"]
    )  # fmt: skip
    statements = []
    for number, s in enumerate(sorted(data["statements"], key=lambda s: s["order"]), 1):
        positions = {
            p["actor"]: Position(
                p["actor"], p["stance"], p.get("explanation") or {},
                tuple(Citation(documents[c["document"]], c["quote"], c.get("location", ""),
                               *(c.get("lines") or [None, None]), c.get("role", "support"))
                      for c in p.get("citations") or []),
            )
            for p in s["positions"]
        }  # fmt: skip
        statements.append(
            Statement(number, s["slug"], themes[s["theme"]], s["text"], s["explanation"], positions)
        )
    e = data["election"]
    return Snapshot(
        e["slug"], e["name"], datetime.date.fromisoformat(str(e["date"])), publication,
        tuple(statements), actors, tuple(documents.values()), tuple(themes.values()),
        quoted=e.get("sourcing", "quotes") == "quotes",
    )  # fmt: skip


_lock = threading.Lock()
_snapshots: dict[str, Snapshot] = {}


def latest_publication(slug: str, *fields):
    """The election's newest publication, when the election is published (the one query for it)."""
    from positions.models import Publication

    publications = Publication.objects.filter(election__slug=slug, election__status="published")
    return (
        publications.order_by("-number").only(*fields).first()
        if fields
        else publications.order_by("-number").first()
    )


def _load(slug: str) -> Snapshot | None:
    publication = latest_publication(slug, "number", "data")
    if publication is None:
        _snapshots.pop(slug, None)
        _file(slug).unlink(missing_ok=True)
        return None
    snapshot = build_snapshot(publication.data, publication.number)
    with _lock:
        replaced = _snapshots.get(slug)
        _snapshots[slug] = snapshot
    if replaced is not None:
        content_changed.send(sender=Snapshot, slug=slug)
    _keep(slug, publication.number, publication.data)
    return snapshot


def _file(slug: str):
    return settings.PUBLISHED_DIR / f"{slug}.json"


def _keep(slug: str, number: int, data: dict):
    """Write the publication where a starting process finds it without the database."""
    path = _file(slug)
    temporary = path.with_name(f".{slug}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps({"publication": number, "data": data}), encoding="utf-8")
        os.replace(temporary, path)  # atomic: a reader sees the old file or the new one
    except OSError:
        logger.exception("could not keep the published election %s as a file", slug)


def _from_file(slug: str) -> Snapshot | None:
    try:
        kept = json.loads(_file(slug).read_text(encoding="utf-8"))
        snapshot = build_snapshot(kept["data"], kept["publication"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        logger.exception("the kept published election %s is unreadable", slug)
        return None
    with _lock:
        _snapshots.setdefault(slug, snapshot)
    return snapshot


def get(slug: str) -> Snapshot | None:
    """The published election from this process's cache; the database only on a first visit.

    With the database away, the kept file; without that, the DatabaseError goes up (a 503 page):
    "this election does not exist" would be untrue.
    """
    snapshot = _snapshots.get(slug)
    if snapshot is not None:
        return snapshot
    try:
        return _load(slug)
    except DatabaseError:
        snapshot = _from_file(slug)
        if snapshot is None:
            raise
        logger.warning("database unavailable; serving published election %s from its file", slug)
        return snapshot


REFRESH_SECONDS = 1.0  # a publication elsewhere shows here within this; saves a query per page
_refreshed_at = -REFRESH_SECONDS


def _cached_elections() -> list[Snapshot]:
    return sorted(_snapshots.values(), key=lambda s: s.date, reverse=True)


def refresh() -> list[Snapshot]:
    """All published elections, newest first, after one query for what changed elsewhere."""
    from positions.models import Publication

    global _refreshed_at
    if time.monotonic() - _refreshed_at < REFRESH_SECONDS:
        return _cached_elections()
    try:
        latest = dict(
            Publication.objects.filter(election__status="published")
            .values_list("election__slug")
            .annotate(number=Max("number"))
        )
    except DatabaseError:
        logger.warning("database unavailable; serving the cached published content")
        if not _snapshots:
            for path in settings.PUBLISHED_DIR.glob("*.json"):
                _from_file(path.stem)
        return _cached_elections()
    for slug in list(_snapshots):
        if slug not in latest:
            forget(slug)
            _file(slug).unlink(missing_ok=True)
    for slug, number in latest.items():
        cached = _snapshots.get(slug)
        if cached is None or cached.publication != number:
            _load(slug)
    _refreshed_at = time.monotonic()
    return _cached_elections()


def forget(slug: str | None = None):
    """Drop cached snapshots (after a publication in this process, and between tests)."""
    global _refreshed_at
    _refreshed_at = -REFRESH_SECONDS
    with _lock:
        if slug is None:
            _snapshots.clear()
        else:
            _snapshots.pop(slug, None)
    content_changed.send(sender=Snapshot, slug=slug)
