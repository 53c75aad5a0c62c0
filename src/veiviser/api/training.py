"""API for training records: the ALIS list, the readiness verdict (the same object as
`veiviser readiness`), and the portable progress file."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from veiviser.api.pagination import Pagination
from veiviser.core.models import Municipality
from veiviser.rules.progress_file import ProgressFileInvalid, parse
from veiviser.rules.readiness import verdict_to_dict
from veiviser.training.access import get_trainee_for_user
from veiviser.training.models import Trainee
from veiviser.training.progress import export_progress, import_progress
from veiviser.training.records import verdict_of
from veiviser.training.services import record_view, relations

router = Router(tags=["training"])


class TraineeOut(Schema):
    id: int
    name: str
    municipality: str
    training_start: date
    scheme: str
    external_id: str

    @staticmethod
    def resolve_name(obj: Trainee) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_municipality(obj: Trainee) -> str:
        return obj.municipality.number


class ProgressIn(Schema):
    municipality: str
    file: dict[str, Any]


class ImportOut(Schema):
    id: int


class ErrorOut(Schema):
    detail: str


class ErrorsOut(Schema):
    detail: str
    errors: list[dict[str, str]]


@router.get("/trainees", response=list[TraineeOut])
@paginate(Pagination)
def trainees(request: HttpRequest) -> Any:
    return (
        Trainee.objects.visible_to(request.user)
        .select_related("person", "municipality")
        .order_by("id")
    )


@router.get(
    "/trainees/{trainee_id}/readiness",
    response=dict[str, Any],
    summary="The readiness verdict (veiviser.progress/1 verdict object)",
)
def readiness(request: HttpRequest, trainee_id: int, as_of: date | None = None) -> Any:
    trainee = get_trainee_for_user(request.user, trainee_id, full=True)
    record_view(trainee=trainee, by=request.user, what="vurdering (API)")
    return verdict_to_dict(verdict_of(trainee, as_of or timezone.localdate()))


@router.get(
    "/trainees/{trainee_id}/progress",
    response={200: dict[str, Any], 403: ErrorOut},
    summary="Export the progress file (veiviser.progress/1)",
)
def progress_export(request: HttpRequest, trainee_id: int) -> Any:
    trainee = get_trainee_for_user(request.user, trainee_id)
    if not relations(request.user, trainee) & {"admin", "managers", "alis", "veileder"}:
        raise HttpError(403, "forbidden")
    return export_progress(trainee=trainee, by=request.user)


@router.post(
    "/progress",
    response={201: ImportOut, 400: ErrorsOut, 403: ErrorOut, 404: ErrorOut},
    summary="Import a progress file into a municipality (creates or updates the ALIS)",
)
def progress_import(request: HttpRequest, payload: ProgressIn) -> Any:
    municipality = get_object_or_404(
        Municipality.objects.visible_to(request.user), number=payload.municipality[:4]
    )
    if not Municipality.objects.managed_by(request.user).filter(pk=municipality.pk).exists():
        return 403, {"detail": "forbidden"}
    try:
        data = parse(payload.file)
        trainee = import_progress(data=data, municipality=municipality, by=request.user)
    except ProgressFileInvalid as exc:
        errors = [
            {"path": e.path.replace("$", "$.file", 1), "message": e.message} for e in exc.errors
        ]
        return 400, {"detail": "invalid progress file", "errors": errors}
    except PermissionDenied:
        return 403, {"detail": "forbidden"}
    return 201, {"id": trainee.pk}
