"""The local project: goals, steering group, decisions and actions with their dates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from veiviser.cycle.access import can_manage, get_cycle_municipality, get_entry
from veiviser.cycle.forms import EntryForm
from veiviser.cycle.models import EntryKind, ProjectEntry
from veiviser.cycle.services import save_entry
from veiviser.cycle.views.common import bound_data
from veiviser.web.forms import apply_errors

SECTIONS = (
    (EntryKind.GOAL, "Mål"),
    (EntryKind.MEMBER, "Styringsgruppe"),
    (EntryKind.DECISION, "Vedtak"),
    (EntryKind.ACTION, "Tiltak"),
)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_project(request: HttpRequest, number: str) -> HttpResponse:
    """The project's four lists; managers add a line with the form below them."""
    municipality = get_cycle_municipality(request.user, number)
    manager = can_manage(request.user, municipality.pk)
    if request.method == "POST" and not manager:
        raise PermissionDenied
    form: Any = None
    if manager:
        initial = {"kind": request.GET.get("type") or EntryKind.ACTION}
        form = EntryForm(bound_data(request), initial=initial)
        if request.method == "POST" and form.is_valid():
            entry = form.save(commit=False)
            entry.municipality = municipality
            try:
                save_entry(entry=entry, by=request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Lagt til i prosjektet."))
                return redirect("cycle_project", number=municipality.number)
    entries = list(ProjectEntry.objects.filter(municipality=municipality))
    sections = [
        {"kind": kind, "name": _(name), "entries": [e for e in entries if e.kind == kind]}
        for kind, name in SECTIONS
    ]
    return render(
        request,
        "cycle/project.html",
        {"municipality": municipality, "sections": sections, "form": form, "can_manage": manager},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_entry_edit(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    municipality = get_cycle_municipality(request.user, number, manage=True)
    entry = get_entry(municipality, pk)
    form = EntryForm(bound_data(request), instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            save_entry(entry=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Endringen er lagret."))
            return redirect("cycle_project", number=municipality.number)
    return render(
        request,
        "cycle/entry_form.html",
        {"municipality": municipality, "form": form, "entry": entry},
        status=400 if request.method == "POST" else 200,
    )
