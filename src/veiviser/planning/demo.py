"""Demo data of the locum plan and the costs (all people fictitious).

- Lærdal: the demo ALIS has a further institution placement (psychiatry) planned two months
  ahead with no locum arranged → a warning on the plan, the dashboard and the reminders; a GP's
  parental leave with a locum arranged for most of it, and a group-supervision day.
- Bergen: an ALIS's institution half-year three months ahead with a locum arranged in full (no
  warning), and another ALIS's planned parental leave in the training record.
- Bodø: an institution period eight months ahead (need shown, outside the warning window).
- Costs per ALIS for Lærdal and Bergen in 2025 and 2026, and the grants received.

Dates are relative to today, like the training records' demo. Safe to call again.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record
from veiviser.core.models import Municipality, Person, Position
from veiviser.planning.models import CostEntry, GrantReceived, LocumArrangement, PlannedAbsence
from veiviser.rules.locum_planning import add_months
from veiviser.training.models import LeavePeriod, ServicePeriod, Trainee
from veiviser.workforce.models import Occupancy, OccupancyRole, Source

# Yearly cost per ALIS by category (kroner), before a ± 20 % spread; "other" is the ALIS's pay.
COST_BASE = {
    "veileder_pay": 52_000,
    "supervisor_pay": 18_000,
    "courses_travel": 41_000,
    "administration": 15_000,
    "reduced_list": 60_000,
    "other": 1_050_000,
}
LOCUM_COST_INSTITUTION = 340_000
GRANTS = {"4642": {2025: 420_000, 2026: 435_000}, "4601": {2025: 1_180_000, 2026: 1_240_000}}


def _first_of_next_month(today: date) -> date:
    return add_months(today.replace(day=1), 1)


def _plan_institution(
    trainee: Trainee, start: date, end: date, setting: str, employer: str
) -> None:
    """Split the ALIS's ongoing general-practice periods around a planned institution period."""
    ongoing = list(trainee.service_periods.filter(end__isnull=True, start__lt=start))
    for period in ongoing:
        period.end = start - timedelta(days=1)
        period.save(update_fields=["end"])
    ServicePeriod.objects.create(
        trainee=trainee,
        start=start,
        end=end,
        percent=100,
        arena="institution",
        setting=setting,
        employer=employer,
        municipality=trainee.municipality,
        registered_institution=trainee.municipality.registered_institution,
    )
    for period in ongoing:
        ServicePeriod.objects.create(
            trainee=trainee,
            start=end + timedelta(days=1),
            end=None,
            percent=period.percent,
            arena=period.arena,
            setting=period.setting,
            municipality=period.municipality,
            registered_institution=period.registered_institution,
        )


def _held_position(person: Person, municipality: Municipality, kind: str) -> Position | None:
    occupancy = (
        Occupancy.objects.filter(
            person=person, role=OccupancyRole.HOLDER, position__municipality=municipality
        )
        .select_related("position")
        .order_by("-start")
        .first()
    )
    if occupancy is not None:
        return occupancy.position
    return (
        Position.objects.filter(municipality=municipality, kind=kind)
        .order_by("external_id")
        .first()
    )


def _locum(position: Position, given: str, family: str, start: date, end: date, pct: int) -> None:
    person = Person.objects.create(
        given_name=given, family_name=family, is_doctor=True, fictitious=True
    )
    occupancy = Occupancy.objects.create(
        position=position,
        person=person,
        role=OccupancyRole.LOCUM,
        start=start,
        end=end,
        source=Source.DEMO,
    )
    LocumArrangement.objects.create(
        occupancy=occupancy,
        municipality_id=position.municipality_id,
        percent=Decimal(pct),
        note="Avtalt via vikarbyrå (demo)",
    )


def _costs(trainee: Trainee, year: int, rng: random.Random, institution: bool) -> list[CostEntry]:
    entries = []
    for category, base in COST_BASE.items():
        amount = Decimal(round(base * rng.uniform(0.8, 1.2), -2))
        entries.append(
            CostEntry(
                municipality=trainee.municipality,
                trainee=trainee,
                year=year,
                category=category,
                amount=amount,
                note="ALIS' lønn" if category == "other" else "",
            )
        )
    if institution:
        entries.append(
            CostEntry(
                municipality=trainee.municipality,
                trainee=trainee,
                year=year,
                category="locums",
                amount=Decimal(round(LOCUM_COST_INSTITUTION * rng.uniform(0.85, 1.15), -3)),
                note="Vikar i institusjonstjenesten",
            )
        )
    return entries


@transaction.atomic
def build_demo(today: date | None = None) -> None:
    if CostEntry.objects.exists() or PlannedAbsence.objects.exists():
        return
    today = today or timezone.localdate()
    next_month = _first_of_next_month(today)
    municipalities = {
        m.number: m for m in Municipality.objects.filter(number__in=["4642", "4601", "1804"])
    }
    if len(municipalities) < 3:
        return
    laerdal, bergen, bodo = municipalities["4642"], municipalities["4601"], municipalities["1804"]
    rng = random.Random(5)

    # Lærdal: institution placement two months ahead, no locum yet → a warning.
    laerdal_alis = Trainee.objects.filter(municipality=laerdal).select_related("person").first()
    if laerdal_alis is not None:
        start = add_months(next_month, 1)
        _plan_institution(
            laerdal_alis,
            start,
            add_months(start, 3) - timedelta(days=1),
            "psykiatri",
            "Helse Førde HF",
        )
        position = _held_position(laerdal_alis.person, laerdal, "alis")
        if position is not None:
            PlannedAbsence.objects.create(
                municipality=laerdal,
                position=position,
                person=laerdal_alis.person,
                kind="group_supervision",
                start=next_month + timedelta(days=9),
                end=next_month + timedelta(days=9),
                note="Gruppeveiledning, heldagssamling",
            )
    gp = (
        Occupancy.objects.filter(
            role=OccupancyRole.HOLDER,
            end__isnull=True,
            position__municipality=laerdal,
            position__kind="gp",
        )
        .select_related("position", "person")
        .order_by("position__external_id")
        .first()
    )
    if gp is not None:
        leave_start = add_months(next_month, 3)
        leave_end = add_months(leave_start, 5) - timedelta(days=1)
        PlannedAbsence.objects.create(
            municipality=laerdal,
            position=gp.position,
            person=gp.person,
            kind="parental_leave",
            start=leave_start,
            end=leave_end,
            note="Foreldrepermisjon",
        )
        _locum(
            gp.position, "Synnøve", "Vikesland", leave_start, leave_end - timedelta(days=30), 100
        )

    # Bergen: institution half-year three months ahead, locum arranged in full.
    bergen_alis = list(Trainee.objects.filter(municipality=bergen).select_related("person"))
    if bergen_alis:
        first = bergen_alis[0]
        start = add_months(next_month, 2)
        end = add_months(start, 6) - timedelta(days=1)
        _plan_institution(first, start, end, "sykehus", "Helse Bergen HF")
        position = _held_position(first.person, bergen, "alis")
        if position is not None:
            _locum(position, "Jostein", "Hamre", start, end, 100)
    if len(bergen_alis) > 1:
        second = bergen_alis[1]
        leave_start = add_months(next_month, 4)
        LeavePeriod.objects.create(
            trainee=second,
            start=leave_start,
            end=add_months(leave_start, 10) - timedelta(days=1),
            percent=100,
            kind="parental",
        )

    # Bodø: institution period eight months ahead (outside the warning window).
    bodo_alis = Trainee.objects.filter(municipality=bodo).order_by("pk").first()
    if bodo_alis is not None:
        start = add_months(next_month, 7)
        _plan_institution(
            bodo_alis,
            start,
            add_months(start, 6) - timedelta(days=1),
            "sykehus",
            "Nordlandssykehuset",
        )

    # Costs and grants: Lærdal and Bergen, 2025 and 2026.
    entries: list[CostEntry] = []
    for year in (2025, 2026):
        if laerdal_alis is not None:
            entries += _costs(laerdal_alis, year, rng, institution=True)
        for i, trainee in enumerate(bergen_alis):
            entries += _costs(trainee, year, rng, institution=(i + year) % 3 == 0)
    CostEntry.objects.bulk_create(entries)
    for number, years in GRANTS.items():
        for year, amount in years.items():
            GrantReceived.objects.create(
                municipality=municipalities[number],
                year=year,
                amount=Decimal(amount),
                note="Utbetalt fra Helsedirektoratet (demo)",
            )
    record(
        actor=None,
        action=AuditEvent.Action.IMPORT,
        object_type="demo",
        summary="Demodata for vikarplan og kostnader",
    )
