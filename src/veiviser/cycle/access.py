"""Scoped lookups for the cycle pages: users without an oversight role → 403; a municipality
or object outside the user's scope → 404; visible but not the user's to change → 403."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from veiviser.accounts.scope import scope_for
from veiviser.core.models import Municipality
from veiviser.cycle.models import CycleTask, ProjectEntry, TaskEvidence
from veiviser.cycle.querysets import commenter_ids, is_reader, manager_ids, reader_ids


def require_reader(user: Any) -> None:
    if not is_reader(user):
        raise PermissionDenied


def can_manage(user: Any, municipality_id: int) -> bool:
    ids = manager_ids(scope_for(user))
    return ids is None or municipality_id in ids


def can_comment(user: Any, municipality_id: int) -> bool:
    ids = commenter_ids(scope_for(user))
    return ids is None or municipality_id in ids


def get_cycle_municipality(
    user: Any, number: str, *, manage: bool = False, comment: bool = False
) -> Municipality:
    """The municipality whose cycle the user reads (or changes, or comments on)."""
    require_reader(user)
    ids = reader_ids(scope_for(user))
    qs = Municipality.objects.select_related("regional_office")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    municipality = get_object_or_404(qs, number=number)
    if manage and not can_manage(user, municipality.pk):
        raise PermissionDenied
    if comment and not can_comment(user, municipality.pk):
        raise PermissionDenied
    return municipality


def get_task(municipality: Municipality, pk: int) -> CycleTask:
    """A task of a municipality already checked with ``get_cycle_municipality``."""
    return get_object_or_404(
        CycleTask.objects.select_related("responsible_person", "municipality"),
        pk=pk,
        municipality=municipality,
    )


def get_evidence(task: CycleTask, pk: int) -> TaskEvidence:
    return get_object_or_404(TaskEvidence.objects.select_related("task"), pk=pk, task=task)


def get_entry(municipality: Municipality, pk: int) -> ProjectEntry:
    return get_object_or_404(ProjectEntry, pk=pk, municipality=municipality)
