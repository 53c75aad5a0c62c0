"""Municipalities, regional offices, GP offices and the centrality import."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from veiviser.accounts.scope import scope_for
from veiviser.core.access import (
    get_managed_municipality_for_user,
    get_municipality_for_user,
    get_office_for_user,
    require_admin,
)
from veiviser.core.models import Municipality, Office, RegionalOffice
from veiviser.core.reference import CentralityFileError
from veiviser.core.services import import_centrality, save_office, update_municipality
from veiviser.training.models import Trainee
from veiviser.web.forms import CentralityImportForm, MunicipalityForm, OfficeForm


@login_required
def municipality_list(request: HttpRequest) -> HttpResponse:
    qs = Municipality.objects.visible_to(request.user).with_counts()
    query = request.GET.get("q", "").strip()[:80]
    region = request.GET.get("region", "").strip()[:40]
    registered = request.GET.get("registered", "")
    if query:
        qs = qs.filter(
            Q(name__icontains=query) | Q(number__startswith=query) | Q(county__icontains=query)
        )
    if region:
        qs = qs.filter(regional_office__code=region)
    if registered in ("yes", "no"):
        qs = qs.filter(registered_institution=(registered == "yes"))
    if request.GET.get("format") == "csv":
        return _municipalities_csv(qs)
    page = Paginator(qs.order_by("number"), 50).get_page(request.GET.get("page"))
    regions = RegionalOffice.objects.visible_to(request.user).order_by("name")
    return render(
        request,
        "web/municipality_list.html",
        {
            "page_obj": page,
            "q": query,
            "region": region,
            "registered": registered,
            "regions": regions,
            "is_admin": scope_for(request.user).is_admin,
        },
    )


def _municipalities_csv(qs: object) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kommuner.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            "kommunenummer",
            "navn",
            "fylke",
            "helseregion",
            "alis_kontor",
            "sentralitet",
            "registrert_utdanningsvirksomhet",
            "registrert_dato",
        ]
    )
    for m in qs.order_by("number"):  # type: ignore[attr-defined]
        writer.writerow(
            [
                m.number,
                m.name,
                m.county,
                m.health_region,
                m.regional_office.name if m.regional_office else "",
                m.centrality or "",
                "ja" if m.registered_institution else "nei",
                m.registered_at.strftime("%d.%m.%Y") if m.registered_at else "",
            ]
        )
    return response


@login_required
def my_municipality(request: HttpRequest) -> HttpResponse:
    """The menu's "Min kommune": the one municipality the user manages, or the list of them."""
    managed = list(
        Municipality.objects.managed_by(request.user).values_list("number", flat=True)[:2]
    )
    if scope_for(request.user).is_admin or len(managed) != 1:
        if not managed:
            raise Http404
        return redirect("municipality_list")
    return redirect("municipality_detail", number=managed[0])


def _getting_started(
    municipality: Municipality, offices: list[Office], trainees: Any
) -> dict[str, Any] | None:
    """The first steps of a municipality new to ALIS, in order, with what is done; None once
    every step is done."""
    from veiviser.agreements.models import Agreement, GrantClaim
    from veiviser.documents.models import MunicipalTrainingPlan

    number = municipality.number
    first = trainees.order_by("pk").first()
    steps = [
        (
            _("Skriv kommunens generelle utdanningsplan"),
            MunicipalTrainingPlan.objects.filter(municipality=municipality).exists(),
            reverse("municipal_plan", args=[number]),
        ),
        (
            _(
                "Søk Helsedirektoratet om registrering som utdanningsvirksomhet, og før inn "
                "datoen i Veiviser"
            ),
            municipality.registered_institution,
            reverse("municipality_edit", args=[number]),
        ),
        (_("Legg inn legekontor"), bool(offices), reverse("office_create", args=[number])),
        (
            _("Legg inn den første ALIS-en (den individuelle planen lages samtidig)"),
            first is not None,
            reverse("trainee_create"),
        ),
        (
            _("Lag ALIS-avtale fra malen"),
            Agreement.objects.filter(municipality=municipality).exists(),
            reverse("agreement_list", args=[number]),
        ),
        (
            _("Beregn og last ned tilskuddskravet"),
            GrantClaim.objects.filter(municipality=municipality).exists(),
            reverse("grant_claim_list", args=[number]),
        ),
    ]
    if all(done for _label, done, _url in steps):
        return None
    rows = [{"label": label, "done": done, "url": url} for label, done, url in steps]
    return {"steps": rows, "done": sum(1 for r in rows if r["done"]), "total": len(rows)}


@login_required
def municipality_detail(request: HttpRequest, number: str) -> HttpResponse:
    municipality = get_municipality_for_user(request.user, number)
    scope = scope_for(request.user)
    offices = municipality.offices.annotate(
        positions_open=Count("positions", filter=Q(positions__closed__isnull=True))
    ).order_by("name")
    positions = (
        municipality.positions.filter(closed__isnull=True).values("kind").annotate(n=Count("id"))
    )
    position_counts = {row["kind"]: row["n"] for row in positions}
    trainees = (
        Trainee.objects.visible_to(request.user)
        .filter(municipality=municipality)
        .with_people()
        .select_related("office")
    )
    can_manage = scope.can_manage_municipality(municipality.pk)
    return render(
        request,
        "web/municipality_detail.html",
        {
            "getting_started": _getting_started(municipality, list(offices), trainees)
            if can_manage
            else None,
            "municipality": municipality,
            "offices": offices,
            "position_counts": position_counts,
            "trainees": trainees,
            "can_manage": can_manage,
            "can_oversee": scope.oversight_municipality_ids is None
            or municipality.pk in scope.oversight_municipality_ids,
            "is_admin": scope.is_admin,
        },
    )


@login_required
def municipality_edit(request: HttpRequest, number: str) -> HttpResponse:
    municipality = get_managed_municipality_for_user(request.user, number)
    admin = scope_for(request.user).is_admin
    initial = {
        "registered_institution": municipality.registered_institution,
        "registered_at": municipality.registered_at,
        "regional_office": municipality.regional_office,
        "centrality": municipality.centrality,
    }
    form = MunicipalityForm(request.POST or None, initial=initial, admin=admin)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kwargs = {
            "registered_institution": data["registered_institution"],
            "registered_at": data["registered_at"],
        }
        if admin:
            kwargs["regional_office"] = data["regional_office"]
            kwargs["centrality"] = data["centrality"]
        update_municipality(municipality=municipality, by=request.user, **kwargs)
        messages.success(request, _("Endringene er lagret."))
        return redirect("municipality_detail", number=municipality.number)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "web/form_page.html",
        {
            "form": form,
            "title": _("Endre %(name)s") % {"name": municipality.name},
            "municipality": municipality,
        },
        status=status,
    )


@login_required
def office_edit(request: HttpRequest, number: str, pk: int | None = None) -> HttpResponse:
    municipality = get_managed_municipality_for_user(request.user, number)
    office = get_office_for_user(request.user, pk, manage=True) if pk else Office()
    if pk and office.municipality_id != municipality.pk:
        return redirect("office_edit", number=office.municipality.number, pk=office.pk)
    form = OfficeForm(request.POST or None, instance=office, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        save_office(office=form.save(commit=False), by=request.user)
        messages.success(request, _("Legekontoret er lagret."))
        return redirect("municipality_detail", number=municipality.number)
    title = _("Endre legekontor") if pk else _("Nytt legekontor")
    return render(
        request,
        "web/form_page.html",
        {"form": form, "title": title, "municipality": municipality},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def regional_office_list(request: HttpRequest) -> HttpResponse:
    offices = RegionalOffice.objects.visible_to(request.user).annotate(
        municipality_count=Count("municipalities", distinct=True),
        registered_count=Count(
            "municipalities", filter=Q(municipalities__registered_institution=True), distinct=True
        ),
    )
    scope = scope_for(request.user)
    followed = None if scope.sees_everything else scope.region_ids
    return render(
        request,
        "web/regional_office_list.html",
        {"offices": offices, "followed": followed, "sees_all": scope.sees_everything},
    )


@login_required
def centrality_import(request: HttpRequest) -> HttpResponse:
    require_admin(request.user)
    form = CentralityImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            changed = import_centrality(data=form.cleaned_data["file"].read(), by=request.user)
        except CentralityFileError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                ngettext(
                    "Sentralitet importert: %(n)s kommune endret.",
                    "Sentralitet importert: %(n)s kommuner endret.",
                    changed,
                )
                % {"n": changed},
            )
            return redirect("municipality_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "web/centrality_import.html", {"form": form, "errors": errors}, status=status
    )
