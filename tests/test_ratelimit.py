import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from stemwijzer.ratelimit.limits import JOIN_FAILURES, purge_expired
from stemwijzer.ratelimit.models import Counter

pytestmark = pytest.mark.django_db


def test_a_window_that_is_over_starts_afresh_and_old_counters_are_purged(settings):
    settings.CLASSROOM_JOIN_FAILURES = 2
    request = RequestFactory().get("/", REMOTE_ADDR="10.5.5.5")
    assert [JOIN_FAILURES.count(request) for _ in range(3)] == [False, False, True]
    assert JOIN_FAILURES.reached(request)
    Counter.objects.update(started=timezone.now() - datetime.timedelta(seconds=601))
    assert not JOIN_FAILURES.reached(request)
    assert JOIN_FAILURES.count(request) is False
    assert Counter.objects.get().count == 1

    Counter.objects.update(started=timezone.now() - datetime.timedelta(hours=2))
    purge_expired()
    assert not Counter.objects.exists()


def test_only_a_hash_of_the_address_is_kept(settings):
    JOIN_FAILURES.count(RequestFactory().get("/", REMOTE_ADDR="10.5.5.5"))
    assert "10.5.5.5" not in Counter.objects.get().key
