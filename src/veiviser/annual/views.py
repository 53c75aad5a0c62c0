"""The annual report pages: one municipality's report (figures, the hand-filled part, submit,
XLSX and PDF) and the regional office's overview of who has submitted."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from veiviser.annual import exports
from veiviser.annual.access import (
    get_region_for_user,
    get_report_municipality_for_user,
    require_year,
)
from veiviser.annual.figures import compute
from veiviser.annual.forms import AnnualReportForm, RegionYearForm
from veiviser.annual.models import AnnualReport
from veiviser.annual.presenters import sections
from veiviser.annual.services import can_edit, reopen_report, save_report, submit_report
from veiviser.core.models import Municipality
from veiviser.documents.services import record_export
from veiviser.rules import annual as rules


def _report(municipality: Municipality, year: int) -> AnnualReport | None:
    return (
        AnnualReport.objects.filter(municipality=municipality, year=year)
        .select_related("submitted_by", "updated_by")
        .first()
    )


def _load(request: HttpRequest, number: str, year: int) -> tuple[Municipality, Any]:
    municipality = get_report_municipality_for_user(request.user, number)
    today = timezone.localdate()
    require_year(year, rules.valid_year(year, today))
    return municipality, today


@login_required
def annual_report_current(request: HttpRequest, number: str) -> HttpResponse:
    """The report on the current reporting year (the year before today's)."""
    municipality = get_report_municipality_for_user(request.user, number)
    year = rules.reporting_year(timezone.localdate())
    return redirect("annual_report", number=municipality.number, year=year)


@login_required
def annual_report(request: HttpRequest, number: str, year: int) -> HttpResponse:
    municipality, today = _load(request, number, year)
    report = _report(municipality, year)
    editable = can_edit(request.user, municipality)
    form: AnnualReportForm | None = None
    status = 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        action = request.POST.get("action", "save")
        try:
            if action == "reopen":
                reopen_report(municipality=municipality, year=year, by=request.user)
                messages.success(request, _("Rapporten er åpnet igjen og kan endres."))
                return redirect("annual_report", number=number, year=year)
            if action not in ("save", "submit"):
                raise ValidationError(_("Ukjent handling."), code="action")
            form = AnnualReportForm(
                request.POST, instance=AnnualReport(municipality=municipality, year=year)
            )
            if form.is_valid():
                save_report(
                    municipality=municipality, year=year, values=form.cleaned_data, by=request.user
                )
                if action == "submit":
                    submit_report(municipality=municipality, year=year, by=request.user)
                    messages.success(request, _("Årsrapporten er sendt inn. Takk!"))
                else:
                    messages.success(request, _("Utkastet er lagret."))
                return redirect("annual_report", number=number, year=year)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        status = 400
        report = _report(municipality, year)
    if form is None and editable and not (report and report.submitted):
        form = AnnualReportForm(instance=report)
    figures = compute(municipality, year, today)
    return render(
        request,
        "annual/report.html",
        {
            "municipality": municipality,
            "year": year,
            "report": report,
            "figures": figures,
            "sections": sections(figures, report),
            "form": form,
            "editable": editable,
            "deadline": rules.deadline(year),
            "deadline_state": rules.deadline_state(
                year, today, submitted=bool(report and report.submitted)
            ),
            "years": list(
                range(rules.reporting_year(today), max(rules.FIRST_YEAR, year - 5) - 1, -1)
            ),
            "region": municipality.regional_office,
        },
        status=status,
    )


def _export(request: HttpRequest, number: str, year: int) -> tuple[Any, ...]:
    municipality, today = _load(request, number, year)
    report = _report(municipality, year)
    figures = compute(municipality, year, today)
    return municipality, today, report, figures, sections(figures, report)


def _filename(municipality: Municipality, year: int, ext: str) -> str:
    return f"arsrapport-{year}-{municipality.number}-{slugify(municipality.name)}.{ext}"


@login_required
@require_GET
def annual_report_xlsx(request: HttpRequest, number: str, year: int) -> HttpResponse:
    municipality, _today, report, figures, parts = _export(request, number, year)
    content = exports.xlsx(figures, report, parts)
    record_export(
        by=request.user,
        instance=report or municipality,
        municipality_id=municipality.pk,
        summary=f"XLSX: årsrapport {year} ({municipality.number})",
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(municipality, year, "xlsx")}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def annual_report_pdf(request: HttpRequest, number: str, year: int) -> HttpResponse:
    municipality, today, report, figures, parts = _export(request, number, year)
    content = exports.pdf(exports.pdf_data(figures, report, parts, today), at=timezone.now())
    record_export(
        by=request.user,
        instance=report or municipality,
        municipality_id=municipality.pk,
        summary=f"PDF: årsrapport {year} ({municipality.number})",
    )
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("last_ned") else "inline"
    response["Content-Disposition"] = (
        f'{disposition}; filename="{_filename(municipality, year, "pdf")}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def annual_report_region(request: HttpRequest, pk: int) -> HttpResponse:
    """Which of the region's municipalities have submitted their report (ALIS first)."""
    region = get_region_for_user(request.user, pk)
    today = timezone.localdate()
    latest = rules.reporting_year(today)
    form = RegionYearForm(request.GET, latest=today.year)
    if not form.is_valid():
        return render(
            request,
            "annual/region.html",
            {"region": region, "form": form, "rows": [], "year": latest},
            status=400,
        )
    year = form.cleaned_data.get("ar") or latest
    show_all = form.cleaned_data.get("alle")
    municipalities = list(
        Municipality.objects.filter(regional_office=region)
        .annotate(trainee_count=Count("trainees", distinct=True))
        .order_by("name")
    )
    reports = {
        r.municipality_id: r
        for r in AnnualReport.objects.filter(municipality__regional_office=region, year=year).only(
            "municipality_id", "status", "submitted_at", "updated_at"
        )
    }
    rows = [
        {"municipality": m, "report": reports.get(m.pk)}
        for m in sorted(municipalities, key=lambda m: (-m.trainee_count, m.name))
        if show_all or m.trainee_count or m.pk in reports
    ]
    expected = [r for r in rows if r["municipality"].trainee_count]
    return render(
        request,
        "annual/region.html",
        {
            "region": region,
            "form": form,
            "year": year,
            "deadline": rules.deadline(year),
            "rows": rows,
            "hidden": len(municipalities) - len(rows),
            "submitted": sum(1 for r in expected if r["report"] and r["report"].submitted),
            "expected": len(expected),
        },
    )
