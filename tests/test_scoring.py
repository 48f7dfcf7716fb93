"""The scoring module: hand-computed cases for every rule, and properties that must always hold."""

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stemwijzer.questionnaire.scoring import (
    AGREEMENT,
    DIRECTIONAL,
    DISTANCE,
    METHODS,
    Result,
    contributions,
    match,
    rank,
    robustness,
    statement_points,
)

A, N, D, S, X = "agree", "neutral", "disagree", "skip", "no_position_found"


@pytest.mark.parametrize(
    "answer, stance, points",
    [
        (A, A, 2),
        (D, D, 2),
        (N, N, 2),
        (A, N, 1),
        (N, D, 1),
        (A, D, 0),
        (D, A, 0),
        (S, A, None),
        (A, X, None),
        (None, A, None),
    ],
)
def test_statement_points_follow_the_published_rule(answer, stance, points):
    assert statement_points(answer, stance) == points


def test_it_computes_a_hand_worked_example():
    answers = {1: A, 2: D, 3: N, 4: A}
    stances = {1: A, 2: A, 3: D, 4: N}
    # 2 + 0 + 1 + 1 = 4 of 8
    assert match(answers, stances).percent == 50.0
    assert match(answers, stances).counted == 4


def test_important_statements_double_points_and_maximum():
    answers = {1: A, 2: D}
    stances = {1: A, 2: A}
    assert match(answers, stances).percent == 50.0  # 2 of 4
    assert match(answers, stances, important={1}).percent == pytest.approx(100 * 4 / 6)  # 4 of 6
    assert match(answers, stances, important={2}).percent == pytest.approx(100 * 2 / 6)  # 2 of 6


def test_skipped_statements_leave_score_and_maximum():
    assert match({1: A, 2: S}, {1: A, 2: D}) == match({1: A}, {1: A, 2: D})
    assert match({1: A, 2: S}, {1: A, 2: D}).counted == 1


def test_no_position_found_leaves_the_statement_out_for_that_actor_only():
    answers = {1: A, 2: D}
    assert match(answers, {1: A, 2: X}).percent == 100.0
    assert match(answers, {1: A, 2: X}).counted == 1
    assert match(answers, {1: A, 2: A}).counted == 2


def test_all_skipped_gives_no_percentage_not_nan():
    result = match({1: S, 2: S}, {1: A, 2: D})
    assert result.percent is None and result.counted == 0


def test_an_actor_without_any_position_gives_no_percentage():
    assert match({1: A}, {1: X}).percent is None


def test_the_distance_method_on_a_hand_worked_example():
    # differences 0 and 2 (weights 1): distance 2, largest sqrt(8): 100 × (1 − 2/√8)
    assert match({1: A, 2: A}, {1: A, 2: D}, method=DISTANCE).percent == pytest.approx(100 * (1 - 2 / 8**0.5))


def test_the_directional_method_on_a_hand_worked_example():
    # products 1, -1, 0 (weights 1): sum 0 of 3 → 50
    assert match({1: A, 2: A, 3: N}, {1: A, 2: D, 3: A}, method=DIRECTIONAL).percent == 50.0
    assert match({1: A}, {1: A}, method=DIRECTIONAL).percent == 100.0
    assert match({1: N}, {1: N}, method=DIRECTIONAL).percent == 50.0  # neutral carries no direction


def test_it_rejects_an_unknown_method():
    with pytest.raises(ValueError):
        match({1: A}, {1: A}, method="astrology")


def test_ties_share_a_rank_and_the_next_rank_skips():
    ranked = rank({"a": Result(50.0, 2), "b": Result(80.0, 2), "c": Result(50.0, 2), "d": Result(10.0, 2)})
    assert [(r.rank, r.key) for r in ranked] == [(1, "b"), (2, "a"), (2, "c"), (4, "d")]


def test_tied_actors_keep_the_given_order_never_an_arbitrary_one():
    results = {"x": Result(60.0, 1), "y": Result(60.0, 1)}
    assert [r.key for r in rank(results)] == ["x", "y"]
    assert {r.rank for r in rank(results)} == {1}


def test_float_noise_does_not_break_a_tie():
    ranked = rank({"a": Result(66.66666666666667, 3), "b": Result(66.66666666666666, 3)})
    assert ranked[0].rank == ranked[1].rank == 1


def test_actors_without_a_match_come_last_without_a_rank():
    ranked = rank({"a": Result(None, 0), "b": Result(0.0, 1)})
    assert [(r.rank, r.key) for r in ranked] == [(1, "b"), (None, "a")]


def test_contributions_list_what_raised_and_lowered_the_match():
    effects = contributions({1: A, 2: D, 3: N, 4: S}, {1: A, 2: A, 3: A, 4: A}, important={2})
    assert effects == [(1, 1), (3, 0), (2, -2)]


answer = st.sampled_from([A, N, D, S])
stance = st.sampled_from([A, N, D, X])


@st.composite
def questionnaires(draw):
    n = draw(st.integers(min_value=1, max_value=30))
    answers = {i: draw(answer) for i in range(n)}
    stances = {i: draw(stance) for i in range(n)}
    important = draw(st.sets(st.integers(min_value=0, max_value=n - 1)))
    return answers, stances, important


@given(questionnaires(), st.sampled_from(METHODS))
def test_percentages_stay_within_0_and_100(q, method):
    result = match(*q, method=method)
    assert result.percent is None or 0 <= result.percent <= 100


@given(questionnaires(), st.sampled_from([AGREEMENT, DISTANCE]))
def test_answering_exactly_like_an_actor_gives_100(q, method):
    _, stances, important = q
    answers = {k: (s if s != X else S) for k, s in stances.items()}
    result = match(answers, stances, important, method=method)
    assert result.percent is None or result.percent == pytest.approx(100.0)


@given(questionnaires(), st.sampled_from(METHODS), st.randoms())
def test_permuting_statements_changes_nothing(q, method, rnd: random.Random):
    answers, stances, important = q
    keys = list(answers)
    rnd.shuffle(keys)
    shuffled = {k: answers[k] for k in keys}
    assert match(shuffled, stances, important, method) == match(answers, stances, important, method)


@given(questionnaires())
def test_doubling_a_statement_both_agree_on_never_lowers_the_match(q):
    answers, stances, important = q
    for key in answers:
        if answers[key] == stances[key] and answers[key] in (A, N, D) and key not in important:
            before = match(answers, stances, important).percent
            after = match(answers, stances, important | {key}).percent
            assert after >= before


# --- how robust is the top ----------------------------------------------------------------------


def leaders(answers, stances_by_key, important, method):
    ranked = rank({k: match(answers, s, important, method) for k, s in stances_by_key.items()})
    return [r.key for r in ranked if r.rank == 1]


def flips_of_size(answers, size):
    """Every way to change exactly `size` answered statements to another answer."""
    answered = [k for k, a in answers.items() if a in (A, N, D)]
    for keys in itertools.combinations(answered, size):
        for values in itertools.product(*[[v for v in (A, N, D) if v != answers[k]] for k in keys]):
            yield {**answers, **dict(zip(keys, values, strict=True))}


@st.composite
def elections(draw):
    n = draw(st.integers(min_value=1, max_value=6))
    answers = {i: draw(st.sampled_from([A, N, D, S, None])) for i in range(n)}
    actors = draw(st.integers(min_value=1, max_value=4))
    stances_by_key = {f"p{j}": {i: draw(stance) for i in range(n)} for j in range(actors)}
    important = draw(st.sets(st.integers(min_value=0, max_value=n - 1)))
    return answers, stances_by_key, important


@settings(max_examples=300, deadline=None)
@given(elections(), st.sampled_from(METHODS))
def test_the_flip_it_names_really_puts_another_party_first(e, method):
    answers, stances_by_key, important = e
    flip = robustness(answers, stances_by_key, important, method)
    if flip is None:
        return
    (old,) = leaders(answers, stances_by_key, important, method)
    changed = dict(answers)
    for key, value in flip.changes:
        assert answers[key] in (A, N, D) and value in (A, N, D) and value != answers[key]
        changed[key] = value
    assert len({key for key, _ in flip.changes}) == len(flip.changes)
    now = leaders(changed, stances_by_key, important, method)
    assert old not in now
    assert list(flip.leaders) == now


@settings(max_examples=300, deadline=None)
@given(elections(), st.sampled_from(METHODS))
def test_no_smaller_flip_exists_and_none_means_none_at_all(e, method):
    answers, stances_by_key, important = e
    top = leaders(answers, stances_by_key, important, method)
    flip = robustness(answers, stances_by_key, important, method)
    if len(top) != 1:
        assert flip is None  # a shared top has no sole leader to dethrone
        return
    smaller = len(flip.changes) if flip else len(answers) + 1
    for size in range(1, smaller):
        for changed in flips_of_size(answers, size):
            assert top[0] in leaders(changed, stances_by_key, important, method), (size, changed)


def test_a_single_changed_answer_can_put_the_runner_up_first():
    answers = {1: A, 2: A, 3: D}
    stances = {"x": {1: A, 2: A, 3: A}, "y": {1: A, 2: A, 3: D}}
    flip = robustness(answers, stances)
    assert flip.changes == ((3, A),) and flip.leaders == ("x",)


def test_an_unbeatable_top_has_no_flip():
    # The rival takes no position at all: no answer can make it come first.
    assert robustness({1: A}, {"x": {1: A}, "y": {1: X}}) is None
    assert robustness({1: A}, {"x": {1: A}}) is None
