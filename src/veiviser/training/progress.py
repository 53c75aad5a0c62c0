"""Export and import of the portable progress file (``veiviser.progress/1``).

Import creates or updates the ALIS and merges the record: periods are matched on their start
(and arena/kind/group), sessions on date and veileder, courses on kind and title, goal events on
(time, action, actor, role) — so importing a file twice, or a newer export of the same doctor,
never duplicates anything. Everything is validated first; an invalid file imports nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from veiviser.accounts.scope import scope_for
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record
from veiviser.core.locks import serialize
from veiviser.core.models import Municipality, Person
from veiviser.rules import progress_file
from veiviser.rules import training as r
from veiviser.rules.progress_file import ProgressFileError, ProgressFileInvalid
from veiviser.training.goals import event_key
from veiviser.training.models import (
    Catalogue,
    Course,
    GoalEvent,
    GroupSupervision,
    LeavePeriod,
    PlanGoal,
    ServicePeriod,
    SupervisionSession,
    Trainee,
    TrainingPlan,
)
from veiviser.training.records import record_of, with_records
from veiviser.training.services import ensure_default_catalogue


def export_progress(*, trainee: Trainee, by: Any) -> dict[str, Any]:
    loaded = with_records(Trainee.objects.filter(pk=trainee.pk)).get()
    record(
        actor=by,
        action=AuditEvent.Action.EXPORT,
        instance=trainee,
        municipality_id=trainee.municipality_id,
        summary="Progresjonsfil eksportert",
    )
    return progress_file.dump(record_of(loaded), timezone.localtime())


def _d(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _check_catalogue(data: r.TrainingRecord) -> tuple[Catalogue | None, list[ProgressFileError]]:
    if not data.goals and not data.catalogue:
        return None, []
    if data.catalogue == "ALM-2019+FKM-2019":
        ensure_default_catalogue()
    catalogue = Catalogue.objects.filter(name=data.catalogue).first()
    if catalogue is None:
        return None, [
            ProgressFileError(
                "$.plan.catalogue", f"unknown catalogue {data.catalogue!r}; import it first"
            )
        ]
    codes = set(catalogue.goals.values_list("code", flat=True))
    errors = [
        ProgressFileError(
            f"$.plan.goals[{i}].code", f"{g.code!r} is not a goal of catalogue {catalogue.name}"
        )
        for i, g in enumerate(data.goals)
        if g.code not in codes
    ]
    return catalogue, errors


@transaction.atomic
def import_progress(
    *, data: r.TrainingRecord, municipality: Municipality, by: Any, system: bool = False
) -> Trainee:
    """Create or update the ALIS described by ``data`` as a trainee of ``municipality``.

    Raises ProgressFileInvalid (with JSON paths) for content the database cannot take, and
    PermissionDenied unless ``by`` manages ``municipality``. ``system=True`` (the command
    line, ``by=None``) skips the user check; the audit log records the system as actor."""
    if not system:
        scope = scope_for(by)
        if not (scope.is_admin or municipality.pk in scope.managed_municipality_ids):
            raise PermissionDenied
    # Two imports of the same doctor's file at once would both create the ALIS: one at a time.
    keys = [f"progress-doctor:{data.doctor.id}"]
    if data.doctor.hpr:
        keys.append(f"hpr:{data.doctor.hpr}")
    serialize(*keys)
    catalogue, errors = _check_catalogue(data)
    numbers = {p.municipality for p in data.service if p.municipality}
    known = dict(Municipality.objects.filter(number__in=numbers).values_list("number", "pk"))
    errors += [
        ProgressFileError(f"$.service[{i}].municipality", f"unknown kommunenummer {p.municipality}")
        for i, p in enumerate(data.service)
        if p.municipality and p.municipality not in known
    ]
    if errors:
        raise ProgressFileInvalid(errors)

    doctor = data.doctor
    trainee = Trainee.objects.filter(external_id=doctor.id).select_related("person").first()
    if trainee is None and doctor.hpr:
        trainee = Trainee.objects.filter(person__hpr_number=doctor.hpr).first()
    if trainee is None:
        person = Person.objects.filter(hpr_number=doctor.hpr).first() if doctor.hpr else None
        if person is None:
            given, _, family = (doctor.name or doctor.id).rpartition(" ")
            person = Person.objects.create(
                given_name=given or family,
                family_name=family if given else "",
                hpr_number=doctor.hpr,
                is_doctor=True,
                home_municipality=municipality,
            )
        trainee = Trainee.objects.create(
            person=person,
            municipality=municipality,
            scheme=doctor.scheme,
            training_start=doctor.training_start,
            converted=doctor.converted,
            external_id=doctor.id,
            ruleset=data.ruleset,
        )
        created = True
    else:
        # An ALIS who changes job brings the file: the record moves to the importing
        # municipality (audited below), and nothing already recorded is lost or doubled.
        trainee.municipality = municipality
        trainee.scheme, trainee.training_start = doctor.scheme, doctor.training_start
        trainee.converted = doctor.converted
        trainee.external_id = trainee.external_id or doctor.id
        trainee.save()
        created = False

    counts: Counter[str] = Counter()
    existing_service = {(p.start, p.arena, p.setting): p for p in trainee.service_periods.all()}
    for p in data.service:
        key = (p.start, p.arena, p.setting or "")
        current = existing_service.get(key)
        values = {
            "end": p.end,
            "percent": _d(p.percent),
            "municipality_id": known.get(p.municipality or ""),
            "registered_institution": p.registered_institution,
        }
        if current is None:
            ServicePeriod.objects.create(
                trainee=trainee, start=p.start, arena=p.arena, setting=p.setting or "", **values
            )
            counts["service"] += 1
        else:
            for k, v in values.items():
                setattr(current, k, v)
            current.save()
    existing_leave = {(p.start, p.kind): p for p in trainee.leave_periods.all()}
    for p in data.leave:
        current = existing_leave.get((p.start, p.kind))
        if current is None:
            LeavePeriod.objects.create(
                trainee=trainee, start=p.start, end=p.end, percent=_d(p.percent), kind=p.kind
            )
            counts["leave"] += 1
        else:
            current.end, current.percent = p.end, _d(p.percent)
            current.save()
    seen: Counter[tuple[dt.date, str]] = Counter(
        (s.date, s.veileder_ref) for s in trainee.supervision_sessions.all()
    )
    incoming: Counter[tuple[dt.date, str]] = Counter()
    for s in data.supervision:
        key = (s.on, s.veileder or "")
        incoming[key] += 1
        if incoming[key] > seen[key]:
            SupervisionSession.objects.create(
                trainee=trainee, date=s.on, hours=_d(s.hours), veileder_ref=s.veileder or ""
            )
            counts["supervision"] += 1
    existing_groups = {(g.start, g.group): g for g in trainee.group_periods.all()}
    for g in data.group_supervision:
        current = existing_groups.get((g.start, g.group or ""))
        if current is None:
            GroupSupervision.objects.create(
                trainee=trainee,
                start=g.start,
                end=g.end,
                hours=_d(g.hours),
                group=g.group or "",
                diploma=g.diploma,
            )
            counts["group_supervision"] += 1
        else:
            current.end, current.hours, current.diploma = g.end, _d(g.hours), g.diploma
            current.save()
    existing_courses = {(c.kind, c.title): c for c in trainee.courses.all()}
    for c in data.courses:
        current = existing_courses.get((c.kind, c.title or ""))
        if current is None:
            Course.objects.create(
                trainee=trainee,
                kind=c.kind,
                title=c.title or "",
                hours=_d(c.hours),
                completed=c.completed,
            )
            counts["courses"] += 1
        else:
            current.hours, current.completed = _d(c.hours), c.completed
            current.save()
    if catalogue is not None:
        counts["goal_events"] += _import_goals(trainee, catalogue, data)
    record(
        actor=by,
        action=AuditEvent.Action.IMPORT,
        instance=trainee,
        municipality_id=municipality.pk,
        summary=("Ny ALIS fra progresjonsfil" if created else "Progresjonsfil importert")
        + f": {dict(counts)}"[:150],
    )
    return trainee


def _import_goals(trainee: Trainee, catalogue: Catalogue, data: r.TrainingRecord) -> int:
    from veiviser.rules.goals import goal_status

    plan, _ = TrainingPlan.objects.get_or_create(trainee=trainee, defaults={"catalogue": catalogue})
    goal_by_code = {g.code: g for g in catalogue.goals.all()}
    plan_goals = {g.code: g for g in plan.goals.all()}
    added = 0
    for record_goal in data.goals:
        plan_goal = plan_goals.get(record_goal.code)
        if plan_goal is None:
            goal = goal_by_code[record_goal.code]
            plan_goal = PlanGoal.objects.create(
                plan=plan, goal=goal, code=goal.code, order=goal.order
            )
        keys = set(plan_goal.events.values_list("import_key", flat=True))
        new_events = []
        for e in record_goal.events:
            key = event_key(e.at, e.action, e.by, e.role)
            if key not in keys:
                keys.add(key)
                new_events.append(
                    GoalEvent(
                        plan_goal=plan_goal,
                        at=e.at,
                        action=e.action,
                        role=e.role,
                        actor_ref=e.by,
                        comment=e.comment or "",
                        import_key=key,
                    )
                )
        if new_events:
            GoalEvent.objects.bulk_create(new_events)
            added += len(new_events)
            from veiviser.training.records import event_to_rule

            history = [event_to_rule(e) for e in plan_goal.events.order_by("at", "id")]
            status = goal_status(history, trainee.external_id or f"vv-{trainee.pk}")
            plan_goal.status = status.state
            plan_goal.status_since = history[-1].at if history else None
            plan_goal.version += 1
            plan_goal.save(update_fields=["status", "status_since", "version"])
    return added
