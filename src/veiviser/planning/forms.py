"""Forms of the locum plan and the cost pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from veiviser.core.models import Municipality, Position
from veiviser.planning.models import CostEntry, PlannedAbsence
from veiviser.training.models import Trainee
from veiviser.web.forms import DateInput
from veiviser.workforce.forms import person_candidates


def positions_of(municipality: Municipality, today: date) -> Any:
    return (
        Position.objects.filter(municipality=municipality)
        .filter(Q(closed__isnull=True) | Q(closed__gte=today))
        .select_related("office")
        .order_by("office__name", "external_id")
    )


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Position) -> str:
        office = obj.office.name if obj.office else _("uten legekontor")
        return f"{obj.external_id} – {obj.get_kind_display()} ({office})"


def _check_dates(form: forms.Form, data: dict[str, Any]) -> None:
    start, end = data.get("start"), data.get("end")
    if start and end and end < start:
        form.add_error("end", _("Siste dag kan ikke være før første dag."))


class PlannedAbsenceForm(forms.ModelForm):
    position = PositionChoiceField(label=_("Stilling"), queryset=Position.objects.none())

    class Meta:
        model = PlannedAbsence
        fields = ["person", "position", "kind", "start", "end", "percent", "note"]
        widgets = {"start": DateInput(), "end": DateInput()}
        help_texts = {
            "percent": _("100 betyr borte hele dagen; 50 betyr halve dagen."),
            "kind": _(
                "Institusjonstjeneste, kurs og permisjon som står i ALIS' utdanningsløp tas "
                "med automatisk; registrer bare det som mangler der."
            ),
        }

    def __init__(self, *args: Any, user: Any, municipality: Municipality, today: date, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["person"].queryset = person_candidates(user, municipality)
        self.fields["position"].queryset = positions_of(municipality, today)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_dates(self, data)
        return data


class LocumForm(forms.Form):
    """A locum arranged for a position."""

    position = PositionChoiceField(label=_("Stilling"), queryset=Position.objects.none())
    person = forms.ModelChoiceField(
        label=_("Vikar"),
        queryset=None,
        required=False,
        help_text=_("Velg en lege, eller skriv navnet på en ny lege under."),
    )
    given_name = forms.CharField(label=_("Fornavn (ny lege)"), max_length=80, required=False)
    family_name = forms.CharField(label=_("Etternavn (ny lege)"), max_length=80, required=False)
    start = forms.DateField(label=_("Første dag"), widget=DateInput())
    end = forms.DateField(label=_("Siste dag"), widget=DateInput())
    percent = forms.DecimalField(
        label=_("Stillingsprosent"),
        initial=Decimal(100),
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01"), message=_("Prosenten må være over 0.")),
            MaxValueValidator(Decimal(100), message=_("Prosenten kan ikke være over 100.")),
        ],
    )
    note = forms.CharField(label=_("Merknad"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, municipality: Municipality, today: date, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["person"].queryset = person_candidates(user, municipality)
        self.fields["position"].queryset = positions_of(municipality, today)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person") and "person" not in self.errors:
            if not (data.get("given_name") or "").strip():
                self.add_error("person", _("Velg en lege eller skriv navnet på en ny lege."))
            elif not (data.get("family_name") or "").strip():
                self.add_error("family_name", _("Skriv etternavnet til den nye legen."))
        _check_dates(self, data)
        return data


class TraineeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Trainee) -> str:
        return obj.person.full_name


class EducationSelect(forms.NullBooleanSelect):
    def __init__(self, attrs: Any = None):
        super().__init__(attrs)
        self.choices = [
            ("unknown", _("Kategoriens standard")),
            ("true", _("Ja")),
            ("false", _("Nei")),
        ]


class CostEntryForm(forms.ModelForm):
    trainee = TraineeChoiceField(label=_("ALIS"), queryset=Trainee.objects.none())
    is_education_cost = forms.NullBooleanField(
        label=_("Utdanningskostnad"),
        required=False,
        widget=EducationSelect(),
        help_text=_("Standard: alle kategorier unntatt «Annet» er utdanningskostnader."),
    )

    class Meta:
        model = CostEntry
        fields = ["trainee", "year", "category", "amount", "is_education_cost", "note"]

    def __init__(self, *args: Any, municipality: Municipality, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["trainee"].queryset = (
            Trainee.objects.filter(
                Q(municipality=municipality) | Q(cost_entries__municipality=municipality)
            )
            .select_related("person")
            .distinct()
            .order_by("person__family_name", "person__given_name")
        )


class GrantReceivedForm(forms.Form):
    year = forms.IntegerField(
        label=_("År"),
        validators=[
            MinValueValidator(2000, message=_("Skriv et år fra 2000.")),
            MaxValueValidator(2100, message=_("Skriv et år til og med 2100.")),
        ],
    )
    amount = forms.DecimalField(
        label=_("Mottatt tilskudd (kr)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0), message=_("Beløpet kan ikke være negativt."))],
    )
    note = forms.CharField(label=_("Merknad"), max_length=200, required=False)


class CostImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_(
            "Kolonner: alis (navn eller ID), year, category, amount, og valgfritt "
            "education (ja/nei) og note. Semikolon eller komma som skilletegn."
        ),
    )
