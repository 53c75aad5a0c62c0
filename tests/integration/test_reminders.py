"""Reminders with a frozen clock: the monthly supervision check fires on the right day for the
right people only, pending sign-offs, the annual report deadline, nothing is emailed twice, and
a failing job is retried a bounded number of times and shows on the administrator's page."""

from __future__ import annotations

import argparse
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veiviser.annual.models import AnnualReport
from veiviser.reminders.models import SentReminder
from veiviser.reminders.registry import collect
from veiviser.reminders.services import ReminderFailures, send_due_reminders
from veiviser.reminders.tasks import MAX_ATTEMPTS, next_daily_run, send_reminders
from veiviser.training.goals import record_goal_event
from veiviser.training.models import LeavePeriod, PlanGoal, ServicePeriod, SupervisionSession
from veiviser.training.services import create_plan

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
PEOPLE = (
    "alis",
    "veileder",
    "supervisor",
    "leader",
    "coordinator",
    "foreign_leader",
    "regional",
    "foreign_regional",
    "national",
    "admin",
    "norole",
)


@pytest.fixture
def world(actors: Any) -> Any:
    """The actors with email addresses; the ALIS in full-time service since the start, with 4
    hours of supervision every month of 2026 up to September and only 2.5 in October."""
    for name in PEOPLE:
        user = actors[name]
        user.email = f"{name}@example.invalid"
        user.save()
    ServicePeriod.objects.create(
        trainee=actors.trainee, start=date(2022, 9, 1), percent=100, arena="open_practice"
    )
    for month in range(1, 10):
        SupervisionSession.objects.create(
            trainee=actors.trainee, date=date(2026, month, 5), hours=4
        )
    SupervisionSession.objects.create(trainee=actors.trainee, date=date(2026, 10, 7), hours=2.5)
    return actors


def kinds(user: Any, day: date, kind: str) -> list[Any]:
    with time_machine.travel(datetime(day.year, day.month, day.day, 7, tzinfo=OSLO), tick=False):
        return [i for i in collect(user, day) if i.kind == kind]


# --------------------------------------------------------------------------- supervision


def test_the_supervision_check_fires_from_the_third_for_the_alis_veileder_and_leader(world):
    for name in PEOPLE:
        assert kinds(world[name], date(2026, 11, 2), "supervision") == [], name
    fired = {name for name in PEOPLE if kinds(world[name], date(2026, 11, 3), "supervision")}
    assert fired == {"alis", "veileder", "leader"}
    (own,) = kinds(world["alis"], date(2026, 11, 3), "supervision")
    assert own.key == f"supervision:trainee-{world.trainee.pk}:2026-10"
    assert "2,5 av 4 timer" in own.title and "oktober 2026" in own.title
    assert own.url == reverse("session_list", args=[world.trainee.pk])
    (leader,) = kinds(world["leader"], date(2026, 11, 3), "supervision")
    assert leader.key == own.key and world.trainee.person.full_name in leader.title


def test_enough_supervision_or_a_month_on_leave_raises_nothing(world):
    assert kinds(world["alis"], date(2026, 10, 15), "supervision") == []  # September: 4 h
    LeavePeriod.objects.create(
        trainee=world.trainee, start=date(2026, 10, 1), end=date(2026, 10, 31), kind="parental"
    )
    assert kinds(world["alis"], date(2026, 11, 3), "supervision") == []


def test_an_ended_veileder_is_not_reminded(world):
    world.trainee.mentorships.filter(kind="veileder").update(ended=date(2026, 10, 31))
    assert kinds(world["veileder"], date(2026, 11, 3), "supervision") == []
    assert kinds(world["leader"], date(2026, 11, 3), "supervision")


# --------------------------------------------------------------------------- sign-offs


def test_pending_sign_offs_go_to_whoever_acts_next(world):
    create_plan(trainee=world.trainee, by=world["alis"])
    goal = PlanGoal.objects.filter(plan__trainee=world.trainee).order_by("order").first()
    day = date(2026, 11, 3)
    with time_machine.travel(datetime(2026, 11, 1, 9, tzinfo=OSLO), tick=False):
        record_goal_event(plan_goal=goal, action="submitted", role="alis", by=world["alis"])
    assert {n for n in PEOPLE if kinds(world[n], day, "signoff")} == {"veileder", "supervisor"}
    (item,) = kinds(world["veileder"], day, "signoff")
    assert item.due == date(2026, 11, 15) and goal.code in item.title
    assert item.url == reverse("goal_detail", args=[world.trainee.pk, goal.code])
    goal.refresh_from_db()
    with time_machine.travel(datetime(2026, 11, 2, 9, tzinfo=OSLO), tick=False):
        record_goal_event(
            plan_goal=goal, action="recommended", role="veileder", by=world["veileder"]
        )
    assert {n for n in PEOPLE if kinds(world[n], day, "signoff")} == {"supervisor"}
    goal.refresh_from_db()
    with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=OSLO), tick=False):
        record_goal_event(
            plan_goal=goal, action="recommended", role="supervisor", by=world["supervisor"]
        )
    assert {n for n in PEOPLE if kinds(world[n], day, "signoff")} == {"leader"}
    (late,) = kinds(world["leader"], date(2026, 12, 1), "signoff")
    assert late.severity == "warning"


# --------------------------------------------------------------------------- annual report


def test_the_annual_report_deadline_reminds_leaders_from_february_until_submitted(world):
    leader = world["leader"]
    assert kinds(leader, date(2026, 1, 31), "annual_report") == []
    (item,) = kinds(leader, date(2026, 2, 1), "annual_report")
    assert item.key == "annual_report:4642:2025" and item.due == date(2026, 3, 1)
    assert item.severity == "warning" and item.url == reverse("annual_report", args=["4642", 2025])
    assert kinds(world["coordinator"], date(2026, 2, 1), "annual_report") == []
    (late,) = kinds(leader, date(2026, 3, 2), "annual_report")
    assert late.key == "annual_report:4642:2025:overdue" and late.severity == "danger"
    AnnualReport.objects.create(
        municipality=world.laerdal,
        year=2025,
        status="submitted",
        submitted_at=datetime(2026, 3, 2, 12, tzinfo=OSLO),
    )
    assert kinds(leader, date(2026, 3, 3), "annual_report") == []


# --------------------------------------------------------------------------- sending


def submitted_2025(world: Any) -> None:
    """Both leaders' municipalities have sent their 2025 report (no deadline item in the way)."""
    for municipality in (world.laerdal, world.bergen):
        AnnualReport.objects.create(
            municipality=municipality,
            year=2025,
            status="submitted",
            submitted_at=datetime(2026, 2, 20, 12, tzinfo=OSLO),
        )


def run(day: date) -> Any:
    with time_machine.travel(datetime(day.year, day.month, day.day, 6, tzinfo=OSLO), tick=False):
        return send_due_reminders(today=day)


def test_each_item_is_emailed_once(world, settings):
    settings.SITE_URL = "https://veiviser.example"
    submitted_2025(world)
    mail.outbox.clear()
    summary = run(date(2026, 11, 3))
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["alis@example.invalid", "leader@example.invalid", "veileder@example.invalid"]
    assert summary.emails == 3
    message = next(m for m in mail.outbox if m.to == ["alis@example.invalid"])
    assert "1 ny oppgave" in message.subject
    assert "https://veiviser.example" + reverse("session_list", args=[world.trainee.pk]) in (
        message.body
    )
    assert SentReminder.objects.count() == 3
    mail.outbox.clear()
    # The next days: the same item is still due, but nobody gets it again.
    assert run(date(2026, 11, 4)).emails == 0
    assert run(date(2026, 11, 20)).emails == 0
    assert mail.outbox == []
    # A new item (the next month's check) is sent, alone.
    summary = run(date(2026, 12, 3))
    assert summary.emails == 3
    assert all("november 2026" in m.body and "oktober" not in m.body for m in mail.outbox)


def test_a_failure_for_one_user_keeps_nothing_for_them_and_sends_the_others(world, monkeypatch):
    from veiviser.reminders import services

    real = services.send_mail

    def flaky(subject, body, sender, to, **kwargs):
        if to == ["leader@example.invalid"]:
            raise ConnectionRefusedError("smtp down")
        return real(subject, body, sender, to, **kwargs)

    monkeypatch.setattr(services, "send_mail", flaky)
    submitted_2025(world)
    mail.outbox.clear()
    with pytest.raises(ReminderFailures, match="leader"):
        run(date(2026, 11, 3))
    assert len(mail.outbox) == 2
    assert not SentReminder.objects.filter(user=world["leader"]).exists()
    monkeypatch.setattr(services, "send_mail", real)
    assert run(date(2026, 11, 4)).emails == 1  # only the leader's, now


# --------------------------------------------------------------------------- the job


def work() -> None:
    """Run what is waiting in the job queue as `veiviser worker --batch` does: claim each ready
    result and run it with the worker's own ``run_task`` (its loop closes the database
    connection between jobs, which a test inside a transaction cannot have)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    while (result := DBTaskResult.objects.ready().order_by("run_after").first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)


def test_a_failing_job_is_retried_a_bounded_number_of_times_and_shown_to_admins(
    world, monkeypatch, client
):
    from django_tasks_db.models import DBTaskResult

    from veiviser.reminders import services

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(services, "send_mail", broken)
    submitted_2025(world)
    start = datetime(2026, 11, 3, 6, tzinfo=OSLO)
    with time_machine.travel(start, tick=False) as clock:
        send_reminders.enqueue(today="2026-11-03")
        for _ in range(MAX_ATTEMPTS + 1):
            work()
            clock.shift(timedelta(hours=1))
    results = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [r.status for r in results] == ["FAILED"] * MAX_ATTEMPTS
    assert [r.args_kwargs["kwargs"].get("attempt", 1) for r in results] == [1, 2, 3]
    assert all("ReminderFailures" in r.exception_class_path for r in results)
    assert SentReminder.objects.count() == 0

    client.force_login(world["admin"])
    page = client.get(reverse("job_list"))
    assert page.status_code == 200
    assert page.text.count("Feilet") == MAX_ATTEMPTS and "ReminderFailures" in page.text
    client.force_login(world["leader"])
    assert client.get(reverse("job_list")).status_code == 403

    # The mail server is back: a new run succeeds and sends each item once.
    monkeypatch.undo()
    mail.outbox.clear()
    with time_machine.travel(start + timedelta(days=1), tick=False):
        send_reminders.enqueue(today="2026-11-04")
        work()
    last = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert last.status == "SUCCESSFUL" and last.return_value["emails"] == 3
    assert len(mail.outbox) == 3


def test_a_daily_run_schedules_the_next_one_once(world):
    from django_tasks_db.models import DBTaskResult

    with time_machine.travel(datetime(2026, 11, 3, 6, tzinfo=OSLO), tick=False):
        send_reminders.enqueue(daily=True)
        work()
        waiting = DBTaskResult.objects.filter(status="READY")
        assert waiting.count() == 1
        assert waiting.get().run_after == datetime(2026, 11, 4, 6, tzinfo=OSLO)
    assert next_daily_run(datetime(2026, 11, 3, 5, tzinfo=OSLO)) == datetime(
        2026, 11, 3, 6, tzinfo=OSLO
    )


def test_the_admin_enqueues_a_run_from_the_job_page(world, client):
    from django_tasks_db.models import DBTaskResult

    client.force_login(world["admin"])
    assert client.post(reverse("job_list")).status_code == 302
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    page = client.get(reverse("job_list"))
    assert "Venter" in page.text


def test_the_job_page_makes_the_same_number_of_queries_as_jobs_grow(world, client):
    client.force_login(world["admin"])
    send_reminders.enqueue()
    with CaptureQueriesContext(connection) as before:
        assert client.get(reverse("job_list")).status_code == 200
    for _ in range(5):
        send_reminders.enqueue()
    with CaptureQueriesContext(connection) as after:
        assert client.get(reverse("job_list")).status_code == 200
    assert len(after) == len(before)


# --------------------------------------------------------------------------- command line


def test_the_command_sends_synchronously_and_enqueues(world, capsys):
    from django_tasks_db.models import DBTaskResult

    from veiviser.commands import reminders as command

    submitted_2025(world)
    mail.outbox.clear()
    assert command.run_send(argparse.Namespace(today=date(2026, 11, 3))) == 0
    assert '"emails": 3' in capsys.readouterr().out
    assert len(mail.outbox) == 3
    assert command.run_enqueue(argparse.Namespace(today=None, daily=False)) == 0
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_the_cli_parses_the_commands():
    from veiviser.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(["reminders", "send", "--today", "2026-11-03"])
    assert args.today == date(2026, 11, 3)
    with pytest.raises(SystemExit):
        parser.parse_args(["reminders", "send", "--today", "3.11.2026"])
    args = parser.parse_args(["worker", "--batch"])
    assert args.batch and args.func.__name__ == "run_worker"


def test_a_municipality_new_to_alis_is_not_reminded_of_a_year_it_had_nothing(world):
    from tests.conftest import make_user
    from veiviser.core.models import Municipality

    aurland = Municipality.objects.get(number="4641")
    newcomer = make_user("leder_aurland", "leader", municipality=aurland)
    assert kinds(newcomer, date(2026, 3, 2), "annual_report") == []
    Municipality.objects.filter(pk=aurland.pk).update(
        registered_institution=True, registered_at=date(2025, 6, 1)
    )
    (item,) = kinds(newcomer, date(2026, 3, 2), "annual_report")
    assert item.key == "annual_report:4641:2025:overdue"
