"""The classroom's limits per address: wrong join codes (only failures count: a school shares one
address) and new class sessions. Counted in the database, for all workers and instances together."""

from stemwijzer.ratelimit.limits import JOIN_FAILURES, NEW_SESSIONS


def blocked(request) -> bool:
    return JOIN_FAILURES.reached(request)


def failed(request):
    JOIN_FAILURES.count(request)


def may_open_session(request) -> bool:
    return not NEW_SESSIONS.reached(request)


def opened_session(request):
    NEW_SESSIONS.count(request)
