"""API endpoints of veiviser.regional (mounted under /api/): a region's dashboard figures and
its quality figures per municipality. Same scope as the pages: the regional office its own
region, national readers and administrators any; other users 403, another region 404. Counts
only: no ALIS is named."""

from collections import Counter
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from veiviser.accounts.scope import scope_for
from veiviser.core.models import RegionalOffice
from veiviser.regional.figures import DEFAULT_WEEKS, MAX_WEEKS, RegionData, load_region
from veiviser.regional.querysets import is_region_reader, region_ids
from veiviser.rules import regional as rules

router = Router(tags=["regional"])


class ErrorOut(Schema):
    detail: str


def _region(request: HttpRequest, region_id: int) -> RegionalOffice:
    if not is_region_reader(request.user):
        raise HttpError(403, "forbidden")
    ids = region_ids(scope_for(request.user))
    qs = RegionalOffice.objects.all() if ids is None else RegionalOffice.objects.filter(pk__in=ids)
    region = qs.filter(pk=region_id).first()
    if region is None:
        raise Http404
    return region


def _dashboard(data: RegionData) -> dict[str, Any]:
    workforce = {row.municipality.pk: row.figures for row in data.workforce}
    follow_up = Counter(line.trainee.municipality_id for line, _signals in data.follow_up)
    municipalities = []
    for m in data.municipalities:
        lines = data.by_municipality.get(m.pk, [])
        stages = Counter(line.stage for line in lines)
        figures = workforce.get(m.pk)
        municipalities.append(
            {
                "number": m.number,
                "name": m.name,
                "registered_institution": m.registered_institution,
                "alis": len(lines),
                "stages": {s: stages.get(s, 0) for s in rules.STAGES},
                "without_veileder": sum(1 for x in lines if not x.has_veileder),
                "under_supervision_minimum_recently": sum(
                    1 for x in lines if x.supervision.recent_under
                ),
                "waiting_sign_offs": sum(len(x.waiting) for x in lines),
                "alis_with_waiting_sign_offs": sum(1 for x in lines if x.waiting),
                "bulk_approvals": sum(1 for x in lines if x.bulk is not None),
                "alis_to_follow_up_first": follow_up.get(m.pk, 0),
                "positions": figures.positions if figures else 0,
                "vacant": figures.vacant if figures else 0,
                "locum_served": figures.locum_served if figures else 0,
            }
        )
    warnings = data.locum_warnings
    return {
        "region": data.region.code,
        "name": data.region.name,
        "as_of": data.as_of.isoformat(),
        "weeks": data.weeks,
        "alis": len(data.lines),
        "stages": dict(zip(rules.STAGES, data.stage_totals, strict=True)),
        "without_veileder": len(data.without_veileder),
        "under_supervision_minimum_recently": len(data.under_minimum),
        "alis_with_waiting_sign_offs": len(data.waiting),
        "bulk_approvals": len(data.bulk),
        "alis_to_follow_up_first": sum(follow_up.values()),
        "unregistered_municipalities": [m.number for m in data.unregistered],
        "positions": data.workforce_total.to_dict(),
        "locum_warnings": None if warnings is None else len(warnings),
        "municipalities": municipalities,
    }


@router.get(
    "/regional/{region_id}/dashboard",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut},
    summary="A region's follow-up figures: ALIS by stage, missing veiledere, waiting sign-offs",
)
def regional_dashboard(
    request: HttpRequest,
    region_id: int,
    weeks: int = Query(DEFAULT_WEEKS, ge=1, le=MAX_WEEKS),
) -> Any:
    region = _region(request, region_id)
    data = load_region(request.user, region, timezone.localdate(), weeks=weeks)
    return _dashboard(data)


def _quality(municipality: dict[str, str], row: rules.QualityRow) -> dict[str, Any]:
    return {
        **municipality,
        "alis": row.alis,
        "small_group": row.small_group,
        "approvals": row.approvals,
        "median_days_to_approval": row.median_days,
        "late_approval_base": row.late_base,
        "late_approval_share": None if row.late_share is None else round(row.late_share, 4),
        "supervision_months": row.supervision_months,
        "supervision_hours_per_month": (
            None if row.hours_per_month is None else round(row.hours_per_month, 2)
        ),
        "supervision_minimum": row.minimum,
        "warnings": {
            "slow_sign_off": row.slow_sign_off,
            "late_heavy": row.late_heavy,
            "under_minimum": row.under_minimum,
        },
    }


@router.get(
    "/regional/{region_id}/quality",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut},
    summary="Quality figures per municipality of a region (no individuals)",
)
def regional_quality(request: HttpRequest, region_id: int) -> Any:
    region = _region(request, region_id)
    data = load_region(request.user, region, timezone.localdate(), workforce=False, warnings=False)
    return {
        "region": region.code,
        "as_of": data.as_of.isoformat(),
        "municipalities": [
            _quality({"number": m.number, "name": m.name}, row) for m, row in data.quality_rows()
        ],
        "total": _quality({"number": "", "name": region.name}, data.quality_total()),
    }
