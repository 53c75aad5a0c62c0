"""Property tests of every parser of files from outside (issue 7): whatever the input, the parser
returns its result or raises its documented error class, and every error says where the problem
is (a JSON path, or a line and a column). No database.

The parsers: the progress file (``rules/progress_file.py``), the workforce CSV files
(``rules/workforce_csv.py``), the grant input file (``rules/grant_file.py``), the goal catalogue
(``training/catalogue_import.py``, CSV and XLSX) and SSB's KLASS 128 centrality file
(``core/reference.py``). Deeper per-parser properties live beside each parser's own tests.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veiviser.core.reference import CentralityFileError, parse_centrality_file
from veiviser.rules.grant_file import GrantFileInvalid, loads_grant_file
from veiviser.rules.progress_file import ProgressFileInvalid, load_path, loads
from veiviser.rules.training import TrainingRecord
from veiviser.rules.workforce_csv import (
    OCCUPANCIES_FILE,
    OCCUPANCY_COLUMNS,
    POSITION_COLUMNS,
    POSITIONS_FILE,
    WorkforceCsvInvalid,
    parse_files,
)
from veiviser.training.catalogue_import import parse_catalogue

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A JSON path as the JSON parsers write it: $ then .key, ["odd key"] or [index] steps.
JSON_PATH = re.compile(r'^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*$')
LINE_AND_COLUMN = re.compile(r"line \d+,? column \d+")

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)


@st.composite
def damaged_json_text(draw: st.DrawFn, document: Any) -> str:
    """A JSON document's text with a few characters cut out or put in (often invalid JSON)."""
    text = json.dumps(draw(document), indent=draw(st.sampled_from([None, 2])))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + text[at + draw(st.integers(1, 3)) :]
        else:
            text = text[:at] + draw(st.sampled_from([*'{}[]",:\n\\0e-', "NaN"])) + text[at:]
    return text


# --------------------------------------------------------------------------- progress file

PROGRESS_EXAMPLE = {
    "format": "veiviser.progress/1",
    "exported_at": "2026-01-02T10:00:00Z",
    "doctor": {"name": "Kari", "hpr": "1234567", "scheme": "alis", "converted": None},
    "training_start": "2022-09-01",
    "service": [],
    "leave": [],
    "supervision": [],
    "group": [],
    "courses": [],
    "plan": {"catalogue": "ALIS-2019", "goals": []},
}


def _progress_errors_name_a_path(exc: ProgressFileInvalid) -> None:
    assert exc.errors, "an invalid file must name at least one error"
    for error in exc.errors:
        assert JSON_PATH.match(error.path), error
        assert error.message
        if "invalid JSON at" in error.message:
            assert LINE_AND_COLUMN.search(error.message), error


@SETTINGS
@given(st.text(max_size=200) | damaged_json_text(json_values | st.just(PROGRESS_EXAMPLE)))
def test_the_progress_file_text_parses_or_names_the_json_path(text: str) -> None:
    try:
        assert isinstance(loads(text), TrainingRecord)
    except ProgressFileInvalid as exc:
        _progress_errors_name_a_path(exc)


@settings(SETTINGS, max_examples=30)
@given(st.binary(max_size=200) | damaged_json_text(st.just(PROGRESS_EXAMPLE)).map(str.encode))
def test_a_progress_file_of_any_bytes_parses_or_names_the_json_path(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "alis.json"
        path.write_bytes(data)
        try:
            load_path(path)
        except ProgressFileInvalid as exc:
            _progress_errors_name_a_path(exc)


def test_deeply_nested_progress_json_is_an_error_not_a_crash() -> None:
    try:
        loads("[" * 100_000 + "]" * 100_000)
    except ProgressFileInvalid as exc:
        _progress_errors_name_a_path(exc)


# --------------------------------------------------------------------------- workforce CSV

POSITIONS_HEADER = ",".join(POSITION_COLUMNS) + "\n"
OCCUPANCIES_HEADER = ",".join(OCCUPANCY_COLUMNS) + "\n"
csv_cell = st.sampled_from(
    ["", "4642", "P-1", "gp", "alis", "holder", "locum", "2020-01-01", "2019-13-40", "x", "-1"]
) | st.text(max_size=6)
csv_rows = st.lists(
    st.lists(csv_cell, max_size=11).map(lambda cells: ",".join(json.dumps(c) for c in cells)),
    max_size=6,
).map(lambda rows: "\n".join(rows))


def _workforce_errors_name_file_and_line(exc: WorkforceCsvInvalid, lines: dict[str, int]) -> None:
    assert exc.errors
    for error in exc.errors:
        assert error.file in lines, error
        assert 1 <= error.line <= lines[error.file] + 1, (error, lines)
        assert error.message
        assert error.column is None or error.column.strip(), error


@SETTINGS
@given(
    st.text(max_size=120) | csv_rows.map(POSITIONS_HEADER.__add__),
    st.text(max_size=120) | csv_rows.map(OCCUPANCIES_HEADER.__add__),
)
def test_the_workforce_files_parse_or_name_file_line_and_column(
    positions: str, occupancies: str
) -> None:
    lines = {
        POSITIONS_FILE: max(1, len(positions.splitlines())),
        OCCUPANCIES_FILE: max(1, len(occupancies.splitlines())),
    }
    try:
        parse_files(positions, occupancies)
    except WorkforceCsvInvalid as exc:
        _workforce_errors_name_file_and_line(exc, lines)


# --------------------------------------------------------------------------- grant file

GRANT_EXAMPLE = {
    "rates": [
        {
            "valid_from": "2024-01-01",
            "valid_to": "2025-12-31",
            "doctor_type": "gp",
            "annual_rate": 300000,
            "centrality6_supplement": 100000,
        }
    ],
    "municipality": {"number": "4643", "centrality": 6},
    "period": {"from": "2024-09-01", "to": "2025-05-31"},
    "agreements": [
        {
            "doctor": "d-81f3",
            "doctor_type": "gp",
            "signed": "2024-10-15",
            "ends": None,
            "position_share": 1.0,
            "scheme": "new",
            "locum_agency": False,
        }
    ],
}


@SETTINGS
@given(
    st.text(max_size=200)
    | st.binary(max_size=100)
    | damaged_json_text(json_values | st.just(GRANT_EXAMPLE))
)
def test_the_grant_file_parses_or_names_the_json_path(text: str | bytes) -> None:
    try:
        loads_grant_file(text)
    except GrantFileInvalid as exc:
        assert exc.errors
        for error in exc.errors:
            assert error.path.startswith("$"), error
            assert error.message
            if "invalid JSON at" in error.message:
                assert LINE_AND_COLUMN.search(error.message), error


# --------------------------------------------------------------------------- goal catalogue

GUARD = "Filen kunne ikke leses ("  # the parser's last-resort message: a bug if ever shown
cell_values = (
    st.none()
    | st.text(max_size=15)
    | st.sampled_from(["ALM-001", "alm – 002", "FKM-001", "Kode", "Læringsmål", "=1+1"])
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.booleans()
    | st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))
)
catalogue_rows = st.lists(st.lists(cell_values, max_size=6), max_size=8)
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx(rows: list[list[Any]], header: bool) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if header:
        sheet.append(["Kode", "Tema", "Læringsmål", "Beskrivelse"])
    for row in rows:
        sheet.append([ILLEGAL_XML.sub("", v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _catalogue_errors_name_row_and_column(parsed: Any) -> None:
    for error in parsed.errors:
        assert GUARD not in error.message, error
        assert error.row is None or error.row >= 1, error
        assert error.column is None or re.fullmatch(r"[A-Z]{1,3}", error.column), error
        if error.column is not None:
            assert error.row is not None, error
    assert not (parsed.rows and parsed.errors)


@settings(SETTINGS, max_examples=40)
@given(catalogue_rows, st.booleans())
def test_any_workbook_gives_goals_or_errors_with_row_and_column(
    rows: list[list[Any]], header: bool
) -> None:
    _catalogue_errors_name_row_and_column(parse_catalogue(_xlsx(rows, header), "mål.xlsx"))


@SETTINGS
@given(catalogue_rows, st.sampled_from([";", ",", "\t"]))
def test_any_csv_catalogue_gives_goals_or_errors_with_row_and_column(
    rows: list[list[Any]], delimiter: str
) -> None:
    text = "Kode;Læringsmål\n".replace(";", delimiter) + "\n".join(
        delimiter.join("" if v is None else str(v) for v in row) for row in rows
    )
    _catalogue_errors_name_row_and_column(parse_catalogue(text.encode(), "mål.csv"))


# --------------------------------------------------------------------------- KLASS 128

FILE_LEVEL = {"filen er tom", "filen har ingen rader", "filen er verken UTF-8 eller Windows-1252"}
klass_cell = st.sampled_from(["4642", "0301", "3", "03", "7", "", "x", "46421", "٣٣٣٣"]) | st.text(
    max_size=5
)


def _centrality_errors_name_the_line(exc: CentralityFileError, lines: int) -> None:
    assert exc.errors
    for error in exc.errors:
        if error in FILE_LEVEL:
            continue
        found = re.match(r"linje (\d+)", error)
        assert found, error
        assert 1 <= int(found.group(1)) <= lines + 1, (error, lines)


@SETTINGS
@given(
    st.binary(max_size=200)
    | st.lists(st.lists(klass_cell, max_size=4), max_size=6).map(
        lambda rows: (
            "sourceCode;sourceName;targetCode;targetName\n" + "\n".join(";".join(r) for r in rows)
        ).encode()
    )
)
def test_the_centrality_file_parses_or_names_the_line(data: bytes) -> None:
    lines = max(1, len(data.splitlines()))
    try:
        rows = parse_centrality_file(data)
    except CentralityFileError as exc:
        _centrality_errors_name_the_line(exc, lines)
    else:
        for row in rows:
            assert re.fullmatch(r"[0-9]{4}", row.number), row
            assert 1 <= row.centrality <= 6


def test_a_centrality_file_with_a_nul_byte_is_an_error_not_a_crash() -> None:
    try:
        parse_centrality_file(b"kommunenummer;sentralitet\n4642;\x006\n")
    except CentralityFileError as exc:
        _centrality_errors_name_the_line(exc, 2)


def test_centrality_line_numbers_count_lines_not_records() -> None:
    data = 'kommunenummer;kommune;sentralitet\n4642;"Lær\ndal";6\n4601;Bergen;9\n'.encode()
    try:
        parse_centrality_file(data)
    except CentralityFileError as exc:
        assert exc.errors == ["linje 4, kolonne sentralitet: sentralitet må være 1–6, ikke '9'"]
    else:
        raise AssertionError("class 9 must be refused")


def test_a_nul_character_in_a_grant_file_text_names_the_path() -> None:
    from veiviser.rules.grant_file import _Parser

    reader = _Parser()
    assert reader.text("Lær\x00dal", "$.municipality.name") is None
    assert reader.errors and reader.errors[0].path == "$.municipality.name"
