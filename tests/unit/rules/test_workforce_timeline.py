"""The stability timeline: month classification (docs/adr/0011), SVG, PNG and the data table."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from veiviser.rules.workforce import Occupancy, Position
from veiviser.rules.workforce_months import month_range, next_month
from veiviser.rules.workforce_timeline import (
    HOLDER_COLOURS,
    NO_DATA_COLOUR,
    build_timeline,
    cell_colour,
    render_png,
    render_svg,
    timeline_table,
)

D = date
SVG = "{http://www.w3.org/2000/svg}"


CREATED = D(2015, 1, 1)


def position(pid: str = "X", created: date = CREATED, closed: date | None = None,
             municipality: str = "4601", office: str | None = None) -> Position:  # fmt: skip
    return Position(pid, municipality, office, "alis", "salaried", None, created, closed)


def holder(person: str, start: date, end: date | None = None, pid: str = "X") -> Occupancy:
    return Occupancy(pid, person, "holder", start, end)


def locum(start: date, end: date, pid: str = "X") -> Occupancy:
    return Occupancy(pid, "L", "locum", start, end)


def cells(positions: list[Position], rows: list[Occupancy], start: date, end: date,
          **kw: date) -> list[tuple[str, int | None, bool]]:  # fmt: skip
    matrix = build_timeline(positions, rows, start, end, **kw)  # type: ignore[arg-type]
    return [(c.state, c.ordinal, c.locum) for c in matrix.rows[0].cells]


def test_a_month_takes_the_state_covering_most_of_its_days() -> None:
    # March 2018 (31 days): created on the 15th → 14 days not existing, 17 vacant
    assert cells([position(created=D(2018, 3, 15))], [], D(2018, 3, 1), D(2018, 3, 1)) == [
        ("vacant", None, False)
    ]
    # created on the 17th → 16 days not existing beat 15 vacant
    assert cells([position(created=D(2018, 3, 17))], [], D(2018, 3, 1), D(2018, 3, 1)) == [
        ("not_existing", None, False)
    ]


def test_a_tie_goes_to_the_state_later_in_the_month() -> None:
    # April 2021 (30 days): the holder's last day is the 15th → 15 held, 15 vacant
    rows = [holder("a", D(2020, 1, 1), D(2021, 4, 15))]
    assert cells([position()], rows, D(2021, 3, 1), D(2021, 5, 1)) == [
        ("holder", 1, False),
        ("vacant", None, False),
        ("vacant", None, False),
    ]


def test_a_three_way_split_takes_the_largest_share() -> None:
    # February 2021 (28 days): a 1–9 (9 days), vacant 10–19 (10 days), b 20–28 (9 days)
    rows = [holder("a", D(2020, 1, 1), D(2021, 2, 9)), holder("b", D(2021, 2, 20))]
    assert cells([position()], rows, D(2021, 2, 1), D(2021, 3, 1)) == [
        ("vacant", None, False),
        ("holder", 2, False),
    ]


def test_ordinals_count_distinct_holders_by_first_start_over_all_the_data() -> None:
    rows = [
        holder("a", D(2015, 1, 1), D(2016, 12, 31)),  # before the window: still ordinal 1
        holder("b", D(2017, 1, 1), D(2017, 12, 31)),
        holder("a", D(2018, 1, 1), D(2018, 12, 31)),  # a returns: ordinal 1 again
        holder("c", D(2019, 1, 1)),
    ]
    states = cells([position()], rows, D(2017, 6, 1), D(2019, 1, 1))
    assert states[0] == ("holder", 2, False)
    assert states[7] == ("holder", 1, False)  # January 2018
    assert states[-1] == ("holder", 3, False)


def test_locum_months_closed_and_no_data() -> None:
    rows = [
        holder("a", D(2019, 1, 1), D(2019, 12, 31)),
        locum(D(2019, 3, 1), D(2019, 3, 16)),  # 16 of 31 days while a is absent: flagged
        locum(D(2019, 4, 1), D(2019, 4, 14)),  # 14 of 30 days: not flagged
        locum(D(2020, 1, 1), D(2020, 2, 29)),  # no holder: locum months
    ]
    states = cells(
        [position(closed=D(2020, 4, 1))], rows, D(2019, 3, 1), D(2020, 7, 1),
        data_until=D(2020, 5, 31),
    )  # fmt: skip
    assert states[:2] == [("holder", 1, True), ("holder", 1, False)]
    assert states[10:] == [
        ("locum", None, True),  # Jan 2020
        ("locum", None, True),  # Feb
        ("vacant", None, False),  # Mar
        ("closed", None, False),  # Apr, May
        ("closed", None, False),
        ("no_data", None, False),  # Jun, Jul: after the data
        ("no_data", None, False),
    ]


def test_rows_are_sorted_by_municipality_then_position_and_only_existing_ones_show() -> None:
    positions = [
        position("B", municipality="4601"),
        position("A", municipality="4601", office="Sentrum"),
        position("C", municipality="1860"),
        position("gone", closed=D(2016, 1, 1)),
    ]
    matrix = build_timeline(
        positions, [], D(2017, 1, 1), D(2017, 12, 31), municipality_names={"4601": "Bergen"}
    )
    assert [r.label for r in matrix.rows] == ["1860 · C", "Bergen · Sentrum · A", "Bergen · B"]
    assert len(matrix.months) == 12


def test_colours_clamp_to_the_last_ordinal_colour() -> None:
    rows = [holder(p, D(2016 + i, 1, 1), D(2016 + i, 12, 31)) for i, p in enumerate("abcdefg")]
    matrix = build_timeline([position()], rows, D(2022, 6, 1), D(2022, 6, 1))
    (cell,) = matrix.rows[0].cells
    assert (cell.ordinal, cell_colour(cell)) == (7, HOLDER_COLOURS[-1])


def test_the_svg_is_accessible_and_well_formed() -> None:
    positions = [position(office="<Sentrum & co>"), position("Y", municipality="1860")]
    rows = [holder("a", D(2016, 1, 1), D(2018, 6, 30)), locum(D(2018, 7, 1), D(2018, 9, 30))]
    matrix = build_timeline(
        positions, rows, D(2017, 7, 1), D(2019, 6, 30), data_until=D(2019, 3, 31)
    )
    svg = render_svg(matrix, id_prefix="t1")
    root = ET.fromstring(svg)  # noqa: S314 (our own output, not untrusted input)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "t1-title t1-desc"
    assert root.find(f"{SVG}title").text == "Stabilitet i stillingene, jul 2017–jun 2019"
    assert "2 stillinger" in root.find(f"{SVG}desc").text
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "4601 · <Sentrum & co> · X" in texts  # escaped in the source, intact when parsed
    assert {"2017", "2018", "2019"} <= set(texts)
    assert {"1. innehaver", "Ledig", "Mangler data", "Vikar, ingen innehaver"} <= set(texts)
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect")}
    assert {HOLDER_COLOURS[0], NO_DATA_COLOUR, "url(#t1-locum)"} <= fills
    tooltips = [t.text for r in root.iter(f"{SVG}rect") for t in r.iter(f"{SVG}title")]
    assert "1. innehaver, jul 2017–jun 2018 (12 mnd)" in tooltips


def test_the_png_is_drawn(tmp_path: object) -> None:
    matrix = build_timeline(
        [position()], [holder("a", D(2016, 1, 1))], D(2017, 1, 1), D(2017, 12, 1)
    )
    out = io.BytesIO()
    render_png(matrix, out)
    assert out.getvalue().startswith(b"\x89PNG\r\n\x1a\n")


def test_the_table_beside_the_chart_counts_months_and_lists_runs() -> None:
    rows = [
        holder("a", D(2016, 1, 1), D(2017, 3, 31)),
        locum(D(2017, 4, 1), D(2017, 5, 31)),
        holder("b", D(2017, 7, 1)),
    ]
    matrix = build_timeline(
        [position()], rows, D(2017, 1, 1), D(2017, 12, 1), data_until=D(2017, 10, 31)
    )
    (row,) = timeline_table(matrix)
    assert (row.holders, row.holder_months, row.locum_months, row.vacant_months) == (2, 7, 2, 3)
    assert row.no_data_months == 2
    assert [(r.state, r.ordinal, r.months) for r in row.runs] == [
        ("holder", 1, 3),
        ("locum", None, 2),
        ("vacant", None, 1),
        ("holder", 2, 4),
        ("no_data", None, 2),
    ]
    assert row.to_dict()["runs"][1] == {
        "state": "locum", "ordinal": None, "locum": True, "from": "2017-04", "to": "2017-05",
        "months": 2,
    }  # fmt: skip


# --------------------------------------------------------------------------- reference check


def day_by_day(p: Position, rows: list[Occupancy], months: list[date],
               until: date | None) -> list[tuple[str, int | None, bool]]:  # fmt: skip
    """The ADR 0011 rule read literally, one day at a time (slow, obviously right)."""
    order: dict[str, int] = {}
    for r in sorted((r for r in rows if r.role == "holder"), key=lambda r: (r.start, r.person_id)):
        order.setdefault(r.person_id, len(order) + 1)
    result = []
    for month in months:
        following = next_month(month)
        counts: dict[tuple[str, int | None], int] = {}
        last: dict[tuple[str, int | None], date] = {}
        locum_days, day = 0, month
        while day < following:
            covering = [r for r in rows if r.covers(day)]
            key: tuple[str, int | None]
            if until is not None and day > until:
                key = ("no_data", None)
            elif day < p.created:
                key = ("not_existing", None)
            elif p.closed is not None and day >= p.closed:
                key = ("closed", None)
            else:
                holders = [r for r in covering if r.role == "holder"]
                has_locum = any(r.role == "locum" for r in covering)
                locum_days += has_locum
                if holders:
                    key = ("holder", order[holders[0].person_id])
                else:
                    key = ("locum", None) if has_locum else ("vacant", None)
            counts[key] = counts.get(key, 0) + 1
            last[key] = day
            day += timedelta(days=1)
        state, ordinal = max(counts, key=lambda k: (counts[k], last[k]))
        length = (following - month).days
        flag = state == "locum" or (state == "holder" and 2 * locum_days >= length)
        result.append((state, ordinal, flag))
    return result


_days = st.integers(0, 1500).map(lambda n: D(2017, 1, 1) + timedelta(days=n))


@settings(max_examples=150, deadline=None)
@given(
    _days,
    st.none() | st.integers(1, 1200),
    st.lists(
        st.tuples(st.integers(0, 90), st.none() | st.integers(0, 400), st.sampled_from("abc")),
        max_size=5,
    ),
    st.lists(st.tuples(_days, st.integers(0, 60)), max_size=4),
    st.none() | _days,
)
def test_the_month_sweep_agrees_with_the_day_by_day_rule(
    created: date,
    life: int | None,
    holder_spans: list[tuple[int, int | None, str]],
    locum_spans: list[tuple[date, int]],
    until: date | None,
) -> None:
    closed = None if life is None else created + timedelta(days=life)
    p = position(created=created, closed=closed)
    rows: list[Occupancy] = []
    cursor = created - timedelta(days=60)
    for gap, length, person in holder_spans:  # non-overlapping, as the import guarantees
        start = cursor + timedelta(days=gap)
        end = None if length is None else start + timedelta(days=length)
        rows.append(holder(person, start, end))
        if end is None:
            break
        cursor = end + timedelta(days=1)
    rows += [locum(start, start + timedelta(days=n)) for start, n in locum_spans]
    months = month_range(D(2016, 11, 1), D(2021, 6, 1))
    matrix = build_timeline([p], rows, months[0], months[-1], data_until=until)
    assert [(c.state, c.ordinal, c.locum) for c in matrix.rows[0].cells] == day_by_day(
        p, rows, months, until
    )
