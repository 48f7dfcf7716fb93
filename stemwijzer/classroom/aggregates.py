"""What the teacher sees: totals only, and nothing for a statement until enough students answered."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from positions.published import Snapshot, Statement
from positions.vocabulary import ANSWERS
from stemwijzer.classroom.models import ClassAnswer
from stemwijzer.questionnaire import results

MIN_ANSWERS = 3  # fewer answers could reveal what one student thinks


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


def answers_by_participant(session) -> dict:
    rows = ClassAnswer.objects.filter(participant__session=session).values_list(
        "participant_id", "place", "answer"
    )
    by_participant = defaultdict(dict)
    for participant, place, answer in rows:
        by_participant[participant][place] = answer
    return by_participant


def overview(session, snapshot, by_participant=None):
    by_participant = answers_by_participant(session) if by_participant is None else by_participant
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
        "best": [(party, best.get(party.slug, 0)) for party in snapshot.parties],
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
