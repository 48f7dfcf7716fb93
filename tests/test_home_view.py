import re

import pytest

pytestmark = pytest.mark.django_db


def test_it_lists_the_published_election_with_its_documents_dates_and_status(client, snapshot):
    html = client.get("/").content.decode()
    assert snapshot.name in html
    for document in snapshot.documents:
        assert document.title in html
    assert "(concept)" in html and "(gezamenlijke tekst)" in html and "(compromis)" in html


def test_it_explains_the_method_and_the_privacy_promise(client, snapshot):
    html = client.get("/").content.decode()
    assert 'href="/methode/"' in html and 'href="/privacy/"' in html
    assert "niet op onze server bewaard" in html


def test_it_offers_the_language_switch(client, snapshot):
    html = client.get("/").content.decode()
    assert 'href="/en/"' in html and 'hreflang="en"' in html


def test_it_hides_a_draft_election(client, election):
    election.status = "draft"
    election.save()
    assert election.name not in client.get("/").content.decode()


def test_a_draft_election_cannot_be_answered(client, election):
    election.status = "draft"
    election.save()
    assert client.get(f"/{election.slug}/stelling/1/").status_code == 404


def test_each_actor_names_the_documents_its_positions_come_from(client, snapshot):
    html = client.get("/").content.decode()
    # The CDA's only source is the joint agenda, with its date and status.
    cda = html.split("<dt>CDA")[1].split("</dd>")[0]
    assert "Uitnodiging. Samen aan de slag" in cda and "2 december 2025, gezamenlijke tekst" in cda
    d66 = html.split("<dt>D66")[1].split("</dd>")[0]
    assert "Concept-uitvoeringsprogramma 2025-2030" in d66 and "Uitnodiging" in d66


def test_it_asks_the_database_for_new_publications_at_most_once_a_second(
    client, snapshot, django_assert_num_queries, monkeypatch
):
    from positions import published

    client.get("/")
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200
    # A second later (the start page's ETag and its list share that one query):
    monkeypatch.setattr(published, "_refreshed_at", -published.REFRESH_SECONDS)
    with django_assert_num_queries(1):
        assert client.get("/").status_code == 200


def test_the_start_page_says_where_you_were_and_offers_to_wipe(client, snapshot):
    assert "Ga verder bij" not in client.get("/").content.decode()
    for number in range(1, 14):
        client.post(f"/{snapshot.slug}/stelling/{number}/", {"answer": "agree"})
    response = client.get("/")
    html = response.content.decode()
    assert "Ga verder bij stelling 14" in html and f'href="/{snapshot.slug}/wis-mijn-antwoorden/"' in html
    assert "no-store" in response["Cache-Control"] and "Cookie" in response["Vary"]


def test_the_brand_colour_is_a_stylesheet_not_an_inline_style(client, settings):
    settings.BRAND_ACCENT = "#5a1f7a"
    response = client.get("/merk.css")
    assert (
        response["Content-Type"].startswith("text/css") and "--accent: #5a1f7a" in response.content.decode()
    )
    assert (
        'href="/merk.css"' in client.get("/").content.decode()
        and "style=" not in client.get("/").content.decode()
    )


def test_the_language_switch_names_each_language_in_itself(client, snapshot):
    for path in ("/", "/en/"):
        html = client.get(path).content.decode()
        assert re.search(r'lang="en"[^>]*>English</a>', html) and re.search(
            r'lang="nl"[^>]*>Nederlands</a>', html
        )
        assert "Engels" not in html and ">Dutch<" not in html
