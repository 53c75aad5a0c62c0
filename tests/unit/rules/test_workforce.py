"""The workforce figures against worked examples written by hand from the spec's Definitions.

The programme below is a small ALIS-Vest-like world (Fafo 2023:02, 4.6) over the period
2017-07-01 – 2022-08-31; each position's comment says what it exercises and the expected
figures are derived in the test that uses them.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veiviser.rules.workforce import (
    Occupancy,
    Position,
    PositionFilter,
    WorkforceData,
    monthly_dependence,
    positions_at,
    stability,
)

D = date
A, B = D(2017, 7, 1), D(2022, 8, 31)
PROGRAMME = "ALIS-Vest del 1"
IN_PROGRAMME = PositionFilter(programme=PROGRAMME)


def pos(
    pid: str, municipality: str, created: date, closed: date | None = None, **kw: str
) -> Position:
    return Position(
        pid,
        municipality,
        kw.get("office"),
        kw.get("kind", "alis"),  # type: ignore[arg-type]
        "salaried",
        kw.get("programme", PROGRAMME),
        created,
        closed,
    )


def holder(pid: str, person: str, start: date, end: date | None = None, reason: str | None = None,
           next_work: str | None = None) -> Occupancy:  # fmt: skip
    return Occupancy(pid, person, "holder", start, end, reason, next_work)  # type: ignore[arg-type]


def locum(pid: str, person: str, start: date, end: date | None = None) -> Occupancy:
    return Occupancy(pid, person, "locum", start, end)


POSITIONS = [
    pos("P1", "4601", D(2017, 7, 1)),  # one holder from 2017 still there
    pos("P2", "4601", D(2017, 7, 1)),  # holder resigns, locum bridges, new holder
    pos("P3", "4602", D(2017, 7, 1)),  # one holder from 2018, locum while the holder is absent
    pos("P4", "4602", D(2019, 1, 1), D(2021, 1, 1)),  # created and closed inside the period
    pos("P5", "1860", D(2010, 1, 1), kind="gp", programme=""),  # outside the programme
    pos("P6", "4601", D(2018, 1, 1)),  # never staffed, a locum only
    pos("P7", "4602", D(2017, 7, 1)),  # three holders, two resign
    pos("P8", "4601", D(2015, 1, 1)),  # holder since 2015, before the period
    pos("P9", "4603", D(2016, 1, 1), D(2017, 1, 1)),  # closed before the period
    pos("P10", "4603", D(2017, 7, 1)),  # one holder who resigned, never replaced
]
OCCUPANCIES = [
    holder("P1", "h1", D(2017, 8, 1)),
    holder("P2", "h2", D(2017, 9, 1), D(2019, 6, 30), "resigned", "hospital"),
    locum("P2", "L1", D(2019, 7, 1), D(2019, 9, 30)),
    holder("P2", "h3", D(2019, 10, 1)),
    holder("P3", "h4", D(2018, 1, 15)),
    locum("P3", "L2", D(2020, 3, 1), D(2020, 8, 31)),
    holder("P4", "h5", D(2019, 2, 1), D(2020, 12, 31), "completed", "general_practice"),
    holder("P5", "h5", D(2021, 2, 1)),  # h5 leaves P4 and holds a gp position at the end
    locum("P6", "L3", D(2018, 6, 1), D(2018, 12, 31)),
    holder("P7", "h6", D(2017, 7, 1), D(2018, 12, 31), "resigned", "general_practice"),
    holder("P7", "h7", D(2019, 3, 1), D(2020, 6, 30), "resigned", "unknown"),
    holder("P7", "h8", D(2020, 9, 1)),
    holder("P8", "h9", D(2015, 3, 1)),
    holder("P9", "h10", D(2016, 1, 1), D(2016, 12, 31), "resigned"),
    holder("P10", "h11", D(2017, 7, 1), D(2021, 12, 31), "resigned", "general_practice"),
]


# --------------------------------------------------------------------------- at a date


def test_positions_at_counts_a_locum_bridging_a_vacancy_as_vacant_and_locum_served() -> None:
    # 2019-08-01: P9 is closed, the other 8 programme positions exist. Holders cover P1, P3,
    # P4 (h5), P7 (h7), P8, P10; P2 is between h2 and h3 with locum L1; P6 has nobody.
    figures = positions_at(POSITIONS, OCCUPANCIES, D(2019, 8, 1), IN_PROGRAMME)
    assert figures.to_dict() == {
        "at": "2019-08-01",
        "positions": 8,
        "staffed": 6,
        "vacant": 2,
        "locum_served": 1,
    }


def test_a_locum_covering_an_absent_holder_counts_as_staffed_and_locum_served() -> None:
    # 2020-05-01: P3's holder h4 is absent and L2 serves; P7 has h7; only P6 is vacant.
    figures = positions_at(POSITIONS, OCCUPANCIES, D(2020, 5, 1), IN_PROGRAMME)
    assert (figures.positions, figures.staffed, figures.vacant, figures.locum_served) == (
        8,
        7,
        1,
        1,
    )


def test_end_is_the_last_day_and_closed_the_first_day_without_the_position() -> None:
    only_p2 = PositionFilter(municipalities={"4601"}, programme=PROGRAMME)
    assert positions_at(POSITIONS, OCCUPANCIES, D(2019, 6, 30), only_p2).staffed == 3  # P1 P2 P8
    assert positions_at(POSITIONS, OCCUPANCIES, D(2019, 7, 1), only_p2).staffed == 2
    p4 = PositionFilter(municipalities={"4602"}, kinds={"alis"})
    assert positions_at(POSITIONS, OCCUPANCIES, D(2020, 12, 31), p4).positions == 3
    assert positions_at(POSITIONS, OCCUPANCIES, D(2021, 1, 1), p4).positions == 2
    assert positions_at(POSITIONS, OCCUPANCIES, D(2018, 12, 31), p4).positions == 2  # not yet P4


def test_filters_by_municipality_set_kind_and_programme() -> None:
    everything = positions_at(POSITIONS, OCCUPANCIES, B)
    # at B: P4 and P9 are closed; P5 (gp, outside the programme) is held by h5
    assert (everything.positions, everything.staffed) == (8, 6)
    gp = positions_at(POSITIONS, OCCUPANCIES, B, PositionFilter(kinds={"gp"}))
    assert (gp.positions, gp.staffed) == (1, 1)
    region = PositionFilter(municipalities={"4602", "4603"})
    assert positions_at(POSITIONS, OCCUPANCIES, B, region).positions == 3  # P3 P7 P10
    case = PositionFilter(programme="  alis-vest DEL 1 ")
    assert positions_at(POSITIONS, OCCUPANCIES, B, case).positions == 7  # P4 closed by B


def test_positions_by_municipality_adds_up_to_the_total() -> None:
    data = WorkforceData(POSITIONS, OCCUPANCIES)
    per = data.positions_by_municipality(D(2019, 8, 1), IN_PROGRAMME)
    assert list(per) == ["4601", "4602", "4603"]
    assert [(f.positions, f.staffed, f.locum_served) for f in per.values()] == [
        (4, 2, 1),  # P1 P2 P6 P8: P1 and P8 held, L1 serves P2
        (3, 3, 0),  # P3 P4 P7
        (1, 1, 0),  # P10
    ]


# --------------------------------------------------------------------------- over a period


def test_stability_over_the_programme_period() -> None:
    # positions: P1 P2 P3 P4 P6 P7 P8 P10 exist in [A, B] (P9 closed 2017-01-01, P5 not in S)
    # holders: h1 h2 h3 h4 h5 h6 h7 h8 h9 h11 = 10
    # same holder throughout: P1 (h1, 2017), P3 (h4, 2018), P8 (h9, 2015); not P4 (closed,
    #   nobody holds it at B) nor P10 (h11 left, nobody at B)
    # with change: P2, P7; never staffed: P6 (a locum is not a holder)
    # resigned inside [A, B]: h2, h6, h7, h11 (h5 completed; h10 resigned before A)
    # staffed at B: P1 P2 P3 P7 P8
    # in general practice at B: h1 h3 h4 h8 h9 hold; h5 holds gp P5; h6 and h11 left for
    #   general practice; not h2 (hospital) nor h7 (unknown) = 8
    figures = stability(POSITIONS, OCCUPANCIES, A, B, IN_PROGRAMME)
    assert figures.to_dict() == {
        "from": "2017-07-01",
        "to": "2022-08-31",
        "positions": 8,
        "holders": 10,
        "same_holder_throughout": 3,
        "positions_with_change": 2,
        "never_staffed": 1,
        "resigned": 4,
        "staffed_at_end": 5,
        "in_general_practice_at_end": 8,
        "first_staffed_year": {"2015": 1, "2017": 1, "2018": 1},
    }


def test_stability_json_keys_are_in_the_spec_order() -> None:
    keys = list(stability(POSITIONS, OCCUPANCIES, A, B).to_dict())
    assert keys == [
        "from", "to", "positions", "holders", "same_holder_throughout", "positions_with_change",
        "never_staffed", "resigned", "staffed_at_end", "in_general_practice_at_end",
        "first_staffed_year",
    ]  # fmt: skip


def test_a_period_inside_one_tenure_sees_one_holder_throughout() -> None:
    # 2021: P7 only has h8; P2 only h3; P10 h11 until 2021-12-31 (one holder, gone at B)
    figures = stability(POSITIONS, OCCUPANCIES, D(2021, 1, 1), D(2021, 12, 31), IN_PROGRAMME)
    assert figures.positions == 7  # P4 closed 2021-01-01
    # P1 P2 P3 P7 P8 and P10, whose h11 still holds it on 2021-12-31 (the last day of both)
    assert figures.same_holder_throughout == 6
    assert figures.positions_with_change == 0
    assert figures.resigned == 1  # h11 on 2021-12-31, the last day of the period
    assert figures.first_staffed_year == {2015: 1, 2017: 2, 2018: 1, 2019: 1, 2020: 1}
    assert figures.staffed_at_end == 6


def test_same_person_in_two_rows_of_one_position_is_one_holder() -> None:
    positions = [pos("X", "4601", D(2018, 1, 1))]
    rows = [
        holder("X", "a", D(2018, 2, 1), D(2019, 5, 31), "other"),  # leave recorded as a gap
        holder("X", "a", D(2019, 9, 1)),
    ]
    figures = stability(positions, rows, D(2018, 1, 1), D(2020, 12, 31))
    assert (figures.same_holder_throughout, figures.positions_with_change) == (1, 0)
    assert figures.first_staffed_year == {2018: 1}


def test_never_staffed_position_created_and_closed_inside_the_period() -> None:
    positions = [pos("Y", "4601", D(2019, 3, 1), D(2019, 9, 1))]
    figures = stability(positions, [locum("Y", "l", D(2019, 3, 1), D(2019, 8, 31))], A, B)
    assert (figures.positions, figures.never_staffed, figures.staffed_at_end) == (1, 1, 0)
    assert figures.holders == 0


def test_a_holder_who_leaves_and_holds_another_position_is_in_general_practice() -> None:
    positions = [pos("X", "4601", D(2018, 1, 1)), pos("Z", "4642", D(2000, 1, 1), kind="municipal")]
    rows = [
        holder("X", "a", D(2018, 1, 1), D(2019, 12, 31), "moved", "unknown"),
        holder("Z", "a", D(2020, 3, 1)),
    ]
    s = PositionFilter(municipalities={"4601"})
    assert stability(positions, rows, A, B, s).in_general_practice_at_end == 1
    # the same person between jobs at B, whose last row said hospital, is not
    between = [holder("X", "a", D(2018, 1, 1), D(2019, 12, 31), "moved", "hospital")]
    assert stability(positions, between, A, D(2020, 1, 31), s).in_general_practice_at_end == 0


def test_stability_rejects_a_period_ending_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        stability(POSITIONS, OCCUPANCIES, B, A)


def test_occupancy_rejects_end_before_start() -> None:
    with pytest.raises(ValueError):
        holder("X", "a", D(2020, 1, 2), D(2020, 1, 1))


# --------------------------------------------------------------------------- monthly


def test_monthly_dependence_per_municipality_with_time_to_fill() -> None:
    positions = [
        pos("X", "4601", D(2020, 1, 1)),
        pos("Y", "1860", D(2020, 3, 1)),  # never staffed: an open episode
        pos("Z", "1860", D(2019, 1, 1), D(2020, 5, 1)),  # closes while vacant
    ]
    rows = [
        holder("X", "a", D(2020, 1, 15), D(2020, 3, 31)),  # January: 17 held days beat 14
        locum("X", "l", D(2020, 4, 1), D(2020, 4, 30)),
        holder("X", "b", D(2020, 6, 1)),
        holder("Z", "c", D(2019, 1, 1), D(2020, 2, 29)),
    ]
    figures = monthly_dependence(positions, rows, D(2020, 1, 1), D(2020, 6, 1))
    bergen, vestvagoy = figures.municipalities[1], figures.municipalities[0]
    assert bergen.municipality == "4601"
    assert [(m.positions, m.vacant, m.locum_served) for m in bergen.months] == [
        (1, 0, 0),
        (1, 0, 0),
        (1, 0, 0),
        (1, 1, 1),  # April: the locum, no holder
        (1, 1, 0),  # May: vacant
        (1, 0, 0),
    ]
    assert [(e.start, e.ended_by, e.days) for e in bergen.episodes] == [
        (D(2020, 1, 1), "filled", 14),
        (D(2020, 4, 1), "filled", 61),
    ]
    # 1860: Z Jan–Apr (closed 2020-05-01), vacant Mar–Apr; Y Mar–Jun all vacant
    assert [(m.positions, m.vacant) for m in vestvagoy.months] == [
        (1, 0), (1, 0), (2, 2), (2, 2), (1, 1), (1, 1),
    ]  # fmt: skip
    assert [(e.position_id, e.ended_by, e.days) for e in vestvagoy.episodes] == [
        ("Y", "open", 122),  # 2020-03-01 to the end of June
        ("Z", "closed", 61),  # 2020-03-01 to 2020-05-01
    ]
    assert figures.totals == {
        "position_months": 14,
        "vacant_months": 8,
        "locum_served_months": 1,
        "vacancy_episodes": 4,
        "filled_episodes": 2,
        "median_days_to_fill": 37.5,
    }
    assert figures.to_dict()["from"] == "2020-01"


# --------------------------------------------------------------------------- properties

_day = st.integers(min_value=0, max_value=3000).map(lambda n: D(2015, 1, 1) + timedelta(days=n))


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[Position], list[Occupancy]]:
    positions: list[Position] = []
    rows: list[Occupancy] = []
    for i in range(draw(st.integers(0, 6))):
        created = draw(_day)
        closed = draw(st.none() | _day.filter(lambda d, c=created: d > c))
        positions.append(pos(f"P{i}", draw(st.sampled_from(["4601", "1860"])), created, closed))
        cursor = created - timedelta(days=draw(st.integers(0, 400)))
        for _ in range(draw(st.integers(0, 4))):  # non-overlapping holder rows
            start = cursor + timedelta(days=draw(st.integers(0, 300)))
            length = draw(st.none() | st.integers(0, 900))
            end = None if length is None else start + timedelta(days=length)
            rows.append(holder(f"P{i}", draw(st.sampled_from("abcde")), start, end))
            if end is None:
                break
            cursor = end + timedelta(days=1)
        for _ in range(draw(st.integers(0, 3))):
            start = draw(_day)
            rows.append(
                locum(f"P{i}", "l", start, start + timedelta(days=draw(st.integers(0, 200))))
            )
    return positions, rows


@settings(max_examples=200, deadline=None)
@given(worlds(), _day, _day)
def test_staffed_plus_vacant_is_positions_and_period_counts_fit(
    world: tuple[list[Position], list[Occupancy]], day: date, other: date
) -> None:
    positions, rows = world
    at = positions_at(positions, rows, day)
    assert at.staffed + at.vacant == at.positions
    assert 0 <= at.locum_served <= at.positions
    start, end = min(day, other), max(day, other)
    period = stability(positions, rows, start, end)
    assert period.same_holder_throughout + period.positions_with_change + period.never_staffed <= (
        period.positions
    )
    assert period.staffed_at_end == positions_at(positions, rows, end).staffed
    assert sum(period.first_staffed_year.values()) == period.same_holder_throughout
    assert period.in_general_practice_at_end <= period.holders
