"""Forms of the workforce pages: holders and locums, postings, exit interviews, stay surveys,
the CSV import and the filters of the figures and timeline pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veiviser.core.models import Municipality, Person, PositionKind
from veiviser.web.forms import DateInput
from veiviser.workforce.models import (
    EndReason,
    ExitInterview,
    ExitReason,
    NextWork,
    Occupancy,
    OccupancyRole,
    Posting,
    StayFactor,
    StaySurvey,
    StaySurveyAnswer,
)


class OccupancyForm(forms.ModelForm):
    """A new (or corrected) holder or locum row. A doctor not in the register yet can be
    added by name."""

    given_name = forms.CharField(label=_("Fornavn (ny lege)"), max_length=80, required=False)
    family_name = forms.CharField(label=_("Etternavn (ny lege)"), max_length=80, required=False)

    class Meta:
        model = Occupancy
        fields = ["role", "person", "start", "end", "end_reason", "next_work"]
        widgets = {"start": DateInput(), "end": DateInput()}
        help_texts = {"person": _("Velg en lege, eller skriv navnet på en ny lege under.")}

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates
        self.fields["person"].required = False
        self.fields["role"].choices = OccupancyRole.choices
        if self.instance.pk:
            del self.fields["given_name"]
            del self.fields["family_name"]
            self.fields["person"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person") and "given_name" in self.fields:
            if not (data.get("given_name") or "").strip():
                self.add_error("person", _("Velg en lege eller skriv navnet på en ny lege."))
            elif not (data.get("family_name") or "").strip():
                self.add_error("family_name", _("Skriv etternavnet til den nye legen."))
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Siste dag kan ikke være før første dag."))
        if not end and (data.get("end_reason") or data.get("next_work")):
            self.add_error("end", _("Fyll inn siste dag når du oppgir sluttårsak."))
        return data


class CloseOccupancyForm(forms.Form):
    """A holder or locum leaves."""

    end = forms.DateField(label=_("Siste dag"), widget=DateInput())
    end_reason = forms.ChoiceField(label=_("Sluttårsak"), choices=EndReason.choices)
    next_work = forms.ChoiceField(
        label=_("Arbeid etterpå"), choices=NextWork.choices, initial=NextWork.UNKNOWN
    )
    exit_interview = forms.BooleanField(
        label=_("Registrer sluttintervju nå"),
        required=False,
        help_text=_("Du kommer til skjemaet for sluttintervjuet etter lagring."),
    )

    def __init__(self, *args: Any, occupancy: Occupancy, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.occupancy = occupancy
        if not occupancy.is_holder:
            del self.fields["exit_interview"]
            self.fields["end_reason"].required = False
            self.fields["end_reason"].choices = [("", "–"), *EndReason.choices]
            self.fields["next_work"].required = False
            self.fields["next_work"].choices = [("", "–"), *NextWork.choices]

    def clean_end(self) -> date:
        end: date = self.cleaned_data["end"]
        if end < self.occupancy.start:
            raise forms.ValidationError(_("Siste dag kan ikke være før første dag."))
        return end


class PostingForm(forms.ModelForm):
    class Meta:
        model = Posting
        fields = [
            "published",
            "deadline",
            "positions_advertised",
            "applicants",
            "qualified_applicants",
            "hired",
            "note",
        ]
        widgets = {
            "published": DateInput(),
            "deadline": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        published, deadline = data.get("published"), data.get("deadline")
        if published and deadline and deadline < published:
            self.add_error("deadline", _("Søknadsfristen kan ikke være før utlysningen."))
        applicants, qualified = data.get("applicants"), data.get("qualified_applicants")
        if applicants is not None and qualified is not None and qualified > applicants:
            self.add_error(
                "qualified_applicants", _("Kan ikke være flere kvalifiserte enn søkere.")
            )
        return data


class ExitInterviewForm(forms.ModelForm):
    reasons = forms.MultipleChoiceField(
        label=_("Årsaker til at legen slutter"),
        choices=ExitReason.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kryss av for alle som gjelder."),
    )

    class Meta:
        model = ExitInterview
        fields = ["held_on", "reasons", "interviewed_by", "comment"]
        widgets = {"held_on": DateInput(), "comment": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "comment": _(
                "Vises bare for kommunens ledere og koordinatorer, aldri i sammenstillinger."
            )
        }


class StaySurveyForm(forms.ModelForm):
    class Meta:
        model = StaySurvey
        fields = ["municipality", "year", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first()
        self.fields["year"].initial = timezone.localdate().year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, municipality = data.get("year"), data.get("municipality")
        if year is not None and not 2000 <= year <= 2100:
            self.add_error("year", _("Oppgi et årstall mellom 2000 og 2100."))
        elif year is not None and municipality is not None:
            clash = StaySurvey.objects.filter(municipality=municipality, year=year)
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error("year", _("Kommunen har allerede en runde dette året."))
        return data


class StaySurveyAnswerForm(forms.ModelForm):
    keeps = forms.MultipleChoiceField(
        label=_("Dette holder meg her"),
        choices=StayFactor.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = StaySurveyAnswer
        fields = [
            "respondent",
            "answered_on",
            "keeps",
            "intention_to_stay",
            "satisfaction",
            "comment",
        ]
        widgets = {"answered_on": DateInput(), "comment": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "comment": _("Vises bare sammenstilt, uten navn og dato, når runden har minst 5 svar.")
        }

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["respondent"].queryset = candidates
        self.fields["answered_on"].initial = timezone.localdate()


class ImportForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("Alle stillingene i filen må høre til denne kommunen."),
    )
    positions = forms.FileField(
        label=_("positions.csv"), help_text=_("Én rad per hjemmel eller stilling.")
    )
    occupancies = forms.FileField(
        label=_("occupancies.csv"), help_text=_("Én rad per innehaver eller vikar per periode.")
    )

    def __init__(self, *args: Any, municipalities: Any, admin: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if admin:
            self.fields["municipality"].empty_label = _("Flere kommuner (som i filen)")
            self.fields["municipality"].help_text = _(
                "Tomt: stillingene kan høre til alle kommuner."
            )
        else:
            self.fields["municipality"].required = True
            if municipalities.count() == 1:
                self.fields["municipality"].initial = municipalities.first()


KIND_CHOICES = [("", _("Alle typer")), *PositionKind.choices]
STATUS_CHOICES = [
    ("", _("Alle")),
    ("open", _("Aktive i dag")),
    ("closed", _("Nedlagte")),
]


def default_from(today: date) -> date:
    return date(today.year - 5, 1, 1)


class WorkforceFilterForm(forms.Form):
    """The filters of the register, figures and timeline pages (GET)."""

    kommune = forms.ChoiceField(label=_("Kommune"), required=False)
    region = forms.ChoiceField(label=_("Regionalt ALIS-kontor"), required=False)
    program = forms.ChoiceField(label=_("Program"), required=False)
    type = forms.ChoiceField(label=_("Type stilling"), choices=KIND_CHOICES, required=False)
    dato = forms.DateField(label=_("Dato"), required=False, widget=DateInput())
    fra = forms.DateField(label=_("Periode fra"), required=False, widget=DateInput())
    til = forms.DateField(label=_("Periode til"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def __init__(
        self,
        data: Any,
        *,
        municipalities: list[tuple[str, str]],
        regions: list[tuple[str, str]],
        programmes: list[str],
        fields: tuple[str, ...],
        today: date,
    ):
        super().__init__(data)
        self.today = today
        self.fields["kommune"].choices = [("", _("Alle kommuner")), *municipalities]
        self.fields["region"].choices = [("", _("Alle regioner")), *regions]
        self.fields["program"].choices = [("", _("Alle program")), *((p, p) for p in programmes)]
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]
        if len(regions) <= 1 and "region" in self.fields:
            del self.fields["region"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "dato" in self.fields and not data.get("dato"):
            data["dato"] = self.today
        if "fra" in self.fields:
            start = data.get("fra") or default_from(self.today)
            end = data.get("til") or self.today
            data["fra"], data["til"] = start, end
            if end < start:
                self.add_error("til", _("Perioden kan ikke slutte før den starter."))
            elif (end - start).days > 366 * 30:
                self.add_error("fra", _("Velg en periode på høyst 30 år."))
        return data


def person_candidates(user: Any, municipality: Municipality) -> Any:
    """Doctors the user may pick: the doctors the user can see in the person register, and
    everyone who has served a position the user can read (locums often have no home
    municipality)."""
    from veiviser.accounts.scope import scope_for
    from veiviser.workforce.querysets import reader_ids

    doctors = Person.objects.filter(is_doctor=True)
    ids = reader_ids(scope_for(user))
    if ids is not None:
        doctors = doctors.filter(
            Q(pk__in=Person.objects.visible_to(user).values("pk"))
            | Q(
                pk__in=Occupancy.objects.filter(position__municipality_id__in=ids).values(
                    "person_id"
                )
            )
        )
    return doctors.select_related("home_municipality").order_by("family_name", "given_name")
