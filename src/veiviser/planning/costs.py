"""Costs from the database into the rules (``rules/costs.py``) and back as page rows.

``municipality_costs`` and ``region_costs`` make a fixed number of queries whatever the number
of entries, ALIS and municipalities.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from veiviser.core.models import Municipality, RegionalOffice
from veiviser.planning.models import CostEntry, GrantReceived
from veiviser.rules import costs as rules
from veiviser.rules.costs import CostCategory, CostTotals, GrantComparison


def rule_entry(entry: CostEntry, municipality_number: str | None = None) -> rules.CostEntry:
    return rules.CostEntry(
        trainee=f"t{entry.trainee_id}",
        year=entry.year,
        category=CostCategory(entry.category),
        amount=entry.amount,
        is_education_cost=entry.is_education_cost,
        municipality=municipality_number,
    )


@dataclass(frozen=True)
class TraineeCosts:
    trainee_pk: int
    name: str
    totals: CostTotals

    def amount(self, category: CostCategory) -> Decimal:
        return self.totals.by_category[category]


@dataclass(frozen=True)
class YearSummary:
    year: int
    totals: CostTotals
    grant: Decimal | None
    comparison: GrantComparison | None


@dataclass(frozen=True)
class MunicipalityCosts:
    municipality: Municipality
    years: tuple[int, ...]  # newest first
    year: int
    summaries: tuple[YearSummary, ...]
    selected: YearSummary
    trainees: tuple[TraineeCosts, ...]
    entries: tuple[CostEntry, ...]  # of the selected year

    @property
    def categories(self) -> tuple[CostCategory, ...]:
        return tuple(CostCategory)


def _summary(year: int, entries: Iterable[rules.CostEntry], grant: Decimal | None) -> YearSummary:
    totals = rules.totals(entries)
    comparison = rules.compare_with_grant(totals, grant) if grant is not None else None
    return YearSummary(year, totals, grant, comparison)


def municipality_costs(
    municipality: Municipality, current_year: int, year: int | None = None
) -> MunicipalityCosts:
    """Costs per ALIS and year, totals per category, education share and the grant (2 queries)."""
    entries = list(
        CostEntry.objects.filter(municipality=municipality)
        .select_related("trainee__person")
        .order_by("-year", "trainee__person__family_name", "category", "id")
    )
    grants = dict(
        GrantReceived.objects.filter(municipality=municipality).values_list("year", "amount")
    )
    data_years = {e.year for e in entries} | set(grants)
    years = sorted(data_years | {current_year} | ({year} if year else set()), reverse=True)
    if year is None:
        past = [y for y in years if y <= current_year and y in data_years]
        year = past[0] if past else current_year
    by_year: dict[int, list[rules.CostEntry]] = defaultdict(list)
    for entry in entries:
        by_year[entry.year].append(rule_entry(entry))
    summaries = tuple(_summary(y, by_year.get(y, []), grants.get(y)) for y in years)
    selected = next(s for s in summaries if s.year == year)
    names = {f"t{e.trainee_id}": (e.trainee_id, e.trainee.person.full_name) for e in entries}
    per_trainee = rules.totals_by_trainee_year(by_year.get(year, []))
    trainees = sorted(
        (
            TraineeCosts(names[key][0], names[key][1], totals)
            for (key, _y), totals in per_trainee.items()
        ),
        key=lambda t: t.name,
    )
    return MunicipalityCosts(
        municipality=municipality,
        years=tuple(years),
        year=year,
        summaries=summaries,
        selected=selected,
        trainees=tuple(trainees),
        entries=tuple(
            sorted(
                (e for e in entries if e.year == year),
                key=lambda e: (e.trainee.person.full_name, e.category, e.pk),
            )
        ),
    )


@dataclass(frozen=True)
class MunicipalityRow:
    municipality: Any  # (pk, number, name)
    summary: YearSummary


@dataclass(frozen=True)
class RegionCosts:
    region: RegionalOffice
    year: int
    years: tuple[int, ...]
    rows: tuple[MunicipalityRow, ...]
    total: YearSummary


def region_costs(region: RegionalOffice, current_year: int, year: int | None) -> RegionCosts:
    """Totals per municipality of the region for one year, and the region's total (3 queries)."""
    municipalities = list(
        Municipality.objects.filter(regional_office=region)
        .order_by("name")
        .values_list("pk", "number", "name")
    )
    years_qs: Sequence[int] = list(
        CostEntry.objects.filter(municipality__regional_office=region)
        .values_list("year", flat=True)
        .distinct()
    )
    years = sorted(set(years_qs) | {current_year}, reverse=True)
    if year is None:
        past = [y for y in years if y <= current_year and y in set(years_qs)]
        year = past[0] if past else current_year
    elif year not in years:
        years = sorted({*years, year}, reverse=True)
    number_of = {pk: number for pk, number, _name in municipalities}
    entries = [
        rule_entry(e, number_of[e.municipality_id])
        for e in CostEntry.objects.filter(municipality__regional_office=region, year=year).only(
            "trainee_id", "year", "category", "amount", "is_education_cost", "municipality_id"
        )
    ]
    grants = dict(
        GrantReceived.objects.filter(municipality__regional_office=region, year=year).values_list(
            "municipality_id", "amount"
        )
    )
    by_municipality = rules.totals_by_municipality(entries, year=year)
    by_region = rules.totals_by_region(entries, dict.fromkeys(number_of.values(), region.code))
    rows = []
    for pk, number, name in municipalities:
        totals = by_municipality.get(number, CostTotals())
        grant = grants.get(pk)
        comparison = rules.compare_with_grant(totals, grant) if grant is not None else None
        rows.append(
            MunicipalityRow((pk, number, name), YearSummary(year, totals, grant, comparison))
        )
    region_totals = by_region.get(region.code, CostTotals())
    grant_sum = sum(grants.values(), Decimal(0)) if grants else None
    return RegionCosts(
        region=region,
        year=year,
        years=tuple(years),
        rows=tuple(rows),
        total=YearSummary(
            year,
            region_totals,
            grant_sum,
            rules.compare_with_grant(region_totals, grant_sum) if grant_sum is not None else None,
        ),
    )
