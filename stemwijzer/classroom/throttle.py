"""The classroom's limits per address: wrong join codes (only failures count: a school shares one
address) and new class sessions. Counted in the database, for all workers and instances together."""

from stemwijzer.ratelimit.limits import JOIN_FAILURES, NEW_SESSIONS


def blocked(request) -> bool:
    return JOIN_FAILURES.reached(request)


def failed(request) -> bool:
    """Count a wrong code; True when it was one too many (answer 429, not whether it existed)."""
    return JOIN_FAILURES.count(request)


def opening_refused(request) -> bool:
    """Count a new class session; True when this address has opened too many this hour."""
    return NEW_SESSIONS.count(request)
