"""Positions, holders and locums: the workforce stability figures (pure rules, no Django).

The contract is ``shared/spec/workforce-data.md`` (Definitions and Reports). Dates follow two
conventions taken from the spec and kept everywhere:

* a position exists on day D when ``created <= D`` and (``closed`` is empty or ``closed > D``):
  ``closed`` is the first day it no longer exists;
* an occupancy row covers day D when ``start <= D`` and (``end`` is empty or ``end >= D``):
  ``end`` is the last day served.

``WorkforceData`` indexes the rows by position and by person once, so every figure is linear in
the number of rows. Month-by-month figures (the timeline's classification, locum dependence and
time to fill) are in ``veiviser.rules.workforce_months``; ``monthly_dependence`` is re-exported.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from veiviser.rules.workforce_months import DependenceFigures

Kind = Literal["gp", "alis", "municipal"]
Form = Literal["salaried", "salaried_bonus", "self_employed", "unknown"]
Role = Literal["holder", "locum"]
EndReason = Literal["resigned", "completed", "moved", "retired", "other"]
NextWork = Literal["general_practice", "hospital", "other", "unknown"]

KINDS: tuple[Kind, ...] = ("gp", "alis", "municipal")
FORMS: tuple[Form, ...] = ("salaried", "salaried_bonus", "self_employed", "unknown")
ROLES: tuple[Role, ...] = ("holder", "locum")
END_REASONS: tuple[EndReason, ...] = ("resigned", "completed", "moved", "retired", "other")
NEXT_WORKS: tuple[NextWork, ...] = ("general_practice", "hospital", "other", "unknown")


@dataclass(frozen=True, slots=True)
class Position:
    """A fastlegehjemmel, ALIS post or other municipal doctor post (positions.csv)."""

    position_id: str
    municipality: str
    office: str | None
    kind: Kind
    form: Form
    programme: str | None
    created: date
    closed: date | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if self.form not in FORMS:
            raise ValueError(f"unknown form {self.form!r}")

    def exists_on(self, day: date) -> bool:
        """True when the position exists on ``day`` (created <= day < closed)."""
        return self.created <= day and (self.closed is None or self.closed > day)

    def exists_during(self, start: date, end: date) -> bool:
        """True when the position exists on at least one day of [start, end]."""
        return self.created <= end and (self.closed is None or self.closed > start)


@dataclass(frozen=True, slots=True)
class Occupancy:
    """One person serving one position for a period (occupancies.csv); ``end`` inclusive."""

    position_id: str
    person_id: str
    role: Role
    start: date
    end: date | None = None
    end_reason: EndReason | None = None
    next_work: NextWork | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")

    def covers(self, day: date) -> bool:
        """True when the row covers ``day`` (start <= day <= end, open end = ongoing)."""
        return self.start <= day and (self.end is None or self.end >= day)

    def overlaps(self, start: date, end: date) -> bool:
        """True when the row covers at least one day of [start, end]."""
        return self.start <= end and (self.end is None or self.end >= start)


@dataclass(frozen=True)
class PositionFilter:
    """Which positions a report covers; ``None`` means "all". Region = a municipality set."""

    municipalities: AbstractSet[str] | None = None
    programme: str | None = None
    kinds: AbstractSet[str] | None = None

    def __post_init__(self) -> None:
        if self.municipalities is not None:
            object.__setattr__(self, "municipalities", frozenset(self.municipalities))
        if self.kinds is not None:
            object.__setattr__(self, "kinds", frozenset(self.kinds))

    def matches(self, position: Position) -> bool:
        """True when ``position`` is in the set S the filter describes."""
        if self.municipalities is not None and position.municipality not in self.municipalities:
            return False
        if self.kinds is not None and position.kind not in self.kinds:
            return False
        if self.programme is not None:
            wanted = self.programme.strip().casefold()
            if (position.programme or "").strip().casefold() != wanted:
                return False
        return True


ALL_POSITIONS = PositionFilter()


@dataclass(frozen=True)
class PositionsFigures:
    """Figures at one date (Recruit & Retain table 2)."""

    at: date
    positions: int
    staffed: int
    vacant: int
    locum_served: int

    def to_dict(self) -> dict[str, Any]:
        """The ``report positions --json`` shape."""
        return {
            "at": self.at.isoformat(),
            "positions": self.positions,
            "staffed": self.staffed,
            "vacant": self.vacant,
            "locum_served": self.locum_served,
        }


@dataclass(frozen=True)
class StabilityFigures:
    """Figures over a period (Fafo 2023:02, 4.6, figures 2 and 3)."""

    start: date
    end: date
    positions: int
    holders: int
    same_holder_throughout: int
    positions_with_change: int
    never_staffed: int
    resigned: int
    staffed_at_end: int
    in_general_practice_at_end: int
    first_staffed_year: dict[int, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The ``report stability --json`` shape."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "positions": self.positions,
            "holders": self.holders,
            "same_holder_throughout": self.same_holder_throughout,
            "positions_with_change": self.positions_with_change,
            "never_staffed": self.never_staffed,
            "resigned": self.resigned,
            "staffed_at_end": self.staffed_at_end,
            "in_general_practice_at_end": self.in_general_practice_at_end,
            "first_staffed_year": {
                str(year): n for year, n in sorted(self.first_staffed_year.items())
            },
        }


# --------------------------------------------------------------------------- the index


class WorkforceData:
    """Positions and occupancies indexed once: by position (sorted by start) and by person."""

    def __init__(self, positions: Iterable[Position], occupancies: Iterable[Occupancy]) -> None:
        self.positions: dict[str, Position] = {p.position_id: p for p in positions}
        self.holders: dict[str, list[Occupancy]] = defaultdict(list)
        self.locums: dict[str, list[Occupancy]] = defaultdict(list)
        self.holder_rows_by_person: dict[str, list[Occupancy]] = defaultdict(list)
        for row in occupancies:
            if row.position_id not in self.positions:
                continue  # the CSV parser and the database both reject these
            if row.role == "holder":
                self.holders[row.position_id].append(row)
                self.holder_rows_by_person[row.person_id].append(row)
            else:
                self.locums[row.position_id].append(row)
        for rows in (*self.holders.values(), *self.locums.values()):
            rows.sort(key=lambda r: (r.start, r.person_id))

    def select(self, filter: PositionFilter | None = None) -> list[Position]:
        """Positions matching ``filter``, sorted by municipality then position_id."""
        chosen = filter or ALL_POSITIONS
        found = [p for p in self.positions.values() if chosen.matches(p)]
        found.sort(key=lambda p: (p.municipality, p.position_id))
        return found

    def holder_on(self, position: Position, day: date) -> Occupancy | None:
        """The holder row covering ``day`` when the position exists that day."""
        if not position.exists_on(day):
            return None
        for row in self.holders.get(position.position_id, ()):
            if row.start > day:
                break
            if row.covers(day):
                return row
        return None

    def locum_on(self, position: Position, day: date) -> bool:
        """True when a locum row covers ``day`` and the position exists that day."""
        if not position.exists_on(day):
            return False
        return any(r.covers(day) for r in self.locums.get(position.position_id, ()))

    def ordinals(self, position_id: str) -> dict[str, int]:
        """Person → 1-based ordinal of distinct holders of a position, by first start."""
        result: dict[str, int] = {}
        for row in self.holders.get(position_id, ()):  # sorted by (start, person_id)
            if row.person_id not in result:
                result[row.person_id] = len(result) + 1
        return result

    def in_general_practice(self, person_id: str, day: date) -> bool:
        """Holds any position on ``day``, or the last holder row ended before it said so."""
        rows = self.holder_rows_by_person.get(person_id, ())
        if any(r.covers(day) and self.positions[r.position_id].exists_on(day) for r in rows):
            return True  # every kind (gp, alis, municipal) is general practice work
        ended = [r for r in rows if r.end is not None and r.end < day]
        if not ended:
            return False
        last = max(ended, key=lambda r: (r.end or r.start, r.start))
        return last.next_work == "general_practice"

    # ----------------------------------------------------------------- figures

    def positions_at(self, at: date, filter: PositionFilter | None = None) -> PositionsFigures:
        """Positions, staffed, vacant and locum-served positions on day ``at``."""
        existing = [p for p in self.select(filter) if p.exists_on(at)]
        staffed = sum(1 for p in existing if self.holder_on(p, at) is not None)
        locum = sum(1 for p in existing if self.locum_on(p, at))
        return PositionsFigures(at, len(existing), staffed, len(existing) - staffed, locum)

    def positions_by_municipality(
        self, at: date, filter: PositionFilter | None = None
    ) -> dict[str, PositionsFigures]:
        """``positions_at`` per municipality (kommunenummer), sorted by number."""
        counts: dict[str, list[int]] = {}
        for position in self.select(filter):
            if not position.exists_on(at):
                continue
            row = counts.setdefault(position.municipality, [0, 0, 0])
            row[0] += 1
            row[1] += self.holder_on(position, at) is not None
            row[2] += self.locum_on(position, at)
        return {
            number: PositionsFigures(at, n, staffed, n - staffed, locum)
            for number, (n, staffed, locum) in sorted(counts.items())
        }

    def stability(
        self, start: date, end: date, filter: PositionFilter | None = None
    ) -> StabilityFigures:
        """The period figures over [start, end] (docs/adr/0010-same-holder-throughout.md)."""
        if end < start:
            raise ValueError(f"the period ends ({end}) before it starts ({start})")
        positions = [p for p in self.select(filter) if p.exists_during(start, end)]
        holders: set[str] = set()
        same = change = never = resigned = staffed_at_end = 0
        first_years: Counter[int] = Counter()
        for position in positions:
            all_rows = self.holders.get(position.position_id, [])
            rows = [r for r in all_rows if r.overlaps(start, end)]
            persons = {r.person_id for r in rows}
            holders |= persons
            resigned += sum(
                1
                for r in rows
                if r.end is not None and start <= r.end <= end and r.end_reason == "resigned"
            )
            at_end = self.holder_on(position, end)
            if at_end is not None:
                staffed_at_end += 1
            if not persons:
                never += 1
            elif len(persons) >= 2:
                change += 1
            elif at_end is not None:
                same += 1
                first = min(r.start for r in all_rows if r.person_id == at_end.person_id)
                first_years[first.year] += 1
        in_gp = sum(1 for person in holders if self.in_general_practice(person, end))
        return StabilityFigures(
            start=start,
            end=end,
            positions=len(positions),
            holders=len(holders),
            same_holder_throughout=same,
            positions_with_change=change,
            never_staffed=never,
            resigned=resigned,
            staffed_at_end=staffed_at_end,
            in_general_practice_at_end=in_gp,
            first_staffed_year=dict(sorted(first_years.items())),
        )


# --------------------------------------------------------------------------- functions


def positions_at(
    positions: Sequence[Position],
    occupancies: Sequence[Occupancy],
    at: date,
    filter: PositionFilter | None = None,
) -> PositionsFigures:
    """Positions, staffed, vacant and locum_served on day ``at`` for the positions in S."""
    return WorkforceData(positions, occupancies).positions_at(at, filter)


def stability(
    positions: Sequence[Position],
    occupancies: Sequence[Occupancy],
    start: date,
    end: date,
    filter: PositionFilter | None = None,
) -> StabilityFigures:
    """The period figures of Fafo 2023:02 figures 2 and 3 over [start, end]."""
    return WorkforceData(positions, occupancies).stability(start, end, filter)


def monthly_dependence(
    positions: Sequence[Position],
    occupancies: Sequence[Occupancy],
    start_month: date,
    end_month: date,
    filter: PositionFilter | None = None,
    data_until: date | None = None,
) -> DependenceFigures:
    """Per municipality per month: positions, vacant and locum-served months, time to fill.

    Implemented in ``veiviser.rules.workforce_months`` (imported here on use: that module
    builds on this one).
    """
    from veiviser.rules import workforce_months

    return workforce_months.monthly_dependence(
        positions, occupancies, start_month, end_month, filter, data_until
    )
