"""User-scoped read paths for the regional pages (docs/adr/0068-regional-follow-up.md).

Readers are the regional offices (their own region), national readers and administrators (any
region). Municipal roles — leaders, coordinators, veiledere, ALIS — do not use these pages.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from veiviser.accounts.scope import Scope, scope_for


def region_ids(scope: Scope) -> frozenset[int] | None:
    """Regions whose follow-up the user may read; None means all."""
    if scope.user_id is None:
        return frozenset()
    if scope.sees_everything:
        return None
    return scope.region_ids


def managed_region_ids(scope: Scope) -> frozenset[int] | None:
    """Regions whose pool the user may change (the office itself, administrators); None = all."""
    if scope.user_id is None:
        return frozenset()
    if scope.is_admin:
        return None
    return scope.region_ids


def is_region_reader(user: Any) -> bool:
    ids = region_ids(scope_for(user))
    return ids is None or bool(ids)


def _scoped(qs: models.QuerySet, ids: frozenset[int] | None) -> Any:
    if ids is None:
        return qs.all()
    if not ids:
        return qs.none()
    return qs.filter(region_id__in=ids)


class VeilederProfileQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> VeilederProfileQuerySet:
        return _scoped(self, region_ids(scope_for(user)))

    def managed_by(self, user: Any) -> VeilederProfileQuerySet:
        return _scoped(self, managed_region_ids(scope_for(user)))


class ArrangementQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ArrangementQuerySet:
        return _scoped(self, region_ids(scope_for(user)))
