"""Named, user-scoped read paths for the organisation model."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from veiviser.accounts.scope import scope_for


class RegionalOfficeQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> RegionalOfficeQuerySet:
        scope = scope_for(user)
        if scope.user_id is None:
            return self.none()
        if scope.sees_everything:
            return self.all()
        municipality_ids = scope.readable_municipality_ids or frozenset()
        return self.filter(
            Q(id__in=scope.region_ids) | Q(municipalities__id__in=municipality_ids)
        ).distinct()


class MunicipalityQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> MunicipalityQuerySet:
        scope = scope_for(user)
        if scope.user_id is None:
            return self.none()
        ids = scope.readable_municipality_ids
        return self.all() if ids is None else self.filter(id__in=ids)

    def managed_by(self, user: Any) -> MunicipalityQuerySet:
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        return self.filter(id__in=scope.managed_municipality_ids)

    def with_counts(self) -> MunicipalityQuerySet:
        return self.select_related("regional_office").annotate(
            office_count=models.Count("offices", distinct=True),
            position_count=models.Count(
                "positions", filter=Q(positions__closed__isnull=True), distinct=True
            ),
        )


class OfficeQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> OfficeQuerySet:
        scope = scope_for(user)
        if scope.user_id is None:
            return self.none()
        ids = scope.readable_municipality_ids
        return self.all() if ids is None else self.filter(municipality_id__in=ids)


class PositionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> PositionQuerySet:
        scope = scope_for(user)
        if scope.user_id is None:
            return self.none()
        ids = scope.readable_municipality_ids
        return self.all() if ids is None else self.filter(municipality_id__in=ids)

    def open_on(self, day: Any) -> PositionQuerySet:
        return self.filter(created__lte=day).filter(Q(closed__isnull=True) | Q(closed__gt=day))


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> PersonQuerySet:
        """People: oversight roles see their municipalities' people; others see themselves and
        the doctors they supervise (or who supervise them)."""
        scope = scope_for(user)
        if scope.user_id is None:
            return self.none()
        if scope.sees_everything:
            return self.all()
        ids = scope.oversight_municipality_ids or frozenset()
        condition = (
            Q(home_municipality_id__in=ids)
            | Q(user__role_assignments__municipality_id__in=ids)
            | Q(trainee__municipality_id__in=ids)
        )
        if scope.person_id:
            condition |= Q(id=scope.person_id)
            condition |= Q(trainee__mentorships__mentor_id=scope.person_id)
            condition |= Q(mentorships__trainee__person_id=scope.person_id)
        return self.filter(condition).distinct()
