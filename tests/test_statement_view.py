import re

import pytest

from tests.conftest import answer_all

pytestmark = pytest.mark.django_db


def url(snapshot, number):
    return f"/{snapshot.slug}/stelling/{number}/"


def test_it_shows_the_statement_with_theme_progress_and_the_four_answers(client, snapshot):
    html = client.get(url(snapshot, 1)).content.decode()
    first = snapshot.statements[0]
    assert first.text in html
    assert first.theme.name in html
    assert f"Stelling 1 van {len(snapshot.statements)}" in html
    for label in ("Eens", "Geen van beide", "Oneens", "Sla over"):
        assert f">{label}</button>" in html
    assert "Meer uitleg" in html and first.explanation in html


def test_answering_redirects_to_the_next_statement(client, snapshot):
    response = client.post(url(snapshot, 1), {"answer": "agree"})
    assert response.status_code == 303
    assert response["Location"] == url(snapshot, 2)


def test_the_last_answer_leads_to_extra_belangrijk(client, snapshot):
    response = client.post(url(snapshot, len(snapshot.statements)), {"answer": "disagree"})
    assert response["Location"] == f"/{snapshot.slug}/belangrijk/"


def test_revisiting_a_statement_shows_the_current_answer_and_it_can_be_changed(client, snapshot):
    client.post(url(snapshot, 1), {"answer": "disagree"})
    html = client.get(url(snapshot, 1)).content.decode()
    assert re.search(r'class="answer answer-disagree chosen"', html)
    assert "Je huidige antwoord:" in html
    client.post(url(snapshot, 1), {"answer": "agree"})
    assert 'class="answer answer-agree chosen"' in client.get(url(snapshot, 1)).content.decode()


def test_there_is_a_way_back_to_the_previous_statement(client, snapshot):
    html = client.get(url(snapshot, 2)).content.decode()
    assert f'href="{url(snapshot, 1)}"' in html


def test_an_answer_step_makes_no_database_query(client, snapshot, django_assert_num_queries):
    client.get(url(snapshot, 1))  # the first visit of a process loads the content once
    with django_assert_num_queries(0):
        assert client.post(url(snapshot, 1), {"answer": "agree"}).status_code == 303
        assert client.get(url(snapshot, 2)).status_code == 200
        assert client.post(url(snapshot, 2), {"answer": "skip"}, HTTP_HX_REQUEST="true").status_code == 200


def test_it_rejects_an_unknown_answer_with_a_clear_400(client, snapshot):
    response = client.post(url(snapshot, 1), {"answer": "misschien"})
    assert response.status_code == 400
    assert "Kies Eens, Geen van beide, Oneens of Sla over." in response.content.decode()


def test_it_rejects_an_unknown_statement_with_a_404(client, snapshot):
    assert client.get(url(snapshot, len(snapshot.statements) + 1)).status_code == 404
    assert client.post(url(snapshot, 0), {"answer": "agree"}).status_code == 404


def test_it_rejects_a_tampered_cookie_with_a_400_that_offers_to_clear(client, snapshot):
    client.post(url(snapshot, 1), {"answer": "agree"})
    name = next(iter(client.cookies))
    client.cookies[name] = client.cookies[name].value.replace(".a", ".d", 1)
    response = client.get(url(snapshot, 1))
    assert response.status_code == 400
    assert "Wis mijn antwoorden" in response.content.decode()


def test_htmx_gets_the_next_step_as_a_fragment_with_the_url_pushed(client, snapshot):
    response = client.post(url(snapshot, 1), {"answer": "agree"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="step"' in html
    assert response["HX-Push-Url"] == url(snapshot, 2)
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_request_gets_a_full_page(client, snapshot):
    response = client.get(url(snapshot, 1), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def test_pages_with_answers_stay_out_of_every_cache(client, snapshot):
    response = client.get(url(snapshot, 1))
    assert "no-store" in response["Cache-Control"]
    assert 'data-hx-history="false"' in response.content.decode()


def test_a_double_submit_is_dropped_by_htmx_and_harmless_without_it(client, snapshot):
    html = client.get(url(snapshot, 1)).content.decode()
    assert 'data-hx-sync="this:drop"' in html and 'data-hx-disabled-elt="find button"' in html
    client.post(url(snapshot, 1), {"answer": "agree"})
    client.post(url(snapshot, 1), {"answer": "agree"})
    assert 'class="answer answer-agree chosen"' in client.get(url(snapshot, 1)).content.decode()


def test_the_actors_positions_with_quotes_are_one_click_away(client, snapshot):
    statement = snapshot.statements[0]
    html = client.get(f"/{snapshot.slug}/stelling/1/standpunten/").content.decode()
    for position in statement.positions.values():
        for citation in position.citations:
            assert citation.location in html
    fragment = client.get(
        f"/{snapshot.slug}/stelling/1/standpunten/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in fragment and 'class="positions"' in fragment


def test_the_whole_flow_works_without_javascript(client, snapshot):
    answer_all(client, snapshot, {1: "agree"})
    assert client.post(f"/{snapshot.slug}/belangrijk/", {"important": ["1"]})["Location"] == (
        f"/{snapshot.slug}/partijen/"
    )
    parties = [p.slug for p in snapshot.parties]
    assert client.post(f"/{snapshot.slug}/partijen/", {"parties": parties})["Location"] == (
        f"/{snapshot.slug}/uitslag/"
    )
    assert client.get(f"/{snapshot.slug}/uitslag/").status_code == 200


def test_every_statement_can_jump_to_the_first_unanswered_one_and_wipe(client, snapshot):
    for number in (1, 2, 3):
        client.post(f"/{snapshot.slug}/stelling/{number}/", {"answer": "agree"})
    html = client.get(f"/{snapshot.slug}/stelling/1/").content.decode()
    assert (
        "Naar de eerste onbeantwoorde stelling (4)" in html
        and f'href="/{snapshot.slug}/wis-mijn-antwoorden/"' in html
    )


def test_the_party_positions_open_below_the_answer_buttons(client, snapshot):
    html = client.get(f"/{snapshot.slug}/stelling/1/").content.decode()
    assert html.index('class="answers"') < html.index('id="positions-1"')


def test_a_differing_and_a_context_citation_are_labelled_as_such(client, snapshot):
    html = client.get("/tk2025/stelling/1/standpunten/").content.decode()
    assert "Latere bron, wijkt af:" in html and "Ter context:" in html
    english = client.get("/en/tk2025/stelling/1/standpunten/").content.decode()
    assert "Later source, differs:" in english and "For context:" in english
