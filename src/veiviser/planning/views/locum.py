"""The locum plan of a municipality (/vikarplan/<number>/) and its forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from veiviser.core.models import Person
from veiviser.core.services import save_person
from veiviser.planning.access import get_absence_for_user, get_municipality_for_user
from veiviser.planning.forms import LocumForm, PlannedAbsenceForm
from veiviser.planning.queries import kind_label, locum_plan, source_label
from veiviser.planning.services import (
    arrange_locum,
    can_manage,
    delete_planned_absence,
    save_planned_absence,
)
from veiviser.web.forms import apply_errors


def today() -> date:
    return timezone.localdate()


def form_page(
    request: HttpRequest, form: Any, title: str, back: str, back_label: str, *, lead: str = ""
) -> HttpResponse:
    return render(
        request,
        "planning/form_page.html",
        {"form": form, "title": title, "back": back, "back_label": back_label, "lead": lead},
        status=400 if request.method == "POST" else 200,
    )


def _month_map(months: Any) -> list[dict[str, Any]]:
    """Rows of 12 cells for the compact visual (the table is the accessible version)."""
    rows = []
    for i in range(0, len(months), 12):
        chunk = months[i : i + 12]
        cells = []
        for m in chunk:
            if m.gap > 0:
                status = "not_met"
            elif m.needed > 0:
                status = "met"
            else:
                status = ""
            cells.append({"m": m, "status": status})
        rows.append(
            {
                "label": f"{chunk[0].month:%m.%Y}–{chunk[-1].month:%m.%Y}",
                "cells": cells,
            }
        )
    return rows


@login_required
def plan(request: HttpRequest, number: str) -> HttpResponse:
    """Need, cover and gap per office and month for 24 months, and the warnings."""
    municipality = get_municipality_for_user(request.user, number)
    day = today()
    result = locum_plan(municipality, day)
    offices = [
        {
            "office": office,
            "map": _month_map(office.months),
            "absences": [
                {
                    "row": row,
                    "kind": kind_label(row.absence.kind),
                    "source": source_label(row.source),
                }
                for row in office.absences
            ],
        }
        for office in result.offices
    ]
    return render(
        request,
        "planning/locum_plan.html",
        {
            "municipality": municipality,
            "result": result,
            "offices": offices,
            "months": result.months,
            "can_manage": can_manage(request.user, municipality.pk),
            "today": day,
        },
    )


@login_required
def absence_create(request: HttpRequest, number: str) -> HttpResponse:
    municipality = get_municipality_for_user(request.user, number, manage=True)
    form = PlannedAbsenceForm(
        request.POST or None,
        user=request.user,
        municipality=municipality,
        today=today(),
        initial={"position": request.GET.get("stilling")},
    )
    if request.method == "POST" and form.is_valid():
        absence = form.save(commit=False)
        absence.municipality = municipality
        try:
            save_planned_absence(absence=absence, by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Fraværet er lagret."))
            return redirect("locum_plan", number=municipality.number)
    return form_page(
        request,
        form,
        _("Nytt planlagt fravær: %(name)s") % {"name": municipality.name},
        back=reverse("locum_plan", kwargs={"number": municipality.number}),
        back_label=_("Vikarplan"),
    )


@login_required
def absence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    absence = get_absence_for_user(request.user, pk, manage=True)
    municipality = absence.municipality
    form = PlannedAbsenceForm(
        request.POST or None,
        instance=absence,
        user=request.user,
        municipality=municipality,
        today=min(today(), absence.start),
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_planned_absence(absence=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("locum_plan", number=municipality.number)
    return form_page(
        request,
        form,
        _("Endre fravær: %(name)s") % {"name": absence.person.full_name},
        back=reverse("locum_plan", kwargs={"number": municipality.number}),
        back_label=_("Vikarplan"),
    )


@login_required
def absence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    absence = get_absence_for_user(request.user, pk, manage=True)
    number = absence.municipality.number
    delete_planned_absence(absence=absence, by=request.user)
    messages.success(request, _("Fraværet er slettet."))
    return redirect("locum_plan", number=number)


@login_required
def locum_create(request: HttpRequest, number: str) -> HttpResponse:
    """Record a locum arranged for a position (prefilled from a warning: ?stilling=&fra=&til=)."""
    municipality = get_municipality_for_user(request.user, number, manage=True)
    initial = {
        "position": request.GET.get("stilling"),
        "start": request.GET.get("fra"),
        "end": request.GET.get("til"),
    }
    form = LocumForm(
        request.POST or None,
        user=request.user,
        municipality=municipality,
        today=today(),
        initial={k: v for k, v in initial.items() if v},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = data.get("person") or save_person(
                    person=Person(
                        given_name=data["given_name"].strip(),
                        family_name=data["family_name"].strip(),
                        is_doctor=True,
                        home_municipality=municipality,
                    ),
                    by=request.user,
                )
                arrange_locum(
                    position=data["position"],
                    person=person,
                    start=data["start"],
                    end=data["end"],
                    percent=data["percent"],
                    note=data.get("note") or "",
                    by=request.user,
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Vikaren er registrert."))
            return redirect("locum_plan", number=municipality.number)
    return form_page(
        request,
        form,
        _("Registrer vikar: %(name)s") % {"name": municipality.name},
        back=reverse("locum_plan", kwargs={"number": municipality.number}),
        back_label=_("Vikarplan"),
        lead=_(
            "Vikaren registreres også i stillingsregisteret, slik at stillingen telles som "
            "betjent av vikar i perioden."
        ),
    )
