"""Guards over every page the URL resolver knows (djangoproject.com style), the migrations and CI."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from stemwijzer.classroom.models import ClassSession
from tests.pages import page_urls

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def visitor(db, snapshot):
    """A client that has joined an open class session (so student pages show, not redirect)."""
    session, token = ClassSession.open_new(snapshot.slug, [s.number for s in snapshot.statements])
    client = Client()
    client.post(f"/klas/{session.code}/")
    return client, session, token


def test_every_page_has_one_h1_a_lang_a_main_and_no_inline_script_or_style(visitor, snapshot):
    client, session, token = visitor
    checked = 0
    for name, url in page_urls(snapshot, session, token):
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code == 405:  # a POST-only action (close, delete, wipe)
            continue
        assert response.status_code == 200, (name, url, response.status_code)
        html = response.content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, url
        assert re.search(r'<html lang="(nl|en)"', html), url
        assert len(re.findall(r"<main[\s>]", html)) == 1, url
        assert "style=" not in html and "<script>" not in html, f"{url}: inline style or script (CSP)"
        checked += 1
    assert checked > 2 * (len(snapshot.statements) + len(snapshot.actors) + len(snapshot.documents))


@pytest.mark.django_db
def test_error_pages_have_one_h1_a_lang_and_a_main(client, snapshot):
    for url in ["/bestaat-niet/", f"/{snapshot.slug}/stelling/0/", "/en/bestaat-niet/"]:
        response = client.get(url)
        assert response.status_code == 404
        html = response.content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1 and "<main" in html and "<html lang=" in html


@pytest.mark.django_db
def test_the_english_pages_are_in_english(client, snapshot):
    assert '<html lang="en"' in client.get("/en/").content.decode()
    assert '<html lang="nl"' in client.get("/").content.decode()
    html = client.get(f"/en/{snapshot.slug}/stelling/1/").content.decode()
    for label in ("Agree", "Neither", "Disagree", "Skip"):
        assert f">{label}</button>" in html
    assert snapshot.statements[0].texts["en"] in html


@pytest.mark.django_db
def test_there_are_no_pending_migrations():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"\*\*2\. .*?\*\*\s+```sh\n(.+?)\n```", readme, re.S)[1]
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
