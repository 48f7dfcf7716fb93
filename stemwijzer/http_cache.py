"""HTTP caching for public pages: shared caches (nginx, a CDN, the browser) may keep what holds no answers.

`public_page` marks a view's response `Cache-Control: public` with an ETag derived from the
published content it shows, and answers a matching `If-None-Match` with 304 before the view
renders anything. A request that carries answers (an answers cookie or a share link) is never
shared: its response is `private, no-store`. Every response says `Vary: Cookie`, so that a cache
that keeps variants never hands one visitor's page to another.
"""

import hashlib
from functools import wraps
from importlib.metadata import version

from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import condition

from positions import published
from stemwijzer.citizen.cookie import SHARE_PARAMETER

MAX_AGE = 30  # seconds a cache may serve a public page after a publication without asking again
RELEASE = version("stemwijzer")  # templates change with a release: so does every ETag
ANSWERS_COOKIE = "antwoorden-"  # also under the __Host- prefix: see stemwijzer/citizen/cookie.py


def holds_answers(request) -> bool:
    """Whether this request carries a citizen's answers: their cookie or a share link."""
    if SHARE_PARAMETER in request.GET:
        return True
    return any(name.removeprefix("__Host-").startswith(ANSWERS_COOKIE) for name in request.COOKIES)


def publication_etag(request, *args, election=None, slug=None, **kwargs) -> str:
    """Changes with the release, the language and the publication(s) shown (the election's, or all)."""
    shown = election or slug
    snapshots = published.refresh()  # at most one query a second per process
    versions = sorted((s.slug, s.publication) for s in snapshots if shown is None or s.slug == shown)
    digest = hashlib.sha256(repr((RELEASE, get_language(), versions)).encode()).hexdigest()[:16]
    return f'W/"{digest}"'  # weak: the same content, though the bytes of a CSRF token may differ


def public_page(view):
    """The view's page is the same for every visitor without answers: let shared caches keep it."""
    conditional = condition(etag_func=publication_etag)(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if holds_answers(request):
            response = view(request, *args, **kwargs)
            response["Cache-Control"] = "no-store, private"
        else:
            # base.html puts a CSRF token on <body>, and a token reveals its secret: a shared page
            # gets one for a fresh secret that no one holds, and sets no cookie (the steps that
            # post set their own).
            request.META.pop("CSRF_COOKIE", None)
            response = conditional(request, *args, **kwargs)
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
            if response.status_code in (200, 304):
                response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapper
