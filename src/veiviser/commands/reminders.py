"""`veiviser reminders send|enqueue` and `veiviser worker`: the reminder emails and the
background job worker (django-tasks in the database; docs/reminders.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from veiviser.commands import setup_django


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc


def register(subparsers: Any) -> None:
    reminders = subparsers.add_parser(
        "reminders",
        help="send or enqueue the reminder emails",
        description="Collect every user's due items and email the new ones (each item once).",
    )
    actions = reminders.add_subparsers(dest="reminders_action", metavar="ACTION")
    send = actions.add_parser(
        "send",
        help="collect and send now, in this process",
        description="Collect every user's due items and email the new ones, synchronously.",
    )
    send.add_argument("--today", type=_day, help="the date to collect for (default: today)")
    send.set_defaults(func=run_send)
    enqueue = actions.add_parser(
        "enqueue",
        help="put a reminder run in the job queue (run by `veiviser worker`)",
        description="Enqueue the send_reminders job. With --daily, every run enqueues the "
        "next day's run at 06:00, so the schedule keeps itself going while a worker runs.",
    )
    enqueue.add_argument("--today", type=_day, help="the date to collect for (default: the run's)")
    enqueue.add_argument("--daily", action="store_true", help="start (or keep) the daily schedule")
    enqueue.set_defaults(func=run_enqueue)
    reminders.set_defaults(func=lambda args: (reminders.print_help(), 2)[1])

    worker = subparsers.add_parser(
        "worker",
        help="run the background job worker (django_tasks_db's db_worker)",
        description="Run the database job worker. Options after `--` go to db_worker "
        "(e.g. `veiviser worker -- --batch` runs what is waiting, then exits).",
    )
    worker.add_argument("--batch", action="store_true", help="run the waiting jobs, then exit")
    worker.add_argument("--interval", type=float, default=5.0, help="seconds between polls")
    worker.add_argument("--queue-name", default="default", help="queues to run ('*' for all)")
    worker.add_argument("--max-tasks", type=int, help="exit after this many jobs")
    worker.add_argument("extra", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    worker.set_defaults(func=run_worker)


def run_send(args: argparse.Namespace) -> int:
    setup_django()
    from veiviser.reminders.services import ReminderFailures, send_due_reminders

    try:
        summary = send_due_reminders(today=args.today)
    except ReminderFailures as exc:
        print(f"veiviser reminders send: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(summary.to_dict(), ensure_ascii=False))
    return 0


def run_enqueue(args: argparse.Namespace) -> int:
    setup_django()
    from veiviser.reminders.tasks import schedule_next_day, send_reminders

    kwargs: dict[str, Any] = {"daily": bool(args.daily)}
    if args.today:
        kwargs["today"] = args.today.isoformat()
    result = send_reminders.enqueue(**kwargs)
    print(f"enqueued send_reminders {result.id}")
    if args.daily and schedule_next_day():
        print("scheduled the next daily run")
    return 0


def run_worker(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    options: dict[str, Any] = {
        "queue_name": args.queue_name,
        "interval": args.interval,
        "batch": args.batch,
        "reload": False,
        "startup_delay": not args.batch,
    }
    if args.max_tasks:
        options["max_tasks"] = args.max_tasks
    extra = [a for a in args.extra if a != "--"]
    call_command("db_worker", *extra, **options)
    return 0
