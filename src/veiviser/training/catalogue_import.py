"""Import of a goal catalogue from a spreadsheet (XLSX with openpyxl, or CSV).

The file has one row per goal with the columns code, theme, title, description and recommended
activities. Header names are matched case-insensitively and without regard to spaces, hyphens
and underscores, so both our own export (``code``, ``theme``, ``title``, …) and
Helsedirektoratet's "utdanningsplan" workbooks (``Læringsmål-ID``/``Kode``, ``Tema``,
``Læringsmål``, ``Beskrivelse``, ``Anbefalte læringsaktiviteter``) are read; other columns are
ignored. In a workbook every sheet with such a header row is read; sheets without one (front
pages, notes) are skipped. An empty theme cell takes the theme of the row above (merged cells),
and a row with text only in its first cell is a heading: it is skipped, and becomes the theme of
the rows below when the file has no theme column.

Parsing never raises: every problem is collected with sheet, row and column (a column letter as
the spreadsheet shows it), and ``import_catalogue`` imports all or nothing
(docs/adr/0033-goal-catalogues.md).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from veiviser.accounts.scope import scope_for
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record
from veiviser.training.models import Catalogue, CatalogueGoal, PlanGoal, TrainingPlan

__all__ = [
    "CatalogueError",
    "CatalogueFileError",
    "GoalRow",
    "ImportPlan",
    "ParsedCatalogue",
    "import_catalogue",
    "parse_catalogue",
    "plan_import",
]

FIELDS = ("code", "theme", "title", "description", "recommended_activities")
MAX_GOALS = 1000
MAX_ROWS = 5000  # rows read per sheet
HEADER_SEARCH_ROWS = 30
MAX_LENGTH = {"theme": 120, "title": 500, "description": 20000, "recommended_activities": 20000}
CODE_RE = re.compile(r"^(ALM|FKM)-\d{3}$")
_CODE_ATTEMPT_RE = re.compile(r"^(ALM|FKM)\b", re.IGNORECASE)
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")


def _key(text: str) -> str:
    """A header reduced to lower-case letters and digits: "Læringsmål-ID" → "læringsmålid"."""
    text = unicodedata.normalize("NFC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


# Header names per field (compared with _key). The first columns matching a field wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "code": (
        "code",
        "kode",
        "læringsmålid",
        "læringsmålsid",
        "læringsmålkode",
        "læringsmålskode",
        "målkode",
        "målid",
        "lmid",
        "id",
    ),
    "theme": ("theme", "tema", "temaområde", "område", "kompetanseområde", "hovedtema"),
    "title": (
        "title",
        "tittel",
        "læringsmål",
        "læringsmålet",
        "læringsmålstekst",
        "læringsmåltekst",
        "mål",
        "måltekst",
        "kompetansemål",
    ),
    "description": (
        "description",
        "beskrivelse",
        "utdyping",
        "utdypendebeskrivelse",
        "beskrivelseavlæringsmålet",
        "utfyllendetekst",
    ),
    "recommended_activities": (
        "recommendedactivities",
        "activities",
        "anbefaltelæringsaktiviteter",
        "anbefaltelæringsaktivitet",
        "læringsaktiviteter",
        "anbefalteaktiviteter",
        "anbefalinger",
        "læringsaktivitet",
    ),
}
_FIELD_OF_KEY = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


@dataclass(frozen=True)
class CatalogueError:
    """One problem in the file. ``row`` is the spreadsheet's row number (1-based) and
    ``column`` its letter; both are None for a problem with the whole file."""

    message: str
    row: int | None = None
    column: str | None = None
    sheet: str = ""

    def where(self) -> str:
        """The place in words, for the web page: "Ark «Mål», rad 5, kolonne B"."""
        parts = []
        if self.sheet:
            parts.append(_("Ark «%(sheet)s»") % {"sheet": self.sheet})
        if self.row is not None:
            parts.append(_("rad %(row)s") % {"row": self.row})
        if self.column:
            parts.append(_("kolonne %(column)s") % {"column": self.column})
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message

    def for_cli(self, filename: str) -> str:
        """``FILE:row:column: message`` (``FILE: message`` for the whole file); a workbook's
        sheet is named at the end of the message."""
        message = self.message
        if self.sheet:
            message += " " + _("(ark «%(sheet)s»)") % {"sheet": self.sheet}
        if self.row is None:
            return f"{filename}: {message}"
        return f"{filename}:{self.row}:{self.column or '-'}: {message}"


class CatalogueFileError(Exception):
    """The file cannot be imported; ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[CatalogueError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = list(errors)


@dataclass(frozen=True)
class GoalRow:
    code: str
    kind: str  # "alm" | "fkm"
    theme: str
    title: str
    description: str
    recommended_activities: str
    sheet: str
    row: int

    @property
    def text(self) -> str:
        return self.title or self.description


@dataclass
class ParsedCatalogue:
    rows: list[GoalRow] = field(default_factory=list)
    errors: list[CatalogueError] = field(default_factory=list)
    format: str = ""  # "xlsx" | "csv"
    sheets: list[str] = field(default_factory=list)  # the sheets read


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()


def normalise_code(value: str) -> str:
    """Trim, upper-case and straighten dashes: " alm – 001 " → "ALM-001"."""
    code = value.translate(_DASHES).upper()
    return re.sub(r"\s*-\s*", "-", code).strip()


# --- reading the file into rows of cells --------------------------------------------------------


def _xlsx_sheets(data: bytes, errors: list[CatalogueError]) -> Iterator[tuple[str, Iterable[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        errors.append(CatalogueError(_("Filen kunne ikke leses som et Excel-ark (XLSX).")))
        return
    try:
        for sheet in workbook.worksheets:
            reset = getattr(sheet, "reset_dimensions", None)
            if reset is not None:
                reset()  # do not trust the stored dimensions
            yield sheet.title, sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 1, values_only=True)
    finally:
        workbook.close()


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(text: str, errors: list[CatalogueError]) -> Iterator[tuple[int, list[str]]]:
    """(line number where the record starts, cells)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            errors.append(
                CatalogueError(
                    _("Linjen kan ikke leses som CSV (%(error)s).") % {"error": exc}, row=start
                )
            )
            return
        yield start, cells
        start = reader.line_num + 1


# --- turning rows of cells into goals ------------------------------------------------------------


def _header_map(cells: Sequence[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in enumerate(cells):
        name = _FIELD_OF_KEY.get(_key(_cell_text(value)))
        if name and name not in found:
            found[name] = index
    return found


class _SheetReader:
    """Reads the goals of one sheet (or of the CSV file) into ``parsed``."""

    def __init__(self, parsed: ParsedCatalogue, sheet: str, seen: dict[str, GoalRow]) -> None:
        self.parsed = parsed
        self.sheet = sheet
        self.seen = seen
        self.columns: dict[str, int] | None = None
        self.theme = ""
        self.kind = ""

    def error(self, message: str, row: int | None, field_name: str | None = None) -> None:
        column = None
        if field_name is not None and self.columns is not None:
            column = column_letter(self.columns[field_name])
        self.parsed.errors.append(CatalogueError(message, row, column, self.sheet))

    def read(self, rows: Iterable[tuple[int, Sequence[Any]]]) -> bool:
        """Read the rows; False when the sheet has no header row (not a goal sheet)."""
        for number, cells in rows:
            if number > MAX_ROWS:
                self.error(
                    _("Arket har mer enn %(n)s rader; resten er ikke lest.") % {"n": MAX_ROWS},
                    number,
                )
                break
            if self.columns is None:
                if number > HEADER_SEARCH_ROWS:
                    return False
                columns = _header_map(cells)
                if "code" in columns:
                    self.columns = columns
                    if "title" not in columns and "description" not in columns:
                        self.error(
                            _(
                                "Overskriftsraden mangler en kolonne for læringsmålet "
                                "(«Læringsmål», «Tittel» eller «Beskrivelse»)."
                            ),
                            number,
                        )
                        return True
                continue
            self.goal(number, [_cell_text(c) for c in cells])
        return self.columns is not None

    def heading(self, text: str) -> None:
        """A row with only a heading: the theme of the rows below when there is no theme
        column."""
        if "theme" not in (self.columns or {}):
            self.theme = text[: MAX_LENGTH["theme"]]

    def goal(self, number: int, cells: list[str]) -> None:
        assert self.columns is not None
        values = {
            name: cells[index] if index < len(cells) else "" for name, index in self.columns.items()
        }
        filled = [i for i, c in enumerate(cells) if c]
        if not filled:
            return
        raw_code = values.get("code", "")
        heading = len(filled) == 1 and filled[0] <= min(self.columns.values())
        if not raw_code:
            if heading:
                self.heading(cells[filled[0]])
                return
            self.error(_("Raden mangler kode (ALM-NNN eller FKM-NNN)."), number, "code")
            return
        code = normalise_code(raw_code)
        if not CODE_RE.match(code):
            if heading and not _CODE_ATTEMPT_RE.match(raw_code):
                self.heading(raw_code)
                return
            self.error(
                _("Koden «%(code)s» har feil form; bruk ALM-NNN eller FKM-NNN (tre sifre).")
                % {"code": raw_code[:40]},
                number,
                "code",
            )
            return
        ok = True
        if code[:3] != self.kind and "theme" in self.columns:
            self.theme = ""  # a theme carried down never crosses from ALM to FKM
        self.kind = code[:3]
        if values.get("theme"):
            self.theme = values["theme"]
            if len(self.theme) > MAX_LENGTH["theme"]:
                self.error(
                    _("Temaet er %(n)s tegn; høyst %(max)s er tillatt.")
                    % {"n": len(self.theme), "max": MAX_LENGTH["theme"]},
                    number,
                    "theme",
                )
                self.theme = ""
                ok = False
        for name in ("title", "description", "recommended_activities"):
            value = values.get(name, "")
            if len(value) > MAX_LENGTH[name]:
                self.error(
                    _("Teksten er %(n)s tegn; høyst %(max)s er tillatt.")
                    % {"n": len(value), "max": MAX_LENGTH[name]},
                    number,
                    name,
                )
                ok = False
        if not values.get("title") and not values.get("description"):
            field_name = "title" if "title" in self.columns else "description"
            self.error(
                _("%(code)s mangler tekst for læringsmålet.") % {"code": code}, number, field_name
            )
            ok = False
        earlier = self.seen.get(code)
        if earlier is not None:
            where = (
                _("ark «%(sheet)s» rad %(row)s") % {"sheet": earlier.sheet, "row": earlier.row}
                if earlier.sheet and earlier.sheet != self.sheet
                else _("rad %(row)s") % {"row": earlier.row}
            )
            self.error(
                _("Koden %(code)s står to ganger (også i %(where)s).")
                % {"code": code, "where": where},
                number,
                "code",
            )
            return
        row = GoalRow(
            code=code,
            kind=code[:3].lower(),
            theme=self.theme,
            title=values.get("title", ""),
            description=values.get("description", ""),
            recommended_activities=values.get("recommended_activities", ""),
            sheet=self.sheet,
            row=number,
        )
        self.seen[code] = row
        if ok:
            self.parsed.rows.append(row)


def _file_format(data: bytes, filename: str) -> str:
    ext = PurePath(filename or "").suffix.lower()
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or ext == ".xls":
        return "xls"
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"
    return "csv"


def parse_catalogue(data: bytes, filename: str = "") -> ParsedCatalogue:
    """Read a catalogue file. Never raises for a bad file: see ``ParsedCatalogue.errors``."""
    parsed = ParsedCatalogue()
    try:
        _parse(data, filename, parsed)
    except Exception as exc:  # a last guard: bad input must give an error, never a crash
        parsed.errors.append(
            CatalogueError(_("Filen kunne ikke leses (%(error)s).") % {"error": type(exc).__name__})
        )
    if parsed.errors:
        parsed.rows = []
    return parsed


def _parse(data: bytes, filename: str, parsed: ParsedCatalogue) -> None:
    if not data or not data.strip():
        parsed.errors.append(CatalogueError(_("Filen er tom.")))
        return
    kind = parsed.format = _file_format(data, filename)
    seen: dict[str, GoalRow] = {}
    found_header = False
    if kind == "xls":
        parsed.errors.append(
            CatalogueError(
                _("Det gamle Excel-formatet (.xls) støttes ikke; lagre filen som .xlsx eller CSV.")
            )
        )
        return
    if kind == "xlsx":
        if not zipfile.is_zipfile(io.BytesIO(data)):
            parsed.errors.append(CatalogueError(_("Filen er ikke et gyldig Excel-ark (XLSX).")))
            return
        for title, rows in _xlsx_sheets(data, parsed.errors):
            reader = _SheetReader(parsed, title, seen)
            if reader.read(enumerate(rows, start=1)):
                found_header = True
                parsed.sheets.append(title)
        if parsed.errors and not found_header:
            return
    else:
        text = _decode(data)
        if text is None or "\x00" in text:
            parsed.errors.append(
                CatalogueError(
                    _(
                        "Filen er verken et Excel-ark (XLSX) eller en CSV-fil i "
                        "UTF-8 eller Windows-1252."
                    )
                )
            )
            return
        reader = _SheetReader(parsed, "", seen)
        found_header = reader.read(_csv_rows(text, parsed.errors))
    if not found_header:
        parsed.errors.append(
            CatalogueError(
                _(
                    "Fant ingen overskriftsrad med kolonnene «Kode» (eller "
                    "«Læringsmål-ID») og «Læringsmål» (eller «Beskrivelse») blant de "
                    "første %(n)s radene."
                )
                % {"n": HEADER_SEARCH_ROWS}
            )
        )
        return
    if not parsed.rows and not parsed.errors:
        parsed.errors.append(CatalogueError(_("Filen har ingen læringsmål.")))
    if len(seen) > MAX_GOALS:
        parsed.errors.append(
            CatalogueError(
                _("Filen har %(n)s læringsmål; høyst %(max)s er tillatt.")
                % {"n": len(seen), "max": MAX_GOALS}
            )
        )


# --- the import --------------------------------------------------------------------------------


@dataclass
class ImportPlan:
    """What an import will do to the catalogue ``name`` (read-only: the preview)."""

    name: str
    exists: bool
    rows: list[GoalRow]
    created: list[str] = field(default_factory=list)  # codes new to the catalogue
    updated: list[str] = field(default_factory=list)  # codes whose texts change
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # codes not in the file and unused
    kept: list[str] = field(default_factory=list)  # not in the file, but plans use them
    plans: int = 0  # plans of this catalogue (they receive the new codes)


def _texts(goal: CatalogueGoal | GoalRow) -> tuple[str, str, str, str]:
    return (goal.theme, goal.title, goal.description, goal.recommended_activities)


def plan_import(name: str, rows: Sequence[GoalRow]) -> ImportPlan:
    catalogue = Catalogue.objects.filter(name=name).first()
    plan = ImportPlan(name=name, exists=catalogue is not None, rows=list(rows))
    if catalogue is None:
        plan.created = [r.code for r in rows]
        return plan
    existing = {g.code: g for g in catalogue.goals.all()}
    used = set(
        PlanGoal.objects.filter(goal__catalogue=catalogue).values_list("goal__code", flat=True)
    )
    for row in rows:
        goal = existing.get(row.code)
        if goal is None:
            plan.created.append(row.code)
        elif _texts(goal) != _texts(row):
            plan.updated.append(row.code)
        else:
            plan.unchanged.append(row.code)
    in_file = {r.code for r in rows}
    for code in existing:
        if code not in in_file:
            (plan.kept if code in used else plan.removed).append(code)
    plan.plans = TrainingPlan.objects.filter(catalogue=catalogue).count()
    return plan


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise CatalogueFileError([CatalogueError(_("Katalogen må ha et navn på høyst 60 tegn."))])
    return name


@transaction.atomic
def import_catalogue(*, name: str, data: bytes, filename: str, by: Any) -> ImportPlan:
    """Create the catalogue ``name`` from the file, or update the texts of an existing one.

    All or nothing: any problem in the file raises :class:`CatalogueFileError` and nothing is
    saved. Codes that plans use are never removed (they are kept, listed in ``kept``); codes
    new to an existing catalogue are added to its plans. Afterwards the catalogue has
    ``official_texts=True``. ``by`` must be an administrator (None: the command line).
    """
    if by is not None and not scope_for(by).is_admin:
        raise PermissionDenied
    name = _check_name(name)
    parsed = parse_catalogue(data, filename)
    if parsed.errors:
        raise CatalogueFileError(parsed.errors)
    result = plan_import(name, parsed.rows)
    source = (_("Importert fra %(file)s") % {"file": PurePath(filename).name})[:200]
    catalogue, _created = Catalogue.objects.select_for_update().get_or_create(
        name=name, defaults={"source": source}
    )
    before = {"official_texts": catalogue.official_texts, "goals": catalogue.goals.count()}
    existing = {g.code: g for g in catalogue.goals.all()}
    new_goals: list[CatalogueGoal] = []
    changed: list[CatalogueGoal] = []
    moved: list[CatalogueGoal] = []
    for order, row in enumerate(parsed.rows):
        goal = existing.get(row.code)
        if goal is None:
            new_goals.append(
                CatalogueGoal(
                    catalogue=catalogue,
                    code=row.code,
                    kind=row.kind,
                    theme=row.theme,
                    title=row.title,
                    description=row.description,
                    recommended_activities=row.recommended_activities,
                    order=order,
                )
            )
            continue
        if goal.order != order:
            moved.append(goal)
        goal.theme, goal.title, goal.description, goal.recommended_activities = _texts(row)
        goal.order = order
        changed.append(goal)
    for order, code in enumerate(result.kept, start=len(parsed.rows)):
        goal = existing[code]
        if goal.order != order:
            goal.order = order
            moved.append(goal)
            changed.append(goal)
    CatalogueGoal.objects.bulk_update(
        changed, ["theme", "title", "description", "recommended_activities", "order"]
    )
    CatalogueGoal.objects.filter(catalogue=catalogue, code__in=result.removed).delete()
    created = CatalogueGoal.objects.bulk_create(new_goals)
    for goal in moved:
        PlanGoal.objects.filter(goal=goal).update(order=goal.order)
    plans = list(TrainingPlan.objects.filter(catalogue=catalogue))
    if created and plans:
        PlanGoal.objects.bulk_create(
            PlanGoal(plan=p, goal=g, code=g.code, order=g.order) for p in plans for g in created
        )
    catalogue.official_texts = True
    catalogue.source = source
    catalogue.save(update_fields=["official_texts", "source"])
    record(
        actor=by,
        action=AuditEvent.Action.IMPORT,
        instance=catalogue,
        before=before,
        after={
            "official_texts": True,
            "goals": catalogue.goals.count(),
            "created": result.created,
            "updated": result.updated,
            "removed": result.removed,
            "kept": result.kept,
            "plans_extended": len(plans) if created else 0,
        },
        summary=(
            f"Katalog {name} importert fra {PurePath(filename).name}: "
            f"{len(result.created)} nye, {len(result.updated)} endret, "
            f"{len(result.removed)} fjernet"
        ),
    )
    return result
