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


def test_wiping_asks_for_confirmation_first(client, snapshot):
    answer_all(client, snapshot, {1: "agree"})
    page = client.get(f"/{snapshot.slug}/wis-mijn-antwoorden/")
    assert page.status_code == 200 and "Ja, wis mijn antwoorden" in page.content.decode()
    assert "Je huidige antwoord" in client.get(f"/{snapshot.slug}/stelling/1/").content.decode()


# --- coverage ------------------------------------------------------------------------------------


def test_one_answered_statement_never_gives_unmarked_bars(client, snapshot):
    answer_all(client, snapshot, {1: "agree"})
    html = client.get(result_url(snapshot)).content.decode()
    rows = html.split('<ol class="ranking">')[1].split("</ol>")[0].split('class="ranking-row')[1:]
    matched = [row for row in rows if "Geen stelling om te vergelijken" not in row]  # no bar: "–"
    assert matched and all("weinig gegevens" in row for row in matched)


def test_a_match_on_fewer_than_half_the_answers_is_marked_but_stays_in_the_ranking(client, snapshot):
    # Answer only where CDA took no position, plus one where it did: CDA rests on 1 of several,
    # while another party that took a stance on all of them rests on all and is never marked.
    def sourced(party, number):
        return snapshot.statement(number).positions[party.slug].stance != "no_position_found"

    cda = next(p for p in snapshot.parties if p.slug == "cda")
    silent = [s.number for s in snapshot.statements if not sourced(cda, s.number)]
    full, spoken = next(
        (p.name, s.number)
        for p in snapshot.parties
        for s in snapshot.statements
        if p != cda and sourced(cda, s.number) and all(sourced(p, n) for n in [*silent, s.number])
    )
    answered = [*silent, spoken]
    answer_all(client, snapshot, {n: "agree" for n in answered})
    html = client.get(result_url(snapshot)).content.decode()
    section = html.split('<ol class="ranking">')[1].split("</ol>")[0]
    cda_row = next(row for row in section.split('class="ranking-row')[1:] if ">CDA</a>" in row)
    other = next(row for row in section.split('class="ranking-row')[1:] if f">{full}</a>" in row)
    assert "Gebaseerd op 1 stelling." in cda_row and "weinig gegevens" in cda_row
    assert len(answered) >= 3 and "weinig gegevens" not in other
    assert "CDA" in [row[1] for row in ranking(html)]


def test_the_theme_chart_shows_on_how_many_statements_each_theme_rests(client, snapshot):
    answer_all(client, snapshot, {1: "agree"})
    html = client.get(f"/{snapshot.slug}/uitslag/nsc/").content.decode()
    theme = snapshot.statement(1).theme.name
    assert re.search(rf"{theme}: 100,0% \(1 stelling, weinig gegevens\)", html)
    assert 'class="theme-list"' in html


# --- how robust is the top ----------------------------------------------------------------------


def test_the_robustness_sentence_names_a_change_that_really_puts_another_party_first(client, snapshot):
    answers = answers_like(snapshot, "d66")
    answer_all(client, snapshot, answers)
    html = client.get(result_url(snapshot)).content.decode()
    sentence = re.search(r'<p class="robustness" id="robustness">(.*?)</p>', html, re.S)[1]
    changes = re.findall(r"stelling (\d+) ‘([^’]+)’", sentence) or [
        re.search(r"stelling (\d+) ‘([^’]+)’ had gekozen", sentence).groups()
    ]
    leader = re.search(r"stond (.+?) bovenaan", sentence)[1]
    assert ranking(html)[0][1] == "D66" and leader != "D66"
    labels = {"Eens": "agree", "Geen van beide": "neutral", "Oneens": "disagree"}
    for number, label in changes:
        answers[int(number)] = labels[label]
    answer_all(client, snapshot, answers)  # make exactly those changes: the named party comes first
    assert leader in [
        row[1] for row in ranking(client.get(result_url(snapshot)).content.decode()) if row[0] == "1"
    ]


def test_the_method_comparison_says_how_many_changes_each_method_needs(client, snapshot):
    answer_all(client, snapshot, answers_like(snapshot, "nsc"))
    html = client.get(result_url(snapshot)).content.decode()
    footer = html.split("<tfoot>")[1].split("</tfoot>")[0]
    assert "Andere antwoorden nodig" in footer and len(re.findall(r"<td>\d+</td>", footer)) == 3


# --- many parties --------------------------------------------------------------------------------


@pytest.fixture
def thirty(db):
    from tests.many_parties import publish_thirty_parties

    return publish_thirty_parties()


def test_with_thirty_parties_all_are_ranked_the_top_ten_first(client, thirty):
    answer_all(client, thirty, {n: "agree" for n in range(1, 20)})
    html = client.get(result_url(thirty)).content.decode()
    first, rest = html.split('<details class="more-parties">')
    assert len(re.findall(r'<span class="rank">', first)) == 10
    assert "Toon de andere 20 partijen" in rest and len(re.findall(r'<span class="rank">', rest)) == 20
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr>") == 30  # the method comparison lists them all


def test_with_thirty_parties_the_party_step_lists_all_with_a_search_field(client, thirty):
    html = client.get(f"/{thirty.slug}/partijen/").content.decode()
    assert html.count('name="parties"') == 30 and 'id="party-filter"' in html


def test_the_result_names_the_parties_left_out(client, snapshot):
    answer_all(client, snapshot, {1: "agree"})
    kept = [p.slug for p in snapshot.parties if p.slug != "cda"]
    client.post(f"/{snapshot.slug}/partijen/", {"parties": kept})
    assert "Je liet 1 partij weg: CDA." in client.get(result_url(snapshot)).content.decode()


def test_no_page_carries_a_paragraph_written_for_one_election(client, snapshot):
    answer_all(client, snapshot, {1: "agree"})
    assert (
        "2021"
        not in client.get(result_url(snapshot)).content.decode().split("Ter vergelijking")[1].split("</p>")[0]
    )


def test_a_stance_without_a_quote_shows_its_text_as_the_partys_own_words(client, snapshot, election):
    from positions import published
    from positions.models import Publication

    latest = election.latest_publication()
    data = latest.data
    position = next(p for p in data["statements"][0]["positions"] if p["actor"] == "nsc")
    position["citations"] = []  # as an imported election's positions come: the party's comment only
    Publication.objects.create(election=election, number=latest.number + 1, data=data)
    published.forget()
    answer_all(client, snapshot, {1: "agree"})
    html = client.get(f"/{snapshot.slug}/uitslag/nsc/").content.decode()
    assert "De partij licht toe:" in html and "Bronnen:" in html


def test_english_pages_say_that_a_quote_is_in_dutch(client, snapshot):
    answer_all(client, snapshot, {1: "agree"})
    assert "quote in Dutch" in client.get(f"/en/{snapshot.slug}/uitslag/d66/").content.decode()
    assert "citaat in het Nederlands" not in client.get(f"/{snapshot.slug}/uitslag/d66/").content.decode()


@pytest.mark.parametrize("actor", ["nsc", "d66", "cda"])
def test_the_party_page_shows_the_same_match_and_coverage_as_the_ranking(client, snapshot, actor):
    answers = answers_like(snapshot, "d66")
    answers[3] = "disagree"
    answer_all(client, snapshot, answers)
    rows = ranking(client.get(result_url(snapshot)).content.decode())
    name = snapshot.actor_by_slug[actor].name
    percent = next(row[2] for row in rows if row[1] == name)
    html = client.get(f"/{snapshot.slug}/uitslag/{actor}/").content.decode()
    assert f"<h1>{name}: {percent}</h1>" in html
    counted = sum(
        1
        for s in snapshot.statements
        if s.positions[actor].stance != "no_position_found" and answers[s.number] != "skip"
    )
    assert f"Gebaseerd op {counted} stellingen." in html.split("<h1>")[1].split("</p>")[1]
