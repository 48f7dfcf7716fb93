"""What the teacher sees: totals only, changing only in batches, so that no student can be singled out.

A teacher who watches one student tap must not read that student's answer from the dashboard's
next change. So the totals count each answer as it was last *published* (`shown_answer`), and a
statement's answers are published together only once at least MIN_ANSWERS of them are new or
changed (`publish`). One extra answer never changes what the dashboard, the discussion view or
the CSV show.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, F

from positions.published import Snapshot, Statement
from positions.vocabulary import ANSWERS, NO_POSITION, SKIP
from stemwijzer.classroom.models import ClassAnswer
from stemwijzer.questionnaire import results

MIN_ANSWERS = 3  # fewer answers could reveal what one student thinks; also the batch size


@dataclass
class Split:
    place: int  # place in the session
    statement: Statement
    counts: dict
    total: int

    @property
    def shown(self):
        return self.total >= MIN_ANSWERS

    def percent(self, answer):
        return 100 * self.counts.get(answer, 0) / self.total if self.total else 0

    @property
    def bars(self):
        return [(answer, self.counts.get(answer, 0), self.percent(answer)) for answer in ANSWERS]


def publish(session):
    """Show each statement's new and changed answers, once there are at least MIN_ANSWERS of them.

    Run by the teacher's views (dashboard, poll, discussion, CSV) before they read the totals, so
    students' answer steps stay single-row upserts that never wait on one another.
    """
    pending = ClassAnswer.objects.filter(participant__session=session).exclude(shown_answer=F("answer"))
    counts = pending.values("place").annotate(n=Count("pk")).values_list("place", "n")
    ready = [place for place, n in counts if n >= MIN_ANSWERS]
    if ready:
        pending.filter(place__in=ready).update(shown_answer=F("answer"))


def shown_answers(session) -> dict:
    """Each participant's published answers by place: what the teacher may see."""
    rows = ClassAnswer.objects.filter(participant__session=session).exclude(shown_answer="")
    by_participant = defaultdict(dict)
    for participant, place, answer in rows.values_list("participant_id", "place", "shown_answer"):
        by_participant[participant][place] = answer
    return by_participant


def overview(session, snapshot):
    """The class totals the teacher sees, from the published answers only."""
    by_participant = shown_answers(session)
    splits = []
    for place, number in enumerate(session.statements, 1):
        counts = Counter(a[place] for a in by_participant.values() if place in a)
        splits.append(Split(place, snapshot.statement(number), dict(counts), sum(counts.values())))
    best = Counter()
    for answers in by_participant.values():
        for party in best_matches(snapshot, tuple(session.statements), tuple(sorted(answers.items()))):
            best[party] += 1
    return {
        "joined": session.participants.count(),
        "finished": sum(1 for a in by_participant.values() if len(a) == len(session.statements)),
        "splits": splits,
        "best": sorted(((p, best.get(p.slug, 0)) for p in snapshot.parties), key=lambda pc: -pc[1]),
        "best_shown": sum(best.values()) >= MIN_ANSWERS,
    }


def by_slug(snapshot, statements, answers) -> dict:
    """A student's answers (by place in the session) keyed by statement slug, for scoring."""
    return {snapshot.statement(number).slug: answers.get(place) for place, number in enumerate(statements, 1)}


def ranking(snapshot, session, answers) -> list[results.Row]:
    return results.ranking(snapshot, by_slug(snapshot, session.statements, answers), (), snapshot.parties)


@lru_cache(maxsize=100_000)
def best_matches(snapshot: Snapshot, statements: tuple, answers: tuple) -> tuple[str, ...]:
    """The parties a student matches best (several when tied); none when nothing counts.

    Remembered per set of answers: a dashboard polls every few seconds while each student's
    answers change far less often, and scoring a class afresh on every poll was the poll's main
    cost. The key holds anonymous answers only, like the database rows they come from.
    """
    answers_by_slug = by_slug(snapshot, statements, dict(answers))
    ranked = results.ranking(snapshot, answers_by_slug, (), snapshot.parties)
    return tuple(row.actor.slug for row in ranked if row.rank == 1)


@dataclass(frozen=True)
class Guess:
    """In "answer as a party": what the student chose for the party, and what the party says."""

    statement: Statement
    answer: str | None
    position: object | None

    @property
    def right(self):
        stance = self.position.stance if self.position else NO_POSITION
        return self.answer == stance or (stance == NO_POSITION and self.answer == SKIP)


def guesses(snapshot, session, answers, party) -> dict:
    lines = [
        Guess(
            snapshot.statement(number),
            answers.get(place),
            snapshot.statement(number).positions.get(party.slug),
        )
        for place, number in enumerate(session.statements, 1)
    ]
    return {"lines": lines, "right": sum(1 for line in lines if line.right), "total": len(lines)}
