"""Scoped lookups for the annual report pages (core/access.py's rule: outside the user's scope
→ 404; visible but not an oversight role → 403)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from veiviser.accounts.scope import scope_for
from veiviser.annual.querysets import reader_ids
from veiviser.core.models import Municipality, RegionalOffice


def get_report_municipality_for_user(user: Any, number: str) -> Municipality:
    """The municipality whose report the user may read (ALIS, veileder, supervisor: 403)."""
    municipality = get_object_or_404(
        Municipality.objects.visible_to(user).select_related("regional_office"), number=number
    )
    ids = reader_ids(scope_for(user))
    if ids is not None and municipality.pk not in ids:
        raise PermissionDenied
    return municipality


def get_region_for_user(user: Any, pk: int) -> RegionalOffice:
    """A regional office whose overview the user may read: its own staff, national readers and
    administrators. A municipality's leader sees the office (404 otherwise) but not the
    overview of the other municipalities (403)."""
    region = get_object_or_404(RegionalOffice.objects.visible_to(user), pk=pk)
    scope = scope_for(user)
    if not (scope.sees_everything or region.pk in scope.region_ids):
        raise PermissionDenied
    return region


def require_year(year: int, valid: bool) -> None:
    if not valid:
        raise Http404
