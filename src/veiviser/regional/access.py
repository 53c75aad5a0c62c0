"""Scoped lookups for the regional pages (core/access.py's rule: users without a regional,
national or administrator role → 403; a region outside the user's scope → 404; visible but
not the user's to change → 403)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from veiviser.accounts.scope import scope_for
from veiviser.core.models import RegionalOffice
from veiviser.regional.models import VeilederProfile
from veiviser.regional.querysets import is_region_reader, managed_region_ids, region_ids


def require_region_reader(user: Any) -> None:
    if not is_region_reader(user):
        raise PermissionDenied


def visible_regions(user: Any) -> Any:
    require_region_reader(user)
    ids = region_ids(scope_for(user))
    qs = RegionalOffice.objects.all()
    return qs if ids is None else qs.filter(pk__in=ids)


def can_manage_region(user: Any, region_id: int) -> bool:
    ids = managed_region_ids(scope_for(user))
    return ids is None or region_id in ids


def get_region_for_user(user: Any, pk: int, *, manage: bool = False) -> RegionalOffice:
    region = get_object_or_404(visible_regions(user), pk=pk)
    if manage and not can_manage_region(user, region.pk):
        raise PermissionDenied
    return region


def get_profile_for_user(
    user: Any, region: RegionalOffice, pk: int, *, manage: bool = False
) -> VeilederProfile:
    profile = get_object_or_404(
        VeilederProfile.objects.visible_to(user).select_related("person", "region"),
        pk=pk,
        region=region,
    )
    if manage and not can_manage_region(user, profile.region_id):
        raise PermissionDenied
    return profile
