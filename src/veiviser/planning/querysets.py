"""User-scoped read paths of the planning data (docs/adr/0061-planning-access.md).

The locum plan and the costs are read by the municipality's oversight roles: its leaders and
coordinators, the regional office of its region, national readers and administrators (the
workforce pages' readers). Only the municipality's leaders and coordinators (and
administrators) change them.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from veiviser.accounts.scope import scope_for
from veiviser.core.scoping import manager_ids as manager_ids
from veiviser.core.scoping import reader_ids as reader_ids
from veiviser.core.scoping import scoped as _scoped


class MunicipalityScopedQuerySet(models.QuerySet):
    """Rows that carry their ``municipality``."""

    def visible_to(self, user: Any) -> MunicipalityScopedQuerySet:
        return _scoped(self, reader_ids(scope_for(user)))

    def managed_by(self, user: Any) -> MunicipalityScopedQuerySet:
        return _scoped(self, manager_ids(scope_for(user)))
