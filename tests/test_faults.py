"""Faults: the database goes away, hangs, or restarts; a worker starts without it. Citizens carry
on from the published content; pages that need the database answer 503 within seconds."""

import logging
import os
import re
import shutil
import subprocess
import threading
import time

import psycopg
import pytest
from django.core.management import call_command
from django.db import (
    DataError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
    close_old_connections,
    connection,
    connections,
)
from django.test import Client

from tests.conftest import CONTENT_FILE, make_user
from tests.servers import HTTP, Gunicorn, free_port
from tests.tcp_proxy import Proxy

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="fault tests of a real server run against PostgreSQL (CI runs them)",
)
OUTAGE = "Even niet beschikbaar"


@pytest.fixture
def content(transactional_db):
    from positions import published

    call_command("load_election", str(CONTENT_FILE), verbosity=0)
    published.forget()
    return published.get("tk2025")


def open_class(snapshot):
    teacher = Client()
    html = teacher.post("/klas/nieuw/", {"election": snapshot.slug}).content.decode()
    return teacher, re.search(r"/klas/leraar/([^/]+)/", html)[1]


@pytest.fixture
def database_options():
    """Change the app's connection options for one test (shorter timeouts keep the suite fast)."""
    original = dict(connection.settings_dict["OPTIONS"])

    def change(**options):
        connection.close()
        connection.settings_dict["OPTIONS"].update(options)

    yield change
    connection.close()
    connection.settings_dict["OPTIONS"] = original


@pytest.fixture
def outage():
    """Route the app's database connection through a proxy the test can cut or hang."""
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


# --- on any database ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error, status",
    [
        (OperationalError("canceling statement due to statement timeout"), 503),
        (OperationalError("connection to server failed: Connection refused"), 503),
        (InterfaceError("connection already closed"), 503),
        (ProgrammingError('relation "classroom_classsession" does not exist'), 500),
        (IntegrityError("duplicate key value violates unique constraint"), 500),
        (DataError("invalid input syntax"), 500),
    ],
)
def test_only_a_lost_or_timed_out_connection_is_an_outage_any_other_database_error_a_logged_500(
    monkeypatch, caplog, error, status
):
    from stemwijzer.classroom.models import ClassSession

    def fail(cls, token):
        raise error

    monkeypatch.setattr(ClassSession, "for_token", classmethod(fail))
    monkeypatch.setattr(logging.getLogger("django.request"), "propagate", True)  # let caplog see it
    response = Client(raise_request_exception=False).get("/klas/leraar/geheim/")
    assert response.status_code == status
    body = response.content.decode()
    assert "Traceback" not in body
    if status == 503:
        assert OUTAGE in body and response["Retry-After"] == "60"
    else:
        assert "Er ging iets mis" in body
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(r.exc_info and r.exc_info[1] is error for r in logged)  # with its traceback, in the error log


@pytest.mark.django_db
def test_a_process_that_starts_without_the_database_serves_the_questionnaire_from_the_kept_file(snapshot):
    from positions import published

    published.forget()  # a fresh process: nothing in memory

    def away(execute, sql, params, many, context):
        raise OperationalError("the database is away")

    with connection.execute_wrapper(away):
        citizen = Client()
        assert citizen.get("/").status_code == 200
        assert citizen.get(f"/{snapshot.slug}/stelling/1/").status_code == 200
        assert citizen.post(f"/{snapshot.slug}/stelling/1/", {"answer": "agree"}).status_code == 303
        dashboard = Client().get("/klas/leraar/geheim/")
        assert dashboard.status_code == 503 and OUTAGE in dashboard.content.decode()


@pytest.mark.django_db
def test_with_no_content_kept_an_outage_is_a_503_never_this_election_does_not_exist(
    snapshot, settings, tmp_path
):
    from positions import published

    settings.PUBLISHED_DIR = tmp_path  # nothing kept here
    published.forget()

    def away(execute, sql, params, many, context):
        raise OperationalError("the database is away")

    with connection.execute_wrapper(away):
        response = Client().get(f"/{snapshot.slug}/stelling/1/")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert OUTAGE in response.content.decode()


@pytest.mark.django_db
def test_gunicorn_started_while_the_database_is_down_serves_the_questionnaire(snapshot):
    unreachable = f"postgres://postgres@127.0.0.1:{free_port()}/stemwijzer"
    server = Gunicorn(unreachable, workers=2)
    try:
        citizen = HTTP(server.url)
        for _ in range(4):  # both workers
            assert citizen.get(f"/{snapshot.slug}/stelling/1/")[0] == 200
        assert citizen.post(f"/{snapshot.slug}/stelling/1/", answer="agree")[0] == 303
        assert citizen.get("/")[0] == 200
        status, body = citizen.get("/klas/leraar/geheim/")
        assert status == 503 and OUTAGE in body
    finally:
        server.stop()


# --- on PostgreSQL --------------------------------------------------------------------------------


@postgres_only
def test_with_the_database_down_citizens_finish_and_other_pages_answer_503_then_recover(content, outage):
    snapshot = content
    teacher, token = open_class(snapshot)
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
        assert OUTAGE in body and "Traceback" not in body

    outage.restore()
    # A server's request_started signal drops the broken connection (close_old_connections); the
    # test client disconnects that signal, so do here what every real request does.
    close_old_connections()
    assert editor.get("/admin/positions/statement/").status_code == 200
    assert teacher.get(f"/klas/leraar/{token}/").status_code == 200


@postgres_only
def test_a_locked_table_gives_the_dashboard_its_503_within_seconds_while_citizens_carry_on(
    content, database_options
):
    snapshot = content
    teacher, token = open_class(snapshot)
    database_options(options="-c statement_timeout=1000")
    settings = connection.settings_dict
    locker = psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                             dbname=settings["NAME"], user=settings["USER"])  # fmt: skip
    try:
        locker.execute("LOCK TABLE classroom_classsession IN ACCESS EXCLUSIVE MODE")  # held until rollback
        started = time.monotonic()
        response = teacher.get(f"/klas/leraar/{token}/")
        assert response.status_code == 503 and OUTAGE in response.content.decode()
        assert time.monotonic() - started < 3
        citizen = Client()
        for number in (1, 2, 3):
            started = time.monotonic()
            assert (
                citizen.post(f"/{snapshot.slug}/stelling/{number}/", {"answer": "agree"}).status_code == 303
            )
            assert time.monotonic() - started < 0.5
    finally:
        locker.rollback()
        locker.close()
    close_old_connections()
    assert teacher.get(f"/klas/leraar/{token}/").status_code == 200


@postgres_only
def test_a_database_that_accepts_connections_but_never_answers_gives_a_503_within_seconds(
    content, outage, database_options
):
    snapshot = content
    teacher, token = open_class(snapshot)
    database_options(connect_timeout=1)
    outage.hang()
    started = time.monotonic()
    response = teacher.get(f"/klas/leraar/{token}/")
    assert response.status_code == 503 and OUTAGE in response.content.decode()
    assert time.monotonic() - started < 3
    citizen = Client()
    assert citizen.post(f"/{snapshot.slug}/stelling/1/", {"answer": "agree"}).status_code == 303
    assert citizen.get(f"/{snapshot.slug}/stelling/2/").status_code == 200
    outage.restore()
    close_old_connections()
    assert teacher.get(f"/klas/leraar/{token}/").status_code == 200


@postgres_only
def test_a_server_that_freezes_under_an_open_connection_costs_a_poll_seconds_not_a_worker(
    content, outage, database_options, settings
):
    """As `kill -STOP` on the server: the kernel still acknowledges, nothing answers, no timeout
    of the server's own fires. The client-side deadline (stemwijzer/db) gives up."""
    snapshot = content
    teacher, token = open_class(snapshot)
    database_options(connect_timeout=1)
    settings.DB_QUERY_DEADLINE = 1
    assert teacher.get(f"/klas/leraar/{token}/stand/").status_code == 200  # a connection is open
    outage.hang()
    for _ in range(2):  # the frozen connection, then a new one that connects to silence
        started = time.monotonic()
        response = teacher.get(f"/klas/leraar/{token}/stand/")
        assert response.status_code == 503 and OUTAGE in response.content.decode()
        assert time.monotonic() - started < 3
        close_old_connections()
    assert Client().get(f"/{snapshot.slug}/stelling/1/").status_code == 200
    outage.restore()
    close_old_connections()
    assert teacher.get(f"/klas/leraar/{token}/stand/").status_code == 200


@pytest.fixture
def scratch_cluster(transactional_db):
    """A throw-away PostgreSQL cluster with the app's schema, that this test may restart."""
    if not shutil.which("pg_createcluster"):
        pytest.skip("needs pg_createcluster (postgresql-common) for a throw-away cluster")
    version = sorted(os.listdir("/etc/postgresql"))[0]
    name = f"{os.environ.get('FAULT_CLUSTER_PREFIX', 'stemwijzer_fault_')}{os.getpid()}"
    port = str(free_port())
    run = lambda *args: subprocess.run(args, check=True, capture_output=True)  # noqa: E731
    run("pg_createcluster", version, name, "-p", port, "--start", "--", "--auth=trust")
    settings = connection.settings_dict
    original = {key: settings[key] for key in ("HOST", "PORT", "NAME")}
    try:
        run("createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "stemwijzer")
        schema = subprocess.run(["pg_dump", "--schema-only", "-h", settings["HOST"] or "127.0.0.1", "-p",
                                 str(settings["PORT"] or 5432), "-U", settings["USER"] or "postgres", settings["NAME"]],
                                check=True, capture_output=True).stdout  # fmt: skip
        subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "stemwijzer"],
                       input=schema, check=True, capture_output=True)  # fmt: skip
        connections.close_all()
        settings.update(HOST="127.0.0.1", PORT=port, NAME="stemwijzer")
        yield lambda: run(
            "pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart", "-m", "fast"
        )
    finally:
        connections.close_all()
        settings.update(original)
        subprocess.run(["pg_dropcluster", version, name, "--stop"], capture_output=True)


@postgres_only
def test_an_acknowledged_classroom_answer_survives_a_database_restart(scratch_cluster):
    from positions import published
    from stemwijzer.classroom.models import ClassAnswer, ClassSession

    call_command("load_election", str(CONTENT_FILE), verbosity=0)
    published.forget()
    snapshot = published.get("tk2025")
    open_class(snapshot)
    session = ClassSession.objects.get()
    student = Client()
    student.post("/klas/", {"code": session.code})
    assert student.post(f"/klas/{session.code}/stelling/1/", {"answer": "disagree"}).status_code == 303

    connections.close_all()
    scratch_cluster()
    connections.close_all()
    assert list(ClassAnswer.objects.values_list("answer", flat=True)) == ["disagree"]
    assert "answer-disagree chosen" in student.get(f"/klas/{session.code}/stelling/1/").content.decode()


def test_the_proxy_hangs_without_closing(transactional_db):
    """The hanging proxy really accepts and stays silent (so the tests above test a hang)."""
    import socket

    proxy = Proxy(("127.0.0.1", free_port()))
    proxy.hang()
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=0.5) as s:
        s.sendall(b"hello")
        with pytest.raises(TimeoutError):
            s.recv(1)
    proxy.close()
    assert threading.active_count() >= 1
