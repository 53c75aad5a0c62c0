"""User-scoped read paths for training records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import OuterRef, Q, Subquery, Sum
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

    def with_supervision_summary(self, today: dt.date) -> TraineeQuerySet:
        """Annotate ``hours_this_month``, ``hours_last_month`` (individual supervision, None
        when there was none) and ``last_session`` (on or before ``today``), one subquery each so
        the list stays one query whatever the number of sessions."""
        from veiviser.training.models import SupervisionSession

        this_month = today.replace(day=1)
        last_month = (this_month - dt.timedelta(days=1)).replace(day=1)

        def hours(first: dt.date, last: dt.date) -> Subquery:
            sessions = SupervisionSession.objects.filter(
                trainee=OuterRef("pk"), date__gte=first, date__lte=last
            )
            return Subquery(
                sessions.values("trainee").annotate(total=Sum("hours")).values("total")[:1]
            )

        latest = SupervisionSession.objects.filter(trainee=OuterRef("pk"), date__lte=today)
        return self.annotate(
            hours_this_month=hours(this_month, today),
            hours_last_month=hours(last_month, this_month - dt.timedelta(days=1)),
            last_session=Subquery(latest.order_by("-date").values("date")[:1]),
        )


class MentorshipQuerySet(models.QuerySet):
    def current(self) -> MentorshipQuerySet:
        today = timezone.localdate()
        return self.filter(started__lte=today).filter(Q(ended__isnull=True) | Q(ended__gte=today))
