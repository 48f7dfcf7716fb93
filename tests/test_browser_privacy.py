"""Privacy, verified in a browser: a citizen's full flow and a classroom lesson, then the checks."""

import logging
import re
from datetime import timedelta
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def dump_citizen_relevant():
    out = StringIO()
    call_command("dumpdata", "positions", "auth", "sessions", "axes", stdout=out)
    return out.getvalue()


def test_a_citizen_and_a_class_leave_nothing_behind(site, page_factory, caplog):
    caplog.set_level(logging.DEBUG)
    url, snapshot = site
    host = urlparse(url).netloc
    before = dump_citizen_relevant()

    citizen = page_factory()
    requests = []
    citizen.on("request", lambda r: requests.append(r.url))
    citizen.goto(url + "/")
    citizen.get_by_role("link", name="Begin met de stellingen").click()
    for number in range(1, len(snapshot.statements) + 1):
        citizen.get_by_role("heading", level=1, name=snapshot.statement(number).text).wait_for()
        citizen.get_by_role("button", name="Oneens", exact=True).click()
    citizen.get_by_role("button", name="Verder naar partijen").click()
    citizen.get_by_role("button", name="Toon de uitslag").click()
    citizen.get_by_role("heading", level=1, name="Jouw uitslag").wait_for()
    citizen.get_by_role("link", name=snapshot.parties[0].name).first.click()
    citizen.get_by_role("heading", level=1).wait_for()

    cookies = {c["name"] for c in citizen.context.cookies()}
    assert cookies <= {"__Host-csrftoken", "__Host-antwoorden-tk2025", "csrftoken", "antwoorden-tk2025"}, (
        cookies
    )
    assert dump_citizen_relevant() == before, "something derived from the answers reached the database"

    citizen.goto(url + f"/{snapshot.slug}/uitslag/")
    citizen.get_by_role("button", name="Wis mijn antwoorden").click()
    citizen.get_by_text("Je antwoorden zijn gewist.").wait_for()
    assert not any("antwoorden" in c["name"] for c in citizen.context.cookies())

    # A classroom lesson.
    teacher = page_factory()
    teacher.on("request", lambda r: requests.append(r.url))
    teacher.goto(url + "/klas/nieuw/")
    teacher.get_by_role("button", name="Maak de klassessie").click()
    code = teacher.locator(".join-code strong").text_content().strip()
    dashboard_url = teacher.locator("#dashboard-url").input_value()
    student = page_factory()
    student.on("request", lambda r: requests.append(r.url))
    student.goto(url + f"/klas/{code}/")
    student.get_by_role("button", name="Doe mee").click()
    student.get_by_role("button", name="Eens", exact=True).click()
    teacher.goto(dashboard_url)
    teacher.get_by_role("button", name=re.compile("Sluit de sessie")).click()

    assert {urlparse(r).netloc for r in requests} == {host}, "a request left for another host"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    token = dashboard_url.rstrip("/").rsplit("/", 1)[-1]
    assert token not in logged and code not in logged

    from stemwijzer.classroom.models import ClassAnswer, ClassSession, Participant

    assert ClassAnswer.objects.count() == 1
    ClassSession.objects.update(closed_at=timezone.now() - timedelta(days=30))
    call_command("purge_classrooms", verbosity=0)
    assert (
        not ClassSession.objects.exists()
        and not Participant.objects.exists()
        and not ClassAnswer.objects.exists()
    )
