"""Reading the locum plan's input from the database into the rules' dataclasses.

``load_plan(municipality_ids, start, end)`` gathers, in a fixed number of queries for any
number of municipalities (docs/adr/0060-locum-plan-from-records.md):

- from the ALIS's training records: institution service periods (``arena = institution``),
  dated leave (parental → ``parental_leave``, other kinds → ``other``) and courses with a
  completion date (a course of ``hours`` takes ⌈hours ÷ 7.5⌉ working days, at most 10, ending
  on that date) — each absent from the position the ALIS holds then (workforce holder row), or
  from a position of their own when none is registered;
- the absences the leader or coordinator entered by hand (``PlannedAbsence``);
- the locums: every workforce ``Occupancy`` of role ``locum`` on the municipalities' positions,
  at the percent of its ``LocumArrangement`` (100 % when entered on the workforce pages).

Keys in the rules' dataclasses are stable ids (``p12`` a position, ``o3`` an office, ``d7`` a
person); ``Plan`` maps them to the labels users see.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from veiviser.planning.models import PlannedAbsence
from veiviser.rules.locum_planning import AbsenceKind, ArrangedLocum
from veiviser.rules.locum_planning import PlannedAbsence as RuleAbsence
from veiviser.training.models import Course, LeavePeriod, ServicePeriod
from veiviser.workforce.models import Occupancy, OccupancyRole

COURSE_DAY_HOURS = Decimal("7.5")
COURSE_MAX_DAYS = 10


@dataclass(frozen=True)
class AbsenceRow:
    """One absence as the page lists it."""

    absence: RuleAbsence
    municipality_id: int
    doctor_label: str
    office_label: str
    position_pk: int | None
    position_label: str
    source: str  # "record" or "manual"
    manual_pk: int | None = None
    trainee_pk: int | None = None


@dataclass(frozen=True)
class LocumRow:
    locum: ArrangedLocum
    municipality_id: int
    occupancy_pk: int
    person_label: str
    position_label: str
    office_key: str
    office_label: str
    open_ended: bool
    arranged: bool


@dataclass
class Plan:
    """Absences and locums of some municipalities in a window, with labels."""

    start: date
    end: date
    absences: list[AbsenceRow] = field(default_factory=list)
    locums: list[LocumRow] = field(default_factory=list)
    office_labels: dict[str, str] = field(default_factory=dict)
    office_municipality: dict[str, int] = field(default_factory=dict)

    @property
    def rule_absences(self) -> list[RuleAbsence]:
        return [row.absence for row in self.absences]

    @property
    def rule_locums(self) -> list[ArrangedLocum]:
        return [row.locum for row in self.locums]

    def for_municipality(self, municipality_id: int) -> Plan:
        return Plan(
            self.start,
            self.end,
            [a for a in self.absences if a.municipality_id == municipality_id],
            [lo for lo in self.locums if lo.municipality_id == municipality_id],
            {
                k: v
                for k, v in self.office_labels.items()
                if self.office_municipality[k] == municipality_id
            },
            {k: v for k, v in self.office_municipality.items() if v == municipality_id},
        )


def office_key(office_id: int | None, municipality_id: int) -> str:
    return f"o{office_id}" if office_id else f"m{municipality_id}"


def position_key(position_id: int) -> str:
    return f"p{position_id}"


def _percent(value: Decimal) -> Decimal | None:
    value = min(Decimal(value), Decimal(100))
    return value if value > 0 else None


def _overlaps(start: date, end: date | None, window_start: date, window_end: date) -> bool:
    return start <= window_end and (end is None or end >= window_start)


def _period_filter(window_start: date, window_end: date) -> Q:
    return Q(start__lte=window_end) & (Q(end__isnull=True) | Q(end__gte=window_start))


def load_plan(municipality_ids: Iterable[int] | None, start: date, end: date) -> Plan:
    """Absences and locums overlapping ``start``–``end`` in the municipalities (None: all).

    Seven queries whatever the number of municipalities, ALIS, positions and rows.
    """
    ids = None if municipality_ids is None else sorted(set(municipality_ids))
    plan = Plan(start, end)
    if ids is not None and not ids:
        return plan

    def in_scope(path: str) -> Q:
        return Q() if ids is None else Q(**{f"{path}__in": ids})

    trainee_related = ("trainee__person", "trainee__office", "trainee__municipality")
    services = list(
        ServicePeriod.objects.filter(in_scope("trainee__municipality_id"), arena="institution")
        .filter(_period_filter(start, end))
        .select_related(*trainee_related)
        .order_by("start", "id")
    )
    leaves = list(
        LeavePeriod.objects.filter(in_scope("trainee__municipality_id"))
        .filter(_period_filter(start, end))
        .select_related(*trainee_related)
        .order_by("start", "id")
    )
    courses = list(
        Course.objects.filter(
            in_scope("trainee__municipality_id"),
            completed__gte=start,
            completed__lte=end + timedelta(days=COURSE_MAX_DAYS * 2),
        )
        .select_related(*trainee_related)
        .order_by("completed", "id")
    )
    manual = list(
        PlannedAbsence.objects.filter(in_scope("municipality_id"))
        .filter(start__lte=end, end__gte=start)
        .select_related("person", "position__office")
        .order_by("start", "id")
    )
    person_ids = {row.trainee.person_id for row in [*services, *leaves, *courses]}
    holders: dict[int, list[Occupancy]] = defaultdict(list)
    if person_ids:
        for occupancy in (
            Occupancy.objects.filter(
                in_scope("position__municipality_id"),
                role=OccupancyRole.HOLDER,
                person_id__in=person_ids,
            )
            .select_related("position__office")
            .order_by("start", "id")
        ):
            holders[occupancy.person_id].append(occupancy)

    def add_office(office: object, municipality_id: int) -> str:
        key = office_key(getattr(office, "pk", None), municipality_id)
        label = str(office) if office is not None else _("Uten legekontor")
        plan.office_labels.setdefault(key, label)
        plan.office_municipality.setdefault(key, municipality_id)
        return key

    def from_record(row: object, kind: AbsenceKind, a: date, b: date, percent: Decimal) -> None:
        trainee = row.trainee  # type: ignore[attr-defined]
        share = _percent(percent)
        if share is None or not _overlaps(a, b, start, end):
            return
        municipality_id = trainee.municipality_id
        held = [
            o
            for o in holders.get(trainee.person_id, [])
            if o.position.municipality_id == municipality_id and _overlaps(o.start, o.end, a, a)
        ] or [
            o
            for o in holders.get(trainee.person_id, [])
            if o.position.municipality_id == municipality_id
        ]
        if held:
            position = held[-1].position
            office_k = add_office(position.office, municipality_id)
            pos_key, pos_pk, pos_label = (
                position_key(position.pk),
                position.pk,
                position.external_id,
            )
        else:
            office_k = add_office(trainee.office, municipality_id)
            pos_key, pos_pk, pos_label = (
                f"t{trainee.pk}",
                None,
                _("ALIS-stilling (ikke registrert)"),
            )
        plan.absences.append(
            AbsenceRow(
                absence=RuleAbsence(
                    doctor=f"d{trainee.person_id}",
                    office=office_k,
                    position=pos_key,
                    kind=kind,
                    start=a,
                    end=b,
                    percent=share,
                ),
                municipality_id=municipality_id,
                doctor_label=trainee.person.full_name,
                office_label=plan.office_labels[office_k],
                position_pk=pos_pk,
                position_label=pos_label,
                source="record",
                trainee_pk=trainee.pk,
            )
        )

    for period in services:
        from_record(
            period, AbsenceKind.INSTITUTION, period.start, period.end or end, period.percent
        )
    for leave in leaves:
        kind = AbsenceKind.PARENTAL_LEAVE if leave.kind == "parental" else AbsenceKind.OTHER
        from_record(leave, kind, leave.start, leave.end or end, leave.percent)
    for course in courses:
        hours = course.hours or COURSE_DAY_HOURS
        days = min(COURSE_MAX_DAYS, max(1, math.ceil(hours / COURSE_DAY_HOURS)))
        assert course.completed is not None
        from_record(
            course,
            AbsenceKind.COURSE,
            course.completed - timedelta(days=days - 1),
            course.completed,
            Decimal(100),
        )
    for item in manual:
        position = item.position
        office_k = add_office(position.office, item.municipality_id)
        plan.absences.append(
            AbsenceRow(
                absence=RuleAbsence(
                    doctor=f"d{item.person_id}",
                    office=office_k,
                    position=position_key(position.pk),
                    kind=AbsenceKind(item.kind),
                    start=item.start,
                    end=item.end,
                    percent=item.percent,
                ),
                municipality_id=item.municipality_id,
                doctor_label=item.person.full_name,
                office_label=plan.office_labels[office_k],
                position_pk=position.pk,
                position_label=position.external_id,
                source="manual",
                manual_pk=item.pk,
            )
        )
    for occupancy in (
        Occupancy.objects.filter(in_scope("position__municipality_id"), role=OccupancyRole.LOCUM)
        .filter(_period_filter(start, end))
        .select_related("person", "position__office", "locum_arrangement")
        .order_by("start", "id")
    ):
        arrangement = getattr(occupancy, "locum_arrangement", None)
        position = occupancy.position
        office_k = add_office(position.office, position.municipality_id)
        plan.locums.append(
            LocumRow(
                locum=ArrangedLocum(
                    position=position_key(position.pk),
                    start=occupancy.start,
                    end=occupancy.end or end,
                    percent=arrangement.percent if arrangement else Decimal(100),
                    locum=f"d{occupancy.person_id}",
                ),
                municipality_id=position.municipality_id,
                occupancy_pk=occupancy.pk,
                person_label=occupancy.person.full_name,
                position_label=position.external_id,
                office_key=office_k,
                office_label=plan.office_labels[office_k],
                open_ended=occupancy.end is None,
                arranged=arrangement is not None,
            )
        )
    plan.absences.sort(key=lambda r: (r.absence.start, r.doctor_label, r.absence.position))
    return plan
