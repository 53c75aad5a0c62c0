"""User-scoped read paths for training records."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from veiviser.accounts.scope import scope_for


class TraineeQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> TraineeQuerySet:
        """An ALIS sees their own record; a veileder or supervisor the ALIS they follow;
        leaders and coordinators their municipality's; regional offices their region's;
        national read-only and administrators all."""
        scope = scope_for(user)
        if scope.user_id is None:
            return self.none()
        if scope.sees_everything:
            return self.all()
        ids = scope.oversight_municipality_ids or frozenset()
        condition = Q(municipality_id__in=ids)
        if scope.person_id:
            condition |= Q(person_id=scope.person_id)
            condition |= Q(
                mentorships__mentor_id=scope.person_id,
                mentorships__ended__isnull=True,
            )
        return self.filter(condition).distinct()

    def managed_by(self, user: Any) -> TraineeQuerySet:
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        return self.filter(municipality_id__in=scope.managed_municipality_ids)

    def with_people(self) -> TraineeQuerySet:
        return self.select_related("person", "municipality")


class MentorshipQuerySet(models.QuerySet):
    def current(self) -> MentorshipQuerySet:
        today = timezone.localdate()
        return self.filter(started__lte=today).filter(Q(ended__isnull=True) | Q(ended__gte=today))
