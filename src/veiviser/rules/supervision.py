"""Individual supervision (veiledning): hours per training year and the monthly early warning.

Training years run from the supervision start (the conversion date, else the training start)
in 12-month steps. A year's required hours are ``hours_per_month × months_per_year × active
share`` (42 for a fully active year in ALIS-2019), the active share being the year's counting
days (``ServiceTimeResult.counting_days``) over its days. Completed years (their last day on or
before the as-of date) are judged; the running year is reported with ``met = None``, its
required hours pro rata of the days counted so far (an "on track" figure, not a verdict).
See ``docs/adr/0008-supervision-training-years.md``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter, gt
from typing import NamedTuple

from veiviser.rules.ruleset import ALIS_2019, Ruleset
from veiviser.rules.service_time import ServiceTimeResult
from veiviser.rules.timeline import (
    EPSILON,
    at_least,
    days_in_ranges,
    month_bounds,
    month_start_ordinals,
)
from veiviser.rules.training import SupervisionSession

__all__ = [
    "MonthCompliance",
    "SupervisionResult",
    "TrainingYear",
    "add_years",
    "evaluate_supervision",
    "monthly_compliance",
    "training_years",
]


class TrainingYear(NamedTuple):
    """One training year and its supervision hours (a named tuple: cheap to make by the
    thousand)."""

    number: int  # 1-based
    start: dt.date
    end: dt.date  # inclusive
    complete: bool  # end <= as_of: judged
    days: int  # days in the year (365 or 366)
    counted_days: int  # counting days in the year (up to as_of for the running year)
    active_share: float
    hours: float
    required: float
    met: bool | None  # None for the running year: reported, not judged


@dataclass(frozen=True, slots=True)
class MonthCompliance:
    """Supervision in one calendar month: the leader's early warning."""

    month: str  # "YYYY-MM"
    hours: float
    counted_days: int
    required: float  # supervision_hours_per_month when the month has counted service, else 0
    complete: bool  # the month ended on or before as_of
    ok: bool


@dataclass(frozen=True, slots=True)
class SupervisionResult:
    """Individual supervision judged as of a date."""

    start: dt.date
    years: tuple[TrainingYear, ...]
    months_under_minimum: tuple[str, ...]
    met: bool  # every completed year met (true while no year is complete)


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def training_years(start: dt.date, as_of: dt.date) -> list[tuple[int, dt.date, dt.date]]:
    """The training years (number, first day, last day) that have begun by ``as_of``."""
    years: list[tuple[int, dt.date, dt.date]] = []
    number = 1
    year_start = start
    while year_start <= as_of:
        next_start = add_years(start, number)
        years.append((number, year_start, next_start - dt.timedelta(days=1)))
        number += 1
        year_start = next_start
    return years


def _month_key(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_label(key: int) -> str:
    year, month0 = divmod(key, 12)
    return f"{year:04d}-{month0 + 1:02d}"


_on = attrgetter("on")


class _SessionHours:
    """Hours of sessions between two days, by bisection over cumulative sums (no loop over
    sessions per question)."""

    __slots__ = ("cumulative", "ordinals")

    def __init__(self, sessions: Sequence[SupervisionSession]) -> None:
        ordinals = [session.on.toordinal() for session in sessions]
        if any(map(gt, ordinals, itertools.islice(ordinals, 1, None))):
            sessions = sorted(sessions, key=_on)
            ordinals = [session.on.toordinal() for session in sessions]
        self.ordinals: list[int] = ordinals
        self.cumulative: list[float] = list(
            itertools.accumulate([session.hours for session in sessions], initial=0.0)
        )

    def between(self, first: int, last: int) -> float:
        """Hours of the sessions on days ``first``..``last`` (ordinals, inclusive)."""
        i = bisect.bisect_left(self.ordinals, first)
        j = bisect.bisect_right(self.ordinals, last)
        if j <= i:
            return 0.0
        return round(float(self.cumulative[j] - self.cumulative[i]), 9)


def _counted_days_by_month(service: ServiceTimeResult) -> dict[int, int]:
    """Counting days per month (``year * 12 + month - 1``), for months with any."""
    counted: dict[int, int] = {}
    for r in service.counting_days:
        a, b = r.start.toordinal(), r.end.toordinal() + 1
        key = _month_key(r.start)
        while a < b:
            year, month0 = divmod(key, 12)
            first, dim = month_bounds(year, month0 + 1)
            e = min(b, first + dim)
            counted[key] = counted.get(key, 0) + (e - a)
            a, key = e, key + 1
    return counted


def _last_complete_month(as_of: dt.date) -> int:
    """The key of the last calendar month that has ended on or before ``as_of``."""
    month_start, dim = month_bounds(as_of.year, as_of.month)
    return _month_key(as_of) - (0 if as_of.toordinal() == month_start + dim - 1 else 1)


def monthly_compliance(
    sessions: Sequence[SupervisionSession],
    service: ServiceTimeResult,
    start: dt.date,
    as_of: dt.date,
    ruleset: Ruleset = ALIS_2019,
) -> tuple[MonthCompliance, ...]:
    """Every calendar month from ``start``'s month to ``as_of``'s month: hours, required, ok.

    A month requires ``supervision_hours_per_month`` hours when it has at least one counting
    day of service, else nothing. Sessions before ``start`` or after ``as_of`` are ignored.
    """
    if as_of < start:
        return ()
    hours = _SessionHours(sessions)
    counted = _counted_days_by_month(service)
    start_ordinal, as_of_ordinal = start.toordinal(), as_of.toordinal()
    last_complete = _last_complete_month(as_of)
    result: list[MonthCompliance] = []
    for key in range(_month_key(start), _month_key(as_of) + 1):
        year, month0 = divmod(key, 12)
        first, dim = month_bounds(year, month0 + 1)
        counted_days = counted.get(key, 0)
        required = float(ruleset.supervision_hours_per_month) if counted_days > 0 else 0.0
        month_hours = hours.between(max(first, start_ordinal), min(first + dim - 1, as_of_ordinal))
        result.append(
            MonthCompliance(
                month=_month_label(key),
                hours=month_hours,
                counted_days=counted_days,
                required=required,
                complete=key <= last_complete,
                ok=at_least(month_hours, required),
            )
        )
    return tuple(result)


def evaluate_supervision(
    sessions: Sequence[SupervisionSession],
    service: ServiceTimeResult,
    start: dt.date,
    as_of: dt.date,
    ruleset: Ruleset = ALIS_2019,
) -> SupervisionResult:
    """Judge individual supervision as of ``as_of`` for training years counted from ``start``.

    ``service`` must be counted to the same ``as_of``. ``months_under_minimum`` lists the
    completed calendar months (from ``start``'s month) with counted service but fewer than
    ``supervision_hours_per_month`` hours of sessions (as :func:`monthly_compliance`).
    """
    hours_of = _SessionHours(sessions)
    per_year = ruleset.supervision_hours_per_year
    judged: list[TrainingYear] = []
    for number, first, last in training_years(start, as_of):
        complete = last <= as_of
        days = (last - first).days + 1
        until = min(last, as_of)
        counted_days = days_in_ranges(service.counting_days, first, until)
        active_share = counted_days / days
        required = per_year * active_share
        hours = hours_of.between(first.toordinal(), until.toordinal())
        judged.append(
            TrainingYear(
                number=number,
                start=first,
                end=last,
                complete=complete,
                days=days,
                counted_days=counted_days,
                active_share=active_share,
                hours=hours,
                required=required,
                met=at_least(hours, required) if complete else None,
            )
        )
    warnings: list[str] = []
    first_key, last_key = _month_key(start), _last_complete_month(as_of)
    if first_key <= last_key:
        # Months with at least one counting day: every month a counting range touches.
        counted: set[int] = set()
        for r in service.counting_days:
            counted.update(range(_month_key(r.start), _month_key(r.end) + 1))
        # Hours per completed month from `start`, by bisection at the month boundaries.
        bounds = month_start_ordinals(first_key, last_key + 1)
        bounds[0] = start.toordinal()
        at = list(map(bisect.bisect_left, itertools.repeat(hours_of.ordinals), bounds))
        cumulative = list(map(hours_of.cumulative.__getitem__, at))
        threshold = ruleset.supervision_hours_per_month - EPSILON
        for key, low, high in zip(
            range(first_key, last_key + 1), cumulative, cumulative[1:], strict=False
        ):
            if high - low < threshold and key in counted:
                warnings.append(_month_label(key))
    return SupervisionResult(
        start=start,
        years=tuple(judged),
        months_under_minimum=tuple(warnings),
        met=all(year.met for year in judged if year.complete),
    )
