"""The privacy tools in the browser, for administrators: a data subject's access request
(everything held about a person as JSON), pseudonymisation of one person, and the retention purge.

The logic lives in ``veiviser.core.privacy`` (shared with ``veiviser privacy …`` on the command
line, docs/privacy.md, docs/adr/0082); these views only check the right, ask for confirmation and
show the plan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record
from veiviser.core.access import get_person_for_user, require_admin
from veiviser.core.models import Person
from veiviser.core.privacy import (
    KEPT_FOR_APPROVAL,
    NEVER_CHANGED,
    erase_person,
    export_person,
    is_erased,
    plan_purge,
    pseudonym,
    purge,
    related_rows,
    retention_years,
)

CONFIRM_LABEL = gettext_lazy("Jeg har kontrollert at sletting er tillatt etter arkivreglene")
PURGE_PEOPLE_SHOWN = 50


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=CONFIRM_LABEL,
        error_messages={"required": gettext_lazy("Du må bekrefte at sletting er tillatt.")},
    )
    family_name = forms.CharField(
        label=gettext_lazy("Skriv personens etternavn for å bekrefte"),
        max_length=200,
        error_messages={"required": gettext_lazy("Skriv etternavnet.")},
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_family_name(self) -> str:
        typed = " ".join(self.cleaned_data["family_name"].split())
        if typed.casefold() != " ".join(self.person.family_name.split()).casefold():
            raise forms.ValidationError(_("Etternavnet stemmer ikke med personen."))
        return typed


class PurgeForm(forms.Form):
    confirm = forms.BooleanField(
        label=CONFIRM_LABEL,
        error_messages={"required": gettext_lazy("Du må bekrefte at sletting er tillatt.")},
    )


@dataclass(frozen=True)
class PlanRow:
    label: str
    name: str
    about: int
    made: int
    treatment: str


def _treatment(label: str, about: int) -> str:
    user_label = settings.AUTH_USER_MODEL
    if label in NEVER_CHANGED:
        return _("Beholdes uendret: revisjonsloggen kan ikke endres (ansvarlighet).")
    if label == user_label:
        return _(
            "Brukeren sperres: brukernavn blir «slettet-ID», navn og e-post fjernes, "
            "passordet gjøres ubrukelig."
        )
    if label == "accounts.RoleAssignment":
        return _("Aktive roller avsluttes i dag.")
    if label in ("accounts.ApiToken", "accounts.OidcIdentity"):
        return _("Slettes.")
    if label in KEPT_FOR_APPROVAL:
        return _("Beholdes under pseudonym: trengs for spesialistgodkjenningen (arkivregler).")
    model = apps.get_model(label)
    personal = set(getattr(model, "PERSONAL_DATA", ()))
    # The fields erase_person empties: personal free text and files (not codes, dates, amounts).
    emptied = [
        str(f.verbose_name)
        for f in model._meta.concrete_fields
        if f.name in personal
        and not (f.is_relation or f.primary_key or f.choices)
        and isinstance(f, models.CharField | models.TextField | models.FileField)
    ]
    if about and emptied:
        return _(
            "I opplysninger om personen fjernes: %(fields)s. Resten beholdes; personens navn "
            "erstattes med pseudonymet der det står."
        ) % {"fields": ", ".join(emptied)}
    return _("Beholdes; personens navn erstattes med pseudonymet der det står.")


def erase_plan(person: Person) -> list[PlanRow]:
    """What erasure will touch, per kind of row: from the same row finder the erasure uses."""
    rows = []
    for label, found in sorted(related_rows(person).items()):
        if not found:
            continue
        about = sum(1 for _row, is_about in found.values() if is_about)
        rows.append(
            PlanRow(
                label=label,
                name=str(apps.get_model(label)._meta.verbose_name),
                about=about,
                made=len(found) - about,
                treatment=_treatment(label, about),
            )
        )
    return rows


@login_required
@require_GET
def privacy_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Innsyn (GDPR art. 15/20): everything held about the person, as the CLI export."""
    require_admin(request.user)
    person = get_person_for_user(request.user, pk)
    text = json.dumps(export_person(person), indent=2, ensure_ascii=False)
    record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        instance=person,
        summary="Innsyn: alle opplysninger om personen eksportert (nettleser)",
    )
    response = HttpResponse(text + "\n", content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="personvern-person-{person.pk}-{stamp}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def privacy_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Pseudonymisation (GDPR art. 17): the plan on GET, the erasure on a confirmed POST."""
    require_admin(request.user)
    person = get_person_for_user(request.user, pk)
    if is_erased(person):
        if request.method == "POST":
            messages.info(request, _("Personen er allerede pseudonymisert."))
            return redirect("person_detail", pk=person.pk)
        return render(request, "web/privacy_erase.html", {"person": person, "erased": True})
    form = EraseForm(request.POST if request.method == "POST" else None, person=person)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            locked = Person.objects.select_for_update().filter(pk=person.pk).first()
            if locked is not None and not is_erased(locked):
                report = erase_person(person=locked, by=request.user)
                changed = sum(report.changed.values())
                messages.success(
                    request,
                    _(
                        "Personen er pseudonymisert som «%(alias)s». %(rows)s rader endret, "
                        "%(files)s filer slettet."
                    )
                    % {"alias": pseudonym(locked), "rows": changed, "files": report.files_deleted},
                )
        return redirect("person_detail", pk=person.pk)
    return render(
        request,
        "web/privacy_erase.html",
        {
            "person": person,
            "erased": False,
            "form": form,
            "plan": erase_plan(person),
            "alias": pseudonym(person),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def privacy_purge(request: HttpRequest) -> HttpResponse:
    """The retention purge: the plan (as ``purge --dry-run``) and a confirmed button to run it."""
    require_admin(request.user)
    form = PurgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = purge(by=request.user)
        messages.success(
            request,
            _(
                "Sletting etter lagringstid er utført: %(people)s personer pseudonymisert, "
                "%(rows)s rader slettet."
            )
            % {"people": len(done.people), "rows": sum(done.deletions.values())},
        )
        return redirect("privacy_purge")
    plan = plan_purge()
    deletions = [
        (label, str(apps.get_model(label)._meta.verbose_name), count)
        for label, count in sorted(plan.deletions.items())
    ]
    shown = list(
        Person.objects.filter(pk__in=plan.people[:PURGE_PEOPLE_SHOWN]).order_by(
            "family_name", "given_name", "pk"
        )
    )
    return render(
        request,
        "web/privacy_purge.html",
        {
            "form": form,
            "plan": plan,
            "years": retention_years(),
            "deletions": deletions,
            "deleted_total": sum(plan.deletions.values()),
            "people_shown": shown,
            "people_more": max(0, len(plan.people) - len(shown)),
        },
        status=400 if request.method == "POST" else 200,
    )
