"""A file becomes a document (or a new version of one): extracted, stored, indexed, citations re-verified.

The same code path serves the admin and `manage.py add_document`. The original goes through Django's
storage API (MEDIA_ROOT by default, S3-compatible storage in production); the extracted lines and
passages live in the database, so several app instances never read a developer's folder.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction

from positions.extraction import Extraction, extract, extract_once
from positions.models import Citation, Document, DocumentVersion, Passage, version_source
from positions.sources import stored


@dataclass
class Reverification:
    moved: list[Citation] = field(default_factory=list)  # found again; location updated
    lost: list[Citation] = field(default_factory=list)  # not found: its position is back in review


@transaction.atomic
def add_version(
    document: Document,
    name: str,
    data: bytes,
    *,
    status: str | None = None,
    date: datetime.date | None = None,
    date_note: str | None = None,
    by=None,
    extraction: Extraction | None = None,
) -> tuple[DocumentVersion, Reverification]:
    """Store `data` as the document's newest version and re-verify every citation against it.

    Raises ExtractionError (nothing stored) when the file cannot be read.
    """
    extraction = extraction or extract_once(name, data, document.hints)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = document.versions.filter(sha256=sha256).first()
    if status is not None:
        document.status = status
    if date is not None:
        document.date = date
    if date_note is not None:
        document.date_note = date_note
    previous = document.sha256
    if existing is None:
        number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = DocumentVersion(
            document=document, number=number, filename=name, sha256=sha256, format=extraction.format,
            status=document.status, date=document.date, date_note=document.date_note,
            lines=stored(extraction.lines),
            pages=[[p.index, p.number, p.source] for p in extraction.pages], summary=extraction.summary(),
            created_by=getattr(by, "username", by or ""),
        )  # fmt: skip
        version.original.save(f"{document.slug}-v{number}-{name}", ContentFile(data), save=False)
        version.save()
    else:
        version = existing
    document.file, document.sha256 = name, sha256
    document.save()
    report = Reverification()
    if previous != sha256 or not document.passages.exists():
        Passage.index(document)
        report = reverify(document, version, by)
    return version, report


@transaction.atomic
def reextract(document: Document, by=None, extraction=None) -> Reverification:
    """Read the current original again with the document's (changed) hints; citations re-verified.

    `extraction`: the original's text already extracted with those hints (a shipped file)."""
    version = document.current_version()
    if extraction is None:
        with version.original.open("rb") as f:
            extraction = extract(version.filename, f.read(), document.hints)
    version.lines = stored(extraction.lines)
    version.pages = [[p.index, p.number, p.source] for p in extraction.pages]
    version.summary = extraction.summary()
    version.save(update_fields=["lines", "pages", "summary"])
    version_source.cache_clear()
    Passage.index(document)
    return reverify(document, version, by)


def reverify(document: Document, version: DocumentVersion, by=None) -> Reverification:
    """Move each citation to where its quote stands in `version`; flag the ones no longer found."""
    report = Reverification()
    source = version.source()
    for citation in document.citations.select_related("position"):
        match = source.find(citation.quote)
        if match is None:
            report.lost.append(citation)
            position = citation.position
            position.mark_changed(by if hasattr(by, "pk") else None)
            position.save(update_fields=["review_status", "changed_by", "reviewed_by", "reviewed_at"])
            continue
        citation.place(match, version)
        citation.save(update_fields=["location", "line_start", "line_end", "version"])
        report.moved.append(citation)
    return report


@transaction.atomic
def add_document(name: str, data: bytes, *, actors=(), by=None, **fields) -> tuple[Document, Extraction]:
    """A new document from a file. Raises ExtractionError (nothing stored) for bad input."""
    hints = fields.pop("hints", None) or {}
    extraction = extract_once(name, data, hints)
    document = Document(file=name, sha256="", hints=hints, **fields)
    document.full_clean(exclude=["sha256"])
    document.save()
    add_version(document, name, data, by=by, extraction=extraction)
    document.actors.set(actors)
    return document, extraction


def describe(extraction: Extraction) -> list[str]:
    """What was extracted, for the operator (English, as all CLI output)."""
    s = extraction.summary()
    numbering = ", ".join(f"{n} {source}" for source, n in sorted(s["numbering"].items())) or "none"
    lines = [
        f"format: {s['format']}",
        f"pages: {s['pages']} (page numbers: {numbering})",
        f"words: {s['words']}",
        f"headings found: {s['headings']}",
        f"furniture lines removed: {s['furniture']}",
    ]
    lines += [f"warning: {w}" for w in s["warnings"]]
    return lines
