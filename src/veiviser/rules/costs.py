"""ALIS cost accounting: what an ALIS costs the municipality, and how much the grant covers.

The categories follow the research on municipal ALIS costs (Fafo-rapport 2023:02, chapter 4.7,
seed ``003_7651f930f66ffdc5.txt``): pay or fees to the veileder, pay to the supervisør, course
fees with travel and stay, locum costs (vikarutgifter), the cost of a reduced list, and
administration; ``other`` holds the rest (e.g. the ALIS's own salary when a municipality wants
the research's "share of total costs"). Whether an entry is an *education cost* defaults per
category and can be overridden per entry (ADR 0024). Pure, typed, ``Decimal`` kroner.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

__all__ = [
    "CATEGORY_LABELS_NB",
    "EDUCATION_BY_DEFAULT",
    "CostCategory",
    "CostEntry",
    "CostError",
    "CostTotals",
    "GrantComparison",
    "compare_with_grant",
    "education_share",
    "totals",
    "totals_by_municipality",
    "totals_by_region",
    "totals_by_trainee_year",
]


class CostCategory(StrEnum):
    """Cost categories of an ALIS (the research's categories)."""

    VEILEDER_PAY = "veileder_pay"
    SUPERVISOR_PAY = "supervisor_pay"
    COURSES_TRAVEL = "courses_travel"
    LOCUMS = "locums"
    REDUCED_LIST = "reduced_list"
    ADMINISTRATION = "administration"
    OTHER = "other"


CATEGORY_LABELS_NB: Mapping[CostCategory, str] = {
    CostCategory.VEILEDER_PAY: "Lønn/honorar til veileder",
    CostCategory.SUPERVISOR_PAY: "Lønn/honorar til supervisør",
    CostCategory.COURSES_TRAVEL: "Kurs, reise og opphold",
    CostCategory.LOCUMS: "Vikarutgifter",
    CostCategory.REDUCED_LIST: "Redusert listelengde",
    CostCategory.ADMINISTRATION: "Administrasjon",
    CostCategory.OTHER: "Annet",
}

# Default of ``is_education_cost`` per category (ADR 0024): everything the research names as a
# cost of the training is an education cost; ``other`` (salary, office, …) is not.
EDUCATION_BY_DEFAULT: Mapping[CostCategory, bool] = {
    CostCategory.VEILEDER_PAY: True,
    CostCategory.SUPERVISOR_PAY: True,
    CostCategory.COURSES_TRAVEL: True,
    CostCategory.LOCUMS: True,
    CostCategory.REDUCED_LIST: True,
    CostCategory.ADMINISTRATION: True,
    CostCategory.OTHER: False,
}

ZERO = Decimal(0)


class CostError(ValueError):
    """Cost data that cannot be summed (e.g. no municipality known for an entry)."""


def _decimal(value: Any, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"{name} must be a Decimal (or int/str), got {type(value).__name__}")
    result = value if isinstance(value, Decimal) else Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{name} must be finite")
    return result


@dataclass(frozen=True)
class CostEntry:
    """One cost: an ALIS, a calendar year, a category and an amount in NOK (≥ 0).

    ``is_education_cost`` left as ``None`` takes the category's default
    (``EDUCATION_BY_DEFAULT``); ``municipality`` (kommunenummer) is the municipality that paid,
    needed only for municipality and region totals.
    """

    trainee: str
    year: int
    category: CostCategory
    amount: Decimal
    is_education_cost: bool | None = None
    municipality: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "category", CostCategory(self.category))
        amount = _decimal(self.amount, "amount")
        if amount < 0:
            raise ValueError("amount must not be negative")
        object.__setattr__(self, "amount", amount)
        if self.is_education_cost is None:
            object.__setattr__(self, "is_education_cost", EDUCATION_BY_DEFAULT[self.category])

    @property
    def counts_as_education(self) -> bool:
        """Whether this entry is an education cost (after the category default)."""
        return bool(self.is_education_cost)


def _all_zero() -> dict[CostCategory, Decimal]:
    return dict.fromkeys(CostCategory, ZERO)


@dataclass(frozen=True)
class CostTotals:
    """Sums of a set of entries: per category (every category present), total, education."""

    by_category: Mapping[CostCategory, Decimal] = field(default_factory=_all_zero)
    total: Decimal = ZERO
    education: Decimal = ZERO

    @property
    def education_share(self) -> Decimal | None:
        """Education costs ÷ total (0–1), ``None`` when the total is 0."""
        return self.education / self.total if self.total else None


@dataclass(frozen=True)
class GrantComparison:
    """Costs set against the grant received.

    ``uncovered`` = cost − grant (negative when the grant exceeds the cost); ``coverage`` =
    grant ÷ cost, ``None`` when the cost is 0. Given for all costs and for education costs.
    """

    costs: CostTotals
    grant_received: Decimal
    uncovered_total: Decimal
    coverage_total: Decimal | None
    uncovered_education: Decimal
    coverage_education: Decimal | None


def totals(entries: Iterable[CostEntry]) -> CostTotals:
    """Per-category, total and education sums of ``entries``."""
    by_category = _all_zero()
    total = education = ZERO
    for entry in entries:
        by_category[entry.category] += entry.amount
        total += entry.amount
        if entry.counts_as_education:
            education += entry.amount
    return CostTotals(by_category=by_category, total=total, education=education)


def totals_by_trainee_year(entries: Iterable[CostEntry]) -> dict[tuple[str, int], CostTotals]:
    """Totals per ALIS per year, keyed ``(trainee, year)`` in sorted order."""
    groups: dict[tuple[str, int], list[CostEntry]] = defaultdict(list)
    for entry in entries:
        groups[(entry.trainee, entry.year)].append(entry)
    return {key: totals(groups[key]) for key in sorted(groups)}


def education_share(entries: Iterable[CostEntry]) -> Decimal | None:
    """The education costs' share of the total (the research found about 5 %); ``None`` if 0."""
    return totals(entries).education_share


def compare_with_grant(costs: CostTotals, grant_received: Decimal) -> GrantComparison:
    """Set ``costs`` against ``grant_received`` (kroner, ≥ 0): difference and coverage ratio."""
    grant = _decimal(grant_received, "grant_received")
    if grant < 0:
        raise ValueError("grant_received must not be negative")
    return GrantComparison(
        costs=costs,
        grant_received=grant,
        uncovered_total=costs.total - grant,
        coverage_total=grant / costs.total if costs.total else None,
        uncovered_education=costs.education - grant,
        coverage_education=grant / costs.education if costs.education else None,
    )


def _municipality(entry: CostEntry, municipality_of: Mapping[str, str] | None) -> str:
    if entry.municipality is not None:
        return entry.municipality
    if municipality_of is not None and entry.trainee in municipality_of:
        return municipality_of[entry.trainee]
    raise CostError(f"no municipality for trainee {entry.trainee!r} (year {entry.year})")


def _filtered(entries: Iterable[CostEntry], year: int | None) -> list[CostEntry]:
    return [e for e in entries if year is None or e.year == year]


def totals_by_municipality(
    entries: Iterable[CostEntry],
    municipality_of: Mapping[str, str] | None = None,
    year: int | None = None,
) -> dict[str, CostTotals]:
    """Totals per municipality (optionally one year), sorted by kommunenummer.

    An entry's own ``municipality`` wins; otherwise ``municipality_of[trainee]``; otherwise
    ``CostError``.
    """
    groups: dict[str, list[CostEntry]] = defaultdict(list)
    for entry in _filtered(entries, year):
        groups[_municipality(entry, municipality_of)].append(entry)
    return {key: totals(groups[key]) for key in sorted(groups)}


def totals_by_region(
    entries: Iterable[CostEntry],
    region_of: Mapping[str, str],
    municipality_of: Mapping[str, str] | None = None,
    year: int | None = None,
) -> dict[str, CostTotals]:
    """Totals per region (``region_of`` maps kommunenummer → region), sorted by region.

    A municipality missing from ``region_of`` is a ``CostError``, never silently dropped.
    """
    groups: dict[str, list[CostEntry]] = defaultdict(list)
    for entry in _filtered(entries, year):
        number = _municipality(entry, municipality_of)
        if number not in region_of:
            raise CostError(f"no region for municipality {number!r}")
        groups[region_of[number]].append(entry)
    return {key: totals(groups[key]) for key in sorted(groups)}
