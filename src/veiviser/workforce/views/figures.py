"""The figures page (/stillinger/tall/) and the timeline (/stillinger/tidslinje/, SVG, PNG)."""

from __future__ import annotations

import io
import warnings
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from veiviser.rules.workforce_timeline import (
    TimelineMatrix,
    build_timeline,
    render_png,
    render_svg,
    timeline_table,
)
from veiviser.workforce.access import Selection, selection
from veiviser.workforce.figures import (
    cell_width,
    compute_figures,
    curve_table,
    survival_svg,
    table_rows,
    timeline_labels,
)
from veiviser.workforce.loader import load_for_user

FIGURE_FILTERS = ("kommune", "region", "program", "type", "dato", "fra", "til")
TIMELINE_FILTERS = ("kommune", "region", "program", "type", "fra", "til")
#: More rows than this make an unreadable chart: the page asks for a narrower filter.
TIMELINE_MAX_ROWS = 300


def _load(request: HttpRequest, sel: Selection) -> Any:
    return load_for_user(
        request.user,
        municipality_ids=sel.municipality_ids,
        programme=sel.programme,
        kinds=sel.kinds,
    )


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """Positions at a date, stability over a period, agreement duration, locum dependence."""
    sel = selection(request, FIGURE_FILTERS)
    context: dict[str, Any] = {"form": sel.form}
    if not sel.valid:
        return render(request, "workforce/figures.html", context, status=400)
    loaded = _load(request, sel)
    result = compute_figures(
        loaded,
        at=sel.get("dato"),
        start=sel.get("fra"),
        end=sel.get("til"),
        data_until=sel.today,
        names=sel.names,
    )
    duration = result.duration
    chart = None
    if duration.curve:
        chart = mark_safe(  # noqa: S308 - survival_svg escapes every text it writes
            survival_svg(
                duration.curve,
                duration.median_years,
                title=_("Varighet av fastlegeavtaler (Kaplan–Meier)"),
                description=_(
                    "Andel av %(n)s avtaler som fortsatt varer etter et gitt antall år; "
                    "avtaler som fortsatt løper er sensurert."
                )
                % {"n": duration.rows},
            )
        )
    context.update(
        {
            "f": result,
            "s": result.stability,
            "chart": chart,
            "curve_rows": curve_table(duration.curve),
            "query": request.GET.urlencode(),
        }
    )
    return render(request, "workforce/figures.html", context)


def _matrix(request: HttpRequest, sel: Selection) -> TimelineMatrix:
    loaded = _load(request, sel)
    return build_timeline(
        loaded.positions,
        loaded.occupancies,
        sel.get("fra"),
        sel.get("til"),
        loaded.filter,
        data_until=sel.today,
        municipality_names=sel.names,
    )


def _svg(matrix: TimelineMatrix) -> str:
    longest = max((len(r.label) for r in matrix.rows), default=10)
    return render_svg(
        matrix, labels=timeline_labels(), cell_width=cell_width(len(matrix.months), longest)
    )


def _limited(matrix: TimelineMatrix) -> tuple[TimelineMatrix, bool]:
    if len(matrix.rows) <= TIMELINE_MAX_ROWS:
        return matrix, False
    return TimelineMatrix(matrix.months, matrix.rows[:TIMELINE_MAX_ROWS]), True


@login_required
def timeline(request: HttpRequest) -> HttpResponse:
    """The timeline chart with its legend and the data table beside it."""
    sel = selection(request, TIMELINE_FILTERS)
    context: dict[str, Any] = {"form": sel.form, "table": None}
    if not sel.valid:
        return render(request, "workforce/timeline.html", context, status=400)
    matrix, cut = _limited(_matrix(request, sel))
    context.update(
        {
            "svg": mark_safe(_svg(matrix)) if matrix.rows else None,  # noqa: S308
            "table": table_rows(timeline_table(matrix)),
            "cut": cut,
            "max_rows": TIMELINE_MAX_ROWS,
            "months": len(matrix.months),
            "query": request.GET.urlencode(),
        }
    )
    return render(request, "workforce/timeline.html", context)


def _download(request: HttpRequest, kind: str) -> HttpResponse:
    sel = selection(request, TIMELINE_FILTERS)
    if not sel.valid:
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in sel.form.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    matrix, _cut = _limited(_matrix(request, sel))
    start, end = sel.get("fra"), sel.get("til")
    name = f"tidslinje-{start.isoformat()}-{end.isoformat()}.{kind}"
    if kind == "svg":
        response = HttpResponse(_svg(matrix), content_type="image/svg+xml; charset=utf-8")
    else:
        buffer = io.BytesIO()
        with warnings.catch_warnings():  # matplotlib warns about the axis of an empty chart
            warnings.simplefilter("ignore", UserWarning)
            render_png(matrix, buffer, labels=timeline_labels())
        response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def timeline_svg(request: HttpRequest) -> HttpResponse:
    return _download(request, "svg")


@login_required
def timeline_png(request: HttpRequest) -> HttpResponse:
    return _download(request, "png")
