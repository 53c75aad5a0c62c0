"""ALIS costs of a municipality (/kostnader/<number>/), of a region, and their forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from veiviser.accounts.scope import scope_for
from veiviser.core.models import RegionalOffice
from veiviser.planning.access import (
    get_cost_entry_for_user,
    get_municipality_for_user,
    get_region_for_user,
)
from veiviser.planning.cost_import import CostCsvInvalid, import_costs_csv
from veiviser.planning.costs import municipality_costs, region_costs
from veiviser.planning.forms import CostEntryForm, CostImportForm, GrantReceivedForm
from veiviser.planning.models import CostEntry, GrantReceived
from veiviser.planning.services import (
    can_manage,
    delete_cost_entry,
    save_cost_entry,
    save_grant_received,
)
from veiviser.planning.views.locum import form_page, today
from veiviser.rules.costs import CostCategory
from veiviser.web.forms import apply_errors


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("ar") or request.GET.get("år")
    if value and value.isascii() and value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return None


def _category_labels() -> list[tuple[CostCategory, str]]:
    from veiviser.planning.models import CostCategoryChoice

    labels = dict(CostCategoryChoice.choices)
    return [(c, str(labels[c.value])) for c in CostCategory]


@login_required
def overview(request: HttpRequest, number: str) -> HttpResponse:
    municipality = get_municipality_for_user(request.user, number)
    costs = municipality_costs(municipality, today().year, _year(request))
    categories = _category_labels()
    rows = [{"t": t, "amounts": [t.amount(c) for c, _label in categories]} for t in costs.trainees]
    return render(
        request,
        "planning/cost_overview.html",
        {
            "municipality": municipality,
            "costs": costs,
            "categories": categories,
            "rows": rows,
            "footer": [costs.selected.totals.by_category[c] for c, _label in categories],
            "can_manage": can_manage(request.user, municipality.pk),
            "region": municipality.regional_office,
        },
    )


def _back(number: str, year: int | None = None) -> str:
    url = reverse("cost_overview", kwargs={"number": number})
    return f"{url}?ar={year}" if year else url


@login_required
def entry_create(request: HttpRequest, number: str) -> HttpResponse:
    municipality = get_municipality_for_user(request.user, number, manage=True)
    entry = CostEntry(municipality=municipality)
    form = CostEntryForm(
        request.POST or None,
        instance=entry,
        municipality=municipality,
        initial={"year": _year(request) or today().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_cost_entry(entry=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Kostnaden er lagret."))
            return redirect(_back(municipality.number, entry.year))
    return form_page(
        request,
        form,
        _("Ny kostnad: %(name)s") % {"name": municipality.name},
        _back(municipality.number),
        _("Kostnader"),
    )


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_cost_entry_for_user(request.user, pk, manage=True)
    municipality = entry.municipality
    form = CostEntryForm(request.POST or None, instance=entry, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            save_cost_entry(entry=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect(_back(municipality.number, entry.year))
    return form_page(
        request,
        form,
        _("Endre kostnad: %(name)s %(year)s")
        % {"name": entry.trainee.person.full_name, "year": entry.year},
        _back(municipality.number, entry.year),
        _("Kostnader"),
    )


@login_required
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    entry = get_cost_entry_for_user(request.user, pk, manage=True)
    number, year = entry.municipality.number, entry.year
    delete_cost_entry(entry=entry, by=request.user)
    messages.success(request, _("Kostnaden er slettet."))
    return redirect(_back(number, year))


@login_required
def grant_edit(request: HttpRequest, number: str) -> HttpResponse:
    """The grant received for a year (one figure per year; saving again replaces it)."""
    municipality = get_municipality_for_user(request.user, number, manage=True)
    year = _year(request) or today().year
    existing = GrantReceived.objects.filter(municipality=municipality, year=year).first()
    initial: dict[str, Any] = {"year": year}
    if existing:
        initial.update(amount=existing.amount, note=existing.note)
    form = GrantReceivedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_grant_received(
                municipality=municipality,
                year=data["year"],
                amount=data["amount"],
                note=data.get("note") or "",
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Mottatt tilskudd er lagret."))
            return redirect(_back(municipality.number, data["year"]))
    return form_page(
        request,
        form,
        _("Mottatt tilskudd: %(name)s") % {"name": municipality.name},
        _back(municipality.number),
        _("Kostnader"),
        lead=_("Tilskuddet kommunen fikk utbetalt for året. Lagrer du igjen, erstattes beløpet."),
    )


@login_required
def cost_import(request: HttpRequest, number: str) -> HttpResponse:
    """CSV import of cost entries: everything or nothing; errors name line and column."""
    municipality = get_municipality_for_user(request.user, number, manage=True)
    form = CostImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("Filen må være UTF-8-kodet tekst (CSV)."))
        else:
            try:
                created = import_costs_csv(municipality=municipality, text=text, by=request.user)
            except CostCsvInvalid as exc:
                errors = exc.errors
                form.add_error("file", _("Filen har feil; ingenting er lagret."))
            else:
                messages.success(request, _("%(n)s kostnader er importert.") % {"n": len(created)})
                return redirect(_back(municipality.number))
    return render(
        request,
        "planning/cost_import.html",
        {"form": form, "municipality": municipality, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def region(request: HttpRequest, pk: int) -> HttpResponse:
    """Cost totals per municipality of a regional office's region."""
    office = get_region_for_user(request.user, pk)
    costs = region_costs(office, today().year, _year(request))
    others = (
        list(RegionalOffice.objects.exclude(pk=office.pk).order_by("name"))
        if scope_for(request.user).sees_everything
        else []
    )
    return render(
        request,
        "planning/cost_region.html",
        {"region": office, "costs": costs, "others": others},
    )
