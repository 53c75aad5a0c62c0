"""The HTTP API. Same scoping as the pages: every list and lookup goes through ``visible_to``.

OpenAPI schema at /api/openapi.json, interactive docs at /api/docs.
"""

import importlib
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from veiviser.accounts.scope import scope_for
from veiviser.api.auth import api_auth
from veiviser.api.openapi import VeiviserAPI
from veiviser.api.pagination import Pagination
from veiviser.api.training import router as training_router
from veiviser.core.models import Municipality, Office, Position, RegionalOffice

api = VeiviserAPI(
    title="Veiviser API",
    version="1",
    description=(
        "Veiviser's API for municipalities, ALIS, veiledere and regional ALIS offices. "
        "Authenticate with a personal token (`Authorization: Bearer vv_…`, created on the "
        "page *API-nøkler* or with `veiviser token --user NAME`). Every answer is limited to "
        "what the token's user may see."
    ),
    auth=api_auth,
    urls_namespace="api",
)


api.add_router("", training_router)

from veiviser.workforce.api import router as workforce_router  # noqa: E402

api.add_router("", workforce_router)

for _app in ("agreements", "planning", "cycle", "regional", "annual", "reminders"):
    api.add_router("", importlib.import_module(f"veiviser.{_app}.api").router)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> Any:
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", [])), "message": e.get("msg", "")}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": "invalid input", "errors": errors}, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> Any:
    return api.create_response(request, {"detail": "not found"}, status=404)


class ErrorOut(Schema):
    detail: str


class RoleOut(Schema):
    role: str
    municipality: str | None
    regional_office: str | None


class MeOut(Schema):
    username: str
    name: str
    roles: list[RoleOut]


class RegionalOfficeOut(Schema):
    code: str
    name: str
    health_region: str


class MunicipalityOut(Schema):
    number: str
    name: str
    county: str
    health_region: str
    regional_office: str | None
    centrality: int | None
    registered_institution: bool
    registered_at: date | None

    @staticmethod
    def resolve_regional_office(obj: Municipality) -> str | None:
        return obj.regional_office.code if obj.regional_office else None


class OfficeOut(Schema):
    id: int
    municipality: str
    name: str
    address: str

    @staticmethod
    def resolve_municipality(obj: Office) -> str:
        return obj.municipality.number


class PositionOut(Schema):
    id: int
    external_id: str
    municipality: str
    office: str | None
    kind: str
    form: str
    programme: str
    list_size: int | None
    list_cap: int | None
    created: date
    closed: date | None

    @staticmethod
    def resolve_municipality(obj: Position) -> str:
        return obj.municipality.number

    @staticmethod
    def resolve_office(obj: Position) -> str | None:
        return obj.office.name if obj.office else None


class MunicipalityFilter(Schema):
    region: str | None = None
    registered: bool | None = None
    q: str | None = None


@api.get("/me", response=MeOut, tags=["users"], summary="The token's user and roles")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    assignments = user.role_assignments.select_related(  # type: ignore[union-attr]
        "municipality", "regional_office"
    )
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),  # type: ignore[union-attr]
        "roles": [
            {
                "role": a.role,
                "municipality": a.municipality.number if a.municipality else None,
                "regional_office": a.regional_office.code if a.regional_office else None,
            }
            for a in assignments
        ],
    }


@api.get("/regional-offices", response=list[RegionalOfficeOut], tags=["organisation"])
def regional_offices(request: HttpRequest) -> Any:
    return RegionalOffice.objects.visible_to(request.user).order_by("name")


@api.get("/municipalities", response=list[MunicipalityOut], tags=["organisation"])
@paginate(Pagination)
def municipalities(request: HttpRequest, filters: Query[MunicipalityFilter]) -> Any:
    qs = Municipality.objects.visible_to(request.user).select_related("regional_office")
    if filters.region:
        qs = qs.filter(regional_office__code=filters.region)
    if filters.registered is not None:
        qs = qs.filter(registered_institution=filters.registered)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q[:80])
    return qs.order_by("number")


@api.get(
    "/municipalities/{number}",
    response={200: MunicipalityOut, 404: ErrorOut},
    tags=["organisation"],
)
def municipality(request: HttpRequest, number: str) -> Any:
    return get_object_or_404(
        Municipality.objects.visible_to(request.user).select_related("regional_office"),
        number=number[:4],
    )


@api.get(
    "/municipalities/{number}/offices",
    response={200: list[OfficeOut], 404: ErrorOut},
    tags=["organisation"],
)
def municipality_offices(request: HttpRequest, number: str) -> Any:
    m = get_object_or_404(Municipality.objects.visible_to(request.user), number=number[:4])
    return Office.objects.filter(municipality=m).select_related("municipality").order_by("name")


@api.get("/municipalities/{number}/positions", response=list[PositionOut], tags=["organisation"])
@paginate(Pagination)
def municipality_positions(request: HttpRequest, number: str) -> Any:
    m = get_object_or_404(Municipality.objects.visible_to(request.user), number=number[:4])
    return (
        Position.objects.visible_to(request.user)
        .filter(municipality=m)
        .select_related("municipality", "office")
        .order_by("external_id")
    )


def is_admin(request: HttpRequest) -> bool:
    return scope_for(request.user).is_admin
