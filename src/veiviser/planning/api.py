"""API endpoints of veiviser.planning (mounted under /api/): the locum need of a municipality
per office and month, and its costs per year. Scoped like the pages: leaders and coordinators
their municipalities, regional offices their region, national readers and administrators all;
other users 403, a municipality outside the scope 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.errors import HttpError, ValidationError

from veiviser.core.models import Municipality
from veiviser.planning.access import get_municipality_for_user
from veiviser.planning.costs import municipality_costs
from veiviser.planning.queries import kind_label, locum_plan

router = Router(tags=["planning"])


def _municipality(request: HttpRequest, number: str) -> Municipality:
    try:
        return get_municipality_for_user(request.user, number)
    except PermissionDenied as exc:
        raise HttpError(403, "forbidden") from exc
    except Http404 as exc:
        raise HttpError(404, "not found") from exc


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ["query", field], "msg": message}])


def _fte(value: Any) -> str:
    return f"{value:.4f}"


@router.get(
    "/planning/locum-need/{number}",
    response=dict[str, Any],
    summary="Locum need, cover and gap (FTE) per office and month, and the warnings",
)
def planning_locum_need(
    request: HttpRequest,
    number: str,
    months: int = 24,
    today: date | None = Query(None, alias="date"),  # noqa: B008 - ninja's alias
) -> Any:
    if not 1 <= months <= 60:
        raise _invalid("months", "months must be between 1 and 60")
    municipality = _municipality(request, number)
    day = today or timezone.localdate()
    result = locum_plan(municipality, day, months)
    return {
        "municipality": municipality.number,
        "name": municipality.name,
        "from": result.months[0].isoformat() if result.months else None,
        "months": months,
        "unit": "FTE",
        "offices": [
            {
                "office": office.label,
                "months": [
                    {
                        "month": m.month.strftime("%Y-%m"),
                        "needed": _fte(m.needed),
                        "covered": _fte(m.covered),
                        "gap": _fte(m.gap),
                    }
                    for m in office.months
                ],
                "absences": [
                    {
                        "doctor": a.doctor_label,
                        "kind": str(a.absence.kind),
                        "kind_label": kind_label(a.absence.kind),
                        "position": a.position_label,
                        "start": a.absence.start.isoformat(),
                        "end": a.absence.end.isoformat(),
                        "percent": str(a.absence.percent),
                        "source": a.source,
                    }
                    for a in office.absences
                ],
            }
            for office in result.offices
        ],
        "warnings": [
            {
                "office": w.office_name,
                "doctor": w.doctor_label,
                "position": w.position_label,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "gap_fte": _fte(w.gap_fte),
                "uncovered_months": [m.strftime("%Y-%m") for m in w.uncovered_months],
            }
            for w in result.warnings
        ],
    }


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def _share(value: Any) -> str | None:
    return None if value is None else f"{value:.4f}"


@router.get(
    "/planning/costs/{number}",
    response=dict[str, Any],
    summary="ALIS costs of a municipality in a year: per category, per ALIS, and the grant",
)
def planning_costs(request: HttpRequest, number: str, year: int | None = None) -> Any:
    if year is not None and not 2000 <= year <= 2100:
        raise _invalid("year", "year must be between 2000 and 2100")
    municipality = _municipality(request, number)
    costs = municipality_costs(municipality, timezone.localdate().year, year)
    s = costs.selected

    def totals(t: Any) -> dict[str, Any]:
        return {
            "by_category": {c.value: _money(v) for c, v in t.by_category.items()},
            "total": _money(t.total),
            "education": _money(t.education),
            "education_share": _share(t.education_share),
        }

    return {
        "municipality": municipality.number,
        "name": municipality.name,
        "year": costs.year,
        "totals": totals(s.totals),
        "grant_received": _money(s.grant),
        "uncovered_total": _money(s.comparison.uncovered_total) if s.comparison else None,
        "coverage_total": _share(s.comparison.coverage_total) if s.comparison else None,
        "coverage_education": _share(s.comparison.coverage_education) if s.comparison else None,
        "trainees": [{"name": t.name, **totals(t.totals)} for t in costs.trainees],
        "years": list(costs.years),
    }
