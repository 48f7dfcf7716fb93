"""The public source viewer: a document's clean text with headings and page marks, and the cited
passage highlighted (the `regels` query gives its line range; the URL fragment scrolls to it)."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from positions import published
from positions.models import DocumentVersion


def _line_range(raw):
    try:
        first, _, last = raw.partition("-")
        first, last = int(first), int(last or first)
    except ValueError:
        return None
    return (first, last) if 0 < first <= last <= first + 200 else None


@require_GET
def source(request, document):
    documents = {d.slug: d for s in published.refresh() for d in s.documents}
    doc = documents.get(document)
    # The version that was published, never a newer upload that is still being reviewed.
    version = doc and DocumentVersion.objects.filter(document__slug=doc.slug, sha256=doc.sha256).first()
    if version is None:
        raise Http404(_("Dit brondocument bestaat niet."))
    highlight = _line_range(request.GET.get("regels", "")) if "regels" in request.GET else None
    if "regels" in request.GET and highlight is None:
        from stemwijzer.errors import bad_request

        return bad_request(request, _("Deze regelaanduiding is ongeldig."))
    # A PDF viewer opens "#page=N" at the N-th page of the file, not at the printed number.
    file_page = {str(number): index for index, number, _source in version.pages}
    items = [
        {"first": first, "last": last, "kind": kind, "content": content, "file_page": file_page.get(content) if kind == "page" else None,
         "marked": highlight is not None and first <= highlight[1] and last >= highlight[0]}
        for first, last, kind, content in version.source().blocks()
    ]  # fmt: skip
    context = {"document": doc, "version": version, "items": items, "highlight": highlight}
    return render(request, "citizen/source.html", context)


CONTENT_TYPES = {"pdf": "application/pdf", "html": "text/plain; charset=utf-8"}  # HTML is shown, never run


@require_GET
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
