"""The public source viewer: a document's clean text with headings and page marks, and the cited
passage highlighted (the `regels` query gives its line range; the URL fragment scrolls to it)."""

from functools import lru_cache

from django.http import Http404
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from positions import published
from positions.sources import load_source
from stemwijzer.http_cache import public_page


@lru_cache(maxsize=16)
def blocks(file):
    """The document as (first line, last line, html) blocks: headings, paragraphs and page marks."""
    out, paragraph, page = [], [], None

    def close():
        if paragraph:
            html = mark_safe(" ".join(str(part) for _, part in paragraph))
            out.append((paragraph[0][0], paragraph[-1][0], "p", html))
            paragraph.clear()

    for line in load_source(file).lines:
        if line.furniture:
            continue
        if line.page is not None and line.page != page:
            page = line.page
            close()
            out.append((line.number, line.number, "page", line.label.rsplit(" · ", 1)[-1]))
        if not line.text:
            close()
        elif line.heading:
            close()
            out.append((line.number, line.number, f"h{min(line.heading + 1, 4)}", line.text))
        else:
            paragraph.append((line.number, format_html('<span id="r{}">{}</span>', line.number, line.text)))
    close()
    return tuple(out)


def _line_range(raw):
    try:
        first, _, last = raw.partition("-")
        first, last = int(first), int(last or first)
    except ValueError:
        return None
    return (first, last) if 0 < first <= last <= first + 200 else None


@require_GET
@public_page
def source(request, document):
    documents = {d.slug: d for s in published.refresh() for d in s.documents}
    doc = documents.get(document)
    if doc is None:
        raise Http404(_("Dit brondocument bestaat niet."))
    highlight = _line_range(request.GET.get("regels", "")) if "regels" in request.GET else None
    if "regels" in request.GET and highlight is None:
        from stemwijzer.errors import bad_request

        return bad_request(request, _("Deze regelaanduiding is ongeldig."))
    items = [
        {"first": first, "last": last, "kind": kind, "html": html,
         "marked": highlight is not None and first <= highlight[1] and last >= highlight[0]}
        for first, last, kind, html in blocks(doc.file)
    ]  # fmt: skip
    return render(request, "citizen/source.html", {"document": doc, "items": items, "highlight": highlight})
