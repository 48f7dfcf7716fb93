"""How a citizen's answers match an actor's stances. Pure functions: no models, no I/O.

Answers and stances share one vocabulary (positions.vocabulary): "agree", "neutral", "disagree". A citizen may also
"skip" a statement (or leave it unanswered: None); an actor may have "no_position_found". Such a
statement counts for neither score nor maximum, for that actor only. Statements marked important
weigh double.

Three methods, published on the method page:
- agreement (default, as StemWijzer): 2 points when the answers are equal, 1 when one side is
  neutral, 0 when opposite; percent = 100 × points / maximum.
- distance (Euclidean, as Kieskompas-style spatial models): answers on -1/0/+1; percent =
  100 × (1 − distance / largest possible distance).
- directional (after Rabinowitz & Macdonald, used by Mendez): the product of both answers, so
  agreeing strongly counts more than agreeing on neutral; percent = 50 × (1 + sum / maximum).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from positions.vocabulary import AGREE, DISAGREE, NEUTRAL

VALUE = {AGREE: 1, NEUTRAL: 0, DISAGREE: -1}

AGREEMENT, DISTANCE, DIRECTIONAL = "agreement", "distance", "directional"
METHODS = (AGREEMENT, DISTANCE, DIRECTIONAL)


@dataclass(frozen=True)
class Result:
    """A match: `percent` is None when no statement counts (all skipped, or no stance found)."""

    percent: float | None
    counted: int  # the number of statements this match rests on
    points: Fraction = Fraction(0)
    maximum: Fraction = Fraction(0)


THIN_MINIMUM = 3  # fewer counted statements than this is always "weinig gegevens"


def thin(result: Result, answered: int) -> bool:
    """Does this match rest on too little to compare ("weinig gegevens")?

    It does when it counts fewer than half of the statements the citizen answered (the actor took
    no position on the rest), or fewer than THIN_MINIMUM: one answer must never look like a verdict.
    """
    return result.percent is not None and (2 * result.counted < answered or result.counted < THIN_MINIMUM)


@dataclass(frozen=True)
class Ranked:
    rank: int | None  # equal percentages share a rank; None for actors without a match
    key: Hashable
    result: Result


def statement_points(answer: str | None, stance: str | None) -> int | None:
    """Agreement points (0, 1 or 2) for one statement, or None when it does not count."""
    if answer not in VALUE or stance not in VALUE:
        return None
    if answer == stance:
        return 2
    if NEUTRAL in (answer, stance):
        return 1
    return 0


def _pairs(answers: Mapping, stances: Mapping, important: Collection) -> Iterable[tuple[int, int, int]]:
    """(citizen value, actor value, weight) for every statement that counts."""
    for key, answer in answers.items():
        stance = stances.get(key)
        if answer in VALUE and stance in VALUE:
            yield VALUE[answer], VALUE[stance], 2 if key in important else 1


def match(answers: Mapping, stances: Mapping, important: Collection = (), method: str = AGREEMENT) -> Result:
    pairs = list(_pairs(answers, stances, important))
    if not pairs:
        return Result(None, 0)
    if method == AGREEMENT:
        points = sum(w * (2 - abs(a - s)) for a, s, w in pairs)
        maximum = sum(2 * w for _, _, w in pairs)
        return Result(float(100 * Fraction(points, maximum)), len(pairs), Fraction(points), Fraction(maximum))
    if method == DISTANCE:
        distance = math.sqrt(sum(w * (a - s) ** 2 for a, s, w in pairs))
        largest = math.sqrt(sum(w * 4 for _, _, w in pairs))
        return Result(100 * (1 - distance / largest), len(pairs))
    if method == DIRECTIONAL:
        total = sum(w * a * s for a, s, w in pairs)
        maximum = sum(w for _, _, w in pairs)
        return Result(float(50 * (1 + Fraction(total, maximum))), len(pairs))
    raise ValueError(f"unknown method {method!r}")


def rank(results: Mapping[Hashable, Result]) -> list[Ranked]:
    """Best match first. Equal percentages share a rank (1, 1, 3) and keep the given order."""
    order = {key: i for i, key in enumerate(results)}

    def sort_key(item):
        key, result = item
        return (result.percent is None, -_tie(result.percent), order[key])

    ranked, previous, previous_rank = [], object(), 0
    for position, (key, result) in enumerate(sorted(results.items(), key=sort_key), 1):
        if result.percent is None:
            ranked.append(Ranked(None, key, result))
            continue
        if _tie(result.percent) != previous:
            previous, previous_rank = _tie(result.percent), position
        ranked.append(Ranked(previous_rank, key, result))
    return ranked


def _tie(percent: float | None) -> float:
    # Methods that use square roots give 66.66666666666667 and 66.66666666666666 for one value.
    return round(percent, 9) if percent is not None else 0.0


def contributions(
    answers: Mapping, stances: Mapping, important: Collection = ()
) -> list[tuple[Hashable, int]]:
    """How much each counted statement moved the agreement match, relative to its midpoint.

    Positive raised the match, negative lowered it; sorted from most raising to most lowering.
    """
    effects = []
    for key, answer in answers.items():
        points = statement_points(answer, stances.get(key))
        if points is not None:
            weight = 2 if key in important else 1
            effects.append((key, weight * (points - 1)))
    return sorted(effects, key=lambda item: -item[1])


# --- how robust is the top? ----------------------------------------------------------------------


@dataclass(frozen=True)
class Flip:
    """The fewest changed answers after which `leaders` (no longer the old top) come first.

    `changes` are (statement key, new answer), the one that matters most first.
    """

    changes: tuple[tuple[Hashable, str], ...]
    leaders: tuple[Hashable, ...]


def _terms(method: str, answer: int, stance: int, weight: int) -> tuple[int, int]:
    """One statement's (numerator, denominator) in integers; a match's percent rises with their ratio.

    agreement: points over maximum; directional: sum of products over maximum; distance: minus the
    squared distance over the largest squared distance (the percent falls as the distance grows).
    """
    if method == AGREEMENT:
        return weight * (2 - abs(answer - stance)), 2 * weight
    if method == DIRECTIONAL:
        return weight * answer * stance, weight
    if method == DISTANCE:
        return -weight * (answer - stance) ** 2, 4 * weight
    raise ValueError(f"unknown method {method!r}")


def _totals(method, answers, stances, important) -> tuple[int, int]:
    numerator = denominator = 0
    for a, s, w in _pairs(answers, stances, important):
        n, d = _terms(method, a, s, w)
        numerator, denominator = numerator + n, denominator + d
    return numerator, denominator


def _leaders(answers, stances_by_key, important, method) -> list[Hashable]:
    ranked = rank(
        {key: match(answers, stances, important, method) for key, stances in stances_by_key.items()}
    )
    return [r.key for r in ranked if r.rank == 1]


def robustness(
    answers: Mapping,
    stances_by_key: Mapping[Hashable, Mapping],
    important: Collection = (),
    method: str = AGREEMENT,
) -> Flip | None:
    """The smallest set of changed answers that puts another actor above the sole leader.

    Only answered statements (agree, neutral, disagree) may change, to another of those three; a
    change never alters which statements count, so each match's denominator stays fixed. Then
    "rival beats leader" is `n_rival · d_leader − n_leader · d_rival > 0`, a sum of independent
    per-statement terms for every method: taking the statements with the largest gain first gives
    the fewest changes for that rival, exactly. The rival needing fewest changes wins (ties: the
    one ranked higher). None when there is no sole leader, or no change can beat it.
    """
    leaders = _leaders(answers, stances_by_key, important, method)
    if len(leaders) != 1:
        return None
    leader = leaders[0]
    leader_stances = stances_by_key[leader]
    order = [
        r.key for r in rank({k: match(answers, s, important, method) for k, s in stances_by_key.items()})
    ]
    n_leader, d_leader = _totals(method, answers, leader_stances, important)
    best = None
    for rival in order:
        if rival == leader:
            continue
        rival_stances = stances_by_key[rival]
        n_rival, d_rival = _totals(method, answers, rival_stances, important)
        if d_rival == 0:
            continue  # nothing counts for the rival: it has no match to come first with

        def margin(key, value, rival_stances=rival_stances, d_rival=d_rival):
            weight = 2 if key in important else 1
            total = 0
            if rival_stances.get(key) in VALUE:
                total += _terms(method, VALUE[value], VALUE[rival_stances[key]], weight)[0] * d_leader
            if leader_stances.get(key) in VALUE:
                total -= _terms(method, VALUE[value], VALUE[leader_stances[key]], weight)[0] * d_rival
            return total

        gap = n_rival * d_leader - n_leader * d_rival  # the rival beats the leader once this is > 0
        gains = []
        for key, answer in answers.items():
            if answer not in VALUE:
                continue
            now = margin(key, answer)
            value, gain = max(((v, margin(key, v) - now) for v in VALUE if v != answer), key=lambda vg: vg[1])
            if gain > 0:
                gains.append((gain, key, value))
        gains.sort(key=lambda g: -g[0])  # stable: equal gains keep the answers' order
        changes = []
        for gain, key, value in gains:
            if gap > 0 or (best is not None and len(changes) >= len(best)):
                break
            gap += gain
            changes.append((key, value))
        if gap > 0 and (best is None or len(changes) < len(best)):
            best = changes
    if best is None:
        return None
    changed = {**answers, **dict(best)}
    return Flip(tuple(best), tuple(_leaders(changed, stances_by_key, important, method)))
