"""Forms of the cycle pages. Month fields take ``YYYY-MM`` (an ``<input type="month">``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from veiviser.core.models import Person
from veiviser.cycle.labels import item_labels
from veiviser.cycle.models import CycleComment, CycleTask, EntryKind, ProjectEntry, TaskStatus
from veiviser.rules import recruit_retain as rr
from veiviser.training.forms_goals import EVIDENCE_ACCEPT, EVIDENCE_TYPES, MAX_EVIDENCE_BYTES


class MonthField(forms.Field):
    """A month as ``YYYY-MM`` → the first day of that month."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"})
    default_error_messages = {"invalid": _("Skriv måneden som ÅÅÅÅ-MM, f.eks. 2026-11.")}

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.strftime("%Y-%m")
        return value

    def to_python(self, value: Any) -> dt.date | None:
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value.replace(day=1)
        try:
            year, month = str(value).strip().split("-")[:2]
            day = dt.date(int(year), int(month), 1)
        except (ValueError, TypeError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class TaskForm(forms.ModelForm):
    due = MonthField(label=_("Frist (måned)"))

    class Meta:
        model = CycleTask
        fields = [
            "activity",
            "title",
            "description",
            "responsible_person",
            "responsible_role",
            "responsible_text",
            "due",
            "interval_months",
            "status",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(home_municipality=municipality).order_by(
            "family_name", "given_name"
        )
        field = self.fields["responsible_person"]
        field.queryset = people  # type: ignore[attr-defined]
        field.required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (
            data.get("responsible_person")
            or data.get("responsible_role")
            or (data.get("responsible_text") or "").strip()
        ):
            self.add_error("responsible_role", _("Oppgi en ansvarlig person eller rolle."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    completed_on = forms.DateField(
        label=_("Utført dato"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Tom betyr i dag."),
    )


def clean_upload(upload: Any) -> Any:
    """An evidence file: PDF, PNG, JPEG or DOCX, at most 10 MB, content matching the name."""
    if not upload:
        return upload
    ext = PurePath(upload.name or "").suffix.lower()
    if ext not in EVIDENCE_TYPES:
        raise forms.ValidationError(_("Filen må være en PDF-, PNG-, JPEG- eller DOCX-fil."))
    if (upload.size or 0) > MAX_EVIDENCE_BYTES:
        raise forms.ValidationError(_("Filen kan være høyst 10 MB."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(EVIDENCE_TYPES[ext][1]):
        raise forms.ValidationError(_("Innholdet i filen stemmer ikke med filtypen."))
    return upload


class EvidenceForm(forms.Form):
    text = forms.CharField(
        label=_("Notat"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hva ble gjort, hvem var med, hva kom ut av det."),
    )
    link = forms.URLField(
        label=_("Lenke"),
        required=False,
        max_length=200,
        validators=[URLValidator(schemes=["http", "https"])],
        assume_scheme="https",
    )
    file = forms.FileField(
        label=_("Fil"),
        required=False,
        help_text=_("PDF, PNG, JPEG eller Word (DOCX), høyst 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )

    def clean_file(self) -> Any:
        return clean_upload(self.cleaned_data.get("file"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not (
            (data.get("text") or "").strip() or data.get("link") or data.get("file")
        ):
            self.add_error("text", _("Skriv et notat, legg inn en lenke eller velg en fil."))
        return data


class TemplateForm(forms.Form):
    tasks = forms.MultipleChoiceField(
        label=_("Oppgaver fra malen"),
        choices=[(t.key, t.key) for t in rr.TEMPLATE],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg minst én oppgave.")},
    )


SCORE_CHOICES = [("", _("Ikke vurdert"))] + [
    (str(i), label)
    for i, label in (
        (1, _("1 – ikke startet")),
        (2, _("2 – tilfeldig")),
        (3, _("3 – delvis på plass")),
        (4, _("4 – godt etablert")),
        (5, _("5 – fast rutine som virker")),
    )
]


class AssessmentForm(forms.Form):
    """One score (1–5 or not assessed) and comment per activity and criterion."""

    def __init__(self, *args: Any, initial_scores: dict[str, Any] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        initial_scores = initial_scores or {}
        for code, name in item_labels().items():
            score, comment = initial_scores.get(code, (None, ""))
            self.fields[f"{code}_score"] = forms.TypedChoiceField(
                label=name,
                choices=SCORE_CHOICES,
                required=False,
                coerce=int,
                empty_value=None,
                initial="" if score is None else str(score),
            )
            self.fields[f"{code}_comment"] = forms.CharField(
                label=_("Kommentar til %(item)s") % {"item": name},
                required=False,
                max_length=2000,
                initial=comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict[str, tuple[int | None, str]]:
        return {
            code: (
                self.cleaned_data.get(f"{code}_score"),
                self.cleaned_data.get(f"{code}_comment") or "",
            )
            for code, _name in rr.ITEMS
        }

    def pairs(self) -> list[tuple[Any, Any]]:
        return [(self[f"{code}_score"], self[f"{code}_comment"]) for code, _name in rr.ITEMS]


class ParametersForm(forms.Form):
    """The hand-entered key parameters of a year (empty = not entered)."""

    def __init__(self, *args: Any, initial_values: dict[str, Any] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        initial_values = initial_values or {}
        for parameter in rr.KEY_PARAMETERS:
            if parameter.computed:
                continue
            value, comment = initial_values.get(parameter.key, (None, ""))
            activity = rr.activity(parameter.activity)
            self.fields[parameter.key] = forms.DecimalField(
                label=gettext(parameter.label),
                required=False,
                min_value=Decimal(0),
                max_digits=10,
                decimal_places=2,
                initial=value,
                help_text=_("Aktivitet %(n)s: %(name)s")
                % {"n": activity.number, "name": gettext(activity.name)},
            )
            self.fields[f"{parameter.key}_comment"] = forms.CharField(
                label=_("Kommentar til %(label)s") % {"label": gettext(parameter.label)},
                required=False,
                max_length=300,
                initial=comment,
            )

    def values(self) -> dict[str, tuple[Decimal | None, str]]:
        return {
            p.key: (
                self.cleaned_data.get(p.key),
                self.cleaned_data.get(f"{p.key}_comment") or "",
            )
            for p in rr.KEY_PARAMETERS
            if not p.computed
        }


class EntryForm(forms.ModelForm):
    class Meta:
        model = ProjectEntry
        fields = ["kind", "title", "detail", "responsible", "on", "done"]
        widgets = {
            "detail": forms.Textarea(attrs={"rows": 2}),
            "on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == EntryKind.DECISION and not data.get("on"):
            self.add_error("on", _("Et vedtak må ha en dato."))
        return data


class CommentForm(forms.ModelForm):
    class Meta:
        model = CycleComment
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
