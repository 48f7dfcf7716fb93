"""Forms are the validation boundary: anything they refuse gets a clear 400 page, never a 500."""

from django import forms
from django.utils.translation import gettext_lazy as _

from positions.vocabulary import ANSWER_CHOICES
from stemwijzer.questionnaire import scoring


class ImportantForm(forms.Form):
    refusal = _("Deze keuze van belangrijke stellingen is ongeldig.")
    important = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, snapshot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["important"].choices = [(s.number, s.text) for s in snapshot.statements]


class PartiesForm(forms.Form):
    """The parties to compare with; "select all / none" buttons set the choice and stay on the step."""

    refusal = _("Deze keuze van partijen is ongeldig.")

    parties = forms.MultipleChoiceField(required=False)
    select = forms.ChoiceField(choices=[("all", "all"), ("none", "none")], required=False)

    def __init__(self, *args, snapshot, **kwargs):
        super().__init__(*args, **kwargs)
        self.snapshot = snapshot
        self.fields["parties"].choices = [(p.slug, p.name) for p in snapshot.parties]

    def clean(self):
        data = super().clean()
        every = {p.slug for p in self.snapshot.parties}
        chosen = {"all": every, "none": set()}.get(data.get("select"), set(data.get("parties") or ()))
        data["excluded"] = every - chosen
        data["stay"] = bool(data.get("select"))
        return data


class ResultForm(forms.Form):
    """Everything at once, from the result page: answers, importance and the parties."""

    refusal = _("Deze antwoorden zijn ongeldig.")

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

    def apply(self, citizen):
        for s in self.snapshot.statements:
            citizen.answers[s.number - 1] = self.cleaned_data[f"s{s.number}"] or None
        citizen.important = set(self.cleaned_data["important"])
        citizen.excluded = {p.slug for p in self.snapshot.parties} - set(self.cleaned_data["parties"])
        return citizen


class MethodForm(forms.Form):
    """?methode= on the result page: which scoring method ranks the parties."""

    refusal = _("Onbekende rekenmethode.")

    methode = forms.ChoiceField(choices=[(m, m) for m in scoring.METHODS], required=False)

    def method(self):
        return self.cleaned_data["methode"] or scoring.AGREEMENT
