"""The yearly self-assessment (nine activities and five criteria, year by year with the change)
and the key parameters per activity beside it (computed, or entered by hand)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from veiviser.cycle.access import can_manage, get_cycle_municipality
from veiviser.cycle.forms import AssessmentForm, ParametersForm
from veiviser.cycle.labels import item_labels
from veiviser.cycle.models import KeyParameterValue, SelfAssessment
from veiviser.cycle.parameters import parameter_table
from veiviser.cycle.services import save_assessment, save_parameters
from veiviser.cycle.views.common import bound_data
from veiviser.rules import recruit_retain as rr
from veiviser.web.forms import apply_errors

MAX_YEARS = 6  # columns on the page: the latest assessed years


def _arrow(change: int | None) -> dict[str, str] | None:
    if change is None:
        return None
    if change > 0:
        return {"symbol": "↑", "text": f"+{change}", "label": _("opp %(n)s") % {"n": change}}
    if change < 0:
        return {"symbol": "↓", "text": f"−{-change}", "label": _("ned %(n)s") % {"n": -change}}
    return {"symbol": "→", "text": "0", "label": _("uendret")}


def bars_svg(scores: tuple[int | None, ...]) -> str:
    """A tiny bar per year (height = score out of 5); decorative, the table holds the data."""
    width, height, gap = 14, 30, 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{len(scores) * (width + gap)}" '
        f'height="{height}" aria-hidden="true" focusable="false" class="vv-cycle-bars">'
    ]
    for i, score in enumerate(scores):
        x = i * (width + gap)
        parts.append(
            f'<rect x="{x}" y="0" width="{width}" height="{height}" fill="#f0f2f5" rx="2"/>'
        )
        if score:
            h = height * score / rr.SCALE_MAX
            parts.append(
                f'<rect x="{x}" y="{height - h:.1f}" width="{width}" height="{h:.1f}" '
                'fill="#1e4b8f" rx="2"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _valid_year(year: int) -> int:
    today = timezone.localdate()
    if not 2000 <= year <= today.year + 1:
        raise Http404
    return year


@login_required
def cycle_assessment(request: HttpRequest, number: str) -> HttpResponse:
    """Self-assessment year × item with arrows, and the key parameters per activity."""
    municipality = get_cycle_municipality(request.user, number)
    today = timezone.localdate()
    rows = list(
        SelfAssessment.objects.filter(municipality=municipality).values_list(
            "year", "item", "score", "comment"
        )
    )
    years = sorted({r[0] for r in rows})[-MAX_YEARS:]
    scores = {(y, item): score for y, item, score, _c in rows if y in years}
    comments = {item: comment for y, item, _s, comment in rows if years and y == years[-1]}
    table = []
    labels = item_labels()
    for row in rr.assessment_rows(years, scores):
        table.append(
            {
                "row": row,
                "label": labels[row.code],
                "cells": [
                    {"score": s, "arrow": _arrow(c)}
                    for s, c in zip(row.scores, row.changes, strict=True)
                ],
                "overall": _arrow(row.overall_change),
                "bars": bars_svg(row.scores),
                "comment": comments.get(row.code, ""),
                "is_criterion": row.code.startswith("c"),
            }
        )
    means = []
    for i in range(len(years)):
        mean = rr.mean_score([r["row"].scores[i] for r in table])
        means.append(None if mean is None else f"{mean:.1f}".replace(".", ","))
    parameter_years = years or [today.year]
    return render(
        request,
        "cycle/assessment.html",
        {
            "municipality": municipality,
            "years": years,
            "table": table,
            "means": means,
            "parameters": parameter_table(municipality, parameter_years, today),
            "parameter_years": parameter_years,
            "can_manage": can_manage(request.user, municipality.pk),
            "this_year": today.year,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_assessment_edit(request: HttpRequest, number: str, year: int) -> HttpResponse:
    """Assess the nine activities and five criteria for a year (1–5 or not assessed)."""
    municipality = get_cycle_municipality(request.user, number, manage=True)
    year = _valid_year(year)
    existing = SelfAssessment.objects.filter(municipality=municipality, year=year)
    initial = {a.item: (a.score, a.comment) for a in existing}
    copied_from = None
    if not initial:
        previous = (
            SelfAssessment.objects.filter(municipality=municipality, year__lt=year)
            .order_by("-year")
            .values_list("year", flat=True)
            .first()
        )
        if previous is not None:
            copied_from = previous
            initial = {
                a.item: (a.score, "")
                for a in SelfAssessment.objects.filter(municipality=municipality, year=previous)
            }
    form = AssessmentForm(bound_data(request), initial_scores=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_assessment(
                municipality=municipality, year=year, scores=form.scores(), by=request.user
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Egenvurderingen for %(y)s er lagret.") % {"y": year})
            return redirect("cycle_assessment", number=municipality.number)
    return render(
        request,
        "cycle/assessment_form.html",
        {
            "municipality": municipality,
            "year": year,
            "form": form,
            "copied_from": copied_from,
            "scale": rr.SCALE_MAX,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_parameters_edit(request: HttpRequest, number: str, year: int) -> HttpResponse:
    """The key parameters Veiviser cannot compute, entered by hand for a year."""
    municipality = get_cycle_municipality(request.user, number, manage=True)
    year = _valid_year(year)
    initial: dict[str, Any] = {
        p.key: (p.value, p.comment)
        for p in KeyParameterValue.objects.filter(municipality=municipality, year=year)
    }
    form = ParametersForm(bound_data(request), initial_values=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_parameters(
                municipality=municipality, year=year, values=form.values(), by=request.user
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Nøkkeltallene for %(y)s er lagret.") % {"y": year})
            return redirect("cycle_assessment", number=municipality.number)
    pairs = [(form[p.key], form[f"{p.key}_comment"]) for p in rr.KEY_PARAMETERS if not p.computed]
    return render(
        request,
        "cycle/parameters_form.html",
        {"municipality": municipality, "year": year, "form": form, "pairs": pairs},
        status=400 if request.method == "POST" else 200,
    )
