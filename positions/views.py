"""Open data: the published election as JSON, with its licence."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from positions import published
from positions.exporting import open_data_json


@require_safe
def open_data(request, slug):
    publication = published.latest_publication(slug)
    if publication is None:
        raise Http404("Deze verkiezing bestaat niet of is niet gepubliceerd.")
    response = HttpResponse(open_data_json(publication.data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slug}.json"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: anyone may read it
    return response
