"""The numbers of the service certificate (attest for allmennmedisinsk virksomhet).

Per service period in one municipality: FTE-months ("måneder 100 % tjeneste") counted by
``rules.service_time.count_service`` on that subset of the record, and hours per week in open
practice and in other GP work. See docs/adr/0040-service-certificate-hours.md (hours) and
docs/adr/0044-service-certificate-months.md (which periods, and the 50 % day rule).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from veiviser.rules import training as r
from veiviser.rules.ruleset import Ruleset
from veiviser.rules.service_time import count_service
from veiviser.rules.timeline import DateRange, month_fraction

FULL_TIME_HOURS_PER_WEEK = 37.5
"""Hours per week at 100 % when the period records no better number (ADR 0040)."""

CERTIFIED_ARENAS = ("open_practice", "other_gp")


@dataclass(frozen=True)
class CertificateRow:
    period: Any  # the ServicePeriod model instance (setting, employer for the document)
    start: dt.date
    end: dt.date | None  # None: ongoing on the certificate's date
    percent: float
    arena: str
    months: float
    hours_per_week: float
    hours_recorded: bool
    municipality_missing: bool

    @property
    def hours_open_practice(self) -> float | None:
        return self.hours_per_week if self.arena == "open_practice" else None

    @property
    def hours_other_gp(self) -> float | None:
        return self.hours_per_week if self.arena == "other_gp" else None


@dataclass(frozen=True)
class Certificate:
    as_of: dt.date
    rows: tuple[CertificateRow, ...]
    open_practice_months: float
    other_gp_months: float
    leave: tuple[r.LeavePeriod, ...]

    @property
    def total_months(self) -> float:
        return self.open_practice_months + self.other_gp_months

    @property
    def rows_sum(self) -> float:
        return sum(row.months for row in self.rows)


def hours_per_week(period: Any, percent: float) -> tuple[float, bool]:
    """(hours, recorded): the period's own ``hours_per_week`` when it has one, else 37.5 ×
    percent / 100."""
    recorded = getattr(period, "hours_per_week", None)
    if recorded is not None:
        return float(recorded), True
    return FULL_TIME_HOURS_PER_WEEK * percent / 100.0, False


def attributed_months(
    subset: Sequence[r.ServicePeriod],
    record: r.TrainingRecord,
    as_of: dt.date,
    ruleset: Ruleset,
    counting_days: tuple[DateRange, ...] | None = None,
) -> tuple[float, float]:
    """(open practice, other GP) FTE-months that ``subset`` earns up to ``as_of``.

    ``count_service`` on the subset gives each day's shares after overlap scaling and leave;
    whether a day counts at all (the 50 % rule) is decided on the doctor's whole record, so a
    40 % legevakt next to 60 % fastlege elsewhere is certified as the 40 % it is.
    """
    if counting_days is None:
        counting_days = count_service(record.service, record.leave, as_of, ruleset).counting_days
    part = count_service(
        subset, record.leave, as_of, dataclasses.replace(ruleset, min_day_fraction=0.0)
    )
    ranges = [(d.start.toordinal(), d.end.toordinal() + 1) for d in counting_days]
    op = ogp = 0.0
    for a, b, shares in part.segments:
        if shares.open_practice <= 0.0 and shares.other_gp <= 0.0:
            continue
        for lo, hi in ranges:
            x, y = max(a, lo), min(b, hi)
            if x < y:
                fraction = month_fraction(x, y)
                op += shares.open_practice * fraction
                ogp += shares.other_gp * fraction
    return op / 100.0, ogp / 100.0


def build_certificate(
    *,
    periods: Sequence[Any],
    record: r.TrainingRecord,
    municipality_id: int,
    current_municipality_id: int,
    as_of: dt.date,
    ruleset: Ruleset,
) -> Certificate:
    """The certificate for one municipality. ``periods`` are the ALIS's ServicePeriod rows in
    the same order as ``record.service`` (``record_of`` builds one from the other)."""
    if len(periods) != len(record.service):
        raise ValueError("periods and record.service differ")
    counting = count_service(record.service, record.leave, as_of, ruleset).counting_days
    chosen: list[tuple[Any, r.ServicePeriod]] = []
    for model, rule in zip(periods, record.service, strict=True):
        if rule.arena not in CERTIFIED_ARENAS or rule.start > as_of:
            continue
        mid = model.municipality_id
        if mid == municipality_id or (mid is None and municipality_id == current_municipality_id):
            chosen.append((model, rule))
    chosen.sort(key=lambda pair: (pair[1].start, pair[0].pk or 0))
    rows = []
    for model, rule in chosen:
        op, ogp = attributed_months([rule], record, as_of, ruleset, counting)
        percent = float(rule.percent)
        hours, recorded = hours_per_week(model, percent)
        end = rule.end if rule.end is not None and rule.end <= as_of else None
        rows.append(
            CertificateRow(
                period=model,
                start=rule.start,
                end=end,
                percent=percent,
                arena=rule.arena,
                months=op + ogp,
                hours_per_week=hours,
                hours_recorded=recorded,
                municipality_missing=model.municipality_id is None,
            )
        )
    op, ogp = attributed_months([rule for _m, rule in chosen], record, as_of, ruleset, counting)
    first = min((row.start for row in rows), default=None)
    leave = tuple(
        lp
        for lp in record.leave
        if first is not None and lp.start <= as_of and (lp.end is None or lp.end >= first)
    )
    return Certificate(as_of, tuple(rows), op, ogp, leave)
