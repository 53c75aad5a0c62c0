"""The form of the municipality's general training plan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from veiviser.documents.models import CONTACT_FIELDS, SECTIONS, MunicipalTrainingPlan


class MunicipalTrainingPlanForm(forms.ModelForm):
    base_version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = MunicipalTrainingPlan
        fields = [
            *(s.field for s in SECTIONS),
            *CONTACT_FIELDS,
            "valid_from",
            "change_note",
        ]
        widgets = {
            **{s.field: forms.Textarea(attrs={"rows": 9}) for s in SECTIONS},
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in SECTIONS:
            field = self.fields[section.field]
            field.label = f"{section.number} {section.title}"
            field.help_text = section.help
        self.fields["responsible_name"].label = _("Ansvarlig for planen (navn)")
        self.fields["valid_from"].input_formats = ["%Y-%m-%d", "%d.%m.%Y"]

    def content(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.Meta.fields}
