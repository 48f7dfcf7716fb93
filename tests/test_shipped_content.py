"""The curation rules of the shipped election, asserted on the file so that an edit that breaks one fails.

Quotes and locations are verified against the documents here (support citations) and in
test_load_election.py (verify_citations, every citation).
"""

import datetime
import re
from itertools import combinations

import pytest
import yaml

from positions.contentfile import shipped_source
from tests.conftest import CONTENT_FILE

PARTIES = ("nsc", "d66", "cda", "groenlinks-pvda", "pvv")
STANCES = ("agree", "neutral", "disagree")
# Each party's own documents; the joint D66–CDA agenda is a second, later source.
OWN_DOCUMENTS = {"d66": {"d66-programma-2025", "d66-2025"}, "cda": {"cda-2025"}}


@pytest.fixture(scope="module")
def content():
    return yaml.safe_load(CONTENT_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def stances(content):
    """{statement slug: {actor slug: stance}}"""
    return {s["slug"]: {p["actor"]: p["stance"] for p in s["positions"]} for s in content["statements"]}


def positions(content):
    for statement in content["statements"]:
        for position in statement["positions"]:
            yield statement, position


def test_it_has_thirty_statements_and_seven_actors(content):
    assert len(content["statements"]) == 30
    kinds = {a["slug"]: a["kind"] for a in content["actors"]}
    assert kinds == {
        "nsc": "party",
        "d66": "party",
        "cda": "party",
        "groenlinks-pvda": "party",
        "pvv": "party",
        "coalitieakkoord-2021": "agreement",
        "vng": "organisation",
    }


def test_every_statement_has_a_position_for_every_actor(content, stances):
    actors = {a["slug"] for a in content["actors"]}
    for slug, by_actor in stances.items():
        assert set(by_actor) == actors, slug


def test_every_statement_separates_the_five_parties(stances):
    # Not all the same stance, and at least one party takes a stance (silence everywhere separates nobody).
    for slug, by_actor in stances.items():
        taken = {by_actor[p] for p in PARTIES}
        assert len(taken) >= 2 and taken & set(STANCES), f"{slug} does not separate the parties: {taken}"


def test_each_party_has_a_sourced_stance_on_at_least_twenty_statements(stances):
    for party in PARTIES:
        sourced = sum(by_actor[party] in STANCES for by_actor in stances.values())
        assert sourced >= 20, f"{party}: {sourced}"


def test_the_parties_together_cover_at_least_80_percent_of_the_pairs(stances):
    pairs = [by_actor[p] for by_actor in stances.values() for p in PARTIES]
    assert sum(stance in STANCES for stance in pairs) / len(pairs) >= 0.8


def test_no_party_agrees_with_more_than_75_percent(stances):
    for party in PARTIES:
        agrees = sum(by_actor[party] == "agree" for by_actor in stances.values())
        assert agrees / len(stances) <= 0.75, party


def test_no_two_parties_take_the_same_stance_everywhere(stances):
    for a, b in combinations(PARTIES, 2):
        assert any(by_actor[a] != by_actor[b] for by_actor in stances.values()), (a, b)


def test_at_least_eight_statements_are_worded_so_that_agreeing_keeps_the_status_quo(content):
    assert sum(s.get("status_quo", False) is True for s in content["statements"]) >= 8


def test_a_stance_has_a_supporting_citation_and_silence_has_none(content):
    for statement, position in positions(content):
        where = (statement["slug"], position["actor"])
        if position["stance"] == "no_position_found":
            assert position["citations"] == [], where
        else:
            assert any(c.get("role", "support") == "support" for c in position["citations"]), where
            assert position["explanation"]["nl"] and position["explanation"]["en"], where


def test_every_supporting_citation_is_found_where_the_file_says(content):
    documents = {d["slug"]: d for d in content["documents"]}
    for statement, position in positions(content):
        for citation in position["citations"]:
            if citation.get("role", "support") != "support":
                continue
            match = shipped_source(documents[citation["document"]]).find(citation["quote"])
            where = (statement["slug"], position["actor"], citation["quote"][:40])
            assert match is not None, where
            assert match.label == citation["location"], where


def test_every_neutral_stance_is_explained(content):
    for statement, position in positions(content):
        if position["stance"] == "neutral":
            explanation = position["explanation"]
            assert len(explanation["nl"].split()) >= 8 and explanation["en"], (
                statement["slug"],
                position["actor"],
            )


def test_every_position_records_its_two_independent_readings(content):
    allowed = {*STANCES, "no_position_found"}
    for statement, position in positions(content):
        where = (statement["slug"], position["actor"])
        review = position["review"]
        assert review["first_reading"] in allowed and review["second_reading"] in allowed, where
        assert review["coded_by"] and review["reviewed_by"] and review["coded_by"] != review["reviewed_by"], (
            where
        )
        assert datetime.date.fromisoformat(str(review["read_on"])), where
        if review["first_reading"] != review["second_reading"]:
            assert review["resolution"], f"{where}: the readings differ and the resolution is not recorded"


def test_a_position_citing_a_concept_document_says_so(content):
    concept = {d["slug"] for d in content["documents"] if d["status"] == "concept"}
    for statement, position in positions(content):
        if any(c["document"] in concept for c in position["citations"]):
            assert "concept" in position["explanation"]["nl"].lower(), (statement["slug"], position["actor"])


def test_d66_and_the_cda_stand_on_their_own_programmes_first(content):
    for statement, position in positions(content):
        own = OWN_DOCUMENTS.get(position["actor"])
        cited = [c["document"] for c in position["citations"]]
        if own and own & set(cited):
            assert cited[0] in own, (statement["slug"], position["actor"], cited)


def test_a_differing_citation_comes_with_the_actors_own_supporting_one(content):
    for statement, position in positions(content):
        roles = [c.get("role", "support") for c in position["citations"]]
        if "differs" in roles:
            assert "support" in roles, (statement["slug"], position["actor"])


def test_quotes_are_short(content):
    # At most 60 words; a longer one (never over 80) is one paragraph of its document, not a stitched passage.
    documents = {d["slug"]: d for d in content["documents"]}
    for statement, position in positions(content):
        for citation in position["citations"]:
            words, where = len(citation["quote"].split()), (statement["slug"], citation["quote"][:40])
            assert words <= 80, where
            if words > 60:
                source = shipped_source(documents[citation["document"]])
                match = source.find(citation["quote"])
                paragraphs = source.paragraphs()
                assert any(
                    p.line_start <= match.line_start and match.line_end <= p.line_end for p in paragraphs
                ), where


def test_statements_are_short_single_propositions_in_both_languages(content):
    for statement in content["statements"]:
        nl = statement["text"]["nl"]
        assert statement["text"]["en"] and statement["explanation"]["nl"] and statement["explanation"]["en"]
        assert len(nl.split()) <= 24, nl  # precise wording (issue 14) made article 23 two words longer
        # No double negatives ("niet … geen").
        assert len(re.findall(r"\b(niet|geen|nooit)\b", nl, flags=re.IGNORECASE)) <= 1, nl


def test_the_statements_span_at_least_ten_themes(content):
    assert len({s["theme"] for s in content["statements"]}) >= 10


def test_some_statements_ask_for_change_and_some_to_keep_things(stances):
    # Agreeing should not always mean the same direction: every party disagrees somewhere.
    for party in PARTIES:
        assert any(by_actor[party] == "disagree" for by_actor in stances.values()), party
