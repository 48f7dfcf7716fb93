import re

import pytest

from positions.models import Citation, Position

pytestmark = pytest.mark.django_db

QUOTE_ACROSS_LINES = (
    "Dat begint ermee dat boeren en tuinders een eerlijke\n  prijs ontvangen voor hun product."
)


def nsc_position():
    return Position.objects.filter(actor__slug="nsc").first()


def add_citation(client, position, quote):
    return client.post(
        "/admin/positions/citation/add/",
        {"position": position.pk, "document": position.actor.documents.get().pk, "quote": quote, "order": 5},
    )


def test_a_quote_copied_across_a_line_break_verifies_and_gets_its_location(client, editor, election):
    client.force_login(editor)
    position = nsc_position()
    response = add_citation(client, position, QUOTE_ACROSS_LINES)
    assert response.status_code == 302, response.content.decode()[:2000]
    citation = Citation.objects.get(position=position, order=5)
    assert citation.location == "H11 Onze fysieke leefomgeving › punt 2 · p. 70"


def test_one_altered_character_gives_a_dutch_error_with_the_closest_passage_and_saves_nothing(
    client, editor, election
):
    client.force_login(editor)
    position = nsc_position()
    before = Citation.objects.count()
    response = add_citation(client, position, QUOTE_ACROSS_LINES.replace("product.", "producT."))
    assert response.status_code == 200
    html = response.content.decode()
    assert "komt niet letterlijk voor" in html
    assert "Dichtstbijzijnde passage" in html and "eerlijke prijs ontvangen voor hun product" in html
    assert Citation.objects.count() == before


def test_a_changed_citation_sends_its_position_back_to_review(client, editor, election):
    client.force_login(editor)
    position = nsc_position()
    assert position.review_status == "reviewed"
    add_citation(client, position, QUOTE_ACROSS_LINES)
    position.refresh_from_db()
    assert position.review_status == "unreviewed" and position.changed_by == editor


def test_a_statement_page_shows_one_row_per_actor_with_its_citations(client, editor, election):
    client.force_login(editor)
    statement = election.statements.first()
    html = client.get(f"/admin/positions/statement/{statement.pk}/change/").content.decode()
    # Each inline row's actor select has its actor selected; the empty extra form has none.
    rows = re.findall(r'<select name="positions-\d+-actor".*?<option value="(\d+)" selected>', html, re.S)
    assert sorted(map(int, rows)) == sorted(election.actors.values_list("pk", flat=True))
    assert "citaten bewerken" in html
