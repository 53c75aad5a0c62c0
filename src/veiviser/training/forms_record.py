"""Forms for the parts of an ALIS's training record: service periods, leave, supervision
sessions, group supervision and courses. Every message names the field and says what to do."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veiviser.core.models import Municipality
from veiviser.training.models import (
    CatalogueGoal,
    Course,
    CourseKind,
    GroupSupervision,
    LeavePeriod,
    PlanGoal,
    ServicePeriod,
    SupervisionSession,
    Trainee,
)
from veiviser.web.forms import DateInput

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Extension → (content type, signatures the file must start with).
UPLOAD_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
BLANK = [("", "---------")]
UPLOAD_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


def check_upload(upload: UploadedFile, what: str) -> UploadedFile:
    """A PDF, PNG or JPEG of at most 5 MB, by extension, size and first bytes; stored under a
    random name (the original name may carry personal data and must not be guessable)."""
    ext = PurePath(upload.name or "").suffix.lower()
    if ext not in UPLOAD_TYPES:
        raise forms.ValidationError(
            _("%(what)s må være en PDF-, PNG- eller JPEG-fil.") % {"what": what}
        )
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("%(what)s kan være høyst 5 MB.") % {"what": what})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(UPLOAD_TYPES[ext][1]):
        raise forms.ValidationError(
            _("%(what)s er ikke en gyldig PDF-, PNG- eller JPEG-fil.") % {"what": what}
        )
    upload.name = f"{uuid.uuid4().hex}{'.jpg' if ext == '.jpeg' else ext}"
    return upload


class FileInput(forms.FileInput):
    """A plain file input: the current file is linked through the scoped download view, never
    through MEDIA_URL (which is not served)."""

    def __init__(self) -> None:
        super().__init__(attrs={"accept": UPLOAD_ACCEPT})


def _in_range(value: Decimal | None, low: Decimal, high: Decimal | None) -> bool:
    return value is None or (value > low and (high is None or value <= high))


class RecordForm(forms.ModelForm):
    """A form for one item of ``trainee``'s record; the item always belongs to that trainee."""

    file_field: str | None = None
    file_label: Any = ""

    def __init__(self, *args: Any, trainee: Trainee, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.trainee = trainee
        self.instance.trainee = trainee
        for field in self.fields.values():  # "Velg" instead of Django's "---------"
            if isinstance(field, forms.TypedChoiceField) and field.choices[:1] == BLANK:
                field.choices = [("", _("Velg")), *list(field.choices)[1:]]
        if self.file_field:
            self.fields[self.file_field].widget = FileInput()
            if getattr(self.instance, self.file_field):
                self.fields["remove_file"] = forms.BooleanField(
                    label=_("Fjern lagret fil"), required=False
                )

    def check_dates(self, data: dict[str, Any]) -> None:
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Til-dato kan ikke være før fra-dato."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.file_field:
            upload = data.get(self.file_field)
            if isinstance(upload, UploadedFile) and self.file_field not in self.errors:
                try:
                    data[self.file_field] = check_upload(upload, str(self.file_label))
                except forms.ValidationError as exc:
                    self.add_error(self.file_field, exc)
            elif data.get("remove_file"):
                data[self.file_field] = False  # FileField's way of saying "clear"
        return data

    def replaced_file(self) -> Any:
        """The stored file this save replaces or removes (to delete after commit), if any."""
        if not self.file_field or not self.instance.pk:
            return None
        old = (
            type(self.instance)
            .objects.filter(pk=self.instance.pk)
            .values_list(self.file_field, flat=True)
            .first()
        )
        new = getattr(self.instance, self.file_field)
        return old if old and old != (new.name if new else "") else None


class ServicePeriodForm(RecordForm):
    registered_institution = forms.ChoiceField(
        label=_("Registrert utdanningsvirksomhet"),
        required=False,
        choices=[("", _("Som kommunen er registrert")), ("yes", _("Ja")), ("no", _("Nei"))],
        help_text=_("Standard er det som er registrert for kommunen du har valgt."),
    )

    class Meta:
        model = ServicePeriod
        fields = ["start", "end", "percent", "arena", "setting", "employer", "municipality"]
        labels = {
            "start": _("Fra"),
            "end": _("Til"),
            "percent": _("Stillingsprosent"),
            "arena": _("Læringsarena"),
            "setting": _("Tjenestested"),
            "employer": _("Arbeidsgiver"),
            "municipality": _("Kommune"),
        }
        help_texts = {"end": _("La feltet stå tomt mens tjenesten pågår.")}
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args: Any, trainee: Trainee, **kwargs: Any):
        super().__init__(*args, trainee=trainee, **kwargs)
        municipality = self.fields["municipality"]
        municipality.queryset = Municipality.objects.order_by("name")
        municipality.label_from_instance = lambda m: f"{m.name} ({m.number})"
        if self.instance.pk:
            self.initial["registered_institution"] = (
                "yes" if self.instance.registered_institution else "no"
            )
        else:
            self.initial.setdefault("municipality", trainee.municipality_id)
            self.initial.setdefault("percent", 100)

    def clean_percent(self) -> Decimal:
        value = self.cleaned_data["percent"]
        if not _in_range(value, Decimal(0), Decimal(100)):
            raise forms.ValidationError(_("Stillingsprosenten må være over 0 og høyst 100."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.check_dates(data)
        choice = data.get("registered_institution")
        municipality = data.get("municipality")
        self.instance.registered_institution = (
            choice == "yes"
            if choice
            else bool(municipality and municipality.registered_institution)
        )
        return data


class LeavePeriodForm(RecordForm):
    class Meta:
        model = LeavePeriod
        fields = ["start", "end", "percent", "kind"]
        labels = {"start": _("Fra"), "end": _("Til"), "percent": _("Prosent"), "kind": _("Type")}
        help_texts = {
            "end": _("La feltet stå tomt mens permisjonen pågår."),
            "percent": _("100 for full permisjon, 50 for halv."),
        }
        widgets = {"start": DateInput(), "end": DateInput()}

    def clean_percent(self) -> Decimal:
        value = self.cleaned_data["percent"]
        if not _in_range(value, Decimal(0), Decimal(100)):
            raise forms.ValidationError(_("Prosenten må være over 0 og høyst 100."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.check_dates(data)
        return data


class SupervisionSessionForm(RecordForm):
    """Preparation and minutes are only on the form for the ALIS and the veileder
    (``private=True``); for everyone else they are neither shown nor changed."""

    class Meta:
        model = SupervisionSession
        fields = ["date", "hours", "topics", "preparation", "minutes"]
        labels = {
            "date": _("Dato"),
            "hours": _("Timer"),
            "topics": _("Tema (læringsmål)"),
            "preparation": _("Forberedelse"),
            "minutes": _("Referat"),
        }
        help_texts = {
            "hours": _("For eksempel 1,5 for halvannen time."),
            "topics": _(
                "Målene i utdanningsplanen dere tok opp. Hold Ctrl (Cmd på Mac) for å velge flere."
            ),
            "preparation": _("Bare ALIS og veilederen ser dette."),
            "minutes": _("Bare ALIS og veilederen ser dette."),
        }
        widgets = {
            "date": DateInput(),
            "topics": forms.SelectMultiple(attrs={"size": 8}),
            "preparation": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, trainee: Trainee, private: bool, **kwargs: Any):
        super().__init__(*args, trainee=trainee, **kwargs)
        if not private:
            del self.fields["preparation"]
            del self.fields["minutes"]
        topics = self.fields["topics"]
        topics.queryset = CatalogueGoal.objects.filter(
            pk__in=PlanGoal.objects.filter(plan__trainee=trainee, retired=False).values("goal_id")
        ).order_by("order")
        topics.label_from_instance = lambda g: f"{g.code} {g.title or g.theme}".strip()
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())

    def clean_hours(self) -> Decimal:
        value = self.cleaned_data["hours"]
        if not _in_range(value, Decimal(0), Decimal(24)):
            raise forms.ValidationError(_("Timer må være over 0 og høyst 24."))
        return value

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Datoen kan ikke være fram i tid."))
        return value


class GroupSupervisionForm(RecordForm):
    file_field = "diploma_file"
    file_label = _("Diplomet")

    class Meta:
        model = GroupSupervision
        fields = ["start", "end", "hours", "group", "group_leader", "diploma", "diploma_file"]
        labels = {
            "start": _("Fra"),
            "end": _("Til"),
            "hours": _("Timer"),
            "group": _("Gruppe"),
            "group_leader": _("Gruppeveileder"),
            "diploma": _("Diplom fra Legeforeningen mottatt"),
            "diploma_file": _("Diplom (fil)"),
        }
        help_texts = {
            "end": _("La feltet stå tomt mens gruppen pågår."),
            "hours": _("Timer i gruppen i perioden (kravet er 120 timer over to år)."),
            "diploma_file": _(
                "PDF, PNG eller JPEG, høyst 5 MB. Med fil regnes diplomet som mottatt."
            ),
        }
        widgets = {"start": DateInput(), "end": DateInput()}

    def clean_hours(self) -> Decimal:
        value = self.cleaned_data["hours"]
        if value is not None and not Decimal(0) <= value <= Decimal(1000):
            raise forms.ValidationError(_("Timer må være mellom 0 og 1000."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.check_dates(data)
        if isinstance(data.get("diploma_file"), UploadedFile):
            data["diploma"] = True
        return data


class CourseForm(RecordForm):
    file_field = "certificate"
    file_label = _("Kursbeviset")

    class Meta:
        model = Course
        fields = ["kind", "title", "hours", "completed", "certificate"]
        labels = {
            "kind": _("Type kurs"),
            "title": _("Tittel"),
            "hours": _("Timer"),
            "completed": _("Gjennomført dato"),
            "certificate": _("Kursbevis"),
        }
        help_texts = {
            "title": _("Påkrevd for emnekurs og annet kurs."),
            "completed": _("La feltet stå tomt for et planlagt kurs."),
            "certificate": _("PDF, PNG eller JPEG, høyst 5 MB."),
        }
        widgets = {"completed": DateInput()}

    def clean_hours(self) -> Decimal | None:
        value = self.cleaned_data["hours"]
        if not _in_range(value, Decimal(0), Decimal(1000)):
            raise forms.ValidationError(_("Timer må være over 0 og høyst 1000."))
        return value

    def clean_completed(self) -> Any:
        value = self.cleaned_data["completed"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(
                _(
                    "Gjennomført dato kan ikke være fram i tid. La feltet stå tomt for et "
                    "planlagt kurs."
                )
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind in (CourseKind.EMNEKURS, CourseKind.OTHER) and not data.get("title", "").strip():
            self.add_error("title", _("Skriv tittelen på kurset."))
        return data
