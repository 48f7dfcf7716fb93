"""The result of a questionnaire, ready for the templates: rankings, party details, theme scores."""

from __future__ import annotations

from dataclasses import dataclass

from stemwijzer.citizen import scoring


@dataclass(frozen=True)
class Row:
    """One party's match under one method, with its place in the ranking."""

    rank: int | None
    actor: object
    result: scoring.Result


def _stances(snapshot, actor_slug):
    return {s.slug: s.positions[actor_slug].stance for s in snapshot.statements if actor_slug in s.positions}


def ranking(snapshot, state, actors, method=scoring.AGREEMENT) -> list[Row]:
    """Actors ranked by match; ties share a rank and are listed alphabetically, never arbitrarily."""
    answers, important = state.by_slug(snapshot), state.important_slugs(snapshot)
    actors = sorted(actors, key=lambda a: a.name.casefold())
    results = {a.slug: scoring.match(answers, _stances(snapshot, a.slug), important, method) for a in actors}
    by_slug = {a.slug: a for a in actors}
    return [Row(r.rank, by_slug[r.key], r.result) for r in scoring.rank(results)]


def method_comparison(snapshot, state, actors) -> list[dict]:
    """Per party its rank and percentage under every method, for a side-by-side table."""
    rows = {a.slug: {"actor": a} for a in actors}
    for method in scoring.METHODS:
        for row in ranking(snapshot, state, actors, method):
            rows[row.actor.slug][method] = row
    first = ranking(snapshot, state, actors)
    return [rows[row.actor.slug] for row in first]


@dataclass(frozen=True)
class StatementLine:
    statement: object
    answer: str | None
    important: bool
    position: object | None
    points: int | None


@dataclass(frozen=True)
class ThemeScore:
    theme: object
    result: scoring.Result


def party_detail(snapshot, state, actor):
    answers, important = state.by_slug(snapshot), state.important_slugs(snapshot)
    stances = _stances(snapshot, actor.slug)
    lines = [
        StatementLine(
            s,
            answers[s.slug],
            s.slug in important,
            s.positions.get(actor.slug),
            scoring.statement_points(answers[s.slug], stances.get(s.slug)),
        )
        for s in snapshot.statements
    ]
    by_slug = {line.statement.slug: line for line in lines}
    effects = scoring.contributions(answers, stances, important)
    raised = [by_slug[slug] for slug, effect in effects if effect > 0][:3]
    lowered = [by_slug[slug] for slug, effect in reversed(effects) if effect < 0][:3]
    themes = []
    for theme in snapshot.themes:
        slugs = {s.slug for s in snapshot.statements if s.theme.slug == theme.slug}
        result = scoring.match({k: v for k, v in answers.items() if k in slugs}, stances, important)
        if slugs:
            themes.append(ThemeScore(theme, result))
    return {
        "lines": lines,
        "raised": raised,
        "lowered": lowered,
        "themes": themes,
        "result": scoring.match(answers, stances, important),
    }
