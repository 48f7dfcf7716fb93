"""Per-address limits that hold across workers and instances, and the client's address itself."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from stemwijzer.ratelimit.models import Counter


def client_address(request) -> str:
    """The client's address; behind our proxy, the one it appended to X-Forwarded-For.

    Only a request from a trusted proxy may name another address: anyone else could forge it.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_PROXY and remote in settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return remote


@dataclass(frozen=True)
class Limit:
    """At most `allowed()` events per address per `window` seconds."""

    name: str
    setting: str  # the settings name of the number allowed, read on use (tests override it)
    window: int

    def allowed(self) -> int:
        return getattr(settings, self.setting)

    def _key(self, request) -> str:
        # Only a hash of the address is kept, and only until the window is over.
        return f"{self.name}:{hashlib.sha256(client_address(request).encode()).hexdigest()[:40]}"

    def _window_start(self):
        return timezone.now() - datetime.timedelta(seconds=self.window)

    def reached(self, request) -> bool:
        return Counter.objects.filter(
            key=self._key(request), started__gt=self._window_start(), count__gte=self.allowed()
        ).exists()

    def count(self, request) -> bool:
        """Count one event; True when it is over the limit (so its outcome must not be shown).

        The increment and the count it returns are one statement, so however many workers race,
        exactly `allowed()` events per window get through.
        """
        key, since = self._key(request), self._window_start()
        count = _increment(key, since)
        if count is None:
            try:
                with transaction.atomic():
                    Counter.objects.filter(key=key, started__lte=since).delete()  # its window is over
                    Counter.objects.create(key=key, started=timezone.now(), count=1)
                count = 1
            except IntegrityError:  # another worker started the window at the same moment
                count = _increment(key, since)
        return count > self.allowed()


def _increment(key, since) -> int | None:
    """The counter's new value, or None when it has no live window (UPDATE … RETURNING: PostgreSQL
    and SQLite 3.35+; the ORM's update() can't return it)."""
    table, count, key_, started = map(
        connection.ops.quote_name, (Counter._meta.db_table, "count", "key", "started")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {count} = {count} + 1 WHERE {key_} = %s AND {started} > %s RETURNING {count}",
            [key, connection.ops.adapt_datetimefield_value(since)],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def purge_expired():
    """Drop counters whose window is over (from `purge_classrooms`, or any cron job)."""
    longest = max(limit.window for limit in LIMITS)
    Counter.objects.filter(started__lt=timezone.now() - datetime.timedelta(seconds=longest)).delete()


JOIN_FAILURES = Limit("klas-code-fout", "CLASSROOM_JOIN_FAILURES", 600)
NEW_SESSIONS = Limit("klas-nieuw", "CLASSROOM_NEW_PER_HOUR", 3600)
LIMITS = (JOIN_FAILURES, NEW_SESSIONS)
