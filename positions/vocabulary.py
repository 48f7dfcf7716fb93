"""The one vocabulary of stances and answers, with their labels (nl, translated to en).

An actor's stance and a citizen's answer share the values "agree", "neutral" and "disagree"; an
actor may also have "no position found", a citizen may "skip". Every module that names one of
these imports it from here. Plain constants and lazy labels, so pure code can import it too.
"""

from django.utils.translation import gettext_lazy as _

AGREE, NEUTRAL, DISAGREE = "agree", "neutral", "disagree"
NO_POSITION, SKIP = "no_position_found", "skip"

STANCES = (AGREE, NEUTRAL, DISAGREE, NO_POSITION)  # what an actor can say
ANSWERS = (AGREE, NEUTRAL, DISAGREE, SKIP)  # what a citizen can answer
TAKEN = (AGREE, NEUTRAL, DISAGREE)  # the values that count in a match

LABELS = {
    AGREE: _("Eens"),
    NEUTRAL: _("Geen van beide"),
    DISAGREE: _("Oneens"),
    NO_POSITION: _("Geen standpunt gevonden"),
    SKIP: _("Overgeslagen"),
    None: _("Niet beantwoord"),
}
# The answer buttons say what they do.
ANSWER_CHOICES = [(answer, LABELS[answer]) for answer in TAKEN] + [(SKIP, _("Sla over"))]
STANCE_CHOICES = [(stance, LABELS[stance]) for stance in STANCES]


def label(value) -> str:
    """The label of a stance or answer; an empty value reads as not answered."""
    return LABELS.get(value or None, value)
