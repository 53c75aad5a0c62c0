"""Locum planning: how much locum (vikar) cover the offices need month by month, and warnings.

An ALIS is away from the list for institution service (the former hospital year, ≥ 6 months),
courses, group supervision and parental leave; the research reports that the municipalities'
locum costs become large in the institution half-year, and that finding qualified locums is
hard. From planned absences and arranged locums this module computes, per office and month:

- needed FTE: each day a doctor is absent p % adds p/100 ÷ (days in that month), so a full
  month at 100 % is 1.0 and 100 % for half a month is 0.5 (the service-time rule's weighting);
  one doctor's overlapping absences in a position add up to at most 100 % a day;
- covered FTE: per position and day, min(need, the arranged locums' percent ÷ 100);
- gap = needed − covered.

``warnings`` lists institution periods starting within the lead window (or already running)
that are not fully covered. The counting is recorded in ADR 0023. Pure, no Django.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

__all__ = [
    "AbsenceKind",
    "ArrangedLocum",
    "LocumPlanningError",
    "LocumWarning",
    "MonthGap",
    "MonthNeed",
    "PlannedAbsence",
    "add_months",
    "locum_need",
    "warning_text",
    "warnings",
]

FTE_QUANTUM = Decimal("0.0001")
DEFAULT_MONTHS = 24
DEFAULT_LEAD_MONTHS = 4


class AbsenceKind(StrEnum):
    """Why the doctor is away from the position."""

    INSTITUTION = "institution"
    COURSE = "course"
    GROUP_SUPERVISION = "group_supervision"
    PARENTAL_LEAVE = "parental_leave"
    OTHER = "other"


class LocumPlanningError(ValueError):
    """Inconsistent planning data (e.g. one position listed under two offices)."""


def _percent(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"percent must be a Decimal (or int/str), got {type(value).__name__}")
    result = value if isinstance(value, Decimal) else Decimal(value)
    if not result.is_finite() or not Decimal(0) < result <= Decimal(100):
        raise ValueError("percent must be above 0 and at most 100")
    return result


@dataclass(frozen=True)
class PlannedAbsence:
    """A planned absence of ``doctor`` from ``position`` at ``office``; dates inclusive."""

    doctor: str
    office: str
    position: str
    kind: AbsenceKind
    start: date
    end: date
    percent: Decimal = Decimal(100)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", AbsenceKind(self.kind))
        object.__setattr__(self, "percent", _percent(self.percent))
        if self.end < self.start:
            raise ValueError("end is before start")

    def active_on(self, day: date) -> bool:
        """True when the absence includes ``day``."""
        return self.start <= day <= self.end


@dataclass(frozen=True)
class ArrangedLocum:
    """A locum arranged for ``position`` from ``start`` to ``end`` (inclusive) at ``percent``."""

    position: str
    start: date
    end: date
    percent: Decimal = Decimal(100)
    locum: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "percent", _percent(self.percent))
        if self.end < self.start:
            raise ValueError("end is before start")

    def active_on(self, day: date) -> bool:
        """True when the locum serves on ``day``."""
        return self.start <= day <= self.end


@dataclass(frozen=True)
class MonthNeed:
    """One office's locum need in one month, in FTE (4 decimals)."""

    office: str
    month: date  # first day of the month
    needed: Decimal
    covered: Decimal
    gap: Decimal


@dataclass(frozen=True)
class MonthGap:
    """An uncovered month of an institution period: the gap in FTE on the period's days."""

    month: date
    gap: Decimal


@dataclass(frozen=True)
class LocumWarning:
    """An institution period in (or before) the lead window that lacks locum cover."""

    absence: PlannedAbsence
    uncovered: tuple[MonthGap, ...]

    @property
    def uncovered_months(self) -> tuple[date, ...]:
        """First days of the months with a gap."""
        return tuple(item.month for item in self.uncovered)


def _days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, the day clamped to the month's length."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    first = date(year, month + 1, 1)
    return first.replace(day=min(day.day, _days_in_month(first)))


def _to_fte(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(FTE_QUANTUM, rounding=ROUND_HALF_UP)


def _office_of_positions(absences: Iterable[PlannedAbsence]) -> dict[str, str]:
    offices: dict[str, str] = {}
    for absence in absences:
        known = offices.setdefault(absence.position, absence.office)
        if known != absence.office:
            raise LocumPlanningError(
                f"position {absence.position!r} is listed under offices {known!r} and "
                f"{absence.office!r}"
            )
    return offices


class _Position:
    """Daily need and cover of one position."""

    def __init__(self, absences: Sequence[PlannedAbsence], locums: Sequence[ArrangedLocum]):
        self.absences = absences
        self.locums = locums

    def need(self, day: date) -> Fraction:
        per_doctor: dict[str, Fraction] = defaultdict(Fraction)
        for absence in self.absences:
            if absence.active_on(day):
                per_doctor[absence.doctor] += Fraction(absence.percent) / 100
        return sum((min(share, Fraction(1)) for share in per_doctor.values()), Fraction(0))

    def cover(self, day: date, need: Fraction) -> Fraction:
        if not need:
            return Fraction(0)
        locum = sum(
            (Fraction(locum.percent) / 100 for locum in self.locums if locum.active_on(day)),
            Fraction(0),
        )
        return min(need, locum)


def _positions(
    absences: Sequence[PlannedAbsence], locums: Sequence[ArrangedLocum]
) -> dict[str, _Position]:
    by_position: dict[str, list[PlannedAbsence]] = defaultdict(list)
    for absence in absences:
        by_position[absence.position].append(absence)
    locums_by_position: dict[str, list[ArrangedLocum]] = defaultdict(list)
    for locum in locums:
        locums_by_position[locum.position].append(locum)
    return {
        position: _Position(items, locums_by_position.get(position, []))
        for position, items in by_position.items()
    }


def locum_need(
    absences: Iterable[PlannedAbsence],
    locums: Iterable[ArrangedLocum],
    start_month: date,
    months: int = DEFAULT_MONTHS,
) -> dict[str, tuple[MonthNeed, ...]]:
    """Locum need per office for ``months`` calendar months from ``start_month``'s month.

    Every office with a planned absence gets one ``MonthNeed`` per month (zeros included);
    offices are sorted. Locums for positions without absences cover nothing.
    """
    if months < 0:
        raise ValueError("months must not be negative")
    absence_list, locum_list = list(absences), list(locums)
    office_of = _office_of_positions(absence_list)
    positions = _positions(absence_list, locum_list)
    first = start_month.replace(day=1)
    result: dict[str, list[MonthNeed]] = {office: [] for office in sorted(set(office_of.values()))}
    for index in range(months):
        month = add_months(first, index)
        days = _days_in_month(month)
        needed: dict[str, Fraction] = defaultdict(Fraction)
        covered: dict[str, Fraction] = defaultdict(Fraction)
        for position, planner in positions.items():
            office = office_of[position]
            for offset in range(days):
                day = month + timedelta(days=offset)
                need = planner.need(day)
                needed[office] += need / days
                covered[office] += planner.cover(day, need) / days
        for office, items in result.items():
            need_fte, cover_fte = _to_fte(needed[office]), _to_fte(covered[office])
            items.append(MonthNeed(office, month, need_fte, cover_fte, need_fte - cover_fte))
    return {office: tuple(items) for office, items in result.items()}


def warnings(
    absences: Iterable[PlannedAbsence],
    locums: Iterable[ArrangedLocum],
    today: date,
    lead_months: int = DEFAULT_LEAD_MONTHS,
) -> list[LocumWarning]:
    """Institution periods starting by ``today`` + ``lead_months`` (or running) without full cover.

    A day of the period from ``today`` on is uncovered when its position has a gap that day
    (need above the arranged locums); each month with such days is listed with the gap on the
    period's days (FTE, days-weighted). Sorted by start, doctor.
    """
    absence_list, locum_list = list(absences), list(locums)
    _office_of_positions(absence_list)
    positions = _positions(absence_list, locum_list)
    horizon = add_months(today, lead_months)
    found: list[LocumWarning] = []
    for absence in sorted(absence_list, key=lambda a: (a.start, a.doctor, a.position)):
        if absence.kind is not AbsenceKind.INSTITUTION:
            continue
        if absence.end < today or absence.start > horizon:
            continue
        planner = positions[absence.position]
        gaps: dict[date, Fraction] = defaultdict(Fraction)
        day = max(absence.start, today)
        while day <= absence.end:
            need = planner.need(day)
            gap = need - planner.cover(day, need)
            if gap > 0:
                gaps[day.replace(day=1)] += gap / _days_in_month(day)
            day += timedelta(days=1)
        if gaps:
            uncovered = tuple(MonthGap(month, _to_fte(gaps[month])) for month in sorted(gaps))
            found.append(LocumWarning(absence, uncovered))
    return found


def warning_text(warning: LocumWarning) -> str:
    """Norwegian (bokmål) text of a warning, for the leader's dashboard."""
    absence = warning.absence
    months = ", ".join(f"{m.month:02d}.{m.year}" for m in warning.uncovered_months)
    return (
        f"Institusjonstjeneste for {absence.doctor} ({absence.start:%d.%m.%Y}–"
        f"{absence.end:%d.%m.%Y}, {absence.office}): vikar er ikke avtalt for hele perioden. "
        f"Mangler dekning i {months}."
    )
