"""Projected completion of the general-practice service time (``rules.md``, "Readiness").

If the doctor's recorded periods continue as recorded (ongoing ones unchanged, planned future
ones as planned), on which day would the open-practice and general-practice minimums be met?
The finite part of the timeline is swept like :func:`veiviser.rules.service_time.count_service`;
after the last change everything is constant and whole months are added, jumping ahead by a
safe lower bound so that a slow pace costs no loop over centuries.
See ``docs/adr/0009-projection-and-as-of.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from veiviser.rules.ruleset import ALIS_2019, Ruleset
from veiviser.rules.service_time import ServiceTimeResult
from veiviser.rules.timeline import (
    NO_END,
    DayShares,
    Segment,
    at_least,
    constant_segments,
    month_bounds,
    month_fraction,
    month_parts,
    shares_on,
    spans,
)
from veiviser.rules.training import LeavePeriod, ServicePeriod

__all__ = ["project_completion"]

_MAX_ORDINAL = dt.date.max.toordinal()


def _general_practice_met(op: float, other: float, ruleset: Ruleset) -> bool:
    op_counted = min(op, ruleset.open_practice_max_counted_months)
    gp = op_counted + min(other, ruleset.other_gp_max_counted_months)
    return at_least(op_counted, ruleset.open_practice_min_months) and at_least(
        gp, ruleset.general_practice_min_months
    )


def _first_day_met(
    op: float, other: float, rate_op: float, rate_other: float, days: int, ruleset: Ruleset
) -> int | None:
    """Smallest k in 1..days with the minimums met after k more days at the given daily rates."""
    if not _general_practice_met(op + days * rate_op, other + days * rate_other, ruleset):
        return None
    lo, hi = 1, days
    while lo < hi:
        mid = (lo + hi) // 2
        if _general_practice_met(op + mid * rate_op, other + mid * rate_other, ruleset):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _first_day_in_segment(op: float, other: float, segment: Segment, ruleset: Ruleset) -> dt.date:
    """The day inside ``segment`` on which the minimums are first met (known to be met at its
    end), walking its months."""
    shares = segment.shares
    for a, b, _year, _month, dim, _s in month_parts((segment,)):
        rate_op = shares.open_practice / (100.0 * dim)
        rate_other = shares.other_gp / (100.0 * dim)
        k = _first_day_met(op, other, rate_op, rate_other, b - a, ruleset)
        if k is not None:
            return dt.date.fromordinal(a + k - 1)
        op += (b - a) * rate_op
        other += (b - a) * rate_other
    return segment.end  # floating-point rounding between the two summations


def _sweep(
    op: float, other: float, segments: Iterable[Segment], horizon: int, ruleset: Ruleset
) -> dt.date | tuple[float, float] | None:
    """Add segments until the minimums are met: the day, else the totals (None past horizon)."""
    for segment in segments:
        a, b, s = segment
        if a > horizon:
            return None
        if not s.counts:
            continue
        fraction = month_fraction(a, b)
        end_op = op + s.open_practice * fraction / 100.0
        end_other = other + s.other_gp * fraction / 100.0
        if _general_practice_met(end_op, end_other, ruleset):
            return _first_day_in_segment(op, other, segment, ruleset)
        op, other = end_op, end_other
    return op, other


def _month_start_on_or_after(ordinal: int) -> int:
    day = dt.date.fromordinal(ordinal)
    first, dim = month_bounds(day.year, day.month)
    return first if first == ordinal else first + dim


def project_completion(
    service: Sequence[ServicePeriod],
    leave: Sequence[LeavePeriod],
    as_of: dt.date,
    ruleset: Ruleset = ALIS_2019,
    horizon_years: int = 100,
    *,
    counted: ServiceTimeResult | None = None,
) -> dt.date | None:
    """First day on which the open-practice and general-practice minimums are (or would be) met.

    Every recorded period is used as it stands: ongoing periods (no end) continue unchanged,
    periods ending later run to their end and planned periods (starting after ``as_of``) are
    counted like the others, leave included. If the minimums are already met this is the
    (past) day they were first met. ``None`` when they would never be met, which includes not
    within ``horizon_years`` after ``as_of``.

    ``counted``, the same periods already counted to ``as_of`` under ``ruleset``, saves
    sweeping the past again.
    """
    starts = [p.start for p in service] + [p.start for p in leave]
    if not starts:
        return None
    svc, lv = spans(service, leave)
    horizon = dt.date(min(as_of.year + horizon_years, 9999), 12, 31).toordinal()
    changes = [s for s, _e, _p, _a, _r in (*svc, *lv)]
    changes += [e + 1 for _s, e, _p, _a, _r in (*svc, *lv) if e != NO_END]
    # Sweep segments to a month boundary after the last change; then whole months (the tail).
    stop = _month_start_on_or_after(min(max(changes), _MAX_ORDINAL))
    begin = min(starts).toordinal()
    op = other = 0.0
    if counted is not None and counted.as_of == as_of and counted.ruleset == ruleset:
        if counted.open_practice_met and counted.general_practice_met:
            found = _sweep(0.0, 0.0, counted.segments, _MAX_ORDINAL, ruleset)
            if isinstance(found, dt.date):
                return found
        elif as_of.toordinal() < _MAX_ORDINAL:
            begin = as_of.toordinal() + 1
            op, other = counted.open_practice_recorded, counted.other_gp_recorded
            stop = max(stop, _month_start_on_or_after(begin))
    stop = max(stop, begin)
    result = _sweep(op, other, constant_segments(svc, lv, begin, stop, ruleset), horizon, ruleset)
    if result is None or isinstance(result, dt.date):
        return result
    if stop > _MAX_ORDINAL:
        return None
    op, other = result
    return _project_tail(op, other, shares_on(stop, svc, lv, ruleset), stop, horizon, ruleset)


def _project_tail(
    op: float, other: float, shares: DayShares, stop: int, horizon: int, ruleset: Ruleset
) -> dt.date | None:
    """Continue whole months at constant ``shares`` from the month starting at ``stop``."""
    per_month_op = shares.open_practice / 100.0
    per_month_other = shares.other_gp / 100.0
    op_cap = ruleset.open_practice_max_counted_months
    other_cap = ruleset.other_gp_max_counted_months
    limit_op = op_cap if per_month_op > 0 else min(op, op_cap)
    limit_other = other_cap if per_month_other > 0 else min(other, other_cap)
    if not _general_practice_met(limit_op, limit_other, ruleset):
        return None
    start = dt.date.fromordinal(stop)
    index = start.year * 12 + start.month - 1  # months since year 0
    while True:
        year, month0 = divmod(index, 12)
        if year > 9999:
            return None
        month_start, dim = month_bounds(year, month0 + 1)
        if month_start > horizon:
            return None
        k = _first_day_met(op, other, per_month_op / dim, per_month_other / dim, dim, ruleset)
        if k is not None:
            return dt.date.fromordinal(month_start + k - 1)
        # A lower bound on the months still needed, ignoring the caps (they only slow growth).
        op_counted = min(op, op_cap)
        gp = op_counted + min(other, other_cap)
        need_op = (
            (ruleset.open_practice_min_months - op_counted) / per_month_op
            if per_month_op > 0
            else 0.0
        )
        need_gp = (ruleset.general_practice_min_months - gp) / (per_month_op + per_month_other)
        jump = max(1, int(max(need_op, need_gp)) - 1)
        op += jump * per_month_op
        other += jump * per_month_other
        index += jump
