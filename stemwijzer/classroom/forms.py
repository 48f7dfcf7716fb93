from django import forms
from django.utils.translation import gettext_lazy as _

from stemwijzer.classroom.models import CODE_ALPHABET, CODE_LENGTH


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Code van je klas"),
        max_length=20,
        help_text=_("Zes tekens, zoals op het scherm van je docent."),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper().replace(" ", "").replace("-", "")
        if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
            raise forms.ValidationError(_("Een klascode heeft zes tekens, zoals 7KQ4MX. Kijk nog eens goed."))
        return code


class NewSessionForm(forms.Form):
    election = forms.ChoiceField(label=_("Verkiezing"))
    statements = forms.TypedMultipleChoiceField(
        label=_("Stellingen (laat leeg voor alle)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    as_party = forms.BooleanField(
        label=_("Oefening: elke leerling krijgt een partij en antwoordt zoals die partij zou doen"),
        help_text=_(
            "Leerlingen lezen bij elke stelling het citaat van hun partij en zien daarna hoe dichtbij ze kwamen."
        ),
        required=False,
    )

    def __init__(self, *args, snapshots, **kwargs):
        super().__init__(*args, **kwargs)
        self.snapshots = {s.slug: s for s in snapshots}
        self.fields["election"].choices = [(s.slug, s.name) for s in snapshots]
        first = snapshots[0] if snapshots else None
        self.fields["statements"].choices = (
            [(s.number, f"{s.number}. {s.text}") for s in first.statements] if first else []
        )

    def clean(self):
        data = super().clean()
        snapshot = self.snapshots.get(data.get("election"))
        if snapshot is not None:
            numbers = data.get("statements") or [s.number for s in snapshot.statements]
            if any(snapshot.statement(n) is None for n in numbers):
                raise forms.ValidationError(_("Kies stellingen uit deze verkiezing."))
            data["statements"] = sorted(set(numbers))
            data["snapshot"] = snapshot
        return data


class DiscussionForm(forms.Form):
    """?standpunten=1 in discussion mode: the teacher reveals the parties' quotes."""

    standpunten = forms.BooleanField(required=False)
