"""Background jobs in the database (django-tasks with django_tasks_db; no broker).

``send_reminders`` runs the daily collection. A run that fails is enqueued again after a delay,
at most ``MAX_ATTEMPTS`` runs in all; each attempt is its own task result (status, exception
and traceback kept), listed for administrators on the job page. With ``daily=True`` a run
enqueues the next day's run (at ``DAILY_AT`` local time) when it is done, unless one is
already waiting, so one ``veiviser reminders enqueue --daily`` starts the schedule and a
running worker keeps it going (docs/adr/0073-reminders.md, docs/reminders.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import TaskResultStatus, task

MAX_ATTEMPTS = 3
RETRY_DELAYS = (dt.timedelta(minutes=5), dt.timedelta(minutes=30))
DAILY_AT = dt.time(6, 0)
TASK_PATH = "veiviser.reminders.tasks.send_reminders"


def retry_delay(attempt: int) -> dt.timedelta:
    """The wait before attempt ``attempt + 1``."""
    return RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]


def next_daily_run(now: dt.datetime) -> dt.datetime:
    """The next ``DAILY_AT`` (local time) after ``now``."""
    local = timezone.localtime(now)
    candidate = local.replace(hour=DAILY_AT.hour, minute=DAILY_AT.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
        candidate = timezone.make_aware(candidate.replace(tzinfo=None))
    return candidate


def pending_daily(after: dt.datetime) -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=TASK_PATH, status=TaskResultStatus.READY, run_after__gt=after
    ).exists()


def schedule_next_day(now: dt.datetime | None = None) -> bool:
    """Enqueue tomorrow's daily run unless one is waiting; True when one was enqueued."""
    now = now or timezone.now()
    if pending_daily(now):
        return False
    send_reminders.using(run_after=next_daily_run(now)).enqueue(daily=True)
    return True


@task()
def send_reminders(
    today: str | None = None, attempt: int = 1, daily: bool = False
) -> dict[str, Any]:
    """Email every user's new due items (``today`` as YYYY-MM-DD, default the local date)."""
    from veiviser.reminders.services import send_due_reminders

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    try:
        summary = send_due_reminders(today=day)
    except Exception:
        if attempt < MAX_ATTEMPTS:
            send_reminders.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
                today=day.isoformat(), attempt=attempt + 1, daily=daily
            )
        elif daily:
            schedule_next_day()
        raise
    if daily:
        schedule_next_day()
    return {**summary.to_dict(), "attempt": attempt}
