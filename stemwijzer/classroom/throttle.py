"""Limit join-code guessing per address, counting failures only (a school shares one address)."""

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW = 600  # seconds


def client_address(request) -> str:
    if settings.SECURE_PROXY_SSL_HEADER:  # behind our own proxy: it appends the real address
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _key(request):
    # Only a hash of the address is kept, for ten minutes, in memory.
    return "klas-join-fail:" + hashlib.sha256(client_address(request).encode()).hexdigest()[:24]


def blocked(request) -> bool:
    return cache.get(_key(request), 0) >= settings.CLASSROOM_JOIN_FAILURES


def failed(request):
    key = _key(request)
    if not cache.add(key, 1, WINDOW):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, WINDOW)
