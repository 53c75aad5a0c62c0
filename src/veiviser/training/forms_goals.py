"""Forms of the learning-goal pages: sign-off actions, evidence, one-time supervisor links, the
public recommendation, the plan and the catalogue import."""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from veiviser.training.models import Catalogue, GoalAction, GoalEventRole
from veiviser.training.services import DEFAULT_CATALOGUE

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Extension → (content type, signatures the file must start with).
EVIDENCE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
}
EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx"
MAX_CATALOGUE_BYTES = 2 * 1024 * 1024
COMMENT_MAX = 2000


class GoalActionForm(forms.Form):
    """One sign-off action (submit, recommend, approve, …) with an optional comment; a
    rejection needs one. ``version`` is the goal's version when the page was shown."""

    action = forms.ChoiceField(choices=GoalAction.choices, widget=forms.HiddenInput)
    role = forms.ChoiceField(
        choices=GoalEventRole.choices, required=False, widget=forms.HiddenInput
    )
    version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Kommentar"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.data.get("action") if self.is_bound else self.initial.get("action")
        if action == GoalAction.REJECTED:
            comment = self.fields["comment"]
            comment.required = True
            comment.label = _("Begrunnelse")
            comment.help_text = _("Skriv hva som mangler, så ALIS vet hva som må til.")
            comment.error_messages["required"] = _(
                "Skriv en begrunnelse når målet ikke godkjennes."
            )


class RecommendationLinkForm(forms.Form):
    name = forms.CharField(label=_("Supervisørens navn"), max_length=160)
    email = forms.EmailField(
        label=_("Supervisørens e-post"),
        help_text=_("Lenken sendes hit. Den virker én gang og utløper etter 14 dager."),
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Skriv supervisørens navn."))
        return name


class RecommendByLinkForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentar"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hva har du sett som viser at læringsmålet er nådd?"),
    )


def _is_docx(upload: Any) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and "word/document.xml" in names


class EvidenceForm(forms.Form):
    """Evidence the ALIS attaches to a goal: a description, a link and/or a file."""

    text = forms.CharField(
        label=_("Beskrivelse"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hva du har gjort, og hvordan det viser at målet er nådd."),
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
        upload = self.cleaned_data.get("file")
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
        valid = head.startswith(EVIDENCE_TYPES[ext][1])
        if valid and ext == ".docx":
            valid = _is_docx(upload)
        if not valid:
            raise forms.ValidationError(
                _("Filen er ikke en gyldig %(type)s-fil.") % {"type": ext[1:].upper()}
            )
        upload.name = f"{uuid.uuid4().hex}{'.jpg' if ext == '.jpeg' else ext}"
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("text") or data.get("link") or data.get("file")):
            raise forms.ValidationError(
                _("Skriv en beskrivelse, legg inn en lenke eller velg en fil.")
            )
        return data


class PlanCreateForm(forms.Form):
    catalogue = forms.ModelChoiceField(
        label=_("Målkatalog"),
        queryset=Catalogue.objects.order_by("name"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["catalogue"]
        field.empty_label = gettext("Standard (%(name)s)") % {"name": DEFAULT_CATALOGUE}  # type: ignore[attr-defined]
        field.queryset = Catalogue.objects.exclude(name=DEFAULT_CATALOGUE).order_by("name")  # type: ignore[attr-defined]


class CatalogueImportForm(forms.Form):
    name = forms.CharField(
        label=_("Katalogens navn"),
        max_length=60,
        initial=DEFAULT_CATALOGUE,
        help_text=_(
            "Et eksisterende navn oppdaterer tekstene i den katalogen; et nytt navn lager en ny "
            "katalogversjon."
        ),
    )
    file = forms.FileField(
        label=_("Fil"),
        help_text=_(
            "Helsedirektoratets utdanningsplan som Excel (XLSX), eller CSV med kolonnene code, "
            "theme, title, description, recommended_activities. Høyst 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Skriv katalogens navn."))
        return name

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_CATALOGUE_BYTES:
            raise forms.ValidationError(_("Filen kan være høyst 2 MB."))
        return upload
