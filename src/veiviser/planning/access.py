"""Scoped lookups for the planning pages (docs/adr/0061-planning-access.md).

Users without any oversight role → 403; a municipality or object outside the user's scope →
404; visible but not the user's to change → 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from veiviser.accounts.scope import scope_for
from veiviser.core.models import Municipality, RegionalOffice
from veiviser.core.scoping import is_reader
from veiviser.planning.models import CostEntry, PlannedAbsence
from veiviser.planning.querysets import manager_ids, reader_ids


def require_reader(user: Any) -> None:
    if not is_reader(user):
        raise PermissionDenied


def _check(user: Any, municipality_id: int, manage: bool) -> None:
    scope = scope_for(user)
    readable = reader_ids(scope)
    if readable is not None and municipality_id not in readable:
        raise Http404
    if manage:
        managed = manager_ids(scope)
        if managed is not None and municipality_id not in managed:
            raise PermissionDenied


def get_municipality_for_user(user: Any, number: str, *, manage: bool = False) -> Municipality:
    require_reader(user)
    municipality = get_object_or_404(
        Municipality.objects.select_related("regional_office"), number=number
    )
    _check(user, municipality.pk, manage)
    return municipality


def get_absence_for_user(user: Any, pk: int, *, manage: bool = False) -> PlannedAbsence:
    require_reader(user)
    absence = get_object_or_404(
        PlannedAbsence.objects.select_related("municipality", "position", "person"), pk=pk
    )
    _check(user, absence.municipality_id, manage)
    return absence


def get_cost_entry_for_user(user: Any, pk: int, *, manage: bool = False) -> CostEntry:
    require_reader(user)
    entry = get_object_or_404(
        CostEntry.objects.select_related("municipality", "trainee__person"), pk=pk
    )
    _check(user, entry.municipality_id, manage)
    return entry


def get_region_for_user(user: Any, pk: int) -> RegionalOffice:
    """A regional office's cost totals: its own staff, national readers and administrators;
    other regional offices 404; everyone else 403."""
    scope = scope_for(user)
    if not (scope.sees_everything or scope.region_ids):
        raise PermissionDenied
    region = get_object_or_404(RegionalOffice, pk=pk)
    if not scope.sees_everything and region.pk not in scope.region_ids:
        raise Http404
    return region
