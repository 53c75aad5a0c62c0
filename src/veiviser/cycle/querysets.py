"""User-scoped read paths for the yearly cycle (docs/adr/0065-cycle-access.md).

Readers are the oversight roles: leaders and coordinators their own municipalities, regional
offices their region, national readers and administrators every municipality. Writers are the
municipality's leaders and coordinators and the administrators; regional offices may also
comment. ALIS, veiledere and supervisors do not see the cycle.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from veiviser.accounts.scope import Scope, scope_for
from veiviser.core.scoping import is_reader as is_reader
from veiviser.core.scoping import manager_ids as manager_ids
from veiviser.core.scoping import reader_ids as reader_ids
from veiviser.core.scoping import scoped as _scoped


def commenter_ids(scope: Scope) -> frozenset[int] | None:
    """Municipalities whose cycle the user may comment on: managers and the regional office."""
    if scope.user_id is None:
        return frozenset()
    if scope.is_admin:
        return None
    return scope.managed_municipality_ids | scope.region_municipality_ids


class CycleQuerySet(models.QuerySet):
    """Rows that belong to one municipality (``municipality_id``)."""

    def visible_to(self, user: Any) -> Any:
        return _scoped(self, reader_ids(scope_for(user)), "municipality_id")

    def managed_by(self, user: Any) -> Any:
        return _scoped(self, manager_ids(scope_for(user)), "municipality_id")


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> Any:
        return _scoped(self, reader_ids(scope_for(user)), "task__municipality_id")
