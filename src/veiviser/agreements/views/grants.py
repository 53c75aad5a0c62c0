"""The grant: the rate table (administrators write it), a claim computed for a municipality and
period, archiving it, the archived claims and their XLSX and PDF files."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veiviser.accounts.scope import scope_for
from veiviser.agreements.access import (
    get_claim_for_user,
    get_municipality_for_user,
    get_rate_for_admin,
    require_rate_reader,
)
from veiviser.agreements.claims import compute_for_municipality
from veiviser.agreements.forms import ArchiveForm, ClaimPeriodForm, RateForm
from veiviser.agreements.models import GrantClaim, GrantRate
from veiviser.agreements.services import archive_claim, can_manage, delete_rate, save_rate
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record
from veiviser.rules.grants import (
    GrantError,
    MissingRateError,
    OverlappingRatesError,
    doctor_type_text,
)

# --------------------------------------------------------------------------- rate table


@login_required
def rate_list(request: HttpRequest) -> HttpResponse:
    require_rate_reader(request.user)
    rates = list(GrantRate.objects.order_by("doctor_type", "valid_from"))
    return render(
        request,
        "agreements/rate_list.html",
        {
            "rates": rates,
            "is_admin": scope_for(request.user).is_admin,
            "has_examples": any(r.is_example for r in rates),
        },
    )


def _rate_form(request: HttpRequest, rate: GrantRate | None) -> HttpResponse:
    form = RateForm(request.POST or None, instance=rate)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                save_rate(rate=form.instance, by=request.user)
            except ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("Satsen er lagret."))
                return redirect("rate_list")
        status = 400
    return render(
        request,
        "agreements/rate_form.html",
        {"form": form, "rate": rate, "title": _("Endre sats") if rate else _("Ny sats")},
        status=status,
    )


@login_required
def rate_create(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).is_admin:
        raise PermissionDenied
    return _rate_form(request, None)


@login_required
def rate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _rate_form(request, get_rate_for_admin(request.user, pk))


@login_required
@require_POST
def rate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rate = get_rate_for_admin(request.user, pk)
    delete_rate(rate=rate, by=request.user)
    messages.success(request, _("Satsen er slettet."))
    return redirect("rate_list")


# --------------------------------------------------------------------------- claims


def grant_error_text(exc: GrantError) -> str:
    """A rate-table problem in words, with what to do about it."""
    if isinstance(exc, MissingRateError):
        return _(
            "Kravet kan ikke beregnes: satstabellen har ingen sats for %(type)s som gjelder "
            "%(month)s. En administrator må legge inn satsen under «Satser for tilskudd»."
        ) % {
            "type": doctor_type_text(exc.doctor_type).lower(),
            "month": exc.month.strftime("%m.%Y"),
        }
    if isinstance(exc, OverlappingRatesError):
        return _(
            "Kravet kan ikke beregnes: to satser for %(type)s gjelder samme dag. En "
            "administrator må rette satstabellen."
        ) % {"type": doctor_type_text(exc.first.doctor_type).lower()}
    return _("Kravet kan ikke beregnes: %(error)s") % {"error": exc}


def default_period(today: date) -> tuple[date, date]:
    """The last whole calendar year."""
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)


@login_required
def grant_claim_list(request: HttpRequest, number: str) -> HttpResponse:
    municipality = get_municipality_for_user(request.user, number)
    claims = list(
        GrantClaim.objects.filter(municipality=municipality)
        .defer("xlsx", "pdf", "result", "rates")
        .order_by("-created_at", "-id")
    )
    start, end = default_period(timezone.localdate())
    return render(
        request,
        "agreements/claim_list.html",
        {
            "municipality": municipality,
            "claims": claims,
            "form": ClaimPeriodForm(initial={"fra": start, "til": end}),
            "can_manage": can_manage(request.user, municipality.pk),
        },
    )


@login_required
def grant_claim_preview(request: HttpRequest, number: str) -> HttpResponse:
    """GET: the claim computed for ``fra``–``til``. POST (managers): archive it."""
    manage = request.method == "POST"
    municipality = get_municipality_for_user(request.user, number, manage=manage)
    form_class = ArchiveForm if manage else ClaimPeriodForm
    form = form_class(request.POST if manage else request.GET)
    context: dict[str, Any] = {
        "municipality": municipality,
        "form": form,
        "can_manage": can_manage(request.user, municipality.pk),
        "result": None,
        "error": None,
    }
    if not form.is_valid():
        return render(request, "agreements/claim_preview.html", context, status=400)
    start, end = form.cleaned_data["fra"], form.cleaned_data["til"]
    if manage:
        try:
            claim = archive_claim(
                municipality=municipality,
                period_from=start,
                period_to=end,
                note=form.cleaned_data.get("note", ""),
                by=request.user,
            )
        except GrantError as exc:
            context["error"] = grant_error_text(exc)
            return render(request, "agreements/claim_preview.html", context, status=400)
        messages.success(request, _("Kravet er arkivert."))
        return redirect("grant_claim_detail", pk=claim.pk)
    try:
        computed = compute_for_municipality(
            municipality=municipality, period_from=start, period_to=end
        )
    except GrantError as exc:
        context["error"] = grant_error_text(exc)
        return render(request, "agreements/claim_preview.html", context)
    context.update(
        {
            "result": computed.result,
            "rates": computed.rates_snapshot,
            "archive_form": ArchiveForm(initial={"fra": start, "til": end}),
        }
    )
    return render(request, "agreements/claim_preview.html", context)


@login_required
def grant_claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_user(request.user, pk)
    return render(
        request,
        "agreements/claim_detail.html",
        {
            "claim": claim,
            "municipality": claim.municipality,
            "result": claim.result,
            "rates": claim.rates,
        },
    )


def _download(request: HttpRequest, claim: GrantClaim, kind: str) -> HttpResponse:
    record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        instance=claim,
        municipality_id=claim.municipality_id,
        summary=_("Tilskuddskrav som %(kind)s") % {"kind": kind.upper()},
    )
    name = (
        f"tilskudd-{claim.municipality.number}-{claim.period_from:%Y%m%d}-{claim.period_to:%Y%m%d}"
    )
    if kind == "xlsx":
        response = HttpResponse(
            bytes(claim.xlsx),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(bytes(claim.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
def grant_claim_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, get_claim_for_user(request.user, pk), "xlsx")


@login_required
def grant_claim_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, get_claim_for_user(request.user, pk), "pdf")
