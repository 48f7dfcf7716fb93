"""The public source viewer: a document's clean text with headings and page marks, and the cited
passage highlighted (the `regels` query gives its line range; the URL fragment scrolls to it)."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from positions import published
from positions.models import DocumentVersion
from stemwijzer.http_cache import public_page


def _line_range(raw):
    try:
        first, _, last = raw.partition("-")
        first, last = int(first), int(last or first)
    except ValueError:
        return None
    return (first, last) if 0 < first <= last <= first + 200 else None


def _marked(lines, spans, highlight):
    """(line number, before, marked, after) for each line of a paragraph."""
    out = []
    for number, text in lines:
        if number in spans:
            start, end = spans[number]
        elif highlight and highlight[0] <= number <= highlight[1]:
            start, end = 0, len(text)
        else:
            start = end = len(text)
        out.append((number, text[:start], text[start:end], text[end:]))
    return out


@require_safe
@public_page
def source(request, document):
    elections = published.refresh()
    documents = {d.slug: d for s in elections for d in s.documents}
    doc = documents.get(document)
    # The version that was published, never a newer upload that is still being reviewed.
    version = doc and DocumentVersion.objects.filter(document__slug=doc.slug, sha256=doc.sha256).first()
    if version is None:
        raise Http404(_("Dit brondocument bestaat niet."))
    highlight = _line_range(request.GET.get("regels", "")) if "regels" in request.GET else None
    if "regels" in request.GET and highlight is None:
        from stemwijzer.errors import bad_request

        return bad_request(request, _("Deze regelaanduiding is ongeldig."))
    source = version.source()
    # The quoted characters, not the whole lines, of the published citations with these lines (two
    # citations may share them: then both quotes are marked).
    quotes = highlight and {
        c.quote for s in elections for st in s.statements for p in st.positions.values() for c in p.citations
        if c.document.slug == doc.slug and (c.line_start, c.line_end) == highlight
    }  # fmt: skip
    spans = {}
    for quote in quotes or ():
        for number, (start, end) in source.spans(quote, *highlight).items():
            known = spans.get(number, (start, end))
            spans[number] = (min(start, known[0]), max(end, known[1]))
    # A PDF viewer opens "#page=N" at the N-th page of the file, not at the printed number.
    file_page = {str(number): index for index, number, _source in version.pages}
    items = [
        {"first": first, "last": last, "kind": kind, "content": _marked(content, spans, highlight) if kind == "p" else content, "file_page": file_page.get(content) if kind == "page" else None,
         "marked": highlight is not None and first <= highlight[1] and last >= highlight[0]}
        for first, last, kind, content in source.blocks()
    ]  # fmt: skip
    # Back to the party pages whose quotes come from this document.
    parties = [
        (s.slug, a) for s in elections for a in s.actors if any(d.slug == doc.slug for d in a.documents)
    ]
    context = {
        "document": doc,
        "version": version,
        "items": items,
        "highlight": highlight,
        "parties": parties,
    }
    return render(request, "citizen/source.html", context)


CONTENT_TYPES = {"pdf": "application/pdf", "html": "text/plain; charset=utf-8"}  # HTML is shown, never run


@require_safe
def original(request, document, sha256):
    """The original file of a published version (staff may also open versions under review)."""
    published_files = {(d.slug, d.sha256) for s in published.refresh() for d in s.documents}
    staff = request.user.is_authenticated and request.user.has_perm("positions.view_document")
    if (document, sha256) not in published_files and not staff:
        raise Http404(_("Dit brondocument bestaat niet."))
    version = DocumentVersion.objects.filter(document__slug=document, sha256=sha256).first()
    if version is None:
        raise Http404(_("Dit brondocument bestaat niet."))
    response = FileResponse(version.original.open("rb"), filename=version.filename)
    response["Content-Type"] = CONTENT_TYPES.get(version.format, "text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{version.filename}"'
    return response
