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
