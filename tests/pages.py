"""Every page of the app, found by walking the URL resolver (as djangoproject.com's guards do).

A new view is covered by the guards the moment it has a URL: its parameters are filled from
SAMPLES, and a parameter name nobody knows yet fails loudly instead of escaping the guards.
"""

import itertools

from django.urls import URLPattern, URLResolver, get_resolver, reverse

NOT_HTML = {
    "open-data",
    "health",
    "classroom:export",
    "citizen:source-original",
    "citizen:brand_css",
}  # not HTML


def named_patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # Django's own admin, covered by the admin tests
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.converters)


def samples(snapshot, session, token):
    """Values for every URL parameter of the app: all statements, actors and documents."""
    return {
        "election": [snapshot.slug],
        "number": [s.number for s in snapshot.statements],
        "actor": [a.slug for a in snapshot.actors],
        "document": [d.slug for d in snapshot.documents],
        "slug": [snapshot.slug],
        "code": [session.code],
        "token": [token],
        "place": [1, len(session.statements)],
    }


def page_urls(snapshot, session, token, languages=("nl", "en")):
    """(name, url) for every HTML page, in every language."""
    from django.utils import translation

    values = samples(snapshot, session, token)
    for language in languages:
        with translation.override(language):
            for name, parameters in named_patterns():
                if name in NOT_HTML:
                    continue
                for combination in itertools.product(*(values[p] for p in parameters)):
                    yield name, reverse(name, kwargs=dict(zip(parameters, combination, strict=True)))
