"""API endpoints of veiviser.cycle (mounted under /api/): a municipality's cycle tasks and its
self-assessments. Same scope as the pages: leaders and coordinators their municipalities,
regional offices their region, national readers and administrators all; other users 403; a
municipality outside the scope 404."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError, ValidationError

from veiviser.accounts.scope import scope_for
from veiviser.core.models import Municipality
from veiviser.cycle.models import CycleTask, SelfAssessment
from veiviser.cycle.querysets import is_reader, reader_ids
from veiviser.rules import recruit_retain as rr

router = Router(tags=["cycle"])


class TaskOut(Schema):
    id: int
    activity: int
    step: str
    title: str
    responsible: str
    responsible_role: str | None
    due: str  # YYYY-MM
    interval_months: int
    status: str
    state: str
    completed_on: date | None
    evidence: int


class AssessmentOut(Schema):
    year: int
    item: str
    name: str
    score: int | None
    comment: str


class TaskFilter(Schema):
    status: str | None = None  # planned, in_progress, done or skipped
    year: int | None = None  # due year


def _municipality(request: HttpRequest, number: str) -> Municipality:
    if not is_reader(request.user):
        raise HttpError(403, "forbidden")
    ids = reader_ids(scope_for(request.user))
    qs = Municipality.objects.all() if ids is None else Municipality.objects.filter(pk__in=ids)
    municipality = qs.filter(number=number).first()
    if municipality is None:
        raise HttpError(404, "municipality not found")
    return municipality


@router.get(
    "/cycle/{number}/tasks",
    response=list[TaskOut],
    summary="The yearly-cycle tasks of a municipality (every occurrence)",
)
def cycle_tasks(request: HttpRequest, number: str, filters: Query[TaskFilter]) -> Any:
    from django.db.models import Count
    from django.utils import timezone

    municipality = _municipality(request, number)
    qs = CycleTask.objects.filter(municipality=municipality)
    if filters.status is not None:
        if filters.status not in ("planned", "in_progress", "done", "skipped"):
            raise ValidationError(
                [{"loc": ["query", "status"], "msg": "use planned, in_progress, done or skipped"}]
            )
        qs = qs.filter(status=filters.status)
    if filters.year is not None:
        if not 2000 <= filters.year <= 2100:
            raise ValidationError([{"loc": ["query", "year"], "msg": "year from 2000 to 2100"}])
        qs = qs.filter(due__year=filters.year)
    today = timezone.localdate()
    rows = qs.select_related("responsible_person").annotate(n=Count("evidence"))
    return [
        {
            "id": t.pk,
            "activity": t.activity,
            "step": rr.activity(t.activity).step,
            "title": t.title,
            "responsible": t.responsible_label,
            "responsible_role": t.responsible_role or None,
            "due": t.due.strftime("%Y-%m"),
            "interval_months": t.interval_months,
            "status": t.status,
            "state": rr.task_state(t.due, t.status, today),
            "completed_on": t.completed_on,
            "evidence": t.n,
        }
        for t in rows.order_by("due", "activity", "pk")
    ]


@router.get(
    "/cycle/{number}/assessments",
    response=list[AssessmentOut],
    summary="The self-assessments of a municipality (all years, or one)",
)
def cycle_assessments(request: HttpRequest, number: str, year: int | None = None) -> Any:
    municipality = _municipality(request, number)
    qs = SelfAssessment.objects.filter(municipality=municipality)
    if year is not None:
        if not 2000 <= year <= 2100:
            raise ValidationError([{"loc": ["query", "year"], "msg": "year from 2000 to 2100"}])
        qs = qs.filter(year=year)
    names = dict(rr.ITEMS)
    order = {code: i for i, (code, _name) in enumerate(rr.ITEMS)}
    rows = sorted(
        qs.values_list("year", "item", "score", "comment"), key=lambda r: (r[0], order[r[1]])
    )
    return [
        {"year": y, "item": item, "name": names[item], "score": score, "comment": comment}
        for y, item, score, comment in rows
    ]
