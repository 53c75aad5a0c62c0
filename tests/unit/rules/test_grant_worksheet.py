"""The søknadsgrunnlag XLSX: open the bytes with openpyxl and check the cells."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from veiviser.rules.grant_worksheet import (
    CLAIM_HEADERS,
    FIRST_DATA_ROW,
    HEADER_ROW,
    MONTH_HEADERS,
    RATE_HEADERS,
    build_worksheet,
    format_kroner,
)
from veiviser.rules.grants import (
    Claim,
    ClaimInput,
    DoctorType,
    GrantAgreement,
    Rate,
    Scheme,
    compute_claim,
)

GP = DoctorType.GP
RATE_2024 = Rate(date(2024, 1, 1), date(2024, 12, 31), GP, Decimal(300_000), Decimal(100_000))
RATE_2025 = Rate(date(2025, 1, 1), None, GP, Decimal(312_000), Decimal(108_000))
INTRO = Rate(date(2024, 1, 1), None, DoctorType.INTRODUCTION, Decimal(200_000), Decimal(50_000))


def make_claim(centrality: int | None = 6) -> Claim:
    agreements = [
        # Class 6, Nov 2024 – May 2025: 2 × 400 000/12 + 5 × 420 000/12
        # = 66 666.67 + 175 000 = 241 666.67 → 241 667.
        GrantAgreement("d-1", GP, date(2024, 10, 15), None, Decimal("1"), Scheme.NEW, False),
        # Introduction, share 0.5, Sep–Dec 2024: 4 × 250 000 × 0.5 / 12 = 41 666.67 → 41 667.
        GrantAgreement(
            "d-2", DoctorType.INTRODUCTION, date(2024, 1, 1), date(2024, 12, 31),
            Decimal("0.5"), Scheme.NEW, False,
        ),
        GrantAgreement("d-3", GP, date(2024, 1, 1), None, Decimal("1"), Scheme.OLD, False),
    ]  # fmt: skip
    inp = ClaimInput(
        (RATE_2024, RATE_2025, INTRO), "4643", centrality, date(2024, 9, 1), date(2025, 5, 31),
        agreements,
    )  # fmt: skip
    return compute_claim(inp)


@pytest.fixture(scope="module")
def workbook() -> Any:
    claim = make_claim()
    assert claim.total == 241_667 + 41_667
    return load_workbook(BytesIO(build_worksheet(claim, "Bardu")))


def test_sheets(workbook: Any) -> None:
    assert workbook.sheetnames == ["Søknadsgrunnlag", "Satser", "Måneder"]


def test_claim_sheet_header_and_title(workbook: Any) -> None:
    sheet = workbook["Søknadsgrunnlag"]
    assert sheet["A1"].value == "Søknadsgrunnlag – Nasjonal ALIS og veiledning"
    assert sheet["B2"].value == "Bardu (4643)"
    assert sheet["D2"].value == datetime(2024, 9, 1)
    assert sheet["D2"].number_format == "dd.mm.yyyy"
    assert sheet["F2"].value == datetime(2025, 5, 31)
    assert sheet["H2"].value == 6
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    assert tuple(headers) == CLAIM_HEADERS
    assert headers[:4] == ["Lege", "Legetype", "Signert", "Slutt"]
    assert sheet.freeze_panes == f"A{FIRST_DATA_ROW}"
    assert sheet.cell(row=HEADER_ROW, column=1).font.bold


def test_claim_sheet_rows(workbook: Any) -> None:
    sheet = workbook["Søknadsgrunnlag"]
    row = [cell.value for cell in sheet[FIRST_DATA_ROW]]
    assert row[:2] == ["d-1", "Fastlege/fastlegevikar"]
    assert row[2] == datetime(2024, 10, 15)
    assert row[3] is None
    assert row[4:6] == [1.0, 7]
    assert row[6] == (
        "300 000 kr/år + 100 000 kr sentralitetstillegg (11.2024–12.2024); "
        "312 000 kr/år + 108 000 kr sentralitetstillegg (01.2025–05.2025)"
    )
    assert row[7:] == [241_667, "Ja", None]
    assert sheet.cell(row=FIRST_DATA_ROW, column=3).number_format == "dd.mm.yyyy"
    assert sheet.cell(row=FIRST_DATA_ROW, column=8).number_format == '#,##0 "kr"'
    assert sheet.cell(row=FIRST_DATA_ROW, column=5).number_format.endswith("%")

    intro = [cell.value for cell in sheet[FIRST_DATA_ROW + 1]]
    assert intro[1] == "Introduksjonslege"
    assert intro[3] == datetime(2024, 12, 31)
    assert intro[4:8] == [
        0.5,
        4,
        "200 000 kr/år + 50 000 kr sentralitetstillegg (09.2024–12.2024)",
        41_667,
    ]

    old = [cell.value for cell in sheet[FIRST_DATA_ROW + 2]]
    assert old[5:] == [
        0,
        None,
        0,
        "Nei",
        "Legen følger gammel ordning og gir ikke rett til tilskudd.",
    ]


def test_total_row_has_formula_and_control_value(workbook: Any) -> None:
    sheet = workbook["Søknadsgrunnlag"]
    total_row = FIRST_DATA_ROW + 3
    assert sheet.cell(row=total_row, column=1).value == "Sum"
    assert sheet.cell(row=total_row, column=8).value == f"=SUM(H{FIRST_DATA_ROW}:H{total_row - 1})"
    assert sheet.cell(row=total_row, column=6).value == f"=SUM(F{FIRST_DATA_ROW}:F{total_row - 1})"
    control = total_row + 1
    assert sheet.cell(row=control, column=8).value == 241_667 + 41_667
    assert sheet.cell(row=control, column=9).value == f'=IF(H{total_row}=H{control},"OK","AVVIK")'


def test_rates_sheet(workbook: Any) -> None:
    sheet = workbook["Satser"]
    assert tuple(cell.value for cell in sheet[1]) == RATE_HEADERS
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    gp, intro = "Fastlege/fastlegevikar", "Introduksjonslege"
    assert rows == [
        [datetime(2024, 1, 1), datetime(2024, 12, 31), gp, "gp", 300_000, 100_000, "Ja"],
        [datetime(2025, 1, 1), "løpende", gp, "gp", 312_000, 108_000, "Ja"],
        [datetime(2024, 1, 1), "løpende", intro, "introduction", 200_000, 50_000, "Ja"],
    ]
    assert sheet["A2"].number_format == "dd.mm.yyyy"
    assert sheet["E2"].number_format == '#,##0 "kr"'
    assert sheet.freeze_panes == "A2"


def test_months_sheet(workbook: Any) -> None:
    sheet = workbook["Måneder"]
    assert tuple(cell.value for cell in sheet[1]) == MONTH_HEADERS
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    # 7 months for d-1, 4 for d-2, none for the old-scheme d-3.
    assert len(rows) == 11
    assert rows[0] == ["d-1", "Fastlege/fastlegevikar", datetime(2024, 11, 1), datetime(2024, 1, 1),
                       300_000, 100_000, 1.0, 33_333.33]  # fmt: skip
    assert rows[2][2:4] == [datetime(2025, 1, 1), datetime(2025, 1, 1)]
    assert rows[2][7] == 35_000
    # 250 000 × 0.5 / 12 = 10 416.67
    assert rows[7][0] == "d-2"
    assert rows[7][7] == 10_416.67
    assert sheet["C2"].number_format == "mm.yyyy"
    assert sheet.freeze_panes == "A2"


def test_column_widths_are_set(workbook: Any) -> None:
    for sheet in workbook.worksheets:
        assert (sheet.column_dimensions["A"].width or 0) >= 8
    assert workbook["Søknadsgrunnlag"].column_dimensions["G"].width > 40


def test_unknown_centrality_and_empty_claim() -> None:
    claim = make_claim(centrality=None)
    sheet = load_workbook(BytesIO(build_worksheet(claim, "X")))["Søknadsgrunnlag"]
    assert sheet["H2"].value == "ukjent"
    assert "ukjent" in sheet["A3"].value
    empty = compute_claim(ClaimInput((), "0301", 1, date(2024, 1, 1), date(2024, 12, 31), ()))
    sheet = load_workbook(BytesIO(build_worksheet(empty, "Oslo")))["Søknadsgrunnlag"]
    assert sheet.cell(row=FIRST_DATA_ROW, column=1).value == "Sum"
    assert sheet.cell(row=FIRST_DATA_ROW, column=8).value == 0


def test_format_kroner() -> None:
    assert format_kroner(Decimal(300000)) == "300 000"
    assert format_kroner(Decimal("1234567.5")) == "1 234 567,50"
    assert format_kroner(Decimal(0)) == "0"
