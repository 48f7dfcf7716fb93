import os
from pathlib import Path

import pytest
from django.core.management import call_command

CONTENT_FILE = Path(__file__).resolve().parent.parent / "positions" / "content" / "tk2025.yaml"


def pytest_configure(config):
    from django.conf import settings

    # Hashing passwords on purpose slowly is the admin tests' main cost (healthchecks does the same).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        from django.test.testcases import LiveServerThread

        from tests.browser import OneRequestAtATimeServer

        LiveServerThread.server_class = OneRequestAtATimeServer  # see its docstring


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the shipped, curated election (each test's changes roll back)."""
    with django_db_blocker.unblock():
        call_command("load_election", str(CONTENT_FILE), verbosity=0)


@pytest.fixture
def election(db):
    from positions.models import Election

    return Election.objects.get(slug="tk2025")


@pytest.fixture(autouse=True)
def dutch_first():
    """Each test starts in the default language: a request to an /en/ page leaves English active
    in the thread, and a snapshot's texts follow the active language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_content_cache():
    """Each test starts with an empty per-process content cache (test transactions roll back)."""
    from positions import published

    published.forget()
    yield
    published.forget()


@pytest.fixture
def snapshot(election):
    from positions import published

    return published.get(election.slug)


def answer_all(client, snapshot, answers):
    """Answer every statement without JavaScript; `answers` maps statement number to an answer."""
    for statement in snapshot.statements:
        response = client.post(
            f"/{snapshot.slug}/stelling/{statement.number}/",
            {"answer": answers.get(statement.number, "skip")},
        )
        assert response.status_code == 303
    return response


def make_user(username, group=None, staff=True):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password="een-lang-wachtwoord-voor-tests", is_staff=staff)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return make_user("redacteur", "Redactie")


@pytest.fixture
def reviewer(db):
    return make_user("eindredacteur", "Eindredactie")


@pytest.fixture
def second_reviewer(db):
    return make_user("tweede-eindredacteur", "Eindredactie")


# --- end-to-end tests ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            from tests.browser import launch

            browser = launch(p)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the shipped election (transactional tests start from an empty database)."""
    from positions import published

    call_command("load_election", str(CONTENT_FILE), verbosity=0)
    published.forget()
    snapshot = published.get("tk2025")
    return live_server.url, snapshot


@pytest.fixture
def page_factory(browser):
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.csp_errors = []
        page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_errors.append(m.text))
        page.foreign_requests = []
        return page

    yield make
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter):
    from tests.summary import HOSTILE

    if HOSTILE["requests"]:
        terminalreporter.write_line(
            f"hostile input: {HOSTILE['requests']} requests tried, {HOSTILE['5xx']} got a 5xx"
        )
