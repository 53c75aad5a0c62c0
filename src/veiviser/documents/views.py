"""The documents' pages and PDF downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from veiviser.accounts.scope import scope_for
from veiviser.core.models import Municipality, Office
from veiviser.documents.access import (
    get_certificate_subject_for_user,
    get_plan_municipality_for_user,
    get_trainee_for_training_plan,
)
from veiviser.documents.certificate import build_certificate
from veiviser.documents.content import (
    blocks,
    certificate_data,
    leader_name,
    municipal_plan_data,
    training_plan_data,
)
from veiviser.documents.forms import MunicipalTrainingPlanForm
from veiviser.documents.models import (
    CONTENT_FIELDS,
    SECTIONS,
    MunicipalTrainingPlan,
    placeholders_in,
)
from veiviser.documents.pdf import render_pdf
from veiviser.documents.services import StaleVersion, record_export, save_municipal_plan
from veiviser.documents.starter import starting_text
from veiviser.rules.ruleset import get_ruleset
from veiviser.training.models import Mentorship
from veiviser.training.records import record_of, verdict_of


def _pdf_response(pdf: bytes, filename: str, request: HttpRequest) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("last_ned") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _document_language() -> Any:
    """Documents are Norwegian: nynorsk for nynorsk readers, otherwise bokmål."""
    return translation.override("nn" if translation.get_language() == "nn" else "nb")


def _offices(municipality: Municipality) -> list[Office]:
    return list(Office.objects.filter(municipality=municipality).order_by("name"))


def _version_or_current(
    municipality: Municipality, request: HttpRequest
) -> tuple[MunicipalTrainingPlan | None, MunicipalTrainingPlan | None]:
    """(shown version, current version) — ``?versjon=N`` picks an older one."""
    versions = MunicipalTrainingPlan.objects.filter(municipality=municipality)
    current = versions.order_by("-version").first()
    wanted = request.GET.get("versjon", "").strip()
    if not wanted:
        return current, current
    if not (wanted.isascii() and wanted.isdigit()):
        raise Http404
    shown = versions.filter(version=int(wanted)).first()
    if shown is None:
        raise Http404
    return shown, current


def _changed_sections(versions: list[MunicipalTrainingPlan]) -> dict[int, list[str]]:
    """Per version, the titles of the sections that differ from the version before it."""
    titles = {s.field: f"{s.number} {s.title}" for s in SECTIONS}
    contact = _("Ansvarlig og kontakt")
    changed: dict[int, list[str]] = {}
    ordered = sorted(versions, key=lambda v: v.version)
    for previous, plan in zip([None, *ordered], ordered, strict=False):
        if previous is None:
            changed[plan.version] = []
            continue
        names: list[str] = []
        for field in CONTENT_FIELDS:
            if getattr(previous, field) != getattr(plan, field):
                label = titles.get(field, contact)
                if label not in names:
                    names.append(label)
        changed[plan.version] = names
    return changed


@login_required
@require_GET
def municipal_plan(request: HttpRequest, number: str) -> HttpResponse:
    municipality = get_plan_municipality_for_user(request.user, number)
    shown, current = _version_or_current(municipality, request)
    offices = _offices(municipality)
    content = shown.content() if shown else starting_text(municipality, offices)
    versions = list(
        MunicipalTrainingPlan.objects.filter(municipality=municipality).order_by("-version")
    )
    changed = _changed_sections(versions)
    history = [{"plan": v, "changed": changed.get(v.version, [])} for v in versions]
    sections = [
        {"number": s.number, "title": s.title, "blocks": blocks(content.get(s.field, ""))}
        for s in SECTIONS
    ]
    return render(
        request,
        "documents/municipal_plan.html",
        {
            "municipality": municipality,
            "plan": shown,
            "current": current,
            "is_current": shown is not None and current is not None and shown.pk == current.pk,
            "content": content,
            "sections": sections,
            "placeholders": len(placeholders_in(content)),
            "history": history,
            "can_edit": scope_for(request.user).can_manage_municipality(municipality.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def municipal_plan_edit(request: HttpRequest, number: str) -> HttpResponse:
    municipality = get_plan_municipality_for_user(request.user, number, write=True)
    current = MunicipalTrainingPlan.objects.current_for(municipality)
    if request.method == "POST":
        form = MunicipalTrainingPlanForm(request.POST)
        if form.is_valid():
            base = form.cleaned_data.get("base_version") or None
            try:
                plan = save_municipal_plan(
                    municipality=municipality,
                    content=form.content(),
                    by=request.user,
                    base_version=base,
                    valid_from=form.cleaned_data.get("valid_from"),
                    change_note=form.cleaned_data.get("change_note") or "",
                )
            except StaleVersion as exc:
                form.add_error(
                    None,
                    _(
                        "Planen er lagret av %(who)s (versjon %(version)s) etter at du åpnet "
                        "den. Åpne planen på nytt og gjør endringene dine der."
                    )
                    % {
                        "who": exc.current.created_by_name if exc.current else "–",
                        "version": exc.current.version if exc.current else "–",
                    },
                )
            else:
                if plan is None:
                    messages.info(request, _("Ingen endringer – planen er ikke lagret på nytt."))
                else:
                    messages.success(
                        request,
                        _("Generell utdanningsplan er lagret som versjon %(v)s.")
                        % {"v": plan.version},
                    )
                return redirect("municipal_plan", number=municipality.number)
    else:
        initial: dict[str, Any] = (
            current.content() if current else starting_text(municipality, _offices(municipality))
        )
        if current is not None:
            initial["valid_from"] = current.valid_from
        initial["base_version"] = current.version if current else ""
        form = MunicipalTrainingPlanForm(initial=initial)
    return render(
        request,
        "documents/municipal_plan_form.html",
        {
            "municipality": municipality,
            "form": form,
            "current": current,
            "placeholders": len(
                placeholders_in({n: str(form[n].value() or "") for n in CONTENT_FIELDS})
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def municipal_plan_pdf(request: HttpRequest, number: str) -> HttpResponse:
    municipality = get_plan_municipality_for_user(request.user, number)
    shown, current = _version_or_current(municipality, request)
    offices = _offices(municipality)
    today = timezone.localdate()
    with _document_language():
        content = shown.content() if shown else starting_text(municipality, offices)
        data = municipal_plan_data(
            municipality=municipality,
            content=content,
            plan=shown,
            is_current=shown is not None and current is not None and shown.pk == current.pk,
            offices=offices,
            today=today,
        )
        pdf = render_pdf("municipal_plan.typ", data, at=timezone.now())
    version = f"-v{shown.version}" if shown else "-mal"
    record_export(
        by=request.user,
        instance=shown or municipality,
        municipality_id=municipality.pk,
        summary=f"PDF: generell utdanningsplan{version} ({municipality.number})",
    )
    name = (
        f"generell-utdanningsplan-{municipality.number}-{slugify(municipality.name)}{version}.pdf"
    )
    return _pdf_response(pdf, name, request)


@login_required
@require_GET
def training_plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    trainee = get_trainee_for_training_plan(request.user, pk)
    today = timezone.localdate()
    mentors = list(
        Mentorship.objects.filter(trainee=trainee)
        .select_related("mentor")
        .order_by("kind", "-started")
    )
    with _document_language():
        verdict = verdict_of(trainee, today)
        data = training_plan_data(trainee=trainee, verdict=verdict, mentors=mentors, today=today)
        pdf = render_pdf("training_plan.typ", data, at=timezone.now())
    record_export(
        by=request.user,
        instance=trainee,
        municipality_id=trainee.municipality_id,
        summary="PDF: individuell utdanningsplan",
    )
    name = f"individuell-utdanningsplan-{slugify(trainee.person.full_name)}-{trainee.pk}.pdf"
    return _pdf_response(pdf, name, request)


@login_required
@require_GET
def service_certificate_pdf(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    trainee, municipality = get_certificate_subject_for_user(request.user, pk, number)
    today = timezone.localdate()
    certificate = build_certificate(
        periods=list(trainee.service_periods.all()),
        record=record_of(trainee),
        municipality_id=municipality.pk,
        current_municipality_id=trainee.municipality_id,
        as_of=today,
        ruleset=get_ruleset(trainee.ruleset),
    )
    with _document_language():
        data = certificate_data(
            trainee=trainee,
            municipality=municipality,
            certificate=certificate,
            signer=leader_name(municipality, request.user, today),
            today=today,
        )
        pdf = render_pdf("service_certificate.typ", data, at=timezone.now())
    record_export(
        by=request.user,
        instance=trainee,
        municipality_id=municipality.pk,
        summary=f"PDF: attest for allmennmedisinsk virksomhet ({municipality.number})",
    )
    name = (
        f"attest-allmennmedisinsk-virksomhet-{municipality.number}-"
        f"{slugify(trainee.person.full_name)}-{dt.date.isoformat(today)}.pdf"
    )
    return _pdf_response(pdf, name, request)
