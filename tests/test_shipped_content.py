"""The curation rules of the shipped election, asserted on the file so that an edit that breaks one fails.

Quotes and locations are verified against the documents in test_load_election.py (verify_citations).
"""

import re
from itertools import combinations

import pytest
import yaml

from tests.conftest import CONTENT_FILE

PARTIES = ("nsc", "d66", "cda")
STANCES = ("agree", "neutral", "disagree")


@pytest.fixture(scope="module")
def content():
    return yaml.safe_load(CONTENT_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def stances(content):
    """{statement slug: {actor slug: stance}}"""
    return {s["slug"]: {p["actor"]: p["stance"] for p in s["positions"]} for s in content["statements"]}


def test_it_has_thirty_statements_and_five_actors(content):
    assert len(content["statements"]) == 30
    kinds = {a["slug"]: a["kind"] for a in content["actors"]}
    assert kinds == {
        "nsc": "party",
        "d66": "party",
        "cda": "party",
        "coalitieakkoord-2021": "agreement",
        "vng": "organisation",
    }


def test_every_statement_has_a_position_for_every_actor(content, stances):
    actors = {a["slug"] for a in content["actors"]}
    for slug, by_actor in stances.items():
        assert set(by_actor) == actors, slug


def test_every_statement_separates_the_parties(stances):
    for slug, by_actor in stances.items():
        taken = {by_actor[p] for p in PARTIES} & set(STANCES)
        assert len(taken) >= 2, f"{slug} does not separate NSC, D66 and CDA"


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


def test_a_stance_has_citations_and_silence_has_none(content):
    for statement in content["statements"]:
        for position in statement["positions"]:
            where = (statement["slug"], position["actor"])
            if position["stance"] == "no_position_found":
                assert position["citations"] == [], where
            else:
                assert position["citations"], where
                assert position["explanation"]["nl"] and position["explanation"]["en"], where


def test_the_cda_is_cited_only_from_the_joint_agenda(content):
    for statement in content["statements"]:
        for position in statement["positions"]:
            if position["actor"] == "cda":
                assert {c["document"] for c in position["citations"]} <= {"d66-cda-2025"}


def test_quotes_are_short(content):
    for statement in content["statements"]:
        for position in statement["positions"]:
            for citation in position["citations"]:
                assert len(citation["quote"].split()) <= 60, (statement["slug"], citation["quote"][:40])


def test_statements_are_short_single_propositions_in_both_languages(content):
    for statement in content["statements"]:
        nl = statement["text"]["nl"]
        assert statement["text"]["en"] and statement["explanation"]["nl"] and statement["explanation"]["en"]
        assert len(nl.split()) <= 22, nl
        # No double negatives ("niet … geen").
        assert len(re.findall(r"\b(niet|geen|nooit)\b", nl, flags=re.IGNORECASE)) <= 1, nl


def test_the_statements_span_at_least_ten_themes(content):
    assert len({s["theme"] for s in content["statements"]}) >= 10


def test_some_statements_ask_for_change_and_some_to_keep_things(stances):
    # Agreeing should not always mean the same direction: every party disagrees somewhere.
    for party in PARTIES:
        assert any(by_actor[party] == "disagree" for by_actor in stances.values()), party
