"""The scope rules shared by every municipality-owned kind of data (workforce, agreements,
planning, the yearly cycle, annual reports): who reads and who writes, as sets of
municipality ids, and the one way to narrow a queryset to them.

Readers are the oversight roles (the municipality's leaders and coordinators, its regional
office, national readers and administrators); writers are the municipality's leaders and
coordinators and administrators. ``None`` means every municipality."""

from __future__ import annotations

from typing import Any

from django.db import models

from veiviser.accounts.scope import Scope, scope_for


def reader_ids(scope: Scope) -> frozenset[int] | None:
    """Municipalities whose data the user may read; None means all."""
    if scope.user_id is None:
        return frozenset()
    return scope.oversight_municipality_ids


def manager_ids(scope: Scope) -> frozenset[int] | None:
    """Municipalities whose data the user may change; None means all."""
    if scope.user_id is None:
        return frozenset()
    return None if scope.is_admin else scope.managed_municipality_ids


def is_reader(user: Any) -> bool:
    """True when the user reads such data in at least one municipality."""
    ids = reader_ids(scope_for(user))
    return ids is None or bool(ids)


def scoped(qs: models.QuerySet, ids: frozenset[int] | None, path: str = "municipality_id") -> Any:
    """``qs`` narrowed to rows whose ``path`` is one of ``ids`` (None: all, empty: none)."""
    if ids is None:
        return qs.all()
    if not ids:
        return qs.none()
    return qs.filter(**{f"{path}__in": ids})
