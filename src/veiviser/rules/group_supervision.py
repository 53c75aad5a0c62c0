"""Group supervision (gruppeveiledning), per "Group supervision" in ``rules.md``.

Months in group are counted like service time with a share of 100 % on every day the doctor is
a member of a group (overlapping memberships count once; leave does not reduce them, see
``docs/adr/0003-group-months-and-leave.md``); each day earns 1 / days in its month. The
open-practice months are the member days on which the doctor's effective ``open_practice``
share is at least ``group_open_practice_min_fraction``. Hours are the recorded hours of every
group period begun by the as-of date. The diploma is a separate requirement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from veiviser.rules.ruleset import ALIS_2019, Ruleset
from veiviser.rules.service_time import ServiceTimeResult
from veiviser.rules.timeline import DateRange, at_least, month_fraction
from veiviser.rules.training import GroupPeriod

__all__ = [
    "GroupSupervisionResult",
    "evaluate_group_supervision",
    "intersect_ranges",
    "membership_ranges",
    "months_in_ranges",
]


@dataclass(frozen=True, slots=True)
class GroupSupervisionResult:
    """Group supervision judged as of a date."""

    months: float
    hours: float
    open_practice_months: float
    diploma: bool
    ruleset: Ruleset

    @property
    def months_met(self) -> bool:
        """Months in group >= ``group_min_months``."""
        return at_least(self.months, self.ruleset.group_min_months)

    @property
    def hours_met(self) -> bool:
        """Hours >= ``group_min_hours``."""
        return at_least(self.hours, self.ruleset.group_min_hours)

    @property
    def open_practice_met(self) -> bool:
        """Months in group while in >= 50 % open practice >= ``group_open_practice_min_months``."""
        return at_least(self.open_practice_months, self.ruleset.group_open_practice_min_months)

    @property
    def met(self) -> bool:
        """Months, hours and open-practice months all met (the diploma is separate)."""
        return self.months_met and self.hours_met and self.open_practice_met


def membership_ranges(periods: Iterable[GroupPeriod], as_of: dt.date) -> tuple[DateRange, ...]:
    """The days (up to ``as_of``) on which the doctor was in a group, as merged ranges."""
    clipped = sorted(
        (p.start, p.end if p.end is not None and p.end < as_of else as_of)
        for p in periods
        if p.start <= as_of
    )
    merged: list[list[dt.date]] = []
    for start, end in clipped:
        if end < start:
            continue
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return tuple(DateRange(start, end) for start, end in merged)


def intersect_ranges(
    left: Sequence[DateRange], right: Sequence[DateRange]
) -> tuple[DateRange, ...]:
    """The days in both of two sorted lists of disjoint ranges."""
    result: list[DateRange] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i].start, right[j].start)
        end = min(left[i].end, right[j].end)
        if start <= end:
            result.append(DateRange(start, end))
        if left[i].end < right[j].end:
            i += 1
        else:
            j += 1
    return tuple(result)


def months_in_ranges(ranges: Iterable[DateRange]) -> float:
    """FTE-months of the days in disjoint ``ranges`` at 100 %: each day is 1 / days in its month
    (a whole calendar month is exactly 1.0)."""
    return sum(month_fraction(r.start.toordinal(), r.end.toordinal() + 1) for r in ranges)


def evaluate_group_supervision(
    periods: Sequence[GroupPeriod],
    service: ServiceTimeResult,
    as_of: dt.date,
    ruleset: Ruleset = ALIS_2019,
) -> GroupSupervisionResult:
    """Judge group supervision as of ``as_of``; ``service`` must be counted to the same date."""
    members = membership_ranges(periods, as_of)
    in_open_practice = intersect_ranges(members, service.open_practice_half_time_days)
    return GroupSupervisionResult(
        months=months_in_ranges(members),
        hours=sum(p.hours for p in periods if p.start <= as_of),
        open_practice_months=months_in_ranges(in_open_practice),
        diploma=any(p.diploma for p in periods),
        ruleset=ruleset,
    )
