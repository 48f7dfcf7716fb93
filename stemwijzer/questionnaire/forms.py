"""The answer to one statement: the form both questionnaires validate an answer step with."""

from django import forms

from positions.vocabulary import ANSWERS


class AnswerForm(forms.Form):
    # A plain field checked against the answers: the buttons show the labels, and copying a
    # ChoiceField's choices on every answer step was measurable on the hot path.
    answer = forms.CharField(max_length=10)

    def clean_answer(self):
        answer = self.cleaned_data["answer"]
        if answer not in ANSWERS:
            raise forms.ValidationError("unknown answer")
        return answer
