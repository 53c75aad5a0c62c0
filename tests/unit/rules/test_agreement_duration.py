"""Agreement duration: Kaplan–Meier with censoring at the as-of date, small groups."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from veiviser.rules.agreement_duration import (
    AgreementRow,
    agreement_duration,
    agreement_rows,
    by_group,
    durations,
    estimate,
)
from veiviser.rules.workforce import Occupancy, Position, PositionFilter

AS_OF = date(2024, 1, 1)
START = date(2010, 1, 1)


def row(days: int | None, municipality: str = "4601", n: int = 0) -> AgreementRow:
    """An agreement from START lasting ``days`` days (both ends counted); None = ongoing."""
    end = None if days is None else START + timedelta(days=days - 1)
    return AgreementRow(f"P{n}", f"p{n}", municipality, START, end)


def test_median_when_the_curve_reaches_one_half_exactly() -> None:
    # 6 agreements: ends after 400, 800, 1200, 1600, 2000 days, one still ongoing (censored).
    # S = 5/6, 4/6, 3/6 = 0.5 at 1200 days: the median is 1200 / 365.25 = 3.285… → 3.29.
    # (5/6 · 4/5 · 3/4 is 0.5000000000000001 in floating point; the rule still reads 0.5.)
    rows = [row(d, n=i) for i, d in enumerate([400, 800, 1200, 1600, 2000, None])]
    result = estimate(rows, AS_OF)
    assert (result.rows, result.events, result.censored) == (6, 5, 1)
    assert result.status == "median" and not result.small_group
    assert result.median_years == 3.29
    assert result.curve[0] == (0.0, 1.0)
    assert [round(s, 4) for _, s in result.curve[1:6]] == [0.8333, 0.6667, 0.5, 0.3333, 0.1667]


def test_no_median_when_more_than_half_are_still_ongoing() -> None:
    rows = [row(d, n=i) for i, d in enumerate([365, 730, None, None, None])]
    result = estimate(rows, AS_OF)
    assert result.median_years is None
    assert result.status == "median_not_reached"
    assert "never drops to 0.5" in result.note
    assert result.curve[-1][1] == pytest.approx(0.6)


def test_fewer_than_five_rows_is_a_small_group_without_median_or_curve() -> None:
    result = estimate([row(100, n=i) for i in range(4)], AS_OF)
    assert result.small_group
    assert (result.rows, result.events, result.median_years, result.curve) == (4, 4, None, ())
    assert result.to_dict()["small_group"] is True


def test_rows_ending_after_as_of_are_censored_and_rows_starting_after_it_are_left_out() -> None:
    rows = [
        AgreementRow("A", "a", "4601", date(2023, 1, 1), date(2023, 12, 31)),  # ended: event
        AgreementRow("B", "b", "4601", date(2023, 1, 1), date(2024, 1, 1)),  # ends on as-of
        AgreementRow("C", "c", "4601", date(2023, 1, 1), date(2025, 6, 30)),  # censored
        AgreementRow("D", "d", "4601", date(2023, 1, 1), None),  # censored
        AgreementRow("E", "e", "4601", date(2024, 2, 1), None),  # not started: left out
    ]
    assert durations(rows, AS_OF) == [
        (365 / 365.25, True),
        (366 / 365.25, False),
        (366 / 365.25, False),
        (366 / 365.25, True),
    ]


def test_only_holder_rows_of_gp_positions_count_and_split_records_join() -> None:
    positions = [
        Position("G1", "4601", None, "gp", "self_employed", None, date(2000, 1, 1)),
        Position("G2", "1860", None, "gp", "salaried", None, date(2000, 1, 1)),
        Position("A1", "4601", None, "alis", "salaried", None, date(2000, 1, 1)),
    ]
    occupancies = [
        Occupancy("G1", "a", "holder", date(2010, 1, 1), date(2012, 12, 31)),
        Occupancy("G1", "a", "holder", date(2013, 1, 1), date(2015, 6, 30), "moved"),  # joins
        Occupancy("G1", "b", "holder", date(2016, 1, 1), None),
        Occupancy("G1", "a", "holder", date(2030, 1, 1), None),  # a again, after a gap
        Occupancy("G1", "x", "locum", date(2015, 7, 1), date(2015, 12, 31)),
        Occupancy("G2", "c", "holder", date(2011, 1, 1), None),
        Occupancy("A1", "d", "holder", date(2011, 1, 1), None),
    ]
    rows = agreement_rows(positions, occupancies)
    assert [(r.position_id, r.person_id, r.start, r.end) for r in rows] == [
        ("G2", "c", date(2011, 1, 1), None),
        ("G1", "a", date(2010, 1, 1), date(2015, 6, 30)),
        ("G1", "b", date(2016, 1, 1), None),
        ("G1", "a", date(2030, 1, 1), None),
    ]
    only_bergen = agreement_rows(positions, occupancies, PositionFilter(municipalities={"4601"}))
    assert {r.position_id for r in only_bergen} == {"G1"}
    assert agreement_duration(positions, occupancies, AS_OF).rows == 3  # 2030 not started


def test_by_group_compares_groups_each_with_its_own_small_group_check() -> None:
    band = {"4601": "50 000+", "1860": "5 000–9 999"}
    rows = [row(d, "4601", i) for i, d in enumerate([400, 800, 1200, 1600, 2000, None])]
    rows += [row(300, "1860", 10 + i) for i in range(3)]
    groups = by_group(rows, lambda r: band[r.municipality], AS_OF)
    assert list(groups) == ["5 000–9 999", "50 000+"]
    assert groups["5 000–9 999"].small_group
    assert groups["50 000+"].median_years == 3.29


def test_the_estimate_does_not_depend_on_the_input_order() -> None:
    rng = random.Random(7)
    rows = [row(rng.choice([None, rng.randint(30, 5000)]), n=i) for i in range(60)]
    first = estimate(rows, AS_OF)
    rng.shuffle(rows)
    assert estimate(rows, AS_OF) == first
