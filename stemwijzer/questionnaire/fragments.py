"""Rendered HTML that is the same for everyone who sees the same variant: the one owner of its keys.

A key names the fragment, the language, the election's publication and the variant: everything
the fragment shows that can differ (e.g. statement 4 with "eens" chosen). A variant is one choice
out of a fixed few, never a person's whole set of answers, so a cached fragment cannot carry one
citizen's opinions to another. The cache lives in each process (settings.CACHES["fragments"]) and
is emptied whenever this process drops or replaces a published election.
"""

from collections.abc import Callable

from django.core.cache import caches
from django.utils.translation import get_language

from positions import published

_cache = caches["fragments"]


def key(name: str, *variant, snapshot=None) -> str:
    election = (snapshot.slug, snapshot.publication) if snapshot is not None else ()
    return ":".join(map(str, (name, get_language(), *election, *variant)))


def get_or_render(fragment_key: str, render: Callable[[], str]) -> str:
    html = _cache.get(fragment_key)
    if html is None:
        html = render()
        _cache.set(fragment_key, html)
    return html


def clear(**_signal):
    _cache.clear()


def connect():
    published.content_changed.connect(clear, dispatch_uid="stemwijzer.questionnaire.fragments")
