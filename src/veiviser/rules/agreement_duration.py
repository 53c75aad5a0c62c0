"""Duration of GP agreements: a Kaplan–Meier estimate over holder rows of ``gp`` positions.

Helsedirektoratet publishes the median duration of the municipalities' agreements with GPs as a
quality indicator (5.91 years nationally, 2.75 in the smallest municipalities, Abelsen et al.
2015; see shared/spec/workforce-data.md). A municipality can compute the same kind of figure
from its own rows. Rows still ongoing at the as-of date are censored there; groups with fewer
than ``SMALL_GROUP_ROWS`` rows are reported as small, without a median or a curve.
docs/adr/0012-agreement-duration-censoring-and-small-groups.md records the choices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from veiviser.rules.workforce import ALL_POSITIONS, Occupancy, Position, PositionFilter

#: Groups with fewer rows than this are "small": no median, no curve.
SMALL_GROUP_ROWS = 5
#: Days per year used to turn durations into years.
DAYS_PER_YEAR = 365.25
#: Tolerance when reading S(t) <= 0.5 off the curve (products of fractions are not exact).
_EPSILON = 1e-9

Status = Literal["median", "median_not_reached", "small_group"]
_NOTES: dict[Status, str] = {
    "median": "Kaplan–Meier median: the first time the survival curve is at or below 0.5.",
    "median_not_reached": (
        "No median: the survival curve never drops to 0.5 (more than half of the agreements "
        "are still ongoing or ended after the last observed end)."
    ),
    "small_group": (
        f"Small group: fewer than {SMALL_GROUP_ROWS} agreements, too few for a median; "
        "only the counts are reported."
    ),
}


@dataclass(frozen=True, slots=True)
class AgreementRow:
    """One agreement: a person holding one ``gp`` position from ``start`` to ``end`` (last day)."""

    position_id: str
    person_id: str
    municipality: str
    start: date
    end: date | None


@dataclass(frozen=True)
class DurationEstimate:
    """The Kaplan–Meier estimate for one group of agreements (durations in years)."""

    rows: int
    events: int
    censored: int
    status: Status
    median_years: float | None
    curve: tuple[tuple[float, float], ...]

    @property
    def small_group(self) -> bool:
        """True when the group has fewer than ``SMALL_GROUP_ROWS`` rows."""
        return self.status == "small_group"

    @property
    def note(self) -> str:
        """A sentence saying what the median (or its absence) means."""
        return _NOTES[self.status]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "rows": self.rows,
            "events": self.events,
            "censored": self.censored,
            "small_group": self.small_group,
            "median_years": self.median_years,
            "status": self.status,
            "note": self.note,
            "curve": [[t, s] for t, s in self.curve],
        }


def agreement_rows(
    positions: Iterable[Position],
    occupancies: Iterable[Occupancy],
    filter: PositionFilter | None = None,
) -> list[AgreementRow]:
    """Holder rows of ``gp`` positions in the filter, as agreements.

    Rows of the same person in the same position that follow each other without a gap (the
    next starts the day after the previous ends) are one agreement: a split record is not a
    new agreement. Sorted by (municipality, position_id, start).
    """
    chosen = filter or ALL_POSITIONS
    gp = {p.position_id: p for p in positions if p.kind == "gp" and chosen.matches(p)}
    by_key: dict[tuple[str, str], list[Occupancy]] = defaultdict(list)
    for row in occupancies:
        if row.role == "holder" and row.position_id in gp:
            by_key[(row.position_id, row.person_id)].append(row)
    result: list[AgreementRow] = []
    for (position_id, person_id), rows in by_key.items():
        # open rows last among equal starts, so the result does not depend on the input order
        rows.sort(key=lambda r: (r.start, r.end is None, r.end or r.start))
        municipality = gp[position_id].municipality
        current = AgreementRow(position_id, person_id, municipality, rows[0].start, rows[0].end)
        for row in rows[1:]:
            if current.end is None:
                continue  # an open agreement already covers every later row of the same person
            if row.start <= current.end + timedelta(days=1):
                later = None if row.end is None else max(row.end, current.end)
                current = AgreementRow(position_id, person_id, municipality, current.start, later)
            else:
                result.append(current)
                current = AgreementRow(position_id, person_id, municipality, row.start, row.end)
        result.append(current)
    result.sort(key=lambda a: (a.municipality, a.position_id, a.start, a.person_id))
    return result


def durations(rows: Iterable[AgreementRow], as_of: date) -> list[tuple[float, bool]]:
    """(years, ended) per agreement started by ``as_of``; ongoing at ``as_of`` = censored.

    A duration counts both the first and the last day; an agreement ending on ``as_of`` or
    earlier is an event, any other is censored at ``as_of``. Sorted, so the fit is the same
    whatever the input order.
    """
    result: list[tuple[float, bool]] = []
    for row in rows:
        if row.start > as_of:
            continue
        ended = row.end is not None and row.end <= as_of
        last = row.end if ended and row.end is not None else as_of
        result.append((((last - row.start).days + 1) / DAYS_PER_YEAR, ended))
    result.sort()
    return result


def estimate(rows: Iterable[AgreementRow], as_of: date) -> DurationEstimate:
    """Kaplan–Meier estimate of agreement duration (lifelines ``KaplanMeierFitter``).

    The median is the first time the curve is at or below 0.5, in years with two decimals, or
    None with ``status="median_not_reached"`` when it never gets there. Fewer than
    ``SMALL_GROUP_ROWS`` agreements give ``status="small_group"``: no median, no curve.
    """
    observed = durations(rows, as_of)
    events = sum(1 for _, ended in observed if ended)
    censored = len(observed) - events
    if len(observed) < SMALL_GROUP_ROWS:
        return DurationEstimate(len(observed), events, censored, "small_group", None, ())
    curve = _kaplan_meier(observed)
    median = next((t for t, s in curve if s <= 0.5 + _EPSILON), None)
    if median is None:
        return DurationEstimate(len(observed), events, censored, "median_not_reached", None, curve)
    return DurationEstimate(len(observed), events, censored, "median", round(median, 2), curve)


def _kaplan_meier(observed: Sequence[tuple[float, bool]]) -> tuple[tuple[float, float], ...]:
    """The survival curve as (years, probability) steps, starting at (0, 1)."""
    from lifelines import KaplanMeierFitter  # type: ignore[import-untyped]  # slow, load on use

    fitter = KaplanMeierFitter()
    fitter.fit([t for t, _ in observed], event_observed=[e for _, e in observed])
    frame = fitter.survival_function_
    times: list[float] = [float(t) for t in frame.index]
    values: list[float] = [float(s) for s in frame.iloc[:, 0]]
    return tuple((round(t, 6), round(s, 6)) for t, s in zip(times, values, strict=True))


def agreement_duration(
    positions: Iterable[Position],
    occupancies: Iterable[Occupancy],
    as_of: date,
    filter: PositionFilter | None = None,
) -> DurationEstimate:
    """The estimate for all ``gp`` agreements in ``filter`` as of ``as_of``."""
    return estimate(agreement_rows(positions, occupancies, filter), as_of)


def by_group(
    rows: Iterable[AgreementRow],
    key: Callable[[AgreementRow], Hashable],
    as_of: date,
) -> dict[Hashable, DurationEstimate]:
    """One estimate per group, e.g. ``key=lambda r: size_band[r.municipality]``.

    Groups come out sorted by their key (as text), each with its own small-group check, so
    that municipality size bands or centrality classes can be compared side by side.
    """
    groups: dict[Hashable, list[AgreementRow]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return {k: estimate(groups[k], as_of) for k in sorted(groups, key=str)}
