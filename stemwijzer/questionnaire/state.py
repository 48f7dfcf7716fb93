"""A citizen's state: their answers, the statements they marked important, the parties left out.

It travels with the client only (a signed cookie, or a share link's query string), in a compact
text: the questionnaire's fingerprint, one letter per statement (a = eens, n = geen van beide,
d = oneens, s = overgeslagen, - = nog niet beantwoord), the numbers of the statements marked
important, and the parties left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from positions.vocabulary import AGREE, DISAGREE, NEUTRAL, SKIP

LETTER = {AGREE: "a", NEUTRAL: "n", DISAGREE: "d", SKIP: "s", None: "-"}
ANSWER = {letter: answer for answer, letter in LETTER.items()}


class BadState(Exception):
    """The client sent answers that cannot be ours: tampered, truncated or out of range."""


@dataclass
class CitizenState:
    answers: list[str | None]  # index 0 is statement 1
    important: set[int] = field(default_factory=set)  # statement numbers
    excluded: set[str] = field(default_factory=set)  # party slugs the citizen left out
    shared: bool = False  # read from a share link: someone else's answers, shown read-only

    @classmethod
    def empty(cls, snapshot) -> CitizenState:
        return cls([None] * len(snapshot.statements))

    def answer(self, number: int) -> str | None:
        return self.answers[number - 1]

    def by_slug(self, snapshot) -> dict[str, str | None]:
        return {s.slug: self.answers[s.number - 1] for s in snapshot.statements}

    def important_slugs(self, snapshot) -> set[str]:
        return {snapshot.statements[n - 1].slug for n in self.important}

    def chosen_parties(self, snapshot):
        return [p for p in snapshot.parties if p.slug not in self.excluded]

    def first_unanswered(self) -> int | None:
        return next((i + 1 for i, a in enumerate(self.answers) if a is None), None)

    def encode(self, snapshot) -> str:
        answers = "".join(LETTER[a] for a in self.answers)
        important = ",".join(str(n) for n in sorted(self.important))
        excluded = ",".join(sorted(self.excluded))
        return f"{snapshot.fingerprint}.{answers}.{important}.{excluded}"

    @classmethod
    def decode(cls, text: str, snapshot) -> CitizenState | None:
        """The state, or None when it belongs to an older questionnaire; BadState when invalid."""
        parts = text.split(".")
        if len(parts) != 4:
            raise BadState("wrong number of parts")
        fingerprint, answers, important, excluded = parts
        if fingerprint != snapshot.fingerprint:
            return None
        if len(answers) != len(snapshot.statements) or any(ch not in ANSWER for ch in answers):
            raise BadState("answers do not fit the questionnaire")
        try:
            numbers = {int(n) for n in important.split(",") if n}
        except ValueError:
            raise BadState("important statements are not numbers") from None
        if any(not 1 <= n <= len(snapshot.statements) for n in numbers):
            raise BadState("important statement out of range")
        parties = {slug for slug in excluded.split(",") if slug}
        if parties - {p.slug for p in snapshot.parties}:
            raise BadState("unknown party")
        return cls([ANSWER[ch] for ch in answers], numbers, parties)
