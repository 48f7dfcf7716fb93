"""The editors' source search over the passages of every document."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

from positions.models import Passage
from positions.sources import fold


def search_passages(query: str, document: str = "", limit: int = 50):
    """Forgiving search: case, accents, quote styles and line breaks do not matter.

    On PostgreSQL full-text search with the Dutch configuration (stemming) is combined with the
    folded substring match; on SQLite every folded word must occur in the passage.
    """
    passages = Passage.objects.select_related("document")
    if document:
        passages = passages.filter(document__slug=document)
    folded = fold(query).replace('"', "").strip()
    words = [w for w in folded.split() if w]
    if not words:
        return []
    every_word = Q()
    for word in words:
        every_word &= Q(folded__contains=word)
    if connection.vendor == "postgresql":
        search = SearchQuery(query, config="dutch", search_type="websearch")
        vector = SearchVector("text", config="dutch")
        return list(
            passages.annotate(rank=SearchRank(vector, search))
            .filter(Q(rank__gt=0) | every_word)
            .order_by("-rank", "document__date", "line_start")[:limit]
        )
    return list(passages.filter(every_word).order_by("document__date", "line_start")[:limit])
