"""ALIS agreements: the municipality's list, an ALIS's agreements, a new agreement from the
template, an agreement with its version history, a new version, and the PDF of a version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from veiviser.agreements.access import (
    get_agreement_for_user,
    get_municipality_for_user,
    get_trainee_for_agreements,
)
from veiviser.agreements.documents import agreement_pdf
from veiviser.agreements.forms import AgreementTermsForm, template_terms
from veiviser.agreements.models import Agreement, AgreementVersion
from veiviser.agreements.services import add_version, can_manage, create_agreement, terms_of
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record
from veiviser.training.models import Trainee


def _with_current(qs: Any) -> list[dict[str, Any]]:
    """Agreements with their current version and number of versions (three queries)."""
    agreements = (
        qs.select_related("trainee__person", "municipality")
        .annotate(version_count=Count("versions"))
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=AgreementVersion.objects.order_by("-number"),
                to_attr="ordered_versions",
            )
        )
        .order_by("trainee__person__family_name", "trainee__person__given_name", "id")
    )
    today = timezone.localdate()
    rows = []
    for agreement in agreements:
        current = agreement.ordered_versions[0] if agreement.ordered_versions else None
        if current is None:
            continue
        if current.signed is None:
            status, label = "warning", _("Ikke signert")
        elif current.end is not None and current.end < today:
            status, label = "info", _("Avsluttet")
        elif current.start > today:
            status, label = "info", _("Starter senere")
        else:
            status, label = "met", _("Gjelder")
        rows.append(
            {
                "agreement": agreement,
                "current": current,
                "count": agreement.version_count,
                "status": status,
                "label": label,
            }
        )
    return rows


@login_required
def agreement_list(request: HttpRequest, number: str) -> HttpResponse:
    municipality = get_municipality_for_user(request.user, number)
    rows = _with_current(Agreement.objects.filter(municipality=municipality))
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "municipality": municipality,
            "rows": rows,
            "can_manage": can_manage(request.user, municipality.pk),
        },
    )


@login_required
def trainee_agreement_list(request: HttpRequest, pk: int) -> HttpResponse:
    trainee = get_trainee_for_agreements(request.user, pk)
    rows = _with_current(Agreement.objects.visible_to(request.user).filter(trainee=trainee))
    return render(
        request,
        "agreements/trainee_agreements.html",
        {
            "trainee": trainee,
            "rows": rows,
            "can_manage": can_manage(request.user, trainee.municipality_id),
        },
    )


@login_required
def agreement_create(request: HttpRequest, number: str) -> HttpResponse:
    municipality = get_municipality_for_user(request.user, number, manage=True)
    trainees = (
        Trainee.objects.filter(municipality=municipality)
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )
    today = timezone.localdate()
    chosen = None
    if (alis := request.GET.get("alis", "")).isascii() and alis.isdigit() and len(alis) < 10:
        chosen = trainees.filter(pk=int(alis)).first()
    initial = {**template_terms(trainee=chosen, today=today)}
    if chosen is not None:
        initial["trainee"] = chosen.pk
    form = AgreementTermsForm(request.POST or None, trainees=trainees, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                agreement = create_agreement(
                    municipality=municipality,
                    trainee=form.cleaned_data["trainee"],
                    terms=form.terms(),
                    by=request.user,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("ALIS-avtalen er lagret som versjon 1."))
                return redirect("agreement_detail", pk=agreement.pk)
        status = 400
    return render(
        request,
        "agreements/agreement_form.html",
        {
            "form": form,
            "municipality": municipality,
            "title": _("Ny ALIS-avtale fra mal"),
            "lead": _(
                "Skjemaet er fylt ut med standardvilkårene i Helsedirektoratets mal. Endre det "
                "som er avtalt med legen."
            ),
            "cancel_url": None,
        },
        status=status,
    )


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, pk)
    versions = list(
        AgreementVersion.objects.filter(agreement=agreement)
        .select_related("created_by")
        .order_by("-number")
    )
    if not versions:
        raise Http404
    latest = versions[0]
    shown = latest
    wanted = request.GET.get("versjon", "")
    if wanted:
        shown = next((v for v in versions if str(v.number) == wanted), None)  # type: ignore[assignment]
        if shown is None:
            raise Http404
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "version": shown,
            "latest": latest,
            "versions": versions,
            "steps": shown.list_cap_steps,
            "can_manage": can_manage(request.user, agreement.municipality_id),
            "oversees": _oversees(request.user, agreement.municipality_id),
        },
    )


def _oversees(user: Any, municipality_id: int) -> bool:
    from veiviser.accounts.scope import scope_for
    from veiviser.agreements.querysets import oversight_ids

    ids = oversight_ids(scope_for(user))
    return ids is None or municipality_id in ids


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, pk, manage=True)
    latest = AgreementVersion.objects.filter(agreement=agreement).order_by("-number").first()
    if latest is None:
        raise Http404
    form = AgreementTermsForm(request.POST or None, change=True, initial=terms_of(latest))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                version = add_version(
                    agreement=agreement,
                    terms=form.terms(),
                    change_note=form.cleaned_data["change_note"],
                    by=request.user,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, _("Endringen er lagret som versjon %(n)s.") % {"n": version.number}
                )
                return redirect("agreement_detail", pk=agreement.pk)
        status = 400
    return render(
        request,
        "agreements/agreement_form.html",
        {
            "form": form,
            "municipality": agreement.municipality,
            "agreement": agreement,
            "title": _("Endre ALIS-avtale for %(name)s")
            % {"name": agreement.trainee.person.full_name},
            "lead": _(
                "Endringen lagres som versjon %(n)s. Versjon %(current)s og eldre versjoner "
                "blir stående uendret i historikken."
            )
            % {"n": latest.number + 1, "current": latest.number},
        },
        status=status,
    )


@login_required
def agreement_pdf_view(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, pk)
    versions = {v.number: v for v in AgreementVersion.objects.filter(agreement=agreement)}
    chosen = versions.get(version)
    if chosen is None:
        raise Http404
    pdf = agreement_pdf(agreement, chosen, latest=max(versions))
    record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        instance=agreement,
        municipality_id=agreement.municipality_id,
        summary=_("ALIS-avtale som PDF (versjon %(n)s)") % {"n": version},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="alis-avtale-{agreement.pk}-v{version}.pdf"'
    )
    return response
