"""Month-by-month workforce figures: the timeline's month classification and locum dependence.

One rule classifies a month for one position, used by the timeline
(``veiviser.rules.workforce_timeline``) and by ``monthly_dependence``, so the chart and the
figures beside it always agree. The rule is in docs/adr/0011-timeline-month-classification.md;
vacancy episodes and time to fill are in docs/adr/0014-vacancy-episodes-and-time-to-fill.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise
from statistics import median
from typing import Any, Literal

from veiviser.rules.workforce import (
    Occupancy,
    Position,
    PositionFilter,
    WorkforceData,
)

CellState = Literal["holder", "locum", "vacant", "not_existing", "closed", "no_data"]
#: Cell states that mean "the position exists and we have data about it this month".
EXISTING_STATES: frozenset[str] = frozenset({"holder", "locum", "vacant"})


@dataclass(frozen=True, slots=True)
class MonthCell:
    """The state of one position in one month; ``ordinal`` is set for ``holder`` cells."""

    state: CellState
    ordinal: int | None = None
    locum: bool = False


# --------------------------------------------------------------------------- months


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s month."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_range(start: date, end: date) -> list[date]:
    """First days of every month from ``start``'s month to ``end``'s month, inclusive."""
    months: list[date] = []
    current, last = month_start(start), month_start(end)
    while current <= last:
        months.append(current)
        current = next_month(current)
    return months


def month_cells(
    data: WorkforceData,
    position: Position,
    months: Sequence[date],
    data_from: date | None = None,
    data_until: date | None = None,
) -> list[MonthCell]:
    """Classify each month (first days, ascending, consecutive) for one position.

    Every day of the month gets one category: ``no_data`` (before ``data_from`` or after
    ``data_until``), ``not_existing`` (before created), ``closed`` (from closed on), the
    holder covering it (by ordinal), ``locum`` (a locum and no holder) or ``vacant``. The
    month takes the category covering most days; a tie goes to the category seen later in
    the month. ``locum`` is also flagged on a holder month when a locum covers at least half
    of its days. See docs/adr/0011-timeline-month-classification.md.
    """
    if not months:
        return []
    bounds = _month_bounds(months[0], len(months))
    segments = _segments(data, position, bounds[0][0], bounds[-1][1], data_from, data_until)
    cells: list[MonthCell] = []
    index = 0
    for month, following in bounds:
        while segments[index][1] <= month:
            index += 1
        seg_start, seg_stop, key, locum = segments[index]
        if seg_start <= month and seg_stop >= following:  # one segment covers the whole month
            cells.append(_cell(key, key[0] == "locum" or (key[0] == "holder" and locum)))
            continue
        days: dict[_Key, int] = {}
        last_seen: dict[_Key, int] = {}
        locum_days = 0
        j = index
        while j < len(segments) and segments[j][0] < following:
            seg_start, seg_stop, key, locum = segments[j]
            overlap = min(seg_stop, following) - max(seg_start, month)
            days[key] = days.get(key, 0) + overlap
            last_seen[key] = min(seg_stop, following)
            if locum:
                locum_days += overlap
            j += 1
        key = max(days, key=lambda k: (days[k], last_seen[k]))
        length = following - month
        cells.append(
            _cell(key, key[0] == "locum" or (key[0] == "holder" and 2 * locum_days >= length))
        )
    return cells


_Key = tuple[CellState, int | None]
_Segment = tuple[int, int, _Key, bool]  # start ordinal, stop ordinal (exclusive), key, locum
_CELLS: dict[tuple[_Key, bool], MonthCell] = {}
_NEVER = date.max.toordinal() + 1  # the ordinal after every open end


def _cell(key: _Key, locum: bool) -> MonthCell:
    """Cells are immutable: share one instance per (state, ordinal, locum)."""
    cell = _CELLS.get((key, locum))
    if cell is None:
        cell = _CELLS[(key, locum)] = MonthCell(key[0], key[1], locum)
    return cell


@lru_cache(maxsize=64)
def _month_bounds(first: date, count: int) -> tuple[tuple[int, int], ...]:
    """(first day, first day of the next month) as ordinals for ``count`` months."""
    bounds: list[tuple[int, int]] = []
    month = month_start(first)
    for _ in range(count):
        following = next_month(month)
        bounds.append((month.toordinal(), following.toordinal()))
        month = following
    return tuple(bounds)


def _segments(
    data: WorkforceData,
    position: Position,
    first: int,
    stop: int,
    data_from: date | None,
    data_until: date | None,
) -> list[_Segment]:
    """Split days [first, stop) (ordinals) into runs with one category each."""
    holders = [
        (r.start.toordinal(), r.end.toordinal() + 1 if r.end else _NEVER, r.person_id)
        for r in data.holders.get(position.position_id, [])
    ]
    locums = [
        (r.start.toordinal(), r.end.toordinal() + 1 if r.end else _NEVER)
        for r in data.locums.get(position.position_id, [])
    ]
    created = position.created.toordinal()
    closed = position.closed.toordinal() if position.closed else _NEVER
    from_ = data_from.toordinal() if data_from else 0
    until = data_until.toordinal() + 1 if data_until else _NEVER
    points = {first, stop, created, closed, from_, until}
    for a, b, _ in holders:
        points.update((a, b))
    for a, b in locums:
        points.update((a, b))
    cuts = sorted(p for p in points if first <= p <= stop)
    ordinals = data.ordinals(position.position_id)
    segments: list[_Segment] = []
    for day, seg_stop in pairwise(cuts):
        key: _Key
        locum = False
        if day < from_ or day >= until:
            key = ("no_data", None)
        elif day < created:
            key = ("not_existing", None)
        elif day >= closed:
            key = ("closed", None)
        else:
            locum = any(a <= day < b for a, b in locums)
            person = next((p for a, b, p in holders if a <= day < b), None)
            if person is not None:
                key = ("holder", ordinals[person])
            else:
                key = ("locum", None) if locum else ("vacant", None)
        segments.append((day, seg_stop, key, locum))
    return segments


# --------------------------------------------------------------------------- dependence


@dataclass(frozen=True)
class VacancyEpisode:
    """A run of days without a holder: from a holder leaving (or creation) to the next start.

    ``ended_by`` is ``filled`` (``days`` = time to fill), ``closed`` (the position closed
    first) or ``open`` (no later holder in the data; ``days`` counted to the period's end).
    """

    position_id: str
    municipality: str
    start: date
    filled_on: date | None
    ended_by: Literal["filled", "closed", "open"]
    days: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "position_id": self.position_id,
            "start": self.start.isoformat(),
            "filled_on": self.filled_on.isoformat() if self.filled_on else None,
            "ended_by": self.ended_by,
            "days": self.days,
        }


@dataclass(frozen=True)
class MonthFigures:
    """Position-months of one municipality in one month, classified as in the timeline."""

    month: date
    positions: int
    vacant: int
    locum_served: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``month`` as ``YYYY-MM``)."""
        return {
            "month": self.month.strftime("%Y-%m"),
            "positions": self.positions,
            "vacant": self.vacant,
            "locum_served": self.locum_served,
        }


def _summary(months: Iterable[MonthFigures], episodes: Sequence[VacancyEpisode]) -> dict[str, Any]:
    months = list(months)
    filled = [e.days for e in episodes if e.ended_by == "filled"]
    return {
        "position_months": sum(m.positions for m in months),
        "vacant_months": sum(m.vacant for m in months),
        "locum_served_months": sum(m.locum_served for m in months),
        "vacancy_episodes": len(episodes),
        "filled_episodes": len(filled),
        "median_days_to_fill": median(filled) if filled else None,
    }


@dataclass(frozen=True)
class MunicipalityDependence:
    """Monthly figures and vacancy episodes of one municipality."""

    municipality: str
    months: tuple[MonthFigures, ...]
    episodes: tuple[VacancyEpisode, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: totals, then months and episodes."""
        return {
            "municipality": self.municipality,
            **_summary(self.months, self.episodes),
            "months": [m.to_dict() for m in self.months],
            "episodes": [e.to_dict() for e in self.episodes],
        }


@dataclass(frozen=True)
class DependenceFigures:
    """Locum dependence and time to fill per municipality per month, with totals."""

    start_month: date
    end_month: date
    municipalities: tuple[MunicipalityDependence, ...]

    @property
    def totals(self) -> dict[str, Any]:
        """Sums over all municipalities; the median is over all filled episodes."""
        months = [m for d in self.municipalities for m in d.months]
        episodes = [e for d in self.municipalities for e in d.episodes]
        return _summary(months, episodes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "from": self.start_month.strftime("%Y-%m"),
            "to": self.end_month.strftime("%Y-%m"),
            "totals": self.totals,
            "municipalities": [d.to_dict() for d in self.municipalities],
        }


def _episodes(data: WorkforceData, position: Position, stop: date) -> list[VacancyEpisode]:
    """All vacancy episodes of a position starting before ``stop`` (exclusive)."""
    found: list[VacancyEpisode] = []
    cursor: date | None = position.created  # first day without a holder, None = held on
    for row in data.holders.get(position.position_id, []):
        if cursor is None:
            break
        if row.start > cursor:
            found.append(_episode(position, cursor, row.start, stop))
        if row.end is None:
            cursor = None
        elif row.end >= cursor:
            cursor = row.end + timedelta(days=1)
    if cursor is not None:
        found.append(_episode(position, cursor, None, stop))
    end_of_life = position.closed
    return [e for e in found if e.start < stop and (end_of_life is None or e.start < end_of_life)]


def _episode(position: Position, start: date, filled: date | None, stop: date) -> VacancyEpisode:
    closed = position.closed
    if closed is not None and (filled is None or filled >= closed):
        return VacancyEpisode(
            position.position_id,
            position.municipality,
            start,
            None,
            "closed",
            (closed - start).days,
        )
    if filled is None:
        days = max(0, (stop - start).days)
        return VacancyEpisode(
            position.position_id, position.municipality, start, None, "open", days
        )
    days = (filled - start).days
    return VacancyEpisode(
        position.position_id, position.municipality, start, filled, "filled", days
    )


def monthly_dependence(
    positions: Sequence[Position],
    occupancies: Sequence[Occupancy],
    start_month: date,
    end_month: date,
    filter: PositionFilter | None = None,
    data_until: date | None = None,
) -> DependenceFigures:
    """Per municipality per month: positions, vacant and locum-served position-months.

    Months are classified exactly as the timeline's cells (``month_cells``): a position counts
    in a month when it exists and has data, is vacant when the month's state is ``vacant`` or
    ``locum`` (no holder for most of it), locum-served when the cell carries the locum flag.
    Vacancy episodes starting inside the months are listed with their time to fill (days from
    the first day without a holder to the next holder's start; see docs/adr/0014).
    """
    if month_start(end_month) < month_start(start_month):
        raise ValueError(f"the months end ({end_month}) before they start ({start_month})")
    data = WorkforceData(positions, occupancies)
    months = month_range(start_month, end_month)
    first, stop = months[0], next_month(months[-1])
    if data_until is not None:
        stop = min(stop, data_until + timedelta(days=1))
    per_municipality: dict[str, list[list[MonthCell]]] = defaultdict(list)
    episodes: dict[str, list[VacancyEpisode]] = defaultdict(list)
    for position in data.select(filter):
        if not position.exists_during(first, stop - timedelta(days=1)):
            continue
        cells = month_cells(data, position, months, data_until=data_until)
        per_municipality[position.municipality].append(cells)
        episodes[position.municipality].extend(
            e for e in _episodes(data, position, stop) if e.start >= first
        )
    result: list[MunicipalityDependence] = []
    for number in sorted(per_municipality):
        rows = per_municipality[number]
        figures = tuple(
            MonthFigures(
                month,
                sum(1 for r in rows if r[i].state in EXISTING_STATES),
                sum(1 for r in rows if r[i].state in ("vacant", "locum")),
                sum(1 for r in rows if r[i].locum),
            )
            for i, month in enumerate(months)
        )
        ordered = tuple(sorted(episodes[number], key=lambda e: (e.start, e.position_id)))
        result.append(MunicipalityDependence(number, figures, ordered))
    return DependenceFigures(months[0], months[-1], tuple(result))
