"""Scoped lookups for the workforce pages (the rule of core/access.py: outside the user's scope
→ 404, visible but not the user's to change → 403; users without any oversight role → 403)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from veiviser.accounts.scope import scope_for
from veiviser.core.models import Municipality, Position
from veiviser.workforce.forms import WorkforceFilterForm, default_from
from veiviser.workforce.models import ExitInterview, Occupancy, Posting, StaySurvey
from veiviser.workforce.querysets import is_reader, manager_ids, reader_ids


def require_reader(user: Any) -> None:
    """Leaders, coordinators, regional offices, national readers and administrators only."""
    if not is_reader(user):
        raise PermissionDenied


def require_some_manager(user: Any) -> Any:
    """The municipalities the user manages (403 when none)."""
    require_reader(user)
    municipalities = Municipality.objects.managed_by(user).order_by("name")
    if not municipalities.exists():
        raise PermissionDenied
    return municipalities


def _check(user: Any, municipality_id: int, manage: bool) -> None:
    scope = scope_for(user)
    readable = reader_ids(scope)
    if readable is not None and municipality_id not in readable:
        raise Http404
    if manage:
        managed = manager_ids(scope)
        if managed is not None and municipality_id not in managed:
            raise PermissionDenied


def get_position_for_user(user: Any, pk: int, *, manage: bool = False) -> Position:
    require_reader(user)
    position = get_object_or_404(Position.objects.select_related("municipality", "office"), pk=pk)
    _check(user, position.municipality_id, manage)
    return position


def get_occupancy_for_user(user: Any, pk: int, *, manage: bool = False) -> Occupancy:
    require_reader(user)
    occupancy = get_object_or_404(
        Occupancy.objects.select_related("position__municipality", "person"), pk=pk
    )
    _check(user, occupancy.position.municipality_id, manage)
    return occupancy


def get_posting_for_user(user: Any, pk: int, *, manage: bool = False) -> Posting:
    require_reader(user)
    posting = get_object_or_404(Posting.objects.select_related("position__municipality"), pk=pk)
    _check(user, posting.position.municipality_id, manage)
    return posting


def get_exit_interview(occupancy: Occupancy) -> ExitInterview | None:
    return ExitInterview.objects.filter(occupancy=occupancy).first()


def get_survey_for_user(user: Any, pk: int, *, manage: bool = False) -> StaySurvey:
    require_reader(user)
    survey = get_object_or_404(StaySurvey.objects.select_related("municipality"), pk=pk)
    _check(user, survey.municipality_id, manage)
    return survey


# --------------------------------------------------------------------------- filters


@dataclass
class Selection:
    """The filters of a page, resolved against what the user may read."""

    form: WorkforceFilterForm
    municipality_ids: list[int] | None
    kinds: list[str] | None
    programme: str | None
    names: dict[str, str]
    today: date

    @property
    def valid(self) -> bool:
        return self.form.is_valid()

    def get(self, name: str) -> Any:
        return self.form.cleaned_data.get(name) if self.valid else None


def selection(request: HttpRequest, fields: tuple[str, ...]) -> Selection:
    """Read the filter form of a page (two queries: municipalities and programmes)."""
    user = request.user
    require_reader(user)
    ids = reader_ids(scope_for(user))
    municipalities = Municipality.objects.filter(positions__isnull=False)
    if ids is not None:
        municipalities = municipalities.filter(pk__in=ids)
    rows = list(
        municipalities.distinct()
        .order_by("name")
        .values_list("pk", "number", "name", "regional_office__code", "regional_office__name")
    )
    positions = (
        Position.objects.all() if ids is None else Position.objects.filter(municipality_id__in=ids)
    )
    programmes = sorted(
        {p.strip() for p in positions.exclude(programme="").values_list("programme", flat=True)}
    )
    regions = sorted({(code, name) for *_m, code, name in rows if code}, key=lambda r: r[1])
    today = timezone.localdate()
    data = request.GET.copy()
    defaults = {"dato": today, "fra": default_from(today), "til": today}
    for name, value in defaults.items():
        if name in fields and not data.get(name):
            data[name] = value.isoformat()
    form = WorkforceFilterForm(
        data,
        municipalities=[(number, f"{name} ({number})") for _pk, number, name, *_r in rows],
        regions=regions,
        programmes=programmes,
        fields=fields,
        today=today,
    )
    chosen: list[int] | None = None
    kinds: list[str] | None = None
    programme: str | None = None
    if form.is_valid():
        data = form.cleaned_data
        if data.get("kommune"):
            chosen = [pk for pk, number, *_r in rows if number == data["kommune"]]
        elif data.get("region"):
            chosen = [pk for pk, _n, _name, code, _rn in rows if code == data["region"]]
        if data.get("type"):
            kinds = [data["type"]]
        programme = data.get("program") or None
    else:
        chosen = []
    names = {number: name for _pk, number, name, *_r in rows}
    return Selection(form, chosen, kinds, programme, names, today)
