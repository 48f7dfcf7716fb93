"""The result of a questionnaire, ready for the templates: rankings, party details, theme scores.

Answers come keyed by statement slug (`answers`) with the slugs marked important (`important`);
the citizen and the classroom each turn their own state into that form.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from positions.published import Actor, Snapshot, Statement
from stemwijzer.questionnaire import scoring


@dataclass(frozen=True)
class Row:
    """One actor's match under one method, with its place in the ranking."""

    rank: int | None
    actor: Actor
    result: scoring.Result


def stances(snapshot: Snapshot, actor_slug: str) -> dict[str, str]:
    return {s.slug: s.positions[actor_slug].stance for s in snapshot.statements if actor_slug in s.positions}


def ranking(snapshot, answers: Mapping, important: Collection, actors, method=scoring.AGREEMENT) -> list[Row]:
    """Actors ranked by match; ties share a rank and are listed alphabetically, never arbitrarily."""
    actors = sorted(actors, key=lambda a: a.name.casefold())
    matches = {a.slug: scoring.match(answers, stances(snapshot, a.slug), important, method) for a in actors}
    by_slug = {a.slug: a for a in actors}
    return [Row(r.rank, by_slug[r.key], r.result) for r in scoring.rank(matches)]


def rankings(snapshot, answers: Mapping, important: Collection, actors) -> dict[str, list[Row]]:
    """The ranking under every method, each computed once."""
    return {method: ranking(snapshot, answers, important, actors, method) for method in scoring.METHODS}


def method_comparison(by_method: dict[str, list[Row]]) -> list[dict]:
    """Per actor its row under every method (`cells`, in METHODS order), in the default ranking's order."""
    cells = {}
    for method in scoring.METHODS:
        for row in by_method[method]:
            cells.setdefault(row.actor.slug, []).append(row)
    return [{"actor": row.actor, "cells": cells[row.actor.slug]} for row in by_method[scoring.AGREEMENT]]


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
    themes = []
    for theme in snapshot.themes:
        slugs = {s.slug for s in snapshot.statements if s.theme.slug == theme.slug}
        if slugs:
            in_theme = {k: v for k, v in answers.items() if k in slugs}
            themes.append(ThemeScore(theme, scoring.match(in_theme, actor_stances, important)))
    return {
        "lines": lines,
        "raised": raised,
        "lowered": lowered,
        "themes": themes,
        "result": scoring.match(answers, actor_stances, important),
    }
