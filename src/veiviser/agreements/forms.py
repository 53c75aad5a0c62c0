"""Forms: agreement terms (new agreement from the template, new version), a rate row, and the
claim period. Every message names the field and says what to do."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veiviser.agreements.models import DoctorType, GrantRate, GrantScheme, SalaryModel
from veiviser.web.forms import DateInput

MAX_LIST_CAP = 4000
MAX_CLAIM_DAYS = 3 * 366
LINE = re.compile(r"^\s*(\S+)\s*[:;,]?\s+(\d+)\s*$")


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    return date(year, month % 12 + 1, min(day.day, 28))


def template_terms(*, trainee: Any = None, today: date) -> dict[str, Any]:
    """The defaults of a new agreement ("Ny avtale fra mal"): Helsedirektoratet's template
    with full-time salaried position, a reduced list that grows over two years, the education
    package and paid absence for courses and supervision."""
    start = today.replace(day=1)
    return {
        "salary_model": SalaryModel.SALARIED,
        "position_percent": Decimal(100),
        "list_cap_plan": [
            {"from": start.isoformat(), "cap": 500},
            {"from": add_months(start, 12).isoformat(), "cap": 800},
            {"from": add_months(start, 24).isoformat(), "cap": 1000},
        ],
        "extra_supervision_hours": Decimal(0),
        "course_costs_covered": True,
        "travel_costs_covered": True,
        "paid_leave_courses": True,
        "paid_leave_supervision": True,
        "binding_months": None,
        "start": start,
        "end": None,
        "signed": None,
        "doctor_type": DoctorType.GP,
        "scheme": getattr(trainee, "scheme", None) or GrantScheme.NEW,
        "locum_agency": False,
        "other_terms": "",
    }


def plan_text(plan: list[dict[str, Any]]) -> str:
    lines = []
    for step in plan or []:
        day = date.fromisoformat(step["from"]) if isinstance(step["from"], str) else step["from"]
        lines.append(f"{day:%d.%m.%Y} {step['cap']}")
    return "\n".join(lines)


def _parse_day(text: str) -> date | None:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_plan(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """``01.09.2024 500`` per line → steps, and the errors (naming the line)."""
    steps: list[dict[str, Any]] = []
    errors: list[str] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        match = LINE.match(raw)
        day = _parse_day(match.group(1)) if match else None
        if match is None or day is None:
            errors.append(
                str(
                    _("Linje %(n)s: skriv dato og listetak, f.eks. «01.09.2025 600».")
                    % {"n": number}
                )
            )
            continue
        cap = int(match.group(2))
        if not 1 <= cap <= MAX_LIST_CAP:
            errors.append(
                str(
                    _("Linje %(n)s: listetaket må være mellom 1 og %(max)s.")
                    % {"n": number, "max": MAX_LIST_CAP}
                )
            )
            continue
        if steps and day <= date.fromisoformat(steps[-1]["from"]):
            errors.append(
                str(_("Linje %(n)s: datoene må komme i stigende rekkefølge.") % {"n": number})
            )
            continue
        steps.append({"from": day.isoformat(), "cap": cap})
    return steps, errors


class AgreementTermsForm(forms.Form):
    """The terms of one version. ``trainees`` (a queryset) adds the ALIS choice (new agreement);
    ``change=True`` asks what is changed (new version)."""

    trainee = forms.ModelChoiceField(label=_("ALIS"), queryset=None, empty_label=_("Velg ALIS"))
    start = forms.DateField(label=_("Avtalen gjelder fra"), widget=DateInput())
    end = forms.DateField(
        label=_("Avtalen gjelder til"),
        required=False,
        widget=DateInput(),
        help_text=_("Tom når avtalen løper til den sies opp."),
    )
    signed = forms.DateField(
        label=_("Signert dato"),
        required=False,
        widget=DateInput(),
        help_text=_("Tilskudd gis bare for hele måneder etter at avtalen er signert."),
    )
    salary_model = forms.ChoiceField(label=_("Lønnsmodell"), choices=SalaryModel.choices)
    position_percent = forms.DecimalField(
        label=_("Stillingsandel (prosent)"),
        max_digits=5,
        decimal_places=1,
        validators=[
            MinValueValidator(1, _("Stillingsandelen må være minst 1 %%.")),
            MaxValueValidator(100, _("Stillingsandelen kan ikke være over 100 %%.")),
        ],
        help_text=_("1–100, f.eks. 100 for full stilling eller 60 for 60 %."),
    )
    list_cap_plan = forms.CharField(
        label=_("Listetak og planlagt opptrapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Én linje per trinn: dato og listetak fra den datoen, f.eks. «01.09.2025 500». "
            "Første linje er listetaket ved start."
        ),
    )
    extra_supervision_hours = forms.DecimalField(
        label=_("Veiledning utover forskriften (timer per måned)"),
        max_digits=4,
        decimal_places=1,
        initial=0,
        validators=[
            MinValueValidator(0, _("Timene kan ikke være negative.")),
            MaxValueValidator(40, _("Skriv høyst 40 timer per måned.")),
        ],
    )
    course_costs_covered = forms.BooleanField(
        label=_("Kommunen dekker kursavgifter til obligatoriske kurs"), required=False
    )
    travel_costs_covered = forms.BooleanField(
        label=_("Kommunen dekker reise og opphold til kurs"), required=False
    )
    paid_leave_courses = forms.BooleanField(label=_("Permisjon med lønn til kurs"), required=False)
    paid_leave_supervision = forms.BooleanField(
        label=_("Permisjon med lønn til veiledning og gruppeveiledning"), required=False
    )
    binding_months = forms.IntegerField(
        label=_("Bindingstid (måneder)"),
        required=False,
        validators=[
            MinValueValidator(1, _("Bindingstiden må være minst 1 måned, eller tom.")),
            MaxValueValidator(120, _("Bindingstiden kan være høyst 120 måneder.")),
        ],
    )
    doctor_type = forms.ChoiceField(
        label=_("Legetype (tilskudd)"),
        choices=DoctorType.choices,
        help_text=_("Bestemmer hvilken sats tilskuddet regnes med."),
    )
    scheme = forms.ChoiceField(label=_("Ordning"), choices=GrantScheme.choices)
    locum_agency = forms.BooleanField(
        label=_("Legen er ansatt i eller tilknyttet et vikarbyrå eller en kommersiell aktør"),
        required=False,
        help_text=_("Da gis det ikke tilskudd."),
    )
    other_terms = forms.CharField(
        label=_("Andre vilkår"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    change_note = forms.CharField(
        label=_("Hva er endret, og hvorfor"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, trainees: Any = None, change: bool = False, **kwargs: Any):
        initial = kwargs.get("initial")
        if initial and isinstance(initial.get("list_cap_plan"), list):
            kwargs["initial"] = {**initial, "list_cap_plan": plan_text(initial["list_cap_plan"])}
        super().__init__(*args, **kwargs)
        if trainees is None:
            del self.fields["trainee"]
        else:
            self.fields["trainee"].queryset = trainees
            self.fields["trainee"].label_from_instance = lambda t: t.person.full_name
        if not change:
            del self.fields["change_note"]

    def clean_list_cap_plan(self) -> list[dict[str, Any]]:
        steps, errors = parse_plan(self.cleaned_data.get("list_cap_plan") or "")
        if errors:
            raise forms.ValidationError(errors)
        return steps

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, signed = data.get("start"), data.get("end"), data.get("signed")
        if start and end and end < start:
            self.add_error("end", _("Sluttdatoen kan ikke være før startdatoen."))
        if signed and end and signed > end:
            self.add_error("signed", _("Avtalen kan ikke signeres etter at den er slutt."))
        steps = data.get("list_cap_plan") or []
        untouched = template_terms(today=timezone.localdate())["list_cap_plan"]
        if start and steps == untouched and steps[0]["from"] != start.isoformat():
            # the template's steps were left as they were: they follow the agreement's start
            steps = [
                {"from": add_months(start, 12 * i).isoformat(), "cap": step["cap"]}
                for i, step in enumerate(untouched)
            ]
            data["list_cap_plan"] = steps
        if start and steps and date.fromisoformat(steps[0]["from"]) < start:
            self.add_error(
                "list_cap_plan", _("Første trinn i listetaket kan ikke være før avtalen starter.")
            )
        elif start and steps and date.fromisoformat(steps[0]["from"]) > start:
            self.add_error(
                "list_cap_plan",
                _("Listetaket må ha et trinn fra avtalens startdato (%(d)s).")
                % {"d": start.strftime("%d.%m.%Y")},
            )
        return data

    def terms(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("trainee", None)
        data.pop("change_note", None)
        data["other_terms"] = (data.get("other_terms") or "").strip()
        return data


class RateForm(forms.ModelForm):
    class Meta:
        model = GrantRate
        fields = [
            "doctor_type",
            "valid_from",
            "valid_to",
            "annual_rate",
            "centrality6_supplement",
            "source",
            "is_example",
        ]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}
        help_texts = {
            "valid_to": _("Siste dag satsen gjelder. Tom: gjelder til en ny sats tar over."),
            "annual_rate": _("Kroner per år for full stilling."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Gyldig til kan ikke være før gyldig fra."))
        for name in ("annual_rate", "centrality6_supplement"):
            value = data.get(name)
            if value is not None and value < 0:
                self.add_error(name, _("Beløpet kan ikke være negativt."))
        return data


class ClaimPeriodForm(forms.Form):
    fra = forms.DateField(label=_("Periode fra"), widget=DateInput())
    til = forms.DateField(label=_("Periode til"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("fra"), data.get("til")
        if start and end:
            if end < start:
                self.add_error("til", _("Periodens slutt kan ikke være før starten."))
            elif (end - start).days > MAX_CLAIM_DAYS:
                self.add_error("til", _("Perioden kan være høyst tre år."))
        return data


class ArchiveForm(ClaimPeriodForm):
    note = forms.CharField(label=_("Merknad"), max_length=300, required=False)
