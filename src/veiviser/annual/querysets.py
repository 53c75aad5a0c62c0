"""User-scoped read paths for the annual reports (docs/adr/0072-annual-report.md).

Readers are the oversight roles: a municipality's leaders and coordinators, the regional office
of its region, national readers and administrators. ALIS, veiledere and supervisors do not read
the report. Writers: the municipality's leaders and coordinators, and administrators.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from veiviser.accounts.scope import scope_for
from veiviser.core.scoping import reader_ids as reader_ids


class AnnualReportQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AnnualReportQuerySet:
        ids = reader_ids(scope_for(user))
        if ids is None:
            return self.all()
        return self.filter(municipality_id__in=ids) if ids else self.none()
