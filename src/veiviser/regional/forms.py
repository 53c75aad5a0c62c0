"""Forms of the regional pages: the dashboard's filter, a veileder profile, a coupling."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veiviser.core.models import Municipality, Person, RegionalOffice
from veiviser.regional.figures import DEFAULT_WEEKS, MAX_WEEKS
from veiviser.regional.models import VeilederProfile
from veiviser.web.forms import DateInput


class DashboardForm(forms.Form):
    uker = forms.IntegerField(
        label=_("Godkjenninger som har ventet mer enn (uker)"),
        min_value=1,
        max_value=MAX_WEEKS,
        initial=DEFAULT_WEEKS,
        required=False,
    )

    def weeks(self) -> int:
        return self.cleaned_data.get("uker") or DEFAULT_WEEKS


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        home = obj.home_municipality
        return f"{obj.full_name} ({home.name})" if home else obj.full_name


class _MunicipalityChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return obj.name


class ProfileForm(forms.ModelForm):
    """A veileder in the region's pool."""

    person = _PersonChoice(queryset=Person.objects.none(), label=_("Veileder"))
    municipalities = _MunicipalityChoices(
        queryset=Municipality.objects.none(),
        label=_("Kan veilede i"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("I tillegg til kommunen veilederen arbeider i."),
    )

    capacity = forms.IntegerField(
        label=_("Kapasitet (antall ALIS)"),
        min_value=1,
        max_value=20,
        help_text=_("Hvor mange ALIS veilederen kan ha samtidig."),
    )

    class Meta:
        model = VeilederProfile
        fields = ["person", "approved_on", "capacity", "municipalities", "active", "note"]
        widgets = {
            "approved_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, region: RegionalOffice, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["person"].queryset = (
            Person.objects.filter(is_doctor=True, home_municipality__regional_office=region)
            .select_related("home_municipality")
            .order_by("family_name", "given_name")
        )
        self.fields["municipalities"].queryset = Municipality.objects.filter(
            regional_office=region
        ).order_by("name")
        if not self.instance.pk:
            self.fields["approved_on"].initial = timezone.localdate()
        else:
            self.fields["person"].disabled = True

    def clean_person(self) -> Person:
        person: Person = self.cleaned_data["person"]
        others = VeilederProfile.objects.filter(region=self.region, person=person)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Veilederen er allerede i poolen."))
        return person


class _TraineeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.full_name} ({obj.municipality.name})"


class _ProfileChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: VeilederProfile) -> str:
        return obj.person.full_name


class ConnectForm(forms.Form):
    """Couple an ALIS without a veileder with a veileder of the pool."""

    trainee = _TraineeChoice(queryset=None, label=_("ALIS"))
    profile = _ProfileChoice(queryset=None, label=_("Veileder"))
    starts = forms.DateField(label=_("Fra"), widget=DateInput(), required=False)
    note = forms.CharField(
        label=_("Merknad"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: Any, trainees: Any, profiles: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["trainee"].queryset = trainees
        self.fields["profile"].queryset = profiles
