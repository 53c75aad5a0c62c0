"""The hand-filled part of the annual report, and the year filter of the regional overview."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.utils.translation import gettext_lazy as _

from veiviser.annual.models import AnnualReport
from veiviser.rules.annual import FIRST_YEAR

TEXT_FIELDS = ("recruitment_measures", "retention_measures", "plans", "comments")
TEXT_LIMIT = 5000


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = AnnualReport.MANUAL_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in TEXT_FIELDS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in TEXT_FIELDS:
            self.fields[name].validators.append(MaxLengthValidator(TEXT_LIMIT))
            self.fields[name].widget.attrs["maxlength"] = TEXT_LIMIT


class RegionYearForm(forms.Form):
    ar = forms.IntegerField(label=_("År"), min_value=FIRST_YEAR, required=False)
    alle = forms.BooleanField(label=_("Vis også kommuner uten ALIS"), required=False)

    def __init__(self, *args: Any, latest: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ar"].validators.append(MaxValueValidator(latest))
        self.fields["ar"].widget.attrs.update({"min": FIRST_YEAR, "max": latest})
