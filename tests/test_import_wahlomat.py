import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from positions import published
from positions.models import Election, Position
from positions.publishing import publish_checked
from positions.wahlomat import unquote
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).parent / "fixtures" / "wahlomat"
LICENCE = "Datenlizenz Deutschland – Namensnennung – 2.0 (Bundeszentrale für politische Bildung)"
SLUG = "beispielland-2026"


def import_fixture(*options):
    call_command("import_wahlomat", str(FIXTURE), "--slug", SLUG, "--licence", LICENCE, *options)
    return Election.objects.get(slug=SLUG)


def approve_and_publish(reviewer):
    for position in Position.objects.filter(statement__election__slug=SLUG):
        position.approve(reviewer)
        position.save()
    return publish_checked(Election.objects.get(slug=SLUG), by=reviewer.username)


def test_it_imports_statements_parties_and_positions_with_comments():
    import_fixture()
    election = Election.objects.get(slug="beispielland-2026")
    assert election.status == "draft" and str(election.date) == "2026-03-08"
    assert election.statements.count() == 3 and election.actors.count() == 2
    a_speed = Position.objects.get(actor__name="Partei A", statement__order=1)
    assert a_speed.stance == "agree" and a_speed.explanation_nl == "Ein Tempolimit rettet Leben."
    assert Position.objects.get(actor__name="Partei B", statement__order=1).stance == "disagree"
    assert Position.objects.get(actor__name="Partei A", statement__order=3).stance == "neutral"
    assert Position.objects.get(actor__name="Partei A", statement__order=2).explanation_nl == ""
    assert not Position.objects.filter(statement__election=election, citations__isnull=False).exists()


def test_importing_twice_replaces_rather_than_duplicates():
    import_fixture()
    import_fixture()
    assert Election.objects.get(slug="beispielland-2026").statements.count() == 3


def test_it_refuses_an_unknown_answer_and_imports_nothing(tmp_path):
    for f in FIXTURE.iterdir():
        (tmp_path / f.name).write_text(f.read_text())
    opinions = json.loads((tmp_path / "opinion.json").read_text())
    opinions[-1]["answer"] = 7
    (tmp_path / "opinion.json").write_text(json.dumps(opinions))
    with pytest.raises(CommandError, match="onbekend antwoord"):
        call_command("import_wahlomat", str(tmp_path), "--slug", "kapot", "--licence", LICENCE)
    assert not Election.objects.filter(slug="kapot").exists()


def test_unquote_strips_the_literal_quotes_and_empty_means_none():
    assert unquote('"Ja."') == "Ja."
    assert unquote('""') == ""


def test_it_needs_the_licence_the_data_was_given_and_serves_it_never_a_blanket_one(client, reviewer):
    with pytest.raises(CommandError, match="--licence"):
        call_command("import_wahlomat", str(FIXTURE), "--slug", SLUG)
    election = import_fixture()
    assert election.licence == LICENCE and election.sourcing == Election.Sourcing.PARTY
    approve_and_publish(reviewer)
    data = client.get(f"/data/{SLUG}.json").json()
    assert data["licence"] == LICENCE and "CC BY" not in data["licence"]


def test_an_import_is_by_the_importer_who_cannot_approve_it(reviewer, second_reviewer):
    import_fixture("--by", reviewer.username)
    position = Position.objects.filter(statement__election__slug=SLUG).first()
    assert position.changed_by == reviewer
    with pytest.raises(ValidationError):
        position.approve(reviewer)
    position.approve(second_reviewer)


def test_without_a_named_importer_the_author_is_import_whom_nobody_can_be(client):
    import_fixture()
    authors = set(
        Position.objects.filter(statement__election__slug=SLUG).values_list("changed_by__username", flat=True)
    )
    assert authors == {"import"}
    account = Position.objects.filter(statement__election__slug=SLUG).first().changed_by
    assert not account.is_active and not account.has_usable_password()
    assert client.post("/admin/login/", {"username": "import", "password": ""}).status_code == 200  # no login


def test_reimporting_over_a_published_election_keeps_it_online_until_the_new_draft_is_published(
    client, reviewer
):
    import_fixture()
    first = approve_and_publish(reviewer)
    import_fixture()
    election = Election.objects.get(slug=SLUG)
    assert election.status == Election.Status.PUBLISHED and election.latest_publication() == first
    published.forget()
    assert client.get(f"/{SLUG}/stelling/1/").status_code == 200
    assert client.get(f"/data/{SLUG}.json").status_code == 200
    assert Position.objects.filter(statement__election=election, review_status="unreviewed").exists()
    assert approve_and_publish(reviewer).number == first.number + 1


def test_a_party_justified_election_says_so_wherever_citizens_see_it(client, reviewer, election):
    import_fixture()
    approve_and_publish(make_user("nog-een-eindredacteur", "Eindredactie"))
    pages = [f"/{SLUG}/stelling/1/", f"/{SLUG}/stelling/1/standpunten/", f"/{SLUG}/uitslag/", "/"]
    for page in pages:
        body = client.get(page).content.decode()
        assert "geen letterlijke citaten" in body, page
    statement = client.get(f"/{SLUG}/stelling/1/").content.decode()
    assert "(met citaten)" not in statement
    assert "Bij elk standpunt staat een letterlijk citaat" not in client.get("/").content.decode()
    assert "komen de toelichtingen van de partijen zelf" in client.get("/methode/").content.decode()
    english = client.get(f"/en/{SLUG}/stelling/1/").content.decode()
    assert "no verbatim quotes" in english
    # The quoted election is not labelled.
    assert "geen letterlijke citaten" not in client.get("/tk2025/stelling/1/").content.decode()


def test_the_publish_gate_refuses_a_quoted_election_with_a_stance_without_a_quote(election):
    from positions.publishing import PublishRefused

    position = Position.objects.filter(statement__election=election, stance="agree").first()
    position.citations.all().delete()
    with pytest.raises(PublishRefused, match="geen citaat"):
        publish_checked(election)
