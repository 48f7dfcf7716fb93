import re

import pytest

from tests.conftest import answer_all

pytestmark = pytest.mark.django_db


def result_url(snapshot):
    return f"/{snapshot.slug}/uitslag/"


def ranking(html):
    """[(rank, name, percent)] in the order shown in the party ranking."""
    section = html.split('<ol class="ranking">')[1].split("</ol>")[0]
    return re.findall(
        r'<span class="rank">([^<]*)</span>.*?<a href="[^"]*">([^<]*)</a>\s*<strong class="percent">([^<]*)</strong>',
        section,
        re.S,
    )


def answers_like(snapshot, actor):
    return {
        s.number: (s.positions[actor].stance if s.positions[actor].stance != "no_position_found" else "skip")
        for s in snapshot.statements
    }


@pytest.mark.parametrize("actor", ["nsc", "d66", "cda"])
def test_answering_exactly_like_a_party_puts_it_first_at_100(client, snapshot, actor):
    answer_all(client, snapshot, answers_like(snapshot, actor))
    rows = ranking(client.get(result_url(snapshot)).content.decode())
    name = snapshot.actor_by_slug[actor].name
    assert (rows[0][0], rows[0][2]) == ("1", "100,0%")
    assert name in [row[1] for row in rows if row[0] == "1"]


def test_ties_share_a_rank(client, snapshot):
    answer_all(client, snapshot, {})  # nothing answered yet …
    client.post(f"/{snapshot.slug}/stelling/1/", {"answer": "skip"})
    answer_all(client, snapshot, {n: "neutral" for n in range(1, len(snapshot.statements) + 1)})
    rows = ranking(client.get(result_url(snapshot)).content.decode())
    by_percent = {}
    for rank, _name, percent in rows:
        by_percent.setdefault(percent, set()).add(rank)
    assert all(len(ranks) == 1 for ranks in by_percent.values())


def test_the_result_says_how_many_statements_a_match_rests_on(client, snapshot):
    answer_all(client, snapshot, {1: "agree"})
    assert re.search(r"Gebaseerd op \d+ stelling", client.get(result_url(snapshot)).content.decode())


def test_all_skipped_gives_a_clear_message_not_nan(client, snapshot):
    answer_all(client, snapshot, {})
    html = client.get(result_url(snapshot)).content.decode()
    assert "Je hebt alle stellingen overgeslagen" in html
    assert "nan" not in html.lower()


def test_no_parties_chosen_gives_a_clear_message(client, snapshot):
    answer_all(client, snapshot, {1: "agree"})
    client.post(f"/{snapshot.slug}/partijen/", {"select": "none"})
    assert "Je hebt geen partijen gekozen" in client.get(result_url(snapshot)).content.decode()


def test_select_all_and_none_never_limit_the_parties(client, snapshot):
    client.post(f"/{snapshot.slug}/partijen/", {"select": "none"})
    html = client.get(f"/{snapshot.slug}/partijen/").content.decode()
    assert " checked" not in html
    client.post(f"/{snapshot.slug}/partijen/", {"select": "all"})
    html = client.get(f"/{snapshot.slug}/partijen/").content.decode()
    assert html.count(" checked") == len(snapshot.parties)


def test_all_parties_are_selected_by_default(client, snapshot):
    assert client.get(f"/{snapshot.slug}/partijen/").content.decode().count(" checked") == len(
        snapshot.parties
    )


def test_it_rejects_an_unknown_party_with_a_400(client, snapshot):
    assert client.post(f"/{snapshot.slug}/partijen/", {"parties": ["piratenpartij"]}).status_code == 400


def test_it_rejects_an_out_of_range_important_statement_with_a_400(client, snapshot):
    assert client.post(f"/{snapshot.slug}/belangrijk/", {"important": ["999"]}).status_code == 400
    assert client.post(f"/{snapshot.slug}/belangrijk/", {"important": ["een"]}).status_code == 400


def test_comparison_actors_are_shown_apart_from_the_ranking(client, snapshot):
    answer_all(client, snapshot, {1: "agree"})
    html = client.get(result_url(snapshot)).content.decode()
    names = [row[1] for row in ranking(html)]
    for actor in snapshot.comparisons:
        assert actor.name not in names
        assert actor.name in html.split("Ter vergelijking")[1]


def test_every_method_is_shown_side_by_side_and_can_rank(client, snapshot):
    answer_all(client, snapshot, {1: "agree", 2: "disagree"})
    html = client.get(result_url(snapshot)).content.decode()
    assert "Afstand (Euclidisch)" in html and "Richting (directioneel)" in html
    assert client.get(result_url(snapshot) + "?methode=distance").status_code == 200
    assert client.get(result_url(snapshot) + "?methode=astrologie").status_code == 400


def test_answers_can_be_changed_from_the_result_page(client, snapshot):
    answer_all(client, snapshot, {})
    data = {f"s{s.number}": "agree" for s in snapshot.statements}
    data["parties"] = [p.slug for p in snapshot.parties]
    response = client.post(result_url(snapshot), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert ranking(response.content.decode())


def test_the_share_link_reproduces_the_result(client, snapshot):
    answer_all(client, snapshot, answers_like(snapshot, "d66"))
    html = client.get(result_url(snapshot)).content.decode()
    share = re.search(r'id="share-url" type="text" readonly value="([^"]+)"', html)[1].replace("&amp;", "&")
    other = client.__class__()
    shared = other.get(share.replace("http://testserver", "")).content.decode()
    assert ranking(shared) == ranking(html)
    assert "Gedeelde uitslag" in shared


def test_a_broken_share_link_gets_a_400(client, snapshot):
    assert client.get(result_url(snapshot) + "?antwoorden=kapot").status_code == 400


def test_the_result_page_makes_at_most_two_queries(client, snapshot, django_assert_max_num_queries):
    answer_all(client, snapshot, {1: "agree"})
    with django_assert_max_num_queries(2):
        assert client.get(result_url(snapshot)).status_code == 200


def test_the_party_detail_explains_every_statement_with_quotes_and_themes(client, snapshot):
    answer_all(client, snapshot, answers_like(snapshot, "nsc"))
    html = client.get(f"/{snapshot.slug}/uitslag/nsc/").content.decode()
    assert "Overeenkomst per thema" in html and "<svg" in html
    for statement in snapshot.statements:
        for citation in statement.positions["nsc"].citations:
            assert f"/bron/{citation.document.slug}/?regels={citation.line_start}-{citation.line_end}" in html
    assert "Wat je overeenkomst het meest verhoogde" in html


def test_wis_mijn_antwoorden_deletes_the_cookie(client, snapshot):
    answer_all(client, snapshot, {1: "agree"})
    response = client.post(f"/{snapshot.slug}/wissen/")
    assert response.status_code == 303
    cookie = next(iter(response.cookies.values()))
    assert cookie["max-age"] == 0
    assert "Je huidige antwoord" not in client.get(f"/{snapshot.slug}/stelling/1/").content.decode()


def test_nothing_derived_from_the_answers_reaches_the_database(client, snapshot):
    from io import StringIO

    from django.core.management import call_command

    def dump():
        out = StringIO()
        call_command("dumpdata", "--natural-foreign", stdout=out)
        return out.getvalue()

    before = dump()
    answer_all(client, snapshot, answers_like(snapshot, "cda"))
    client.post(f"/{snapshot.slug}/belangrijk/", {"important": ["1", "2"]})
    client.post(f"/{snapshot.slug}/partijen/", {"parties": [snapshot.parties[0].slug]})
    client.get(f"/{snapshot.slug}/uitslag/")
    client.get(f"/{snapshot.slug}/uitslag/cda/")
    assert dump() == before


def checked_answers(html):
    """{statement number: the answer checked in the result page's edit form}."""
    return {int(n): value for n, value in re.findall(r'name="s(\d+)" value="(\w+)" id="[^"]+" checked', html)}


def test_cached_fragments_show_each_citizen_their_own_answers(client, snapshot):
    from django.test import Client

    other = Client()
    answer_all(client, snapshot, {s.number: "agree" for s in snapshot.statements})
    answer_all(other, snapshot, {s.number: "disagree" for s in snapshot.statements})
    client.post(f"/{snapshot.slug}/belangrijk/", {"important": [1]})

    mine, theirs = (c.get(result_url(snapshot)).content.decode() for c in (client, other))
    assert set(checked_answers(mine).values()) == {"agree"}
    assert set(checked_answers(theirs).values()) == {"disagree"}
    assert 'id="imp-1" checked' in mine and 'id="imp-1" checked' not in theirs
    mine, theirs = (c.get(f"/{snapshot.slug}/uitslag/nsc/").content.decode() for c in (client, other))
    assert "<dt>Jij</dt><dd>Eens</dd>" in mine and "<dt>Jij</dt><dd>Oneens</dd>" not in mine
    assert "<dt>Jij</dt><dd>Oneens</dd>" in theirs and "<dt>Jij</dt><dd>Eens</dd>" not in theirs


def test_a_new_publication_replaces_the_cached_fragments(
    client, snapshot, election, django_capture_on_commit_callbacks
):
    from positions.models import Statement
    from positions.publishing import publish

    answer_all(client, snapshot, {1: "agree"})
    first = snapshot.statements[0]
    assert first.text in client.get(result_url(snapshot)).content.decode()
    Statement.objects.filter(election=election, slug=first.slug).update(
        text_nl="Nieuwe tekst van stelling één."
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish(election, by="test")

    for url in (result_url(snapshot), f"/{snapshot.slug}/uitslag/nsc/", f"/{snapshot.slug}/stelling/1/"):
        html = client.get(url).content.decode()
        assert "Nieuwe tekst van stelling één." in html and first.text not in html
