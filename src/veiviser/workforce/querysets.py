"""User-scoped read paths for the workforce data (docs/adr/0052-workforce-access.md).

Positions' histories, postings and aggregated figures: the user's oversight municipalities
(leaders and coordinators their own, regional offices their region, national and
administrators all). Exit interviews and stay-survey answers, which are about one person:
only the municipality's managers (leaders, coordinators) and administrators.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from veiviser.accounts.scope import scope_for
from veiviser.core.scoping import is_reader as is_reader
from veiviser.core.scoping import manager_ids as manager_ids
from veiviser.core.scoping import reader_ids as reader_ids
from veiviser.core.scoping import scoped as _scoped


class OccupancyQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> OccupancyQuerySet:
        return _scoped(self, reader_ids(scope_for(user)), "position__municipality_id")

    def managed_by(self, user: Any) -> OccupancyQuerySet:
        return _scoped(self, manager_ids(scope_for(user)), "position__municipality_id")

    def holders(self) -> OccupancyQuerySet:
        return self.filter(role="holder")


class PostingQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> PostingQuerySet:
        return _scoped(self, reader_ids(scope_for(user)), "position__municipality_id")


class ExitInterviewQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ExitInterviewQuerySet:
        """Single interviews: the municipality's managers and administrators only."""
        return _scoped(self, manager_ids(scope_for(user)), "occupancy__position__municipality_id")

    def aggregated_for(self, user: Any) -> ExitInterviewQuerySet:
        """Interviews that may be counted (never shown one by one) on the aggregate page."""
        return _scoped(self, reader_ids(scope_for(user)), "occupancy__position__municipality_id")


class StaySurveyQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> StaySurveyQuerySet:
        return _scoped(self, reader_ids(scope_for(user)), "municipality_id")

    def managed_by(self, user: Any) -> StaySurveyQuerySet:
        return _scoped(self, manager_ids(scope_for(user)), "municipality_id")


class StaySurveyAnswerQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> StaySurveyAnswerQuerySet:
        """Single answers: the municipality's managers and administrators only."""
        return _scoped(self, manager_ids(scope_for(user)), "survey__municipality_id")

    def aggregated_for(self, user: Any) -> StaySurveyAnswerQuerySet:
        return _scoped(self, reader_ids(scope_for(user)), "survey__municipality_id")


class PersonAliasQuerySet(models.QuerySet):
    pass
