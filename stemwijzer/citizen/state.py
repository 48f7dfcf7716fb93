"""A citizen's answers travel with the client, in one signed cookie per election, never stored here.

The cookie holds a compact text: the questionnaire's fingerprint, one letter per statement
(a = eens, n = geen van beide, d = oneens, s = overgeslagen, - = nog niet beantwoord), the numbers
of the statements marked important, and the parties left out. It is signed with SECRET_KEY, so
every app instance can read it and a tampered cookie is refused. The cookie is a session cookie:
it disappears when the browser closes, and "Wis mijn antwoorden" deletes it at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core import signing

from stemwijzer import cookies
from stemwijzer.citizen.scoring import AGREE, DISAGREE, NEUTRAL, SKIP

LETTER = {AGREE: "a", NEUTRAL: "n", DISAGREE: "d", SKIP: "s", None: "-"}
ANSWER = {letter: answer for answer, letter in LETTER.items()}


class BadState(Exception):
    """The client sent answers that cannot be ours: tampered, truncated or out of range."""


@dataclass
class State:
    answers: list[str | None]  # index 0 is statement 1
    important: set[int] = field(default_factory=set)  # statement numbers
    excluded: set[str] = field(default_factory=set)  # party slugs the citizen left out

    @classmethod
    def empty(cls, snapshot) -> State:
        return cls([None] * len(snapshot.statements))

    def answer(self, number: int) -> str | None:
        return self.answers[number - 1]

    def by_slug(self, snapshot) -> dict[str, str | None]:
        return {s.slug: self.answers[s.number - 1] for s in snapshot.statements}

    def important_slugs(self, snapshot) -> set[str]:
        return {snapshot.statements[n - 1].slug for n in self.important}

    def chosen_parties(self, snapshot):
        return [p for p in snapshot.parties if p.slug not in self.excluded]

    def answered(self) -> int:
        return sum(1 for a in self.answers if a is not None)

    def first_unanswered(self) -> int | None:
        return next((i + 1 for i, a in enumerate(self.answers) if a is None), None)

    def is_empty(self) -> bool:
        return not self.answered() and not self.important and not self.excluded

    # --- the compact text form, used in the cookie and in a share link ---

    def encode(self, snapshot) -> str:
        answers = "".join(LETTER[a] for a in self.answers)
        important = ",".join(str(n) for n in sorted(self.important))
        excluded = ",".join(sorted(self.excluded))
        return f"{snapshot.fingerprint}.{answers}.{important}.{excluded}"

    @classmethod
    def decode(cls, text: str, snapshot) -> State | None:
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


def cookie_name(snapshot) -> str:
    return cookies.cookie_name(f"antwoorden-{snapshot.slug}")


def _signer(snapshot):
    return signing.Signer(salt=f"stemwijzer.answers.{snapshot.slug}")


def read(request, snapshot) -> State:
    """The citizen's state from the cookie: empty when there is none or it is outdated."""
    raw = request.COOKIES.get(cookie_name(snapshot))
    if not raw:
        return State.empty(snapshot)
    try:
        text = _signer(snapshot).unsign(raw)
    except signing.BadSignature:
        raise BadState("bad signature") from None
    return State.decode(text, snapshot) or State.empty(snapshot)


def write(response, snapshot, state: State):
    cookies.set_cookie(response, cookie_name(snapshot), _signer(snapshot).sign(state.encode(snapshot)))


def clear(response, snapshot):
    response.delete_cookie(cookie_name(snapshot), path="/", samesite="Lax")
