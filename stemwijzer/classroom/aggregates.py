"""What the teacher sees: totals only, and nothing for a statement until enough students answered."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from stemwijzer.citizen import scoring
from stemwijzer.classroom.models import ANSWERS, ClassAnswer

MIN_ANSWERS = 3  # fewer answers could reveal what one student thinks


@dataclass
class Split:
    number: int  # place in the session
    statement: object
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


def answers_by_participant(session):
    rows = ClassAnswer.objects.filter(participant__session=session).values_list(
        "participant_id", "number", "answer"
    )
    by_participant = defaultdict(dict)
    for participant, number, answer in rows:
        by_participant[participant][number] = answer
    return by_participant


def overview(session, snapshot, by_participant=None):
    by_participant = answers_by_participant(session) if by_participant is None else by_participant
    numbers = session.statements
    splits = []
    for place, number in enumerate(numbers, 1):
        counts = Counter(a[place] for a in by_participant.values() if place in a)
        splits.append(Split(place, snapshot.statement(number), dict(counts), sum(counts.values())))
    best = Counter()
    for answers in by_participant.values():
        for party in best_matches(snapshot, session, answers):
            best[party] += 1
    return {
        "joined": session.participants.count(),
        "finished": sum(1 for a in by_participant.values() if len(a) == len(numbers)),
        "splits": splits,
        "best": [(party, best.get(party.slug, 0)) for party in snapshot.parties],
        "best_shown": sum(best.values()) >= MIN_ANSWERS,
    }


def by_slug(snapshot, session, answers):
    """A student's answers keyed by statement slug, as the scoring module wants them."""
    return {
        snapshot.statement(number).slug: answers.get(place)
        for place, number in enumerate(session.statements, 1)
    }


def ranking(snapshot, session, answers):
    answers = by_slug(snapshot, session, answers)
    results = {
        party.slug: scoring.match(
            answers,
            {
                s.slug: s.positions[party.slug].stance
                for s in snapshot.statements
                if party.slug in s.positions
            },
        )
        for party in sorted(snapshot.parties, key=lambda p: p.name.casefold())
    }
    return scoring.rank(results)


_best_matches: dict = {}


def best_matches(snapshot, session, answers):
    """The parties a student matches best (several when tied); none when nothing counts.

    Remembered per set of answers: a dashboard polls every few seconds while each student's
    answers change far less often, and scoring a class afresh on every poll was the poll's main cost.
    The key holds anonymous answers only, like the database rows they come from.
    """
    key = (snapshot.slug, snapshot.publication, tuple(session.statements), tuple(sorted(answers.items())))
    best = _best_matches.get(key)
    if best is None:
        if len(_best_matches) > 100_000:
            _best_matches.clear()
        best = _best_matches[key] = [r.key for r in ranking(snapshot, session, answers) if r.rank == 1]
    return best
