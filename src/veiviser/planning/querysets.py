"""User-scoped read paths of the planning data (docs/adr/0061-planning-access.md).

The locum plan and the costs are read by the municipality's oversight roles: its leaders and
coordinators, the regional office of its region, national readers and administrators (the
workforce pages' readers). Only the municipality's leaders and coordinators (and
administrators) change them.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from veiviser.accounts.scope import Scope, scope_for


def reader_ids(scope: Scope) -> frozenset[int] | None:
    """Municipalities whose plan and costs the user may read; None means all."""
    if scope.user_id is None:
        return frozenset()
    return scope.oversight_municipality_ids


def manager_ids(scope: Scope) -> frozenset[int] | None:
    """Municipalities whose plan and costs the user may change; None means all."""
    if scope.user_id is None:
        return frozenset()
    return None if scope.is_admin else scope.managed_municipality_ids


def _scoped(qs: models.QuerySet, ids: frozenset[int] | None) -> Any:
    if ids is None:
        return qs.all()
    if not ids:
        return qs.none()
    return qs.filter(municipality_id__in=ids)


class MunicipalityScopedQuerySet(models.QuerySet):
    """Rows that carry their ``municipality``."""

    def visible_to(self, user: Any) -> MunicipalityScopedQuerySet:
        return _scoped(self, reader_ids(scope_for(user)))

    def managed_by(self, user: Any) -> MunicipalityScopedQuerySet:
        return _scoped(self, manager_ids(scope_for(user)))
