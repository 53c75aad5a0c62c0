"""Reading training records from the database into the rules' plain dataclasses.

``records_for(trainees)`` loads any number of ALIS in a fixed number of queries, so the
leader's and the veileder's lists cost the same whatever their size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from veiviser.rules import training as r
from veiviser.rules.readiness import Verdict, verdict
from veiviser.rules.ruleset import get_ruleset
from veiviser.training.models import GoalEvent, PlanGoal, Trainee

RECORD_PREFETCH = (
    "service_periods",
    "service_periods__municipality",
    "leave_periods",
    "supervision_sessions",
    "group_periods",
    "courses",
    "plan__catalogue",
    Prefetch(
        "plan__goals",
        queryset=PlanGoal.objects.filter(retired=False)
        .order_by("order")
        .prefetch_related(Prefetch("events", queryset=GoalEvent.objects.order_by("at", "id"))),
    ),
)


def with_records(qs: QuerySet[Trainee]) -> QuerySet[Trainee]:
    return qs.select_related("person", "municipality").prefetch_related(*RECORD_PREFETCH)


def doctor_ref(trainee: Trainee) -> str:
    """The doctor's stable id as the rules and the progress file see it."""
    return trainee.external_id or f"vv-{trainee.pk}"


def _f(value: object) -> float:
    return float(value)  # type: ignore[arg-type]


def event_to_rule(event: GoalEvent) -> r.GoalEvent:
    return r.GoalEvent(
        at=event.at,
        action=event.action,
        by=event.actor_ref,  # type: ignore[arg-type]
        role=event.role,
        comment=event.comment or None,  # type: ignore[arg-type]
    )


def record_of(trainee: Trainee) -> r.TrainingRecord:
    """The trainee's record as plain data (use ``with_records`` to load it efficiently)."""
    doctor = r.Doctor(
        id=doctor_ref(trainee),
        name=trainee.person.full_name,
        hpr=trainee.person.hpr_number,
        scheme=trainee.scheme,  # type: ignore[arg-type]
        training_start=trainee.training_start,
        converted=trainee.converted,
    )
    plan = getattr(trainee, "plan", None)
    goals: tuple[r.GoalRecord, ...] = ()
    catalogue = ""
    if plan is not None:
        catalogue = plan.catalogue.name
        goals = tuple(
            r.GoalRecord(code=g.code, events=tuple(event_to_rule(e) for e in g.events.all()))
            for g in plan.goals.all()
        )
    return r.TrainingRecord(
        doctor=doctor,
        service=tuple(
            r.ServicePeriod(
                start=p.start,
                end=p.end,
                percent=_f(p.percent),
                arena=p.arena,  # type: ignore[arg-type]
                setting=p.setting or None,
                municipality=p.municipality.number if p.municipality else None,
                registered_institution=p.registered_institution,
            )
            for p in trainee.service_periods.all()
        ),
        leave=tuple(
            r.LeavePeriod(start=p.start, end=p.end, percent=_f(p.percent), kind=p.kind)  # type: ignore[arg-type]
            for p in trainee.leave_periods.all()
        ),
        supervision=tuple(
            r.SupervisionSession(
                on=s.date,
                hours=_f(s.hours),
                veileder=s.veileder_ref or (f"p-{s.veileder_id}" if s.veileder_id else None),
            )
            for s in trainee.supervision_sessions.all()
        ),
        group_supervision=tuple(
            r.GroupPeriod(
                start=g.start,
                end=g.end,
                hours=_f(g.hours),
                group=g.group or None,
                diploma=g.diploma,
            )
            for g in trainee.group_periods.all()
        ),
        courses=tuple(
            r.Course(
                kind=c.kind,
                title=c.title or None,  # type: ignore[arg-type]
                hours=_f(c.hours) if c.hours is not None else None,
                completed=c.completed,
            )
            for c in trainee.courses.all()
        ),
        catalogue=catalogue,
        goals=goals,
        ruleset=trainee.ruleset,
    )


def verdict_of(trainee: Trainee, as_of: dt.date | None = None) -> Verdict:
    return verdict(record_of(trainee), as_of or timezone.localdate(), get_ruleset(trainee.ruleset))


def verdicts(
    trainees: Iterable[Trainee], as_of: dt.date | None = None
) -> list[tuple[Trainee, Verdict]]:
    day = as_of or timezone.localdate()
    return [(t, verdict(record_of(t), day, get_ruleset(t.ruleset))) for t in trainees]


def requirement_map(result: Verdict) -> dict[str, object]:
    return {req.id: req for req in result.requirements}


def plan_goals(trainee: Trainee) -> Sequence[PlanGoal]:
    plan = getattr(trainee, "plan", None)
    return list(plan.goals.all()) if plan is not None else []
