"""Forms for creating an ALIS, appointing veiledere and importing a progress file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from veiviser.core.models import Municipality, Office, Person
from veiviser.training.models import MentorKind, Mentorship, Trainee
from veiviser.web.forms import DateInput


class TraineeForm(forms.ModelForm):
    given_name = forms.CharField(label=_("Fornavn"), max_length=80)
    family_name = forms.CharField(label=_("Etternavn"), max_length=80)
    hpr_number = forms.CharField(
        label=_("HPR-nummer"), max_length=9, required=False, help_text=_("7–9 siffer.")
    )
    email = forms.EmailField(label=_("E-post"), required=False)

    class Meta:
        model = Trainee
        fields = ["municipality", "office", "scheme", "training_start", "converted"]
        widgets = {"training_start": DateInput(), "converted": DateInput()}

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["office"].queryset = Office.objects.filter(municipality__in=municipalities)
        if self.instance.pk:
            person = self.instance.person
            for name in ("given_name", "family_name", "hpr_number", "email"):
                self.fields[name].initial = getattr(person, name)

    def clean_hpr_number(self) -> str | None:
        value = (self.cleaned_data.get("hpr_number") or "").strip()
        if not value:
            return None
        if not (value.isascii() and value.isdigit()) or not 7 <= len(value) <= 9:
            raise forms.ValidationError(_("HPR-nummeret må være 7–9 siffer."))
        clash = Person.objects.filter(hpr_number=value)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.person_id)
        if clash.exists():
            raise forms.ValidationError(_("En annen person har dette HPR-nummeret."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        office, municipality = data.get("office"), data.get("municipality")
        if office and municipality and office.municipality_id != municipality.pk:
            self.add_error("office", _("Legekontoret ligger ikke i valgt kommune."))
        start, converted = data.get("training_start"), data.get("converted")
        if converted and start and converted < start:
            self.add_error("converted", _("Overgangsdatoen kan ikke være før start."))
        return data


class MentorForm(forms.ModelForm):
    class Meta:
        model = Mentorship
        fields = ["mentor", "kind", "started", "ended"]
        widgets = {"started": DateInput(), "ended": DateInput()}

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = candidates
        self.fields["kind"].choices = MentorKind.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ended") and data.get("started") and data["ended"] < data["started"]:
            self.add_error("ended", _("Til-dato kan ikke være før fra-dato."))
        return data


class ProgressImportForm(forms.Form):
    file = forms.FileField(
        label=_("Progresjonsfil (JSON)"),
        help_text=_("En fil eksportert fra Veiviser (veiviser.progress/1)."),
    )
    municipality = forms.ModelChoiceField(label=_("Kommune"), queryset=Municipality.objects.none())

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first()


class TransferForm(forms.Form):
    to_municipality = forms.ModelChoiceField(
        label=_("Ny kommune"),
        queryset=Municipality.objects.order_by("name"),
        help_text=_("Kommunen ALIS-en begynner i. Dens leder eller koordinator bekrefter."),
    )
    effective = forms.DateField(label=_("Fra dato"), widget=DateInput())
    note = forms.CharField(
        label=_("Merknad"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TransferAcceptForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("Legekontor i den nye kommunen"), queryset=Office.objects.none(), required=False
    )

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(
            municipality_id=municipality_id
        ).order_by("name")
