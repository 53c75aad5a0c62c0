"""The catalogue parser: our CSV, Helsedirektoratet-style workbooks, every error with sheet, row
and column, and no crash on any bytes (no database)."""

from __future__ import annotations

import io
import random
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from veiviser.training.catalogue_import import (
    CatalogueError,
    column_letter,
    normalise_code,
    parse_catalogue,
)

OUR_CSV = (
    "code,theme,title,description,recommended_activities\n"
    "ALM-001,Allmennmedisinsk profesjonalitet,Kunne ivareta pasienten,Utdyping,Hospitering\n"
    'ALM-002,,"Kunne kommunisere, også med tolk","To\nlinjer",\n'
    "FKM-001,Felles,Kunne veilede,,\n"
)


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def hdir_workbook(alm_rows: list[list[object]] | None = None) -> bytes:
    """Shaped like Helsedirektoratet's utdanningsplan: a front sheet, a title above the
    header, Norwegian headers, an extra column and the theme only on a theme's first row."""
    header = [
        "Læringsmål-ID",
        "Tema",
        "Læringsmål",
        "Beskrivelse",
        "Anbefalte læringsaktiviteter",
        "Merknad",
    ]
    alm = alm_rows or [
        ["ALM-001", "Allmennmedisinsk profesjonalitet", "Kunne A", "Beskrivelse A", "Kurs", "x"],
        ["ALM-002", None, "Kunne B", None, None, None],
        ["ALM-003", "Allmennmedisinsk metode", "Kunne C", None, "Hospitering", None],
    ]
    return xlsx(
        {
            "Om utdanningsplanen": [["Utdanningsplan for allmennmedisin"], ["Versjon 2019"]],
            "ALM": [["Læringsmål i allmennmedisin"], [], header, *alm],
            "FKM": [["KODE", "tema", "LÆRINGSMÅL"], ["FKM-001", "Felles", "Kunne lede"]],
        }
    )


def test_our_csv_reads_every_column_in_order():
    parsed = parse_catalogue(OUR_CSV.encode(), "katalog.csv")
    assert parsed.errors == []
    assert parsed.format == "csv"
    assert [(r.code, r.kind, r.row) for r in parsed.rows] == [
        ("ALM-001", "alm", 2),
        ("ALM-002", "alm", 3),
        ("FKM-001", "fkm", 5),  # the quoted description above spans two lines
    ]
    first, second, _fkm = parsed.rows
    assert first.theme == "Allmennmedisinsk profesjonalitet"
    assert first.recommended_activities == "Hospitering"
    assert second.title == "Kunne kommunisere, også med tolk"
    assert second.description == "To\nlinjer"
    # an empty theme cell takes the theme above (merged cells in a spreadsheet)
    assert second.theme == "Allmennmedisinsk profesjonalitet"


def test_norwegian_headers_semicolons_windows_encoding_and_extra_columns():
    text = (
        "Nr;Læringsmål-ID;TEMA;Læringsmål;Beskrivelse;Anbefalte læringsaktiviteter;Merknad\n"
        "1;alm–001 ;Kommunikasjon;Kunne lytte;Også pårørende;Video;ingen\n"
    )
    parsed = parse_catalogue(text.encode("cp1252"), "plan.csv")
    assert parsed.errors == []
    (row,) = parsed.rows
    assert (row.code, row.theme, row.title, row.description) == (
        "ALM-001",
        "Kommunikasjon",
        "Kunne lytte",
        "Også pårørende",
    )
    assert row.recommended_activities == "Video"


def test_utf8_bom_and_kode_header():
    data = "\ufeffKode,Læringsmål\nFKM-024,Kunne forske\n".encode()
    parsed = parse_catalogue(data, "f.csv")
    assert parsed.errors == []
    assert [r.code for r in parsed.rows] == ["FKM-024"]


def test_helsedirektoratet_workbook_skips_front_sheet_and_reads_both_goal_sheets():
    parsed = parse_catalogue(hdir_workbook(), "utdanningsplan.xlsx")
    assert parsed.errors == []
    assert parsed.format == "xlsx"
    assert parsed.sheets == ["ALM", "FKM"]
    assert [(r.code, r.sheet, r.row) for r in parsed.rows] == [
        ("ALM-001", "ALM", 4),
        ("ALM-002", "ALM", 5),
        ("ALM-003", "ALM", 6),
        ("FKM-001", "FKM", 2),
    ]
    assert parsed.rows[1].theme == "Allmennmedisinsk profesjonalitet"  # carried down
    assert parsed.rows[2].theme == "Allmennmedisinsk metode"
    assert parsed.rows[0].recommended_activities == "Kurs"
    assert parsed.rows[3].title == "Kunne lede"


def test_xlsx_is_recognised_by_content_whatever_the_name():
    parsed = parse_catalogue(hdir_workbook(), "lastet-ned.bin")
    assert parsed.errors == [] and len(parsed.rows) == 4


def test_heading_rows_become_the_theme_when_there_is_no_theme_column():
    data = xlsx(
        {
            "Mål": [
                ["Kode", "Læringsmål"],
                ["Allmennmedisinsk profesjonalitet"],
                ["ALM-001", "Kunne A"],
                ["Praksisdrift og ledelse"],
                ["ALM-002", "Kunne B"],
            ]
        }
    )
    parsed = parse_catalogue(data, "m.xlsx")
    assert parsed.errors == []
    assert [(r.code, r.theme) for r in parsed.rows] == [
        ("ALM-001", "Allmennmedisinsk profesjonalitet"),
        ("ALM-002", "Praksisdrift og ledelse"),
    ]


def test_every_bad_row_is_reported_with_sheet_row_and_column():
    alm = [
        ["ALM-001", "Tema", "Kunne A", None, None, None],
        ["ALM-1", None, "Kunne B", None, None, None],  # row 5: wrong form
        ["ALM-003", None, None, None, None, "bare merknad"],  # row 6: no text
        [None, None, "Kunne D", None, None, None],  # row 7: no code
        ["ALM-001", None, "Igjen", None, None, None],  # row 8: duplicate
        ["ALM-009", "T" * 121, "Kunne E", None, None, None],  # row 9: theme too long
        ["ALM-010", None, "x" * 501, None, None, None],  # row 10: title too long
        [12, None, "Kunne F", None, None, None],  # row 11: a number is no code
    ]
    parsed = parse_catalogue(hdir_workbook(alm), "plan.xlsx")
    assert parsed.rows == []  # all or nothing
    got = {(e.sheet, e.row, e.column) for e in parsed.errors}
    assert got == {
        ("ALM", 5, "A"),
        ("ALM", 6, "C"),
        ("ALM", 7, "A"),
        ("ALM", 8, "A"),
        ("ALM", 9, "B"),
        ("ALM", 10, "C"),
        ("ALM", 11, "A"),
    }
    by_row = {e.row: e for e in parsed.errors}
    assert "ALM-1" in by_row[5].message and "ALM-NNN" in by_row[5].message
    assert "også i rad 4" in by_row[8].message
    assert str(by_row[5]).startswith("Ark «ALM», rad 5, kolonne A: ")
    assert by_row[5].for_cli("plan.xlsx").startswith("plan.xlsx:5:A: Koden «ALM-1»")
    assert by_row[5].for_cli("plan.xlsx").endswith("(ark «ALM»)")


def test_csv_errors_name_the_line_and_column_letter():
    text = (
        "Merknad;Kode;Læringsmål\n;ALM-001;Kunne A\n;FKM-01;Kunne B\n;ALM-001;Igjen\nhei;ALM-004;\n"
    )
    parsed = parse_catalogue(text.encode(), "k.csv")
    assert [(e.row, e.column) for e in parsed.errors] == [(3, "B"), (4, "B"), (5, "C")]
    assert [e.for_cli("k.csv").split(": ")[0] for e in parsed.errors] == [
        "k.csv:3:B",
        "k.csv:4:B",
        "k.csv:5:C",
    ]
    assert parsed.rows == []


def test_a_duplicate_across_sheets_names_the_other_sheet():
    data = xlsx(
        {
            "A": [["Kode", "Læringsmål"], ["ALM-001", "Kunne A"]],
            "B": [["Kode", "Læringsmål"], ["ALM-001", "Kunne A igjen"]],
        }
    )
    (error,) = parse_catalogue(data, "x.xlsx").errors
    assert (error.sheet, error.row, error.column) == ("B", 2, "A")
    assert "ark «A» rad 2" in error.message


def test_a_header_without_a_text_column_is_an_error_on_that_row():
    parsed = parse_catalogue(b"Kode,Merknad\nALM-001,x\n", "k.csv")
    (error,) = parsed.errors
    assert error.row == 1 and error.column is None
    assert "Læringsmål" in error.message


def test_no_header_row_is_a_file_level_error():
    parsed = parse_catalogue(b"a,b,c\n1,2,3\n", "k.csv")
    (error,) = parsed.errors
    assert error.row is None and error.column is None
    assert error.for_cli("k.csv").startswith("k.csv: Fant ingen overskriftsrad")


def test_old_excel_and_empty_files_are_refused_clearly():
    old = parse_catalogue(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xls")
    assert ".xls" in old.errors[0].message
    assert parse_catalogue(b"", "a.csv").errors[0].message == "Filen er tom."
    assert parse_catalogue(b"  \n", "a.xlsx").errors[0].message == "Filen er tom."


def test_a_damaged_workbook_gives_an_error():
    good = hdir_workbook()
    for data in (good[: len(good) // 2], b"PK\x03\x04" + b"\x00" * 64, _zip_without_workbook()):
        parsed = parse_catalogue(data, "plan.xlsx")
        assert parsed.rows == []
        assert parsed.errors and all(isinstance(e, CatalogueError) for e in parsed.errors)


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


def test_garbage_bytes_never_crash():
    rng = random.Random(2019)
    samples = [rng.randbytes(n) for n in (1, 7, 100, 5000)]
    samples += [b"\x00" * 50, b"\xff\xfe" + "kode,læringsmål".encode("utf-16-le"), b'"' * 300]
    samples += [b"PK\x03\x04" + rng.randbytes(400), b"Kode,L\xe6ringsm\xe5l\nALM-001,\x81\x8d"]
    for data in samples:
        for name in ("a.csv", "a.xlsx", "a", "a.xls"):
            parsed = parse_catalogue(data, name)
            assert parsed.errors, (data[:20], name)
            assert parsed.rows == []


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2000), name=st.sampled_from(["f.csv", "f.xlsx", "f"]))
def test_any_bytes_give_rows_or_errors_never_an_exception(data, name):
    parsed = parse_catalogue(data, name)
    assert bool(parsed.rows) != bool(parsed.errors) or not parsed.rows


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=500))
def test_any_text_after_a_valid_header_never_crashes(text):
    parsed = parse_catalogue(("Kode;Læringsmål\n" + text).encode(), "f.csv")
    for error in parsed.errors:
        assert error.row is None or error.row >= 1


def test_helpers():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
    assert normalise_code(" alm – 001 ") == "ALM-001"
    assert normalise_code("FKM‑012") == "FKM-012"
