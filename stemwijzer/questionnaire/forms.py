"""The answer to one statement: the form both questionnaires validate an answer step with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from positions.vocabulary import ANSWERS


class AnswerForm(forms.Form):
    refusal = _("Kies Eens, Geen van beide, Oneens of Sla over.")
    # A plain field checked against the answers: the buttons show the labels, and copying a
    # ChoiceField's choices on every answer step was measurable on the hot path.
    answer = forms.CharField(max_length=10)

    def clean_answer(self):
        answer = self.cleaned_data["answer"]
        if answer not in ANSWERS:
            raise forms.ValidationError("unknown answer")
        return answer
