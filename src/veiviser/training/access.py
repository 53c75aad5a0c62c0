"""Scoped lookups of training records (see core/access.py for the rule: 404 outside scope,
403 inside it when not the user's to change)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

from veiviser.training.models import PlanGoal, Trainee
from veiviser.training.records import with_records
from veiviser.training.services import can_write


def get_trainee_for_user(user: Any, pk: int, *, full: bool = False) -> Trainee:
    qs = Trainee.objects.visible_to(user)
    qs = with_records(qs) if full else qs.select_related("person", "municipality", "office")
    return get_object_or_404(qs, pk=pk)


def get_plan_goal_for_user(user: Any, trainee_pk: int, code: str) -> PlanGoal:
    trainee = get_trainee_for_user(user, trainee_pk)
    return get_object_or_404(
        PlanGoal.objects.select_related("plan__trainee__person", "goal"),
        plan__trainee=trainee,
        code=code,
    )


def get_record_item_for_user(
    user: Any, model: type[models.Model], trainee_pk: int, pk: int, *, write: bool = False
) -> Any:
    trainee = get_trainee_for_user(user, trainee_pk)
    item = get_object_or_404(model, pk=pk, trainee=trainee)  # type: ignore[misc]
    if write and not can_write(user, trainee, model):
        raise PermissionDenied
    return item
