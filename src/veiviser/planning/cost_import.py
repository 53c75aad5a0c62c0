"""CSV import of cost entries for one municipality: everything or nothing.

Columns (header row, comma or semicolon): ``alis`` (the ALIS's ID from the progress file,
``vv-<id>``, or full name), ``year``, ``category`` (a code such as ``locums`` or the Norwegian
label), ``amount`` (kroner, decimal comma or point, spaces allowed), optional ``education``
(ja/nei, empty for the category's default) and ``note``. Every problem is reported with its
line and column; nothing is saved unless the whole file is valid.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record
from veiviser.core.models import Municipality
from veiviser.planning.models import CostCategoryChoice, CostEntry
from veiviser.planning.services import _require_manager
from veiviser.rules.costs import CATEGORY_LABELS_NB, CostCategory
from veiviser.training.models import Trainee
from veiviser.training.records import doctor_ref

REQUIRED = ("alis", "year", "category", "amount")
OPTIONAL = ("education", "note")
MAX_ROWS = 10_000


@dataclass(frozen=True)
class CostCsvError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("linje %(line)s") % {"line": self.line}
        if self.column:
            where += ", " + _("kolonne «%(column)s»") % {"column": self.column}
        return f"{where}: {self.message}"


class CostCsvInvalid(ValueError):
    def __init__(self, errors: list[CostCsvError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def _categories() -> dict[str, CostCategory]:
    known: dict[str, CostCategory] = {}
    for category in CostCategory:
        known[category.value] = category
        known[CATEGORY_LABELS_NB[category].casefold()] = category
    for value, label in CostCategoryChoice.choices:
        known[str(label).casefold()] = CostCategory(value)
    return known


def _amount(text: str) -> Decimal | None:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("kr", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _trainees(municipality: Municipality) -> dict[str, Trainee | None]:
    """Keys (ID, vv-id, full name; case-insensitive) → ALIS; ``None`` for an ambiguous name."""
    found: dict[str, Trainee | None] = {}
    for trainee in Trainee.objects.filter(municipality=municipality).select_related("person"):
        for key in {doctor_ref(trainee), f"vv-{trainee.pk}", trainee.external_id}:
            if key:
                found[key.casefold()] = trainee
        name = trainee.person.full_name.casefold()
        found[name] = None if name in found else trainee
    return found


def parse(text: str, municipality: Municipality) -> list[CostEntry]:
    """The file's rows as unsaved entries; raises ``CostCsvInvalid`` with every problem."""
    errors: list[CostCsvError] = []
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        raise CostCsvInvalid([CostCsvError(1, "", _("filen er tom"))])
    header = [h.strip().casefold() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CostCsvInvalid(
            [CostCsvError(1, c, _("kolonnen mangler i overskriftsraden")) for c in missing]
        )
    unknown = [h for h in header if h and h not in REQUIRED + OPTIONAL]
    if unknown:
        raise CostCsvInvalid([CostCsvError(1, h, _("ukjent kolonne")) for h in unknown])
    if len(rows) - 1 > MAX_ROWS:
        raise CostCsvInvalid([CostCsvError(1, "", _("mer enn 10 000 rader"))])
    index = {name: header.index(name) for name in REQUIRED + OPTIONAL if name in header}
    trainees = _trainees(municipality)
    categories = _categories()
    entries: list[CostEntry] = []
    for number, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue

        def cell(name: str, values: list[str] = values) -> str:
            i = index.get(name)
            return values[i].strip() if i is not None and i < len(values) else ""

        row_errors: list[CostCsvError] = []
        nul = next((i for i, v in enumerate(values) if "\x00" in v), None)
        if nul is not None:
            column = header[nul] if nul < len(header) else ""
            errors.append(CostCsvError(number, column, _("inneholder et usynlig nulltegn (NUL)")))
            continue
        trainee = trainees.get(cell("alis").casefold()) if cell("alis") else None
        if not cell("alis"):
            row_errors.append(CostCsvError(number, "alis", _("mangler")))
        elif trainee is None:
            message = (
                _("navnet passer på flere ALIS; bruk ID")
                if cell("alis").casefold() in trainees
                else _("ukjent ALIS i %(name)s") % {"name": municipality.name}
            )
            row_errors.append(CostCsvError(number, "alis", message))
        year_text = cell("year")
        year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
        if year is None or not 2000 <= year <= 2100:
            row_errors.append(CostCsvError(number, "year", _("skriv et årstall (2000–2100)")))
        category = categories.get(cell("category").casefold())
        if category is None:
            row_errors.append(
                CostCsvError(
                    number,
                    "category",
                    _("ukjent kategori; bruk %(codes)s")
                    % {"codes": ", ".join(c.value for c in CostCategory)},
                )
            )
        amount = _amount(cell("amount"))
        if amount is None:
            row_errors.append(CostCsvError(number, "amount", _("skriv et beløp i kroner")))
        elif amount < 0:
            row_errors.append(CostCsvError(number, "amount", _("beløpet kan ikke være negativt")))
        elif amount >= Decimal("1e10"):
            row_errors.append(CostCsvError(number, "amount", _("beløpet er for stort")))
        education: bool | None = None
        flag = cell("education").casefold()
        if flag in ("ja", "yes", "true", "1"):
            education = True
        elif flag in ("nei", "no", "false", "0"):
            education = False
        elif flag:
            row_errors.append(
                CostCsvError(number, "education", _("skriv ja, nei eller la stå tom"))
            )
        note = cell("note")
        if len(note) > 200:
            row_errors.append(CostCsvError(number, "note", _("lengre enn 200 tegn")))
        if row_errors:
            errors.extend(row_errors)
            continue
        assert trainee is not None and year is not None and category is not None
        entries.append(
            CostEntry(
                municipality=municipality,
                trainee=trainee,
                year=year,
                category=category.value,
                amount=amount.quantize(Decimal("0.01")),  # type: ignore[union-attr]
                is_education_cost=education,
                note=note,
            )
        )
    if errors:
        raise CostCsvInvalid(errors)
    if not entries:
        raise CostCsvInvalid([CostCsvError(2, "", _("filen har ingen rader"))])
    return entries


@transaction.atomic
def import_costs_csv(*, municipality: Municipality, text: str, by: Any) -> list[CostEntry]:
    """Add the file's cost entries to the municipality (nothing when any row is wrong)."""
    _require_manager(by, municipality.pk)
    entries = parse(text, municipality)
    CostEntry.objects.bulk_create(entries)
    record(
        actor=by,
        action=AuditEvent.Action.IMPORT,
        object_type="planning.CostEntry",
        municipality_id=municipality.pk,
        summary=_("Import av %(n)s kostnader (CSV)") % {"n": len(entries)},
    )
    return entries
