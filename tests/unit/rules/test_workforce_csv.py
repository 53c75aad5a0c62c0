"""The CSV import: every problem with file, physical line and column; all or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veiviser.rules.workforce import Occupancy, Position
from veiviser.rules.workforce_csv import (
    CsvError,
    WorkforceCsvInvalid,
    load_files,
    parse_files,
    parse_positions,
    write_occupancies_csv,
    write_positions_csv,
)

POSITIONS = """\
position_id,municipality,office,kind,form,programme,created,closed
P1,4601,"Sentrum legekontor, Bergen",alis,salaried_bonus,ALIS-Vest del 1,2017-07-01,
P2,1860,,gp,,,2010-01-01,2020-01-01
"""
OCCUPANCIES = """\
position_id,person_id,role,start,end,end_reason,next_work
P1,a,holder,2017-08-01,2019-06-30,resigned,hospital
P1,L,locum,2019-07-01,2019-09-30,,
P1,b,holder,2019-10-01,,,
P2,c,holder,2010-01-01,2019-12-31,retired,other
"""


def errors_of(positions: str, occupancies: str = "") -> list[str]:
    occupancies = occupancies or "position_id,person_id,role,start\n"
    with pytest.raises(WorkforceCsvInvalid) as caught:
        parse_files(positions, occupancies)
    return [str(e) for e in caught.value.errors]


def test_valid_files_parse_into_the_dataclasses() -> None:
    positions, occupancies = parse_files(POSITIONS, OCCUPANCIES)
    assert positions[0] == Position(
        "P1",
        "4601",
        "Sentrum legekontor, Bergen",
        "alis",
        "salaried_bonus",
        "ALIS-Vest del 1",
        date(2017, 7, 1),
        None,
    )
    assert positions[1].form == "unknown"  # the default
    assert positions[1].office is None and positions[1].programme is None
    assert occupancies[0] == Occupancy(
        "P1", "a", "holder", date(2017, 8, 1), date(2019, 6, 30), "resigned", "hospital"
    )
    assert occupancies[2].end is None


def test_a_byte_order_mark_columns_in_any_order_and_blank_lines_are_fine() -> None:
    text = "\ufeffkind,created,municipality,position_id\r\n\r\ngp,2020-01-01,0301,X\r\n"
    assert parse_positions(text)[0].position_id == "X"


def test_round_trip_through_the_writers() -> None:
    positions, occupancies = parse_files(POSITIONS, OCCUPANCIES)
    again = parse_files(write_positions_csv(positions), write_occupancies_csv(occupancies))
    assert again == (positions, occupancies)
    assert write_positions_csv(positions).splitlines()[0] == (
        "position_id,municipality,office,kind,form,programme,created,closed"
    )


def test_header_problems_are_on_line_1() -> None:
    text = "position_id,municipality,kind,colour\nP1,4601,gp,red\n"
    assert errors_of(text) == [
        "positions.csv:1:colour: unknown column; expected: position_id, municipality, office, "
        "kind, form, programme, created, closed",
        "positions.csv:1:created: required column is missing from the header",
    ]


def test_every_value_problem_is_reported_with_its_line_and_column() -> None:
    positions = """\
position_id,municipality,office,kind,form,programme,created,closed
P1,4601,,alis,,,2017-07-01,
P1,460,,doctor,weekly,,2017-13-01,
,4601,,gp,,,2017-07-01,2017-07-01
P4,4601,,gp,,,01.07.2017,
"""
    assert errors_of(positions) == [
        "positions.csv:3:position_id: position_id 'P1' is already used on line 2",
        "positions.csv:3:municipality: kommunenummer must be 4 digits (2024 numbering), got '460'",
        "positions.csv:3:kind: 'doctor' is not one of: gp, alis, municipal",
        "positions.csv:3:form: 'weekly' is not one of: salaried, salaried_bonus, self_employed, "
        "unknown",
        "positions.csv:3:created: not a date '2017-13-01'; write YYYY-MM-DD, e.g. 2024-01-31",
        "positions.csv:4:position_id: required value is empty",
        "positions.csv:4:closed: closed (2017-07-01) must be after created (2017-07-01); closed "
        "is the first day the position no longer exists",
        "positions.csv:5:created: not a date '01.07.2017'; write YYYY-MM-DD, e.g. 2024-01-31",
    ]


def test_occupancy_problems_unknown_position_end_before_start_and_enums() -> None:
    occupancies = """\
position_id,person_id,role,start,end,end_reason,next_work
P9,a,holder,2017-08-01,,,
P1,,vikar,2017-08-01,2017-07-31,fired,pub
"""
    assert errors_of(POSITIONS, occupancies) == [
        "occupancies.csv:2:position_id: position_id 'P9' is not in positions.csv",
        "occupancies.csv:3:person_id: required value is empty",
        "occupancies.csv:3:role: 'vikar' is not one of: holder, locum",
        "occupancies.csv:3:end: end (2017-07-31) is before start (2017-08-01)",
        "occupancies.csv:3:end_reason: 'fired' is not one of: resigned, completed, moved, "
        "retired, other",
        "occupancies.csv:3:next_work: 'pub' is not one of: general_practice, hospital, other, "
        "unknown",
    ]


def test_overlapping_holder_rows_of_one_position_name_both_lines() -> None:
    occupancies = """\
position_id,person_id,role,start,end
P1,a,holder,2017-08-01,2019-06-30
P1,L,locum,2019-06-01,2019-09-30
P1,b,holder,2019-06-30,
P2,c,holder,2012-01-01,2013-01-01
P1,d,holder,2025-01-01,
"""
    errors = errors_of(POSITIONS, occupancies)
    assert errors == [
        "occupancies.csv:4:start: this holder row (line 4) overlaps the holder row on line 2 "
        "(2017-08-01 – 2019-06-30) of position 'P1'; 'end' is the last day, so the next holder "
        "starts the day after it",
        "occupancies.csv:6:start: this holder row (line 6) overlaps the holder row on line 4 "
        "(2019-06-30 – ongoing) of position 'P1'; 'end' is the last day, so the next holder "
        "starts the day after it",
    ]


def test_line_numbers_are_physical_lines_after_a_quoted_line_break() -> None:
    positions = (
        "position_id,municipality,office,kind,created\n"
        'P1,4601,"Legekontoret\ni sentrum",gp,2020-01-01\n'
        "P2,4601,,gp,2020-02-30\n"
    )
    assert errors_of(positions) == [
        "positions.csv:4:created: not a date '2020-02-30'; write YYYY-MM-DD, e.g. 2024-01-31"
    ]


def test_wrong_number_of_values_and_broken_quotes_name_the_line() -> None:
    positions = (
        "position_id,municipality,kind,created\n"
        "P1,4601,gp,2020-01-01,extra\n"
        'P2,4601,"gp"x,2020-01-01\n'
        "P3,4601,gp,2020-01-01\n"
    )
    assert errors_of(positions) == [
        "positions.csv:2: expected 4 values, found 5",
        "positions.csv:3: cannot read this line as CSV: ',' expected after '\"'",
    ]


def test_problems_of_both_files_come_together_and_nothing_is_imported() -> None:
    bad_positions = POSITIONS + "P3,46O1,,gp,,,2020-01-01,\n"
    bad_occupancies = OCCUPANCIES + "P1,z,holder,2018-01-01,,,\n"  # overlaps a and b
    with pytest.raises(WorkforceCsvInvalid) as caught:
        parse_files(bad_positions, bad_occupancies)
    assert [(e.file, e.line, e.column) for e in caught.value.errors] == [
        ("positions.csv", 4, "municipality"),
        ("occupancies.csv", 4, "start"),  # b starts while z (ongoing) holds: in line order
        ("occupancies.csv", 6, "start"),  # z starts while a holds
    ]


def test_an_empty_file_needs_a_header() -> None:
    assert errors_of("") == ["positions.csv:1: the file is empty; expected a header row"]


def test_load_files_reads_paths_and_names_errors_by_file_name(tmp_path: Path) -> None:
    (tmp_path / "stillinger.csv").write_text("\ufeff" + POSITIONS, encoding="utf-8")
    (tmp_path / "occupancies.csv").write_text(OCCUPANCIES, encoding="utf-8")
    positions, occupancies = load_files(tmp_path / "stillinger.csv", tmp_path / "occupancies.csv")
    assert (len(positions), len(occupancies)) == (2, 4)
    (tmp_path / "bad.csv").write_bytes(
        POSITIONS.encode("utf-8") + b"P3,4601,\xe6,gp,,,2020-01-01,\n"
    )
    with pytest.raises(WorkforceCsvInvalid) as caught:
        load_files(tmp_path / "bad.csv", tmp_path / "occupancies.csv")
    assert caught.value.errors == (CsvError("bad.csv", 4, None, "the file is not UTF-8 text"),)
    with pytest.raises(OSError):
        load_files(tmp_path / "missing.csv", tmp_path / "occupancies.csv")


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_the_parser_never_crashes_on_arbitrary_text(positions: str, occupancies: str) -> None:
    try:
        parse_files(positions, occupancies)
    except WorkforceCsvInvalid as exc:
        assert exc.errors and all(e.line >= 1 for e in exc.errors)


_cell = st.sampled_from(
    ["", "P1", "P2", "4601", "46", "gp", "alis", "holder", "locum", "2020-01-01", "2019-12-31",
     "2020-02-30", "resigned", "general_practice", "x", '"', "a,b", "\n"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_cell, min_size=0, max_size=9), max_size=8), st.booleans())
def test_the_parser_never_crashes_on_rows_under_a_valid_header(
    rows: list[list[str]], occupancy_file: bool
) -> None:
    header = "position_id,person_id,role,start,end,end_reason,next_work"
    body = "\n".join(",".join(r) for r in rows)
    try:
        if occupancy_file:
            parse_files(POSITIONS, header + "\n" + body)
        else:
            parse_files(
                "position_id,municipality,office,kind,form,programme,created,closed\n" + body,
                "position_id,person_id,role,start\n",
            )
    except WorkforceCsvInvalid as exc:
        assert exc.errors
