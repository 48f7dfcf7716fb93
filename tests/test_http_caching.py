"""Public pages may be kept by shared caches; pages that hold answers never are."""

import re

import pytest
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test.utils import CaptureQueriesContext

from positions import published
from positions.models import Publication

pytestmark = pytest.mark.django_db

SECRET = "s" * 32  # a visitor's CSRF secret, as their cookie holds it


def public_urls(snapshot):
    party = snapshot.parties[0].slug
    return [
        "/",
        "/methode/",
        "/privacy/",
        f"/bron/{snapshot.documents[0].slug}/",
        f"/{snapshot.slug}/uitslag/{party}/",
        f"/data/{snapshot.slug}.json",
    ]


def publish_again(election):
    """A new publication, as an editor's would be; this process notices it at once."""
    latest = election.latest_publication()
    Publication.objects.create(election=election, number=latest.number + 1, data=latest.data)
    published.forget()


@pytest.fixture
def public(snapshot):
    return public_urls(snapshot)


def test_every_public_page_may_be_kept_by_a_shared_cache_with_an_etag(client, public):
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "public, max-age=30", url
        assert response["ETag"].startswith('W/"'), url
        assert "Cookie" in response["Vary"], url


def test_a_matching_if_none_match_gets_a_304_without_the_page(client, public):
    for url in public:
        etag = client.get(url)["ETag"]
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, url
        assert again.content == b"", url


def test_a_new_publication_changes_the_etag_of_the_pages_that_show_it(client, election, snapshot, public):
    before = {url: client.get(url)["ETag"] for url in public}
    publish_again(election)
    for url in public:
        response = client.get(url, HTTP_IF_NONE_MATCH=before[url])
        assert response.status_code == 200, url
        assert response["ETag"] != before[url], url


def test_the_english_page_has_its_own_etag(client):
    assert client.get("/methode/")["ETag"] != client.get("/en/methode/")["ETag"]


def test_a_public_page_neither_sets_a_cookie_nor_carries_the_visitors_csrf_secret(client, snapshot, public):
    client.cookies["__Host-csrftoken"] = SECRET
    for url in public:
        response = client.get(url)
        assert not response.cookies, url
        for token in re.findall(r'"X-CSRFToken": "([^"]+)"', response.content.decode()):
            assert _unmask_cipher_token(token) != SECRET, url


def test_a_party_page_asked_with_an_answers_cookie_is_private_and_never_stored(client, snapshot):
    client.post(f"/{snapshot.slug}/stelling/1/", {"answer": "agree"})
    assert any("antwoorden-" in name for name in client.cookies)
    response = client.get(f"/{snapshot.slug}/uitslag/{snapshot.parties[0].slug}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    assert "ETag" not in response
    assert "Cookie" in response["Vary"]


def test_a_party_page_asked_with_a_share_link_is_private_and_never_stored(client, snapshot):
    client.post(f"/{snapshot.slug}/stelling/1/", {"answer": "agree"})
    share = re.search(r"\?antwoorden=[^\"&]+", client.get(f"/{snapshot.slug}/uitslag/").content.decode())[0]
    client.cookies.clear()
    response = client.get(f"/{snapshot.slug}/uitslag/{snapshot.parties[0].slug}/{share}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    assert "ETag" not in response


def test_the_questionnaire_steps_stay_private(client, snapshot):
    for response in (
        client.get(f"/{snapshot.slug}/stelling/1/"),
        client.post(f"/{snapshot.slug}/stelling/1/", {"answer": "agree"}),
        client.get(f"/{snapshot.slug}/uitslag/"),
    ):
        assert "no-store" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]


def test_the_answer_step_still_makes_no_query(client, snapshot):
    client.get(f"/{snapshot.slug}/stelling/1/")
    with CaptureQueriesContext(connection) as queries:
        client.post(f"/{snapshot.slug}/stelling/1/", {"answer": "agree"}, HTTP_HX_REQUEST="true")
    assert len(queries) == 0
