"""Forms of the organisation pages. Validation messages name the field and say what to do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from veiviser.accounts.models import Role
from veiviser.core.models import Municipality, Office, Person, RegionalOffice


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Feil brukernavn eller passord."),
        "inactive": _("Denne brukeren er deaktivert."),
    }


class MunicipalityForm(forms.Form):
    """Registration as training institution (leaders, coordinators, administrators); region
    and centrality (administrators only)."""

    registered_institution = forms.BooleanField(
        label=_("Registrert utdanningsvirksomhet"), required=False
    )
    registered_at = forms.DateField(
        label=_("Registrert dato"),
        required=False,
        widget=DateInput(),
        help_text=_("Datoen Helsedirektoratet registrerte kommunen."),
    )
    regional_office = forms.ModelChoiceField(
        label=_("Regionalt ALIS-kontor"), queryset=RegionalOffice.objects.all(), required=False
    )
    centrality = forms.TypedChoiceField(
        label=_("Sentralitet (SSB)"),
        choices=[("", "–")] + [(str(i), str(i)) for i in range(1, 7)],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, admin: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not admin:
            del self.fields["regional_office"]
            del self.fields["centrality"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("registered_at") and not data.get("registered_institution"):
            self.add_error(
                "registered_at",
                _("En dato kan bare settes når kommunen er registrert utdanningsvirksomhet."),
            )
        return data


class OfficeForm(forms.ModelForm):
    class Meta:
        model = Office
        fields = ["name", "address"]

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Office.objects.filter(municipality=self.instance.municipality, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Kommunen har allerede et legekontor med dette navnet."))
        return name


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "hpr_number",
            "email",
            "phone",
            "is_doctor",
            "is_specialist_gp",
            "home_municipality",
        ]

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["home_municipality"].queryset = municipalities
        self.fields["home_municipality"].required = True
        self.fields["hpr_number"].help_text = _(
            "7–9 siffer. La feltet stå tomt om det ikke finnes."
        )

    def clean_hpr_number(self) -> str | None:
        value = (self.cleaned_data.get("hpr_number") or "").strip()
        if not value:
            return None
        if not (value.isascii() and value.isdigit()) or not 7 <= len(value) <= 9:
            raise forms.ValidationError(_("HPR-nummeret må være 7–9 siffer."))
        return value


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices)
    municipality = forms.ModelChoiceField(
        label=_("Kommune"), queryset=Municipality.objects.none(), required=False
    )
    regional_office = forms.ModelChoiceField(
        label=_("Regionalt ALIS-kontor"), queryset=RegionalOffice.objects.all(), required=False
    )

    def __init__(self, *args: Any, municipalities: Any, admin: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if not admin:
            allowed = {Role.ALIS, Role.VEILEDER, Role.SUPERVISOR, Role.COORDINATOR}
            self.fields["role"].choices = [c for c in Role.choices if c[0] in allowed]
            del self.fields["regional_office"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role in (Role.NATIONAL, Role.ADMIN):
            data["municipality"] = None
            data["regional_office"] = None
        elif role == Role.REGIONAL:
            if not data.get("regional_office"):
                self.add_error("regional_office", _("Velg det regionale ALIS-kontoret."))
            data["municipality"] = None
        elif role:
            if not data.get("municipality"):
                self.add_error("municipality", _("Velg kommunen rollen gjelder."))
            data["regional_office"] = None
        return data


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Navn på nøkkelen"), max_length=80, help_text=_("For eksempel «Rapportskript».")
    )


class CentralityImportForm(forms.Form):
    file = forms.FileField(
        label=_("Korrespondansefil fra SSB (KLASS 128)"),
        help_text=_("CSV eksportert fra SSBs KLASS: kommune → sentralitet."),
    )


class UserForm(forms.Form):
    username = forms.CharField(label=_("Brukernavn"), max_length=150)
    password = forms.CharField(
        label=_("Startpassord"),
        widget=forms.PasswordInput,
        min_length=10,
        help_text=_("Minst 10 tegn. Personen bør bytte det ved første innlogging."),
    )

    def clean_username(self) -> str:
        from veiviser.accounts.models import User

        name = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("Brukernavnet er tatt."))
        return name


def apply_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: on the field it names, or on the form
    itself (so the page re-renders with status 400 and the message beside the field)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class AuditFilterForm(forms.Form):
    """Filters of the audit log: what was done, by or to whom (a name or what), and when."""

    action = forms.ChoiceField(label=_("Handling"), required=False)
    q = forms.CharField(
        label=_("Hvem eller hva"),
        required=False,
        max_length=100,
    )
    since = forms.DateField(label=_("Fra og med"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Til og med"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from veiviser.audit.models import AuditEvent

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Alle")), *AuditEvent.Action.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("Til-datoen kan ikke være før fra-datoen."))
        return data
