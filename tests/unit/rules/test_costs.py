"""ALIS cost accounting: categories, education share, grant coverage, municipality/region sums."""

from __future__ import annotations

from decimal import Decimal

import pytest

from veiviser.rules.costs import (
    CATEGORY_LABELS_NB,
    EDUCATION_BY_DEFAULT,
    CostCategory,
    CostEntry,
    CostError,
    CostTotals,
    compare_with_grant,
    education_share,
    totals,
    totals_by_municipality,
    totals_by_region,
    totals_by_trainee_year,
)

C = CostCategory


def entry(
    category: CostCategory,
    amount: int | str,
    trainee: str = "a",
    year: int = 2024,
    education: bool | None = None,
    municipality: str | None = None,
) -> CostEntry:
    return CostEntry(trainee, year, category, Decimal(amount), education, municipality)


# One ALIS-year resembling the research's picture (Fafo 2023:02, 4.7): education costs about
# 5 % of the municipality's total. Salary etc. as `other`: 1 140 000.
# Education: veileder 40 000 + supervisor 10 000 + courses 10 000 = 60 000; total 1 200 000;
# share 60 000 / 1 200 000 = 0.05.
YEAR = [
    entry(C.VEILEDER_PAY, 40_000),
    entry(C.SUPERVISOR_PAY, 10_000),
    entry(C.COURSES_TRAVEL, 10_000),
    entry(C.OTHER, 1_140_000),
]


def test_categories_are_the_researchs() -> None:
    assert [c.value for c in CostCategory] == [
        "veileder_pay",
        "supervisor_pay",
        "courses_travel",
        "locums",
        "reduced_list",
        "administration",
        "other",
    ]
    assert set(CATEGORY_LABELS_NB) == set(CostCategory)
    assert CATEGORY_LABELS_NB[C.LOCUMS] == "Vikarutgifter"


def test_education_flag_defaults_per_category_and_can_be_overridden() -> None:
    assert entry(C.VEILEDER_PAY, 1).is_education_cost is True
    assert entry(C.LOCUMS, 1).is_education_cost is True
    assert entry(C.OTHER, 1).is_education_cost is False
    # A locum for sick leave is not an education cost.
    assert entry(C.LOCUMS, 1, education=False).is_education_cost is False
    assert entry(C.OTHER, 1, education=True).counts_as_education
    assert all(isinstance(v, bool) for v in EDUCATION_BY_DEFAULT.values())


def test_totals_by_category() -> None:
    result = totals(YEAR)
    assert result.total == Decimal(1_200_000)
    assert result.education == Decimal(60_000)
    assert result.by_category[C.VEILEDER_PAY] == Decimal(40_000)
    assert result.by_category[C.LOCUMS] == 0  # every category is present
    assert set(result.by_category) == set(CostCategory)


def test_education_share() -> None:
    assert education_share(YEAR) == Decimal("0.05")
    assert education_share([]) is None
    assert CostTotals().education_share is None


def test_totals_per_trainee_per_year() -> None:
    entries = [
        *YEAR,
        entry(C.LOCUMS, 300_000, year=2025),  # institution half-year locum
        entry(C.VEILEDER_PAY, 20_000, trainee="b"),
        entry(C.VEILEDER_PAY, 5_000, trainee="b"),
    ]
    result = totals_by_trainee_year(entries)
    assert list(result) == [("a", 2024), ("a", 2025), ("b", 2024)]
    assert result[("a", 2024)].total == Decimal(1_200_000)
    assert result[("a", 2025)].by_category[C.LOCUMS] == Decimal(300_000)
    assert result[("b", 2024)].by_category[C.VEILEDER_PAY] == Decimal(25_000)
    assert result[("b", 2024)].education_share == 1


def test_comparison_with_grant() -> None:
    costs = totals(YEAR)
    # Grant 90 000: uncovered total 1 200 000 − 90 000 = 1 110 000, coverage 0.075;
    # education: 60 000 − 90 000 = −30 000 (the grant exceeds them), coverage 1.5.
    comparison = compare_with_grant(costs, Decimal(90_000))
    assert comparison.uncovered_total == Decimal(1_110_000)
    assert comparison.coverage_total == Decimal("0.075")
    assert comparison.uncovered_education == Decimal(-30_000)
    assert comparison.coverage_education == Decimal("1.5")
    empty = compare_with_grant(CostTotals(), Decimal(10))
    assert empty.coverage_total is None
    assert empty.coverage_education is None
    with pytest.raises(ValueError, match="negative"):
        compare_with_grant(costs, Decimal(-1))


def test_municipality_and_region_totals() -> None:
    entries = [
        entry(C.VEILEDER_PAY, 40_000, trainee="a"),
        entry(C.ADMINISTRATION, 5_000, trainee="a", municipality="1820"),  # paid by another
        entry(C.VEILEDER_PAY, 30_000, trainee="b"),
        entry(C.VEILEDER_PAY, 99_000, trainee="b", year=2023),
    ]
    municipality_of = {"a": "1804", "b": "1820"}
    by_municipality = totals_by_municipality(entries, municipality_of, year=2024)
    assert list(by_municipality) == ["1804", "1820"]
    assert by_municipality["1804"].total == Decimal(40_000)
    assert by_municipality["1820"].total == Decimal(35_000)
    all_years = totals_by_municipality(entries, municipality_of)
    assert all_years["1820"].total == Decimal(134_000)

    region_of = {"1804": "Nord", "1820": "Nord", "4643": "Vest"}
    by_region = totals_by_region(entries, region_of, municipality_of, year=2024)
    assert by_region == {"Nord": totals(entries[:3])}
    with pytest.raises(CostError, match="1820"):
        totals_by_region(entries, {"1804": "Nord"}, municipality_of)
    with pytest.raises(CostError, match="'b'"):
        totals_by_municipality(entries, {"a": "1804"})


def test_invalid_entries() -> None:
    with pytest.raises(ValueError, match="negative"):
        entry(C.OTHER, -1)
    with pytest.raises(ValueError):
        CostEntry("a", 2024, "salary", Decimal(1))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CostEntry("a", 2024, C.OTHER, 1.5)  # type: ignore[arg-type]
    assert CostEntry("a", 2024, "locums", 100).amount == Decimal(100)  # type: ignore[arg-type]
