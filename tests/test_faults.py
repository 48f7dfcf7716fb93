"""Faults on PostgreSQL: the database goes away and comes back; acknowledged answers survive."""

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection, connections
from django.test import Client

from tests.conftest import CONTENT_FILE, make_user
from tests.tcp_proxy import Proxy

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="fault tests run against PostgreSQL (CI runs them)"
    ),
]


@pytest.fixture
def content():
    from positions import published

    call_command("load_election", str(CONTENT_FILE), verbosity=0)
    published.forget()
    return published.get("tk2025")


@pytest.fixture
def outage():
    """Route the app's database connection through a proxy the test can cut."""
    proxy = Proxy(
        (connection.settings_dict["HOST"] or "127.0.0.1", int(connection.settings_dict["PORT"] or 5432))
    )
    original = connection.settings_dict["HOST"], connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", str(proxy.port)
    yield proxy
    proxy.restore()
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = original
    proxy.close()


def test_with_the_database_down_citizens_finish_and_other_pages_answer_503_then_recover(content, outage):
    snapshot = content
    teacher = Client()
    html = teacher.post("/klas/nieuw/", {"election": snapshot.slug}).content.decode()
    token = re.search(r"/klas/leraar/([^/]+)/", html)[1]
    editor = Client()
    editor.force_login(make_user("redacteur", "Redactie"))
    citizen = Client()
    assert citizen.get("/").status_code == 200

    outage.cut()
    for statement in snapshot.statements:
        response = citizen.post(f"/{snapshot.slug}/stelling/{statement.number}/", {"answer": "agree"})
        assert response.status_code == 303
    assert citizen.post(f"/{snapshot.slug}/belangrijk/", {"important": ["1"]}).status_code == 303
    assert citizen.post(f"/{snapshot.slug}/partijen/", {"select": "all"}).status_code == 303
    result = citizen.get(f"/{snapshot.slug}/uitslag/")
    assert result.status_code == 200 and 'class="percent"' in result.content.decode()
    assert citizen.get("/").status_code == 200
    for page, client, method in (("/admin/positions/statement/", editor, "get"),
                                 (f"/klas/leraar/{token}/", teacher, "get"), ("/klas/nieuw/", teacher, "post")):  # fmt: skip
        response = getattr(client, method)(page, {"election": snapshot.slug} if method == "post" else {})
        assert response.status_code == 503, page
        body = response.content.decode()
        assert "Even niet beschikbaar" in body and "Traceback" not in body

    outage.restore()
    # A server's request_started signal drops the broken connection (close_old_connections); the
    # test client disconnects that signal, so do here what every real request does.
    close_old_connections()
    assert editor.get("/admin/positions/statement/").status_code == 200
    assert teacher.get(f"/klas/leraar/{token}/").status_code == 200


@pytest.mark.skipif(not shutil.which("pg_ctlcluster"), reason="needs pg_ctlcluster to restart PostgreSQL")
def test_an_acknowledged_classroom_answer_survives_a_database_restart(content):
    from stemwijzer.classroom.models import ClassAnswer, ClassSession

    teacher = Client()
    teacher.post("/klas/nieuw/", {"election": content.slug})
    session = ClassSession.objects.get()
    student = Client()
    student.post("/klas/", {"code": session.code})
    assert student.post(f"/klas/{session.code}/stelling/1/", {"answer": "disagree"}).status_code == 303

    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[0]
    connections.close_all()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"], check=True
    )
    for _ in range(60):
        if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0:
            break
        time.sleep(0.5)
    connections.close_all()
    assert list(ClassAnswer.objects.values_list("answer", flat=True)) == ["disagree"]
    assert "answer-disagree chosen" in student.get(f"/klas/{session.code}/stelling/1/").content.decode()
