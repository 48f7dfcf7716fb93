"""Forms are the validation boundary: anything they refuse gets a clear 400 page, never a 500."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stemwijzer.citizen import scoring

ANSWER_CHOICES = [
    (scoring.AGREE, _("Eens")),
    (scoring.NEUTRAL, _("Geen van beide")),
    (scoring.DISAGREE, _("Oneens")),
    (scoring.SKIP, _("Sla over")),
]


class AnswerForm(forms.Form):
    # A plain field checked against the answers: the form only validates (the buttons show the
    # labels), and copying a ChoiceField's choices for every answer step was measurable.
    answer = forms.CharField(max_length=10)

    def clean_answer(self):
        answer = self.cleaned_data["answer"]
        if answer not in scoring.ANSWERS:
            raise forms.ValidationError("unknown answer")
        return answer


class ImportantForm(forms.Form):
    important = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, snapshot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["important"].choices = [(s.number, s.text) for s in snapshot.statements]


class PartiesForm(forms.Form):
    parties = forms.MultipleChoiceField(required=False)
    select = forms.ChoiceField(choices=[("all", "all"), ("none", "none")], required=False)

    def __init__(self, *args, snapshot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].choices = [(p.slug, p.name) for p in snapshot.parties]


class ResultForm(forms.Form):
    """Everything at once, from the result page: answers, importance and the parties."""

    method = forms.ChoiceField(choices=[(m, m) for m in scoring.METHODS], required=False)

    def __init__(self, *args, snapshot, **kwargs):
        super().__init__(*args, **kwargs)
        self.snapshot = snapshot
        for s in snapshot.statements:
            self.fields[f"s{s.number}"] = forms.ChoiceField(choices=ANSWER_CHOICES, required=False)
        self.fields["important"] = forms.TypedMultipleChoiceField(
            coerce=int, required=False, choices=[(s.number, s.text) for s in snapshot.statements]
        )
        self.fields["parties"] = forms.MultipleChoiceField(
            required=False, choices=[(p.slug, p.name) for p in snapshot.parties]
        )

    def apply(self, state):
        for s in self.snapshot.statements:
            state.answers[s.number - 1] = self.cleaned_data[f"s{s.number}"] or None
        state.important = set(self.cleaned_data["important"])
        state.excluded = {p.slug for p in self.snapshot.parties} - set(self.cleaned_data["parties"])
        return state


class ShareForm(forms.Form):
    antwoorden = forms.CharField(max_length=2000)
