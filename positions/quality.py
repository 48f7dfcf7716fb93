"""Checks on an election's content: what blocks publishing, and the editors' coverage matrix."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from django.utils.translation import gettext as _

from positions.models import Actor, Citation, Election, Position, Stance

SEPARATING = {Stance.AGREE, Stance.NEUTRAL, Stance.DISAGREE}


def separates(stances) -> bool:
    """The parties do not all take the same stance, and at least one takes a stance (agree / neutral /
    disagree): one party for and the rest silent separates them; all silent, or all agreeing, does not."""
    taken = {s for s in stances if s}
    return bool(taken & SEPARATING) and len(taken) >= 2


@dataclass
class Matrix:
    actors: list
    rows: list  # [(statement, [position or None per actor])]
    not_separating: list = field(default_factory=list)
    identical_pairs: list = field(default_factory=list)
    weak_actors: list = field(default_factory=list)  # (actor, neutral, missing)
    failing_citations: list = field(default_factory=list)
    unreviewed: list = field(default_factory=list)
    uncited: list = field(
        default_factory=list
    )  # stances without a supporting quote, where quotes are promised
    missing: list = field(default_factory=list)  # (statement, actor)


def coverage(election: Election) -> Matrix:
    actors = list(election.actors.order_by("order", "name"))
    statements = list(
        election.statements.order_by("order").prefetch_related(
            "positions__citations__document", "positions__actor"
        )
    )
    matrix = Matrix(actors, [])
    parties = [a for a in actors if a.kind == Actor.Kind.PARTY]
    stances_by_party = {a.pk: [] for a in parties}
    for statement in statements:
        by_actor = {p.actor_id: p for p in statement.positions.all()}
        matrix.rows.append((statement, [by_actor.get(a.pk) for a in actors]))
        for actor in actors:
            position = by_actor.get(actor.pk)
            if position is None:
                matrix.missing.append((statement, actor))
                continue
            if position.review_status != Position.Review.REVIEWED:
                matrix.unreviewed.append(position)
            citations = position.citations.all()
            for citation in citations:
                if not citation.is_verified():
                    matrix.failing_citations.append(citation)
            quoted = election.sourcing == Election.Sourcing.QUOTES
            supported = any(c.role == Citation.Role.SUPPORT for c in citations)
            if quoted and position.stance in SEPARATING and not supported:
                matrix.uncited.append(position)
        party_stances = [by_actor[a.pk].stance if a.pk in by_actor else None for a in parties]
        for actor, stance in zip(parties, party_stances, strict=True):
            stances_by_party[actor.pk].append(stance)
        if not separates(party_stances):
            matrix.not_separating.append(statement)
    for a, b in combinations(parties, 2):
        if statements and stances_by_party[a.pk] == stances_by_party[b.pk]:
            matrix.identical_pairs.append((a, b))
    for actor in actors:
        stances = [row[1][actors.index(actor)] for row in matrix.rows]
        neutral = sum(1 for p in stances if p and p.stance == Stance.NEUTRAL)
        missing = sum(1 for p in stances if p is None or p.stance == Stance.NO_POSITION_FOUND)
        if statements and (neutral + missing) * 3 > len(statements):  # more than a third
            matrix.weak_actors.append((actor, neutral, missing))
    return matrix


def publication_problems(election: Election) -> list[str]:
    """Everything that must be fixed before the election may be (re)published."""
    matrix = coverage(election)
    problems = []
    if not matrix.rows:
        problems.append(_("De verkiezing heeft nog geen stellingen."))
    for statement, actor in matrix.missing:
        problems.append(_("Stelling %(s)s: geen standpunt voor %(a)s.") % {"s": statement.order, "a": actor})
    for position in matrix.unreviewed:
        problems.append(
            _("Stelling %(s)s, %(a)s: wacht op controle door een tweede persoon.")
            % {"s": position.statement.order, "a": position.actor}
        )
    for position in matrix.uncited:
        problems.append(
            _(
                "Stelling %(s)s, %(a)s: geen citaat dat het standpunt onderbouwt, terwijl deze verkiezing bij elk standpunt een citaat belooft."
            )
            % {"s": position.statement.order, "a": position.actor}
        )
    for citation in matrix.failing_citations:
        problems.append(
            _("Stelling %(s)s, %(a)s: citaat niet (meer) gevonden in %(d)s: “%(q)s”")
            % {
                "s": citation.position.statement.order,
                "a": citation.position.actor,
                "d": citation.document.slug,
                "q": citation.quote[:80],
            }
        )
    for statement in matrix.not_separating:
        problems.append(
            _(
                "Stelling %(s)s maakt geen onderscheid tussen de partijen (minstens twee verschillende standpunten nodig)."
            )
            % {"s": statement.order}
        )
    return problems
