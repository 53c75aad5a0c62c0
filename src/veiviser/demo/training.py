"""Training records for the demo ALIS: service, leave, supervision, groups, courses and goal
histories matching how far each has come (one almost ready, one just started)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from veiviser.training.goals import event_key
from veiviser.training.models import (
    Course,
    GoalEvent,
    GroupSupervision,
    LeavePeriod,
    PlanGoal,
    ServicePeriod,
    SupervisionSession,
    Trainee,
)
from veiviser.training.records import doctor_ref
from veiviser.training.services import create_plan

OSLO = timezone.get_default_timezone()


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def build_demo_training(today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    rng = random.Random(7)
    for trainee in Trainee.objects.select_related("person", "municipality").order_by("pk"):
        _one(trainee, today, rng)


def _one(trainee: Trainee, today: dt.date, rng: random.Random) -> None:
    start = trainee.training_start
    months_in = (today.year - start.year) * 12 + today.month - start.month
    registered = trainee.municipality.registered_institution
    # Institution service (6 months, split 3 + 3) for those past their third year.
    institution: list[tuple[dt.date, dt.date]] = []
    if months_in > 40:
        a = _add_months(start, 30)
        institution.append((a, _add_months(a, 3) - dt.timedelta(days=1)))
        b = _add_months(start, 40)
        institution.append((b, _add_months(b, 3) - dt.timedelta(days=1)))

    def general_practice(a: dt.date, b: dt.date | None) -> None:
        # 80 % on the GP list and 20 % at the out-of-hours service (legevakt).
        for arena, percent, setting in (
            ("open_practice", 80, "fastlege"),
            ("other_gp", 20, "legevakt"),
        ):
            ServicePeriod.objects.create(
                trainee=trainee,
                start=a,
                end=b,
                percent=percent,
                arena=arena,
                setting=setting,
                municipality=trainee.municipality,
                registered_institution=registered,
            )

    cursor = start
    for a, b in institution:
        general_practice(cursor, a - dt.timedelta(days=1))
        ServicePeriod.objects.create(
            trainee=trainee,
            start=a,
            end=b,
            percent=100,
            arena="institution",
            setting="sykehus",
            employer="Helse Bergen HF",
        )
        cursor = b + dt.timedelta(days=1)
    general_practice(cursor, None)
    if trainee.pk % 3 == 0 and months_in > 24:
        leave_start = _add_months(start, 18)
        LeavePeriod.objects.create(
            trainee=trainee,
            start=leave_start,
            end=_add_months(leave_start, 6) - dt.timedelta(days=1),
            percent=100,
            kind="parental",
        )
    # Individual supervision: about two sessions a month, with a thin summer and a gap or two.
    sessions = []
    day = start + dt.timedelta(days=10)
    while day <= today:
        if day.month not in (7,) and rng.random() > 0.08:
            sessions.append(
                SupervisionSession(
                    trainee=trainee,
                    date=day,
                    hours=Decimal(rng.choice(["2", "2", "2.5"])),
                    veileder_ref="demo",
                )
            )
        day += dt.timedelta(days=14)
    SupervisionSession.objects.bulk_create(sessions)
    if months_in > 6:
        group_end = _add_months(start, 30) - dt.timedelta(days=1)
        GroupSupervision.objects.create(
            trainee=trainee,
            start=_add_months(start, 6),
            end=group_end if group_end < today else None,
            hours=Decimal(120 if group_end < today else 4 * max(months_in - 6, 0)),
            group=f"{trainee.municipality.name} {start.year}",
            group_leader="Legeforeningen",
            diploma=group_end < today,
        )
    for i, kind in enumerate(
        ["grunnkurs_a", "grunnkurs_b", "grunnkurs_c", "akuttmedisin", "grunnkurs_d"]
    ):
        done = _add_months(start, 4 + 9 * i)
        Course.objects.create(
            trainee=trainee,
            kind=kind,
            hours=Decimal(30),
            title=kind.replace("_", " ").title(),
            completed=done if done <= today else None,
        )
    plan = create_plan(trainee=trainee, by=None)
    _goal_history(trainee, plan.goals.order_by("order"), months_in, today, rng)


def _goal_history(
    trainee: Trainee,
    goals,
    months_in: int,
    today: dt.date,  # type: ignore[no-untyped-def]
    rng: random.Random,
) -> None:
    share_done = min(1.0, months_in / 54)
    goals = list(goals)
    approved = int(len(goals) * share_done)
    veileder = trainee.mentorships.filter(kind="veileder").select_related("mentor").first()
    supervisor = trainee.mentorships.filter(kind="supervisor").select_related("mentor").first()
    events = []
    me = doctor_ref(trainee)
    for i, goal in enumerate(goals):
        if i >= approved + 3:
            break
        when = dt.datetime.combine(
            trainee.training_start + dt.timedelta(days=int(20 * i * share_done) + 30),
            dt.time(9),
            OSLO,
        )
        if when.date() > today - dt.timedelta(days=7):
            when = dt.datetime.combine(today - dt.timedelta(days=7), dt.time(9), OSLO)
        chain = [("submitted", "alis", me)]
        if i < approved + 2 and veileder:
            chain.append(("recommended", "veileder", f"p-{veileder.mentor_id}"))
        if i < approved + 1 and supervisor:
            chain.append(("recommended", "supervisor", f"p-{supervisor.mentor_id}"))
        if i < approved and veileder and supervisor:
            chain.append(("approved", "leader", "leder"))
        for step, (action, role, ref) in enumerate(chain):
            at = when + dt.timedelta(days=step * 2)
            events.append(
                GoalEvent(
                    plan_goal=goal,
                    at=at,
                    action=action,
                    role=role,
                    actor_ref=ref,
                    import_key=event_key(at, action, ref, role),
                )
            )
        status = {1: "submitted", 2: "recommended", 3: "ready_for_decision", 4: "approved"}[
            len(chain)
        ]
        PlanGoal.objects.filter(pk=goal.pk).update(
            status=status, status_since=when, version=len(chain)
        )
    GoalEvent.objects.bulk_create(events)
