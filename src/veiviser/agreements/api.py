"""API endpoints of veiviser.agreements (mounted under /api/): ALIS agreements with their
versions, archived grant claims, and a claim computed for a municipality and period. Same scope
as the pages (docs/adr/0058-agreement-access.md); bad input answers 422 naming the field."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from veiviser.agreements.access import get_municipality_for_user
from veiviser.agreements.claims import compute_for_municipality
from veiviser.agreements.forms import MAX_CLAIM_DAYS
from veiviser.agreements.models import Agreement, AgreementVersion, GrantClaim
from veiviser.agreements.views.grants import grant_error_text
from veiviser.api.pagination import Pagination
from veiviser.rules.grants import GrantError, MissingRateError

router = Router(tags=["agreements"])


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ["query", field], "msg": message}])


class VersionOut(Schema):
    number: int
    created_at: datetime
    change_note: str
    salary_model: str
    position_percent: Decimal
    list_cap_plan: list[dict[str, Any]]
    extra_supervision_hours: Decimal
    course_costs_covered: bool
    travel_costs_covered: bool
    paid_leave_courses: bool
    paid_leave_supervision: bool
    binding_months: int | None
    start: date
    end: date | None
    signed: date | None
    doctor_type: str
    scheme: str
    locum_agency: bool
    other_terms: str


class AgreementOut(Schema):
    id: int
    municipality: str
    trainee_id: int
    doctor: str
    current_version: int
    current: VersionOut | None

    @staticmethod
    def resolve_municipality(obj: Agreement) -> str:
        return obj.municipality.number

    @staticmethod
    def resolve_doctor(obj: Agreement) -> str:
        return obj.trainee.person.full_name

    @staticmethod
    def resolve_current(obj: Agreement) -> AgreementVersion | None:
        versions = getattr(obj, "ordered_versions", [])
        return versions[0] if versions else None

    @staticmethod
    def resolve_current_version(obj: Agreement) -> int:
        versions = getattr(obj, "ordered_versions", [])
        return versions[0].number if versions else 0


class AgreementDetailOut(AgreementOut):
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj: Agreement) -> list[AgreementVersion]:
        return list(getattr(obj, "ordered_versions", []))


class ClaimOut(Schema):
    id: int
    municipality: str
    period_from: date
    period_to: date
    centrality: int | None
    total: int
    agreement_count: int
    created_at: datetime
    created_by: str

    @staticmethod
    def resolve_municipality(obj: GrantClaim) -> str:
        return obj.municipality.number

    @staticmethod
    def resolve_created_by(obj: GrantClaim) -> str:
        return obj.created_by_name


class AgreementFilter(Schema):
    municipality: str | None = None  # kommunenummer
    trainee: int | None = None


def _agreements(request: HttpRequest) -> Any:
    return (
        Agreement.objects.visible_to(request.user)
        .select_related("municipality", "trainee__person")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=AgreementVersion.objects.order_by("-number"),
                to_attr="ordered_versions",
            )
        )
    )


@router.get("/agreements", response=list[AgreementOut], summary="ALIS agreements the user may read")
@paginate(Pagination)
def agreements_list(request: HttpRequest, filters: Query[AgreementFilter]) -> Any:
    qs = _agreements(request)
    if filters.municipality:
        number = filters.municipality.strip()
        if not (len(number) == 4 and number.isascii() and number.isdigit()):
            raise _invalid("municipality", "must be a four-digit kommunenummer")
        qs = qs.filter(municipality__number=number)
    if filters.trainee is not None:
        qs = qs.filter(trainee_id=filters.trainee)
    return qs.order_by("municipality__number", "id")


@router.get(
    "/agreements/{agreement_id}",
    response={200: AgreementDetailOut, 404: dict[str, str]},
    summary="One agreement with every version (newest first)",
)
def agreement_detail_api(request: HttpRequest, agreement_id: int) -> Any:
    agreement = _agreements(request).filter(pk=agreement_id).first()
    if agreement is None:
        return Status(404, {"detail": "not found"})
    return agreement


class ClaimFilter(Schema):
    municipality: str | None = None


@router.get("/grant-claims", response=list[ClaimOut], summary="Archived grant claims")
@paginate(Pagination)
def grant_claims_list(request: HttpRequest, filters: Query[ClaimFilter]) -> Any:
    qs = (
        GrantClaim.objects.visible_to(request.user)
        .select_related("municipality")
        .defer("xlsx", "pdf", "result", "rates")
    )
    if filters.municipality:
        qs = qs.filter(municipality__number=filters.municipality.strip()[:4])
    return qs.order_by("-created_at", "-id")


@router.get(
    "/grant-claims/preview",
    response={200: dict[str, Any], 403: dict[str, str], 404: dict[str, str], 422: dict[str, Any]},
    summary="The claim computed for a municipality and period (not archived)",
)
def grant_claim_preview_api(
    request: HttpRequest,
    municipality: str,
    start: date = Query(..., alias="from"),  # noqa: B008 - ninja's way to declare an alias
    end: date = Query(..., alias="to"),  # noqa: B008
) -> Any:
    if end < start:
        raise _invalid("to", "the period ends before it starts")
    if (end - start).days > MAX_CLAIM_DAYS:
        raise _invalid("to", "the period may be at most three years")
    try:
        m = get_municipality_for_user(request.user, municipality)
    except PermissionDenied as exc:
        raise HttpError(403, "forbidden") from exc
    try:
        computed = compute_for_municipality(municipality=m, period_from=start, period_to=end)
    except GrantError as exc:
        error: dict[str, Any] = {"field": "rates", "message": grant_error_text(exc)}
        if isinstance(exc, MissingRateError):
            error["month"] = exc.month.strftime("%Y-%m")
            error["doctor_type"] = exc.doctor_type.value
        return Status(422, {"detail": "the rate table cannot price this claim", "errors": [error]})
    return Status(200, {**computed.result, "rates": computed.rates_snapshot})
