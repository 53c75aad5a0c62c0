"""The per-day counting rule and the segment sweep shared by service time and its projection.

(Service-time helpers of the ALIS rules; the workforce stability timeline is
``veiviser.rules.workforce_timeline``.)

"Counting service time" in ``rules.md`` is stated per calendar day (steps 1–5). Here:

* :func:`day_shares` is steps 2–4 for one day, given the day's per-arena percent sums;
* :func:`constant_segments` cuts a range of days at every period start and every period
  end + 1. Inside a segment all inputs are constant, so it earns ``share / 100 ×
  month_fraction(segment)`` FTE-months (step 5), where :func:`month_fraction` adds
  ``days_in_part / days_in_month`` over the calendar months the segment touches: no loop over
  its days. :func:`month_parts` cuts segments further at month boundaries for monthly maps.

Dates are handled as proleptic ordinals (``date.toordinal()``) for speed.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from veiviser.rules.ruleset import ALIS_2019, Ruleset
from veiviser.rules.training import LeavePeriod, ServicePeriod

__all__ = [
    "EPSILON",
    "NO_END",
    "DateRange",
    "DayShares",
    "MonthPiece",
    "Part",
    "RangeBuilder",
    "Segment",
    "Span",
    "at_least",
    "constant_segments",
    "day_shares",
    "days_in_ranges",
    "month_bounds",
    "month_fraction",
    "month_parts",
    "month_start_ordinals",
    "shares_on",
    "spans",
    "split_months",
]

EPSILON = 1e-9
"""Tolerance for comparing sums of FTE-months and percents with a threshold."""

NO_END = 10**9
"""Ordinal standing for the end of an ongoing period (after every real date)."""

_ARENA_INDEX = {"open_practice": 0, "other_gp": 1, "institution": 2, "other": 3}


def at_least(value: float, required: float) -> bool:
    """``value >= required``, forgiving floating-point noise (``EPSILON``).

    Sums of fractions such as 16/30 + 23 + 14/30 may come out a few ulps under 24 in binary
    floating point; a doctor must not miss a requirement by 1e-15 months.
    """
    return value >= required - EPSILON


@dataclass(frozen=True, slots=True)
class DateRange:
    """An inclusive range of days."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        """Number of days in the range."""
        return (self.end - self.start).days + 1


def days_in_ranges(ranges: Sequence[DateRange], start: dt.date, end: dt.date) -> int:
    """Number of days of ``start``..``end`` (inclusive) covered by the disjoint ``ranges``."""
    total = 0
    for r in ranges:
        lo = r.start if r.start > start else start
        hi = r.end if r.end < end else end
        if lo <= hi:
            total += (hi - lo).days + 1
    return total


class DayShares(NamedTuple):
    """The effective percents one day earns, after steps 2–4 of the counting rule.

    The counted arenas are 0 when the day does not count (step 4). ``other`` is recorded only
    (capped at 100 and reduced by leave, never scaled or thresholded); ``leave`` is the leave
    percent (capped at 100); ``registered`` is the part of the counted percent earned at a
    registered training institution.
    """

    open_practice: float
    other_gp: float
    institution: float
    other: float
    leave: float
    registered: float
    counts: bool

    @property
    def total(self) -> float:
        """Effective counted percent of the day (0 when the day does not count)."""
        return self.open_practice + self.other_gp + self.institution


class Segment(NamedTuple):
    """Days ``[start_ordinal, stop_ordinal)`` on which every input, so every share, is constant."""

    start_ordinal: int
    stop_ordinal: int
    shares: DayShares

    @property
    def start(self) -> dt.date:
        """First day."""
        return dt.date.fromordinal(self.start_ordinal)

    @property
    def end(self) -> dt.date:
        """Last day (inclusive)."""
        return dt.date.fromordinal(self.stop_ordinal - 1)

    @property
    def days(self) -> int:
        """Number of days."""
        return self.stop_ordinal - self.start_ordinal


def day_shares(
    open_practice: float,
    other_gp: float,
    institution: float,
    other: float,
    leave: float,
    registered: float,
    ruleset: Ruleset = ALIS_2019,
) -> DayShares:
    """Apply steps 2–4 of "Counting service time" to one day's per-arena percent sums.

    2. if the counted arenas sum to more than 100, scale each down so that they sum to 100;
    3. multiply each by (1 − leave / 100), leave capped at 100;
    4. if the result is under ``min_day_fraction`` × 100 the day counts nothing.

    ``registered`` is the sum of the percents of the counted-arena periods at a registered
    institution; it is scaled and reduced exactly like the arenas it belongs to. Of the
    ruleset only ``min_day_fraction`` is used (:func:`shares_on` caches on it).
    """
    total = open_practice + other_gp + institution
    scale = 100.0 / total if total > 100.0 else 1.0
    leave = min(max(leave, 0.0), 100.0)
    factor = 1.0 - leave / 100.0
    op = open_practice * scale * factor
    ogp = other_gp * scale * factor
    inst = institution * scale * factor
    effective = op + ogp + inst
    counts = effective > 0.0 and at_least(effective, ruleset.min_day_fraction * 100.0)
    rec_other = min(other, 100.0) * factor
    if not counts:
        return DayShares(0.0, 0.0, 0.0, rec_other, leave, 0.0, False)
    return DayShares(op, ogp, inst, rec_other, leave, registered * scale * factor, True)


@lru_cache(maxsize=4096)
def month_bounds(year: int, month: int) -> tuple[int, int]:
    """(ordinal of the first day, number of days) of a calendar month."""
    return dt.date(year, month, 1).toordinal(), calendar.monthrange(year, month)[1]


_TABLE_FIRST_KEY = 1900 * 12
_TABLE_LAST_KEY = 2200 * 12
_MONTH_STARTS: list[int] = [
    dt.date(key // 12, key % 12 + 1, 1).toordinal()
    for key in range(_TABLE_FIRST_KEY, _TABLE_LAST_KEY + 1)
]


def month_start_ordinals(first_key: int, last_key: int) -> list[int]:
    """Ordinals of the first days of the months ``first_key``..``last_key`` (inclusive), a
    month's key being ``year * 12 + month - 1``."""
    if first_key >= _TABLE_FIRST_KEY and last_key <= _TABLE_LAST_KEY:
        return _MONTH_STARTS[first_key - _TABLE_FIRST_KEY : last_key - _TABLE_FIRST_KEY + 1]
    return [month_bounds(key // 12, key % 12 + 1)[0] for key in range(first_key, last_key + 1)]


Span = tuple[int, int, float, int, bool]
"""A period as (start ordinal, end ordinal inclusive or NO_END, percent, arena index, registered).

Leave spans use arena index -1."""


def spans(
    service: Sequence[ServicePeriod], leave: Sequence[LeavePeriod]
) -> tuple[list[Span], list[Span]]:
    """The service and leave periods as spans, in input order."""
    svc: list[Span] = [
        (
            p.start.toordinal(),
            p.end.toordinal() if p.end is not None else NO_END,
            float(p.percent),
            _ARENA_INDEX[p.arena],
            p.registered_institution and p.arena != "other",
        )
        for p in service
    ]
    lv: list[Span] = [
        (
            p.start.toordinal(),
            p.end.toordinal() if p.end is not None else NO_END,
            float(p.percent),
            -1,
            False,
        )
        for p in leave
    ]
    return svc, lv


def shares_on(ordinal: int, svc: list[Span], lv: list[Span], ruleset: Ruleset) -> DayShares:
    """Steps 1–4 for the day ``ordinal``: sum the active periods (in input order), then apply."""
    sums = [0.0, 0.0, 0.0, 0.0]
    registered = 0.0
    for start, end, pct, arena, reg in svc:
        if start <= ordinal <= end:
            sums[arena] += pct
            if reg:
                registered += pct
    leave = 0.0
    for start, end, pct, _arena, _reg in lv:
        if start <= ordinal <= end:
            leave += pct
    # The same few combinations (100 % open practice, full leave, ...) recur for every doctor.
    key = (sums[0], sums[1], sums[2], sums[3], leave, registered, ruleset.min_day_fraction)
    shares = _SHARES.get(key)
    if shares is None:
        if len(_SHARES) >= 4096:
            _SHARES.clear()
        shares = _SHARES[key] = day_shares(*key[:6], ruleset)
    return shares


_SHARES: dict[tuple[float, ...], DayShares] = {}


def _month_of(ordinal: int) -> tuple[int, int, int]:
    """(month key, first day ordinal, days in month) of the month holding ``ordinal``."""
    i = bisect.bisect_right(_MONTH_STARTS, ordinal) - 1
    if 0 <= i < len(_MONTH_STARTS) - 1:
        return i + _TABLE_FIRST_KEY, _MONTH_STARTS[i], _MONTH_STARTS[i + 1] - _MONTH_STARTS[i]
    day = dt.date.fromordinal(ordinal)
    first, dim = month_bounds(day.year, day.month)
    return day.year * 12 + day.month - 1, first, dim


MonthPiece = tuple[int, int, int]
"""Part of a calendar month: (month key ``year * 12 + month - 1``, days, days in the month)."""


def split_months(a: int, b: int) -> tuple[int, list[MonthPiece]]:
    """The days ``[a, b)`` (ordinals) as a number of whole calendar months plus the pieces of
    the (at most two) months they cover only in part."""
    key_a, start_a, dim_a = _month_of(a)
    end_a = start_a + dim_a
    if b <= end_a:
        if a == start_a and b == end_a:
            return 1, []
        return 0, [(key_a, b - a, dim_a)]
    key_b, start_b, dim_b = _month_of(b - 1)
    full = key_b - key_a - 1
    pieces: list[MonthPiece] = []
    if a == start_a:
        full += 1
    else:
        pieces.append((key_a, end_a - a, dim_a))
    if b == start_b + dim_b:
        full += 1
    else:
        pieces.append((key_b, b - start_b, dim_b))
    return full, pieces


def month_fraction(a: int, b: int) -> float:
    """FTE-months of the days ``[a, b)`` (ordinals) at 100 %: each day is 1 / days in its month.

    A whole calendar month is exactly 1.0.
    """
    key_a, start_a, dim_a = _month_of(a)
    if b <= start_a + dim_a:
        return (b - a) / dim_a
    key_b, start_b, dim_b = _month_of(b - 1)
    return (start_a + dim_a - a) / dim_a + (key_b - key_a - 1) + (b - start_b) / dim_b


def constant_segments(
    svc: list[Span], lv: list[Span], first: int, stop: int, ruleset: Ruleset
) -> Iterator[Segment]:
    """Cut ``[first, stop)`` at every period start and end + 1 into constant segments, in order."""
    cuts = {first, stop}
    for start, end, _pct, _arena, _reg in svc:
        if first < start < stop:
            cuts.add(start)
        if first < end + 1 < stop:
            cuts.add(end + 1)
    for start, end, _pct, _arena, _reg in lv:
        if first < start < stop:
            cuts.add(start)
        if first < end + 1 < stop:
            cuts.add(end + 1)
    for a, b in itertools.pairwise(sorted(cuts)):
        yield Segment(a, b, shares_on(a, svc, lv, ruleset))


Part = tuple[int, int, int, int, int, DayShares]
"""A constant piece within one month: (start ordinal, stop ordinal exclusive, year, month,
days in the month, shares)."""


def month_parts(segments: Iterable[Segment]) -> Iterator[Part]:
    """Cut consecutive segments further at every month boundary."""
    year = month = month_start = dim = 0
    for a, b, shares in segments:
        if not month_start <= a < month_start + dim:
            day = dt.date.fromordinal(a)
            year, month = day.year, day.month
            month_start, dim = month_bounds(year, month)
        while a < b:
            if a >= month_start + dim:
                month += 1
                if month == 13:
                    year, month = year + 1, 1
                month_start, dim = month_bounds(year, month)
            e = min(b, month_start + dim)
            yield a, e, year, month, dim, shares
            a = e


class RangeBuilder:
    """Collects ordinal ranges ``[a, b)``, given in increasing order, into merged DateRanges."""

    __slots__ = ("_ranges",)

    def __init__(self) -> None:
        self._ranges: list[list[int]] = []

    def add(self, a: int, b: int) -> None:
        """Add the days ``[a, b)`` (ordinals), after every day added so far."""
        ranges = self._ranges
        if ranges and ranges[-1][1] + 1 == a:
            ranges[-1][1] = b - 1
        else:
            ranges.append([a, b - 1])

    def ranges(self) -> tuple[DateRange, ...]:
        """The merged inclusive ranges."""
        return tuple(
            DateRange(dt.date.fromordinal(a), dt.date.fromordinal(b)) for a, b in self._ranges
        )
