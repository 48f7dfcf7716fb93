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
