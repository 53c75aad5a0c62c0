"""The claim's XLSX worksheet (søknadsgrunnlag) that a municipality copies into the grant portal.

Three sheets, Norwegian headers, real Excel dates (``dd.mm.yyyy``), kroner number formats,
frozen header rows:

- ``Søknadsgrunnlag``: one row per agreement, a total row with a ``SUM`` formula and a control
  row with the total Veiviser computed and an ``OK``/``AVVIK`` check between the two;
- ``Satser``: the rate table the claim used (the claim is archived with it);
- ``Måneder``: agreement × whole month, with the rate row and the unrounded month amount.

The layout is described in ADR 0025. Pure: no Django; returns the file as bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped, unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped, unused-ignore]

from veiviser.rules.grants import Claim, ClaimLine, MonthAmount, Rate, doctor_type_text

__all__ = [
    "CLAIM_HEADERS",
    "FIRST_DATA_ROW",
    "HEADER_ROW",
    "MONTH_HEADERS",
    "RATE_HEADERS",
    "build_worksheet",
    "format_kroner",
]

SHEET_CLAIM = "Søknadsgrunnlag"
SHEET_RATES = "Satser"
SHEET_MONTHS = "Måneder"

HEADER_ROW = 4
FIRST_DATA_ROW = HEADER_ROW + 1

CLAIM_HEADERS = (
    "Lege",
    "Legetype",
    "Signert",
    "Slutt",
    "Stillingsandel",
    "Hele måneder",
    "Sats brukt",
    "Beløp",
    "Tilskuddsberettiget",
    "Begrunnelse",
)
RATE_HEADERS = (
    "Gyldig fra",
    "Gyldig til",
    "Legetype",
    "Kode",
    "Årssats",
    "Sentralitetstillegg (klasse 6)",
    "Brukt i kravet",
)
MONTH_HEADERS = (
    "Lege",
    "Legetype",
    "Måned",
    "Sats gyldig fra",
    "Årssats",
    "Sentralitetstillegg",
    "Stillingsandel",
    "Månedsbeløp",
)

DATE_FORMAT = "dd.mm.yyyy"
MONTH_FORMAT = "mm.yyyy"
NOK_FORMAT = '#,##0 "kr"'
NOK_DECIMAL_FORMAT = '#,##0.00 "kr"'
SHARE_FORMAT = "0.0#%"

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_CELL = date | int | float | str | None


def format_kroner(amount: Decimal) -> str:
    """``300 000`` / ``300 000,50``: a kroner amount the Norwegian way (space, decimal comma)."""
    if amount == amount.to_integral_value():
        return f"{int(amount):,}".replace(",", " ")
    whole, _, fraction = f"{amount.quantize(Decimal('0.01')):,}".partition(".")
    return f"{whole.replace(',', ' ')},{fraction}"


def _month_text(month: date) -> str:
    return f"{month.month:02d}.{month.year:04d}"


def _rates_used_text(line: ClaimLine) -> str:
    """``400 000 kr/år (11.2024–12.2024); 420 000 kr/år (01.2025–05.2025)``."""
    groups: list[list[MonthAmount]] = []
    for month in line.months:
        if groups and groups[-1][-1].rate == month.rate:
            groups[-1].append(month)
        else:
            groups.append([month])
    parts = []
    for group in groups:
        rate = group[0].rate
        text = f"{format_kroner(rate.annual_rate)} kr/år"
        if group[0].supplement_applied:
            text += f" + {format_kroner(rate.centrality6_supplement)} kr sentralitetstillegg"
        span = _month_text(group[0].month)
        if len(group) > 1:
            span += f"–{_month_text(group[-1].month)}"
        parts.append(f"{text} ({span})")
    return "; ".join(parts)


def _header(sheet: Worksheet, row: int, headers: Sequence[str]) -> None:
    for column, title in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _put(sheet: Worksheet, row: int, column: int, value: _CELL, fmt: str | None = None) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if fmt is not None:
        cell.number_format = fmt


def _widths(sheet: Worksheet, minimum: int = 8, maximum: int = 60) -> None:
    """Column widths from the longest displayed value (dates count as 10 characters)."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=2 if sheet.title != SHEET_CLAIM else HEADER_ROW):
        for cell in row:
            if cell.value is None:
                continue
            length = 10 if isinstance(cell.value, date) else len(str(cell.value))
            if isinstance(cell.value, int | float):
                length += 4
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, length in widths.items():
        width = min(max(length + 2, minimum), maximum)
        sheet.column_dimensions[get_column_letter(column)].width = width


def _claim_sheet(sheet: Worksheet, claim: Claim, municipality_name: str) -> None:
    sheet.title = SHEET_CLAIM
    sheet.cell(row=1, column=1, value="Søknadsgrunnlag – Nasjonal ALIS og veiledning").font = Font(
        bold=True, size=14
    )
    _put(sheet, 2, 1, "Kommune")
    _put(sheet, 2, 2, f"{municipality_name} ({claim.municipality_number})")
    _put(sheet, 2, 3, "Periode fra")
    _put(sheet, 2, 4, claim.period_from, DATE_FORMAT)
    _put(sheet, 2, 5, "Periode til")
    _put(sheet, 2, 6, claim.period_to, DATE_FORMAT)
    _put(sheet, 2, 7, "Sentralitet")
    _put(sheet, 2, 8, claim.centrality if claim.centrality is not None else "ukjent")
    if claim.centrality is None:
        _put(sheet, 3, 1, "Sentralitetsklasse ukjent: tillegg for klasse 6 er ikke beregnet.")
    _header(sheet, HEADER_ROW, CLAIM_HEADERS)
    row = FIRST_DATA_ROW
    for line in claim.lines:
        agreement = line.agreement
        _put(sheet, row, 1, agreement.doctor)
        _put(sheet, row, 2, doctor_type_text(agreement.doctor_type))
        _put(sheet, row, 3, agreement.signed, DATE_FORMAT)
        _put(sheet, row, 4, agreement.ends, DATE_FORMAT)
        _put(sheet, row, 5, float(agreement.position_share), SHARE_FORMAT)
        _put(sheet, row, 6, line.whole_months, "0")
        _put(sheet, row, 7, _rates_used_text(line) or None)
        _put(sheet, row, 8, line.amount, NOK_FORMAT)
        _put(sheet, row, 9, "Ja" if line.eligible else "Nei")
        _put(sheet, row, 10, line.reason_text or None)
        row += 1
    last = row - 1
    total_row, control_row = row, row + 1
    _put(sheet, total_row, 1, "Sum")
    has_lines = last >= FIRST_DATA_ROW
    months_formula = f"=SUM(F{FIRST_DATA_ROW}:F{last})" if has_lines else 0
    _put(sheet, total_row, 6, months_formula, "0")
    _put(sheet, total_row, 8, f"=SUM(H{FIRST_DATA_ROW}:H{last})" if has_lines else 0, NOK_FORMAT)
    _put(sheet, control_row, 1, "Beregnet av Veiviser (kontroll)")
    _put(sheet, control_row, 8, claim.total, NOK_FORMAT)
    _put(sheet, control_row, 9, f'=IF(H{total_row}=H{control_row},"OK","AVVIK")')
    for column in (1, 6, 8, 9):
        sheet.cell(row=total_row, column=column).font = _BOLD
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    _widths(sheet)
    sheet.column_dimensions["A"].width = max(sheet.column_dimensions["A"].width or 0, 16)


def _rates_sheet(sheet: Worksheet, claim: Claim) -> None:
    used = {month.rate for line in claim.lines for month in line.months}
    _header(sheet, 1, RATE_HEADERS)
    rate: Rate
    for row, rate in enumerate(claim.rates, start=2):
        _put(sheet, row, 1, rate.valid_from, DATE_FORMAT)
        _put(sheet, row, 2, rate.valid_to if rate.valid_to is not None else "løpende", DATE_FORMAT)
        _put(sheet, row, 3, doctor_type_text(rate.doctor_type))
        _put(sheet, row, 4, rate.doctor_type.value)
        _put(sheet, row, 5, float(rate.annual_rate), NOK_FORMAT)
        _put(sheet, row, 6, float(rate.centrality6_supplement), NOK_FORMAT)
        _put(sheet, row, 7, "Ja" if rate in used else "Nei")
    sheet.freeze_panes = "A2"
    _widths(sheet)


def _months_sheet(sheet: Worksheet, claim: Claim) -> None:
    _header(sheet, 1, MONTH_HEADERS)
    row = 2
    for line in claim.lines:
        for month in line.months:
            supplement = month.rate.centrality6_supplement if month.supplement_applied else 0
            _put(sheet, row, 1, line.doctor)
            _put(sheet, row, 2, doctor_type_text(line.agreement.doctor_type))
            _put(sheet, row, 3, month.month, MONTH_FORMAT)
            _put(sheet, row, 4, month.rate.valid_from, DATE_FORMAT)
            _put(sheet, row, 5, float(month.rate.annual_rate), NOK_FORMAT)
            _put(sheet, row, 6, float(supplement), NOK_FORMAT)
            _put(sheet, row, 7, float(line.position_share), SHARE_FORMAT)
            _put(sheet, row, 8, float(month.amount.quantize(Decimal("0.01"))), NOK_DECIMAL_FORMAT)
            row += 1
    sheet.freeze_panes = "A2"
    _widths(sheet)


def build_worksheet(claim: Claim, municipality_name: str) -> bytes:
    """The søknadsgrunnlag for ``claim`` as XLSX bytes.

    The period and the rate table come from the claim itself (``claim.period_from/to``,
    ``claim.rates``), so the worksheet always shows the table the amounts were computed with.
    """
    workbook = Workbook()
    workbook.properties.creator = "Veiviser"
    workbook.properties.title = f"Søknadsgrunnlag {municipality_name}"
    first = workbook.active
    assert isinstance(first, Worksheet)
    _claim_sheet(first, claim, municipality_name)
    _rates_sheet(workbook.create_sheet(SHEET_RATES), claim)
    _months_sheet(workbook.create_sheet(SHEET_MONTHS), claim)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
