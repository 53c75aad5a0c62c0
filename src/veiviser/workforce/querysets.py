"""User-scoped read paths for the workforce data (docs/adr/0052-workforce-access.md).

Positions' histories, postings and aggregated figures: the user's oversight municipalities
(leaders and coordinators their own, regional offices their region, national and
administrators all). Exit interviews and stay-survey answers, which are about one person:
only the municipality's managers (leaders, coordinators) and administrators.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from veiviser.accounts.scope import Scope, scope_for


def reader_ids(scope: Scope) -> frozenset[int] | None:
    """Municipalities whose workforce data the user may read; None means all."""
    if scope.user_id is None:
        return frozenset()
    return scope.oversight_municipality_ids


def manager_ids(scope: Scope) -> frozenset[int] | None:
    """Municipalities whose workforce data the user may change; None means all."""
    if scope.user_id is None:
        return frozenset()
    return None if scope.is_admin else scope.managed_municipality_ids


def is_reader(user: Any) -> bool:
    """True when the user may read the workforce pages at all."""
    ids = reader_ids(scope_for(user))
    return ids is None or bool(ids)


def _scoped(qs: models.QuerySet, ids: frozenset[int] | None, path: str) -> Any:
    if ids is None:
        return qs.all()
    if not ids:
        return qs.none()
    return qs.filter(**{f"{path}__in": ids})


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
