"""Due items of the yearly cycle: the user's open tasks due this month or overdue.

A task is the user's when the user is its responsible person, or its responsible role
(leader or coordinator) is a role the user holds in the task's municipality. Only
municipalities whose cycle the user may read (docs/adr/0065-cycle-access.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from veiviser.accounts.scope import scope_for
from veiviser.reminders.registry import DueItem
from veiviser.rules import recruit_retain as rr


def due_items(user: Any, today: date) -> list[DueItem]:
    from veiviser.accounts.models import Role, RoleAssignment
    from veiviser.cycle.models import CycleTask, TaskStatus
    from veiviser.cycle.querysets import reader_ids

    scope = scope_for(user)
    if scope.user_id is None:
        return []
    readable = reader_ids(scope)
    if readable is not None and not readable:
        return []
    roles = RoleAssignment.objects.active(today).filter(
        user_id=scope.user_id,
        role__in=[Role.LEADER, Role.COORDINATOR],
        municipality__isnull=False,
    )
    mine = Q(pk__in=[])
    for role, municipality_id in roles.values_list("role", "municipality_id"):
        mine |= Q(responsible_role=role, municipality_id=municipality_id)
    if scope.person_id:
        mine |= Q(responsible_person_id=scope.person_id)
    tasks = CycleTask.objects.filter(
        mine,
        status__in=[TaskStatus.PLANNED, TaskStatus.IN_PROGRESS],
        due__lt=rr.add_months(today, 1),
    ).select_related("municipality")
    if readable is not None:
        tasks = tasks.filter(municipality_id__in=readable)
    items = []
    for task in tasks.order_by("due", "pk")[:200]:
        overdue = rr.task_state(task.due, task.status, today) == "overdue"
        activity = rr.activity(task.activity)
        items.append(
            DueItem(
                key=f"cycle_task:{task.pk}",
                kind="cycle_task",
                title=_("%(title)s (%(municipality)s)")
                % {"title": task.title, "municipality": task.municipality.name},
                url=reverse(
                    "cycle_task_detail",
                    kwargs={"number": task.municipality.number, "pk": task.pk},
                ),
                due=task.due,
                severity="danger" if overdue else "warning",
                detail=(_("Forfalt") if overdue else _("Denne måneden"))
                + f" · {activity.number}. {_(activity.name)}",
            )
        )
    return items
