"""The result of a questionnaire, ready for the templates: rankings, party details, theme scores.

Answers come keyed by statement slug (`answers`) with the slugs marked important (`important`);
the citizen and the classroom each turn their own state into that form.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from positions.published import Actor, Snapshot, Statement
from positions.vocabulary import TAKEN
from stemwijzer.questionnaire import scoring


@dataclass(frozen=True)
class Row:
    """One actor's match under one method, with its place in the ranking."""

    rank: int | None
    actor: Actor
    result: scoring.Result
    thin: bool = False  # rests on too few statements to compare (scoring.thin)


def stances(snapshot: Snapshot, actor_slug: str) -> dict[str, str]:
    return {s.slug: s.positions[actor_slug].stance for s in snapshot.statements if actor_slug in s.positions}


def answered(answers: Mapping) -> int:
    return sum(1 for a in answers.values() if a in TAKEN)


def ranking(snapshot, answers: Mapping, important: Collection, actors, method=scoring.AGREEMENT) -> list[Row]:
    """Actors ranked by match; ties share a rank and are listed alphabetically, never arbitrarily."""
    actors = sorted(actors, key=lambda a: a.name.casefold())
    matches = {a.slug: scoring.match(answers, stances(snapshot, a.slug), important, method) for a in actors}
    by_slug, count = {a.slug: a for a in actors}, answered(answers)
    return [
        Row(r.rank, by_slug[r.key], r.result, scoring.thin(r.result, count)) for r in scoring.rank(matches)
    ]


def rankings(snapshot, answers: Mapping, important: Collection, actors) -> dict[str, list[Row]]:
    """The ranking under every method, each computed once."""
    return {method: ranking(snapshot, answers, important, actors, method) for method in scoring.METHODS}


@dataclass(frozen=True)
class Change:
    statement: Statement
    answer: str  # what the citizen answered
    instead: str  # the answer that would have moved the top


@dataclass(frozen=True)
class Robustness:
    """How many answers must change before another party comes first, and which ones."""

    leader: Actor
    changes: tuple[Change, ...]
    leaders: tuple[Actor, ...]  # who comes first after those changes


def robustness(snapshot, answers: Mapping, important: Collection, actors, method) -> Robustness | None:
    ranked = ranking(snapshot, answers, important, actors, method)
    stances_by_actor = {row.actor.slug: stances(snapshot, row.actor.slug) for row in ranked}
    flip = scoring.robustness(answers, stances_by_actor, important, method)
    if flip is None:
        return None
    by_slug, statements = (
        {row.actor.slug: row.actor for row in ranked},
        {s.slug: s for s in snapshot.statements},
    )
    return Robustness(
        ranked[0].actor,
        tuple(Change(statements[key], answers[key], value) for key, value in flip.changes),
        tuple(by_slug[slug] for slug in flip.leaders),
    )


def method_comparison(by_method: dict[str, list[Row]]) -> list[dict]:
    """Per actor its row under every method (`cells`, in METHODS order), in the default ranking's order."""
    cells = {}
    for method in scoring.METHODS:
        for row in by_method[method]:
            cells.setdefault(row.actor.slug, []).append(row)
    return [{"actor": row.actor, "cells": cells[row.actor.slug]} for row in by_method[scoring.AGREEMENT]]


def robustness_by_method(snapshot, answers: Mapping, important: Collection, actors) -> dict:
    return {method: robustness(snapshot, answers, important, actors, method) for method in scoring.METHODS}


@dataclass(frozen=True)
class StatementLine:
    statement: Statement
    answer: str | None
    important: bool
    position: object | None
    points: int | None


@dataclass(frozen=True)
class ThemeScore:
    theme: object
    result: scoring.Result
    thin: bool = False


def party_detail(snapshot, answers: Mapping, important: Collection, actor) -> dict:
    actor_stances = stances(snapshot, actor.slug)
    lines = [
        StatementLine(
            s,
            answers[s.slug],
            s.slug in important,
            s.positions.get(actor.slug),
            scoring.statement_points(answers[s.slug], actor_stances.get(s.slug)),
        )
        for s in snapshot.statements
    ]
    by_slug = {line.statement.slug: line for line in lines}
    effects = scoring.contributions(answers, actor_stances, important)
    raised = [by_slug[slug] for slug, effect in effects if effect > 0][:3]
    lowered = [by_slug[slug] for slug, effect in reversed(effects) if effect < 0][:3]
    result = scoring.match(answers, actor_stances, important)
    themes = []
    for theme in snapshot.themes:
        slugs = {s.slug for s in snapshot.statements if s.theme.slug == theme.slug}
        if slugs:
            in_theme = {k: v for k, v in answers.items() if k in slugs}
            score = scoring.match(in_theme, actor_stances, important)
            themes.append(ThemeScore(theme, score, scoring.thin(score, answered(in_theme))))
    return {
        "lines": lines,
        "raised": raised,
        "lowered": lowered,
        "themes": themes,
        "result": result,
        "thin": scoring.thin(result, answered(answers)),
        "answered": answered(answers),
    }
