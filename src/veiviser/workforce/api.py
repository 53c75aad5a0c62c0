"""API for the workforce figures: positions at a date, stability over a period, the timeline
(SVG) and the occupancy rows. Same scope as the pages: leaders and coordinators their
municipalities, regional offices their region, national readers and administrators all;
other users get 403. People appear only under their pseudonymous id (``vv-<id>``)."""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from veiviser.api.pagination import Pagination
from veiviser.core.models import Municipality
from veiviser.rules.workforce import KINDS, WorkforceData
from veiviser.rules.workforce_timeline import build_timeline, render_svg
from veiviser.workforce.figures import timeline_labels
from veiviser.workforce.loader import Loaded, load_for_user, person_key
from veiviser.workforce.models import Occupancy
from veiviser.workforce.querysets import is_reader

router = Router(tags=["workforce"])


class Selection(Schema):
    municipality: str | None = None  # kommunenummer, comma-separated for several
    programme: str | None = None
    kind: str | None = None  # gp, alis or municipal, comma-separated


class OccupancyOut(Schema):
    position_id: str
    municipality: str
    person_id: str
    role: str
    start: date
    end: date | None
    end_reason: str | None
    next_work: str | None

    @staticmethod
    def resolve_position_id(obj: Occupancy) -> str:
        return obj.position.external_id

    @staticmethod
    def resolve_municipality(obj: Occupancy) -> str:
        return obj.position.municipality.number

    @staticmethod
    def resolve_person_id(obj: Occupancy) -> str:
        return person_key(obj.person_id)

    @staticmethod
    def resolve_end_reason(obj: Occupancy) -> str | None:
        return obj.end_reason or None

    @staticmethod
    def resolve_next_work(obj: Occupancy) -> str | None:
        return obj.next_work or None


class ErrorOut(Schema):
    detail: str


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ["query", field], "msg": message}])


def _load(request: HttpRequest, selection: Selection) -> Loaded:
    if not is_reader(request.user):
        raise HttpError(403, "forbidden")
    ids: list[int] | None = None
    if selection.municipality:
        numbers = [n.strip() for n in selection.municipality.split(",") if n.strip()]
        ids = list(Municipality.objects.filter(number__in=numbers).values_list("pk", flat=True))
    kinds = None
    if selection.kind:
        kinds = [k.strip() for k in selection.kind.split(",") if k.strip()]
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise _invalid("kind", f"unknown kind {unknown[0]!r}; use gp, alis or municipal")
    return load_for_user(
        request.user, municipality_ids=ids, programme=selection.programme, kinds=kinds
    )


def _period(start: date, end: date) -> None:
    if end < start:
        raise _invalid("to", "the period ends before it starts")


@router.get(
    "/workforce/positions-at",
    response={200: dict[str, Any], 403: ErrorOut},
    summary="Positions, staffed, vacant and locum-served positions at a date",
)
def workforce_positions_at(
    request: HttpRequest, selection: Query[Selection], at: date | None = None
) -> Any:
    loaded = _load(request, selection)
    day = at or timezone.localdate()
    data = WorkforceData(loaded.positions, loaded.occupancies)
    return data.positions_at(day, loaded.filter).to_dict()


@router.get(
    "/workforce/stability",
    response={200: dict[str, Any], 403: ErrorOut},
    summary="Stability figures over a period (the `veiviser report stability --json` object)",
)
def workforce_stability(
    request: HttpRequest,
    selection: Query[Selection],
    start: date = Query(..., alias="from"),  # noqa: B008 - ninja's way to declare an alias
    end: date = Query(..., alias="to"),  # noqa: B008
) -> Any:
    _period(start, end)
    loaded = _load(request, selection)
    data = WorkforceData(loaded.positions, loaded.occupancies)
    return data.stability(start, end, loaded.filter).to_dict()


@router.get(
    "/workforce/timeline.svg",
    summary="The month-by-month timeline as SVG",
    response={200: None, 403: ErrorOut},
)
def workforce_timeline(
    request: HttpRequest,
    selection: Query[Selection],
    start: date = Query(..., alias="from"),  # noqa: B008
    end: date = Query(..., alias="to"),  # noqa: B008
) -> HttpResponse:
    _period(start, end)
    loaded = _load(request, selection)
    today = timezone.localdate()
    names = dict(Municipality.objects.values_list("number", "name"))
    matrix = build_timeline(
        loaded.positions,
        loaded.occupancies,
        start,
        end,
        loaded.filter,
        data_until=today,
        municipality_names=names,
    )
    svg = render_svg(matrix, labels=timeline_labels())
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@router.get(
    "/workforce/occupancies",
    response={200: list[OccupancyOut], 403: ErrorOut},
    summary="Holder and locum rows of the visible positions (pseudonymous people)",
)
@paginate(Pagination)
def workforce_occupancies(request: HttpRequest, selection: Query[Selection]) -> Any:
    if not is_reader(request.user):
        raise HttpError(403, "forbidden")
    qs = Occupancy.objects.visible_to(request.user).select_related("position__municipality")
    if selection.municipality:
        numbers = [n.strip() for n in selection.municipality.split(",") if n.strip()]
        qs = qs.filter(position__municipality__number__in=numbers)
    if selection.kind:
        qs = qs.filter(position__kind__in=[k.strip() for k in selection.kind.split(",")])
    if selection.programme:
        qs = qs.filter(position__programme__iexact=selection.programme.strip())
    return qs.order_by("position__municipality__number", "position__external_id", "start", "id")
