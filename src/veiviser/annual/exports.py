"""The annual report as an XLSX workbook (openpyxl) and a PDF (Typst, the machinery of
docs/adr/0041: fonts from matplotlib, data as JSON, the shared layout of
``documents/typst/common.typ``; the compiler's root is the ``veiviser`` package)."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import typst
from django.utils import timezone
from django.utils.translation import gettext as _

from veiviser.annual.figures import AnnualFigures
from veiviser.annual.models import AnnualReport
from veiviser.annual.presenters import Cell, Section, format_cell
from veiviser.documents.content import blocks, municipality_data
from veiviser.documents.pdf import BODY_FONT, PDF_STANDARD, DocumentError, font_paths
from veiviser.rules.annual import deadline

TYPST_DIR = Path(__file__).resolve().with_name("typst")
ROOT = TYPST_DIR.parents[1]  # src/veiviser


def title(figures: AnnualFigures) -> str:
    return _("Årsrapport %(year)s") % {"year": figures.year}


def status_text(report: AnnualReport | None) -> str:
    if report is not None and report.submitted and report.submitted_at is not None:
        day = timezone.localtime(report.submitted_at).date()
        return _("Sendt inn %(date)s") % {"date": day.strftime("%d.%m.%Y")}
    return _("Utkast – ikke sendt inn")


# --------------------------------------------------------------------------- XLSX


def _excel_value(cell: Cell) -> Any:
    if cell.hidden or cell.value is None or cell.kind == "text":
        return format_cell(cell) if cell.hidden or cell.value is None else cell.value
    if isinstance(cell.value, Decimal):
        return float(cell.value)
    return cell.value


NUMBER_FORMATS = {"kr": '# ##0 "kr"', "decimal": "0.0", "percent": '0" %"', "days": "0"}


def xlsx(figures: AnnualFigures, report: AnnualReport | None, sections: list[Section]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Årsrapport")[:31]
    bold = Font(bold=True)
    m = figures.municipality
    sheet.append([f"{title(figures)} – {m.name} ({m.number})"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Frist"), deadline(figures.year).strftime("%d.%m.%Y")])
    sheet.append([_("Status"), status_text(report)])
    sheet.append([_("Tall per"), figures.at.strftime("%d.%m.%Y")])

    def put(label: str, cells: list[Cell], *, header: bool = False) -> None:
        sheet.append([label, *(_excel_value(c) for c in cells)])
        row = sheet.max_row
        for i, c in enumerate(cells, start=2):
            target = sheet.cell(row=row, column=i)
            if c.kind in NUMBER_FORMATS and not c.hidden and c.value is not None:
                target.number_format = NUMBER_FORMATS[c.kind]
        if header:
            for i in range(1, len(cells) + 2):
                sheet.cell(row=row, column=i).font = bold

    for section in sections:
        sheet.append([])
        sheet.append([section.title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        if section.note:
            sheet.append([section.note])
        for table in section.tables:
            sheet.append([table.caption])
            sheet.cell(row=sheet.max_row, column=1).font = Font(italic=True)
            put(table.header[0], [Cell(h, "text") for h in table.header[1:]], header=True)
            for label, cells in table.rows:
                put(label, cells)
        for label, cell in section.rows:
            put(label, [cell])
        for label, text in section.texts:
            sheet.append([label, text or "–"])
            sheet.cell(row=sheet.max_row, column=2).alignment = Alignment(wrap_text=True)
    sheet.column_dimensions["A"].width = 58
    for column in "BCDE":
        sheet.column_dimensions[column].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- PDF


def pdf_data(
    figures: AnnualFigures, report: AnnualReport | None, sections: list[Section], today: dt.date
) -> dict[str, Any]:
    return {
        "title": title(figures),
        "subtitle": _("Status, bemanning, turnover, ALIS og økonomi i %(year)s")
        % {"year": figures.year},
        "date": today.strftime("%d.%m.%Y"),
        "municipality": municipality_data(figures.municipality),
        "labels": {
            "date": _("Dato"),
            "page": _("Side"),
            "of": _("av"),
            "generated": _("Laget i Veiviser %(date)s") % {"date": today.strftime("%d.%m.%Y")},
            "none": "–",
        },
        "facts": [
            [_("År"), str(figures.year)],
            [_("Frist"), deadline(figures.year).strftime("%d.%m.%Y")],
            [_("Status"), status_text(report)],
            [_("Tall per"), figures.at.strftime("%d.%m.%Y")],
        ],
        "sections": [
            {
                "title": s.title,
                "note": s.note,
                "tables": [
                    {
                        "caption": t.caption,
                        "header": t.header,
                        "rows": [[label, *(c.text() for c in cells)] for label, cells in t.rows],
                    }
                    for t in s.tables
                ],
                "rows": [[label, cell.text()] for label, cell in s.rows],
                "texts": [{"label": label, "blocks": blocks(text)} for label, text in s.texts],
            }
            for s in sections
        ],
    }


def pdf(data: dict[str, Any], *, at: dt.datetime | None = None) -> bytes:
    path = TYPST_DIR / "annual_report.typ"
    payload = json.dumps({"font": BODY_FONT, **data}, ensure_ascii=False, default=str)
    try:
        result = typst.compile(
            str(path),
            root=str(ROOT),
            format="pdf",
            font_paths=list(font_paths()),
            ignore_system_fonts=True,
            sys_inputs={"data": payload},
            pdf_standards=PDF_STANDARD,
            timestamp=at.replace(microsecond=0) if at is not None else None,
        )
    except typst.TypstError as exc:  # pragma: no cover - a template bug
        raise DocumentError(str(exc)) from exc
    if not isinstance(result, bytes):  # pragma: no cover
        raise DocumentError("Typst returned no PDF")
    return result
