"""Thirty students answering at the same moment, on PostgreSQL: every answer counted exactly once."""

import re
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client

from stemwijzer.classroom.models import ClassAnswer, ClassSession, Participant
from tests.conftest import CONTENT_FILE

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL (CI runs it)"
    ),
]
STUDENTS = 30


def test_thirty_students_answering_at_once_are_each_counted_once():
    from positions import published

    call_command("load_election", str(CONTENT_FILE), verbosity=0)
    published.forget()
    snapshot = published.get("tk2025")
    teacher = Client()
    html = teacher.post("/klas/nieuw/", {"election": snapshot.slug}).content.decode()
    token = re.search(r"/klas/leraar/([^/]+)/", html)[1]
    session = ClassSession.objects.get()
    students = []
    for _ in range(STUDENTS):
        student = Client()
        assert student.post("/klas/", {"code": session.code}).status_code == 303
        students.append(student)

    barrier = threading.Barrier(STUDENTS)
    errors = []

    def answer(i, student):
        try:
            barrier.wait()
            for value in (
                "neutral",
                "agree" if i % 3 else "disagree",
            ):  # a double submit: the last one counts
                response = student.post(f"/klas/{session.code}/stelling/1/", {"answer": value})
                assert response.status_code == 303, response.status_code
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(i, s)) for i, s in enumerate(students)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Participant.objects.count() == STUDENTS
    assert ClassAnswer.objects.count() == STUDENTS
    expected_disagree = len([i for i in range(STUDENTS) if i % 3 == 0])
    assert ClassAnswer.objects.filter(answer="disagree").count() == expected_disagree
    assert ClassAnswer.objects.filter(answer="agree").count() == STUDENTS - expected_disagree
    live = teacher.get(f"/klas/leraar/{token}/stand/", HTTP_HX_REQUEST="true").content.decode()
    assert f"<strong>{STUDENTS}</strong> meegedaan" in live
    assert f"{STUDENTS - expected_disagree} (" in live and f"{expected_disagree} (" in live
