"""Counting service time (tjenestetid) in FTE-months, exactly as "Counting service time" in
``rules.md`` (see ``docs/adr/0001-counting-service-days.md``).

The rule is stated per calendar day. The production path, :func:`count_service`, does not loop
over days: it sums the constant segments of :func:`veiviser.rules.timeline.constant_segments`.
:func:`count_service_daily` is the literal day-by-day reading, kept only as the reference the
tests compare the sweep against.

Sums are floats; thresholds are compared with :func:`at_least`, which forgives the last bits of
floating-point error, so that 16/30 + 23 + 14/30 months meets 24 months. A full calendar month
at 100 % is exactly 1.0.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from veiviser.rules.ruleset import ALIS_2019, Ruleset
from veiviser.rules.timeline import (
    EPSILON,
    DateRange,
    DayShares,
    RangeBuilder,
    Segment,
    at_least,
    constant_segments,
    day_shares,
    days_in_ranges,
    month_bounds,
    month_parts,
    spans,
    split_months,
)
from veiviser.rules.training import LeavePeriod, ServicePeriod

__all__ = [
    "EPSILON",
    "DateRange",
    "DayShares",
    "MonthTime",
    "Segment",
    "ServiceTimeResult",
    "at_least",
    "count_service",
    "count_service_daily",
    "day_shares",
    "days_in_ranges",
    "open_practice_share_ranges",
]


@dataclass(frozen=True, slots=True)
class MonthTime:
    """One calendar month of the month-by-month map, in FTE-months."""

    month: str  # "YYYY-MM"
    days: int  # days of the month inside the counted horizon
    counted_days: int  # days that count (effective counted service >= min_day_fraction)
    open_practice: float
    other_gp: float
    institution: float
    other: float
    leave: float  # FTE-months of leave (a full month at 100 % leave is 1.0)


@dataclass(frozen=True, slots=True)
class ServiceTimeResult:
    """Service time counted up to and including ``as_of``.

    ``*_recorded`` are the sums after the per-day rules, before the caps; the properties
    ``open_practice``, ``other_gp``, ``general_practice`` and ``institution`` are the counted
    values. ``counting_days`` are the days that count (effective counted service at least
    ``min_day_fraction``), used by individual supervision; ``open_practice_half_time_days`` the
    days with effective open practice at least ``group_open_practice_min_fraction``, used by
    group supervision. ``segments`` are the constant pieces of the timeline from the first
    recorded period to ``as_of``; :attr:`months` derives the month-by-month map from them.
    """

    as_of: dt.date
    ruleset: Ruleset
    open_practice_recorded: float
    other_gp_recorded: float
    institution_recorded: float
    other_recorded: float
    registered_months: float
    segments: tuple[Segment, ...]
    counting_days: tuple[DateRange, ...]
    open_practice_half_time_days: tuple[DateRange, ...]

    @property
    def months(self) -> tuple[MonthTime, ...]:
        """The month-by-month map (computed on each access), from the first recorded month.

        Within a month the percent-days are summed first and divided once, so a full month at
        100 % is exactly 1.0 however the month is cut.
        """
        acc: dict[tuple[int, int], list[float]] = {}
        for a, b, year, month, _dim, s in month_parts(self.segments):
            n = b - a
            num = acc.get((year, month))
            if num is None:
                num = acc[(year, month)] = [0.0] * 7
            num[0] += n * s.open_practice
            num[1] += n * s.other_gp
            num[2] += n * s.institution
            num[3] += n * s.other
            num[4] += n * s.leave
            num[5] += n
            if s.counts:
                num[6] += n
        months: list[MonthTime] = []
        for (year, month), num in acc.items():
            denominator = 100.0 * month_bounds(year, month)[1]
            months.append(
                MonthTime(
                    f"{year:04d}-{month:02d}",
                    int(num[5]),
                    int(num[6]),
                    *(value / denominator for value in num[:5]),
                )
            )
        return tuple(months)

    @property
    def open_practice(self) -> float:
        """Counted open practice: the sum capped at ``open_practice_max_counted_months``."""
        return min(self.open_practice_recorded, self.ruleset.open_practice_max_counted_months)

    @property
    def other_gp(self) -> float:
        """Counted other GP service: the sum capped at ``other_gp_max_counted_months``."""
        return min(self.other_gp_recorded, self.ruleset.other_gp_max_counted_months)

    @property
    def general_practice(self) -> float:
        """Counted general practice: counted open practice + counted other GP service."""
        return self.open_practice + self.other_gp

    @property
    def institution(self) -> float:
        """Counted institution service (no cap)."""
        return self.institution_recorded

    @property
    def open_practice_met(self) -> bool:
        """Open practice counted >= ``open_practice_min_months``."""
        return at_least(self.open_practice, self.ruleset.open_practice_min_months)

    @property
    def general_practice_met(self) -> bool:
        """General practice counted >= ``general_practice_min_months``."""
        return at_least(self.general_practice, self.ruleset.general_practice_min_months)

    @property
    def institution_met(self) -> bool:
        """Institution service >= ``institution_min_months``."""
        return at_least(self.institution, self.ruleset.institution_min_months)

    @property
    def registered_institution_share(self) -> float:
        """Share of the counted (uncapped) months earned at a registered institution; 0 if none."""
        counted = self.open_practice_recorded + self.other_gp_recorded + self.institution_recorded
        if counted <= 0.0:
            return 0.0
        return min(1.0, self.registered_months / counted)

    def counted_days_between(self, start: dt.date, end: dt.date) -> int:
        """Number of counting days in ``start``..``end`` (inclusive)."""
        return days_in_ranges(self.counting_days, start, end)


def _horizon_start(
    service: Sequence[ServicePeriod], leave: Sequence[LeavePeriod], as_of: dt.date
) -> dt.date | None:
    starts = [p.start for p in service if p.start <= as_of]
    starts += [p.start for p in leave if p.start <= as_of]
    return min(starts) if starts else None


def _empty(as_of: dt.date, ruleset: Ruleset) -> ServiceTimeResult:
    return ServiceTimeResult(as_of, ruleset, 0.0, 0.0, 0.0, 0.0, 0.0, (), (), ())


def count_service(
    service: Sequence[ServicePeriod],
    leave: Sequence[LeavePeriod],
    as_of: dt.date,
    ruleset: Ruleset = ALIS_2019,
) -> ServiceTimeResult:
    """Count service time on every day up to and including ``as_of`` (segment sweep).

    Periods starting after ``as_of`` are ignored; ongoing ones run to ``as_of``.
    """
    first = _horizon_start(service, leave, as_of)
    if first is None:
        return _empty(as_of, ruleset)
    svc, lv = spans(service, leave)
    half = ruleset.group_open_practice_min_fraction * 100.0
    # Whole months add their percent directly; parts of months are summed as percent-days per
    # month and divided once, so that a whole month at 100 % is exactly 1.0 however it is cut.
    op = ogp = inst = other = registered = 0.0
    partial: dict[int, list[float]] = {}  # month key -> percent-days (5 arenas), days in month
    counting = RangeBuilder()
    op_half = RangeBuilder()
    segments = tuple(constant_segments(svc, lv, first.toordinal(), as_of.toordinal() + 1, ruleset))
    for a, b, s in segments:
        full, pieces = split_months(a, b)
        if full:
            op += s.open_practice * full
            ogp += s.other_gp * full
            inst += s.institution * full
            other += s.other * full
            registered += s.registered * full
        for key, days, dim in pieces:
            num = partial.get(key)
            if num is None:
                num = partial[key] = [0.0, 0.0, 0.0, 0.0, 0.0, float(dim)]
            num[0] += s.open_practice * days
            num[1] += s.other_gp * days
            num[2] += s.institution * days
            num[3] += s.other * days
            num[4] += s.registered * days
        if s.counts:
            counting.add(a, b)
            if s.open_practice > 0.0 and at_least(s.open_practice, half):
                op_half.add(a, b)
    for num in partial.values():
        month_days = num[5]
        op += num[0] / month_days
        ogp += num[1] / month_days
        inst += num[2] / month_days
        other += num[3] / month_days
        registered += num[4] / month_days
    return ServiceTimeResult(
        as_of,
        ruleset,
        op / 100.0,
        ogp / 100.0,
        inst / 100.0,
        other / 100.0,
        registered / 100.0,
        segments,
        counting.ranges(),
        op_half.ranges(),
    )


def count_service_daily(
    service: Sequence[ServicePeriod],
    leave: Sequence[LeavePeriod],
    as_of: dt.date,
    ruleset: Ruleset = ALIS_2019,
) -> ServiceTimeResult:
    """Reference implementation: the counting rule applied literally, one day at a time.

    Slow (every period is checked on every day); used by the tests to check that
    :func:`count_service` gives the same result. Not for production use.
    """
    first = _horizon_start(service, leave, as_of)
    if first is None:
        return _empty(as_of, ruleset)
    half = ruleset.group_open_practice_min_fraction * 100.0
    segments: list[Segment] = []
    counting = RangeBuilder()
    op_half = RangeBuilder()
    totals = [0.0, 0.0, 0.0, 0.0, 0.0]
    day = first
    while day <= as_of:
        # Step 1: per-arena sums of the periods active on the day.
        sums = {"open_practice": 0.0, "other_gp": 0.0, "institution": 0.0, "other": 0.0}
        registered = 0.0
        for p in service:
            if p.start <= day and (p.end is None or day <= p.end):
                sums[p.arena] += float(p.percent)
                if p.registered_institution and p.arena != "other":
                    registered += float(p.percent)
        leave_sum = 0.0
        for lp in leave:
            if lp.start <= day and (lp.end is None or day <= lp.end):
                leave_sum += float(lp.percent)
        # Steps 2-4.
        s = day_shares(
            sums["open_practice"],
            sums["other_gp"],
            sums["institution"],
            sums["other"],
            leave_sum,
            registered,
            ruleset,
        )
        # Step 5: each arena earns share / 100 / days in the month.
        dim = calendar.monthrange(day.year, day.month)[1]
        totals[0] += s.open_practice / 100 / dim
        totals[1] += s.other_gp / 100 / dim
        totals[2] += s.institution / 100 / dim
        totals[3] += s.other / 100 / dim
        totals[4] += s.registered / 100 / dim
        o = day.toordinal()
        segments.append(Segment(o, o + 1, s))
        if s.counts:
            counting.add(o, o + 1)
            if s.open_practice > 0.0 and at_least(s.open_practice, half):
                op_half.add(o, o + 1)
        day += dt.timedelta(days=1)
    return ServiceTimeResult(
        as_of,
        ruleset,
        totals[0],
        totals[1],
        totals[2],
        totals[3],
        totals[4],
        tuple(segments),
        counting.ranges(),
        op_half.ranges(),
    )


def open_practice_share_ranges(
    service: Sequence[ServicePeriod],
    leave: Sequence[LeavePeriod],
    start: dt.date,
    end: dt.date,
    ruleset: Ruleset = ALIS_2019,
    min_fraction: float | None = None,
) -> tuple[DateRange, ...]:
    """Days of ``start``..``end`` on which the effective ``open_practice`` share is at least
    ``min_fraction`` (default: the ruleset's ``group_open_practice_min_fraction``), as ranges.

    "Effective" is after scaling and leave (steps 2–4), so a day on 100 % leave never qualifies.
    """
    if end < start:
        return ()
    fraction = ruleset.group_open_practice_min_fraction if min_fraction is None else min_fraction
    svc, lv = spans(service, leave)
    builder = RangeBuilder()
    for a, b, s in constant_segments(svc, lv, start.toordinal(), end.toordinal() + 1, ruleset):
        if s.open_practice > 0.0 and at_least(s.open_practice, fraction * 100.0):
            builder.add(a, b)
    return builder.ranges()
