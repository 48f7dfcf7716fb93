"""The app's own cookies (a citizen's answers, a student's place in a class): named and set one way.

The __Host- prefix pins a cookie to this host, path / and https; plain-http DEBUG can't have it.
"""

from django.conf import settings


def cookie_name(name: str) -> str:
    return name if settings.DEBUG else f"__Host-{name}"


def set_cookie(response, name: str, value: str):
    """A session cookie, https-only outside DEBUG, out of reach of scripts and other sites' posts."""
    response.set_cookie(name, value, secure=not settings.DEBUG, httponly=True, samesite="Lax", path="/")
