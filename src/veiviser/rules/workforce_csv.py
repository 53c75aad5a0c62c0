"""Import and export of ``positions.csv`` and ``occupancies.csv`` (shared/spec/workforce-data.md).

UTF-8 (a byte-order mark is allowed), comma-separated, one header row. Every problem is
collected as a ``CsvError`` with file, physical line number (the header is line 1), column and
message; any problem means nothing is imported: ``WorkforceCsvInvalid`` carries them all.
Decisions on points the spec leaves open are in docs/adr/0013-workforce-csv-validation.md.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from veiviser.rules.workforce import (
    END_REASONS,
    FORMS,
    KINDS,
    NEXT_WORKS,
    ROLES,
    Occupancy,
    Position,
)

POSITIONS_FILE = "positions.csv"
OCCUPANCIES_FILE = "occupancies.csv"
POSITION_COLUMNS = (
    "position_id",
    "municipality",
    "office",
    "kind",
    "form",
    "programme",
    "created",
    "closed",
)
POSITION_REQUIRED = frozenset({"position_id", "municipality", "kind", "created"})
OCCUPANCY_COLUMNS = ("position_id", "person_id", "role", "start", "end", "end_reason", "next_work")
OCCUPANCY_REQUIRED = frozenset({"position_id", "person_id", "role", "start"})

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KOMMUNENUMMER = re.compile(r"[0-9]{4}")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class CsvError:
    """One problem in one file: ``file:line:column: message`` (column None = whole line)."""

    file: str
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return (
            f"{where}:{self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


class WorkforceCsvInvalid(Exception):
    """The files have at least one problem; nothing may be imported."""

    def __init__(self, errors: Iterable[CsvError]) -> None:
        self.errors: tuple[CsvError, ...] = tuple(errors)
        super().__init__(f"{len(self.errors)} problem(s) in the workforce CSV files")


class _Rows:
    """Reads one CSV text into (line, values-by-column) pairs, collecting header problems."""

    def __init__(
        self, text: str, file: str, columns: Sequence[str], required: frozenset[str]
    ) -> None:
        self.file = file
        self.errors: list[CsvError] = []
        self.rows: list[tuple[int, dict[str, str]]] = []
        text = text.removeprefix("\ufeff")
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header: list[str] | None = None
        known: list[str | None] = []
        previous_end = 0
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:  # a broken quote: report it, read on from the next line
                self.error(previous_end + 1, None, f"cannot read this line as CSV: {exc}")
                if reader.line_num == previous_end:
                    break
                previous_end = reader.line_num
                continue
            line, previous_end = previous_end + 1, reader.line_num
            nul = next((i for i, v in enumerate(values) if "\x00" in v), None)
            if nul is not None:
                column = header[nul] if header and nul < len(header) else None
                self.error(line, column, "contains a NUL character (\\u0000)")
                continue
            if header is None:
                header = [v.strip().lower() for v in values]
                known = self._check_header(header, columns, required)
                continue
            if not any(v.strip() for v in values):
                continue  # blank lines are allowed
            if len(values) != len(header):
                self.error(line, None, f"expected {len(header)} values, found {len(values)}")
                continue
            self.rows.append(
                (line, {k: v.strip() for k, v in zip(known, values, strict=True) if k})
            )
        if header is None:
            self.error(1, None, "the file is empty; expected a header row")

    def _check_header(
        self, header: list[str], columns: Sequence[str], required: frozenset[str]
    ) -> list[str | None]:
        known: list[str | None] = []
        seen: set[str] = set()
        for name in header:
            if name in seen:
                self.error(1, name, "column appears twice in the header")
                known.append(None)
            elif name not in columns:
                expected = ", ".join(columns)
                self.error(1, name or "(empty)", f"unknown column; expected: {expected}")
                known.append(None)
            else:
                known.append(name)
            seen.add(name)
        for name in columns:
            if name in required and name not in seen:
                self.error(1, name, "required column is missing from the header")
        return known

    def error(self, line: int, column: str | None, message: str) -> None:
        """Record one problem."""
        self.errors.append(CsvError(self.file, line, column, message))

    def required(self, line: int, values: Mapping[str, str], column: str) -> str | None:
        """The non-empty value of a required column, or None (error recorded)."""
        value = values.get(column)
        if value is None:
            return None  # the header problem is already reported
        if not value:
            self.error(line, column, "required value is empty")
            return None
        return value

    def date(
        self, line: int, values: Mapping[str, str], column: str, required: bool
    ) -> date | None:
        """An ISO date (YYYY-MM-DD), or None (error recorded when invalid or required)."""
        value = self.required(line, values, column) if required else values.get(column)
        if not value:
            return None
        if _DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.error(line, column, f"not a date {value!r}; write YYYY-MM-DD, e.g. 2024-01-31")
        return None

    def choice(
        self,
        line: int,
        values: Mapping[str, str],
        column: str,
        allowed: Sequence[_T],
        required: bool,
    ) -> _T | None:
        """One of ``allowed`` (compared in lower case), or None."""
        value = self.required(line, values, column) if required else values.get(column)
        if not value:
            return None
        for option in allowed:
            if value.lower() == option:
                return option
        self.error(line, column, f"{value!r} is not one of: {', '.join(map(str, allowed))}")
        return None


def _parse_positions(text: str, file: str) -> tuple[list[Position], set[str], list[CsvError]]:
    """Positions, every position_id mentioned (even on invalid rows), and the problems."""
    rows = _Rows(text, file, POSITION_COLUMNS, POSITION_REQUIRED)
    positions: list[Position] = []
    first_line: dict[str, int] = {}
    for line, values in rows.rows:
        before = len(rows.errors)
        position_id = rows.required(line, values, "position_id")
        if position_id is not None:
            if position_id in first_line:
                rows.error(
                    line,
                    "position_id",
                    f"position_id {position_id!r} is already used on line "
                    f"{first_line[position_id]}",
                )
            else:
                first_line[position_id] = line
        municipality = rows.required(line, values, "municipality")
        if municipality is not None and not _KOMMUNENUMMER.fullmatch(municipality):
            rows.error(
                line,
                "municipality",
                f"kommunenummer must be 4 digits (2024 numbering), got {municipality!r}",
            )
        kind = rows.choice(line, values, "kind", KINDS, required=True)
        form = rows.choice(line, values, "form", FORMS, required=False) or "unknown"
        created = rows.date(line, values, "created", required=True)
        closed = rows.date(line, values, "closed", required=False)
        if created is not None and closed is not None and closed <= created:
            rows.error(
                line,
                "closed",
                f"closed ({closed}) must be after created ({created}); "
                "closed is the first day the position no longer exists",
            )
        if (  # a missing column leaves a value None without a row error
            len(rows.errors) == before and position_id and municipality and kind and created
        ):
            positions.append(
                Position(
                    position_id=position_id,
                    municipality=municipality,
                    office=values.get("office") or None,
                    kind=kind,
                    form=form,
                    programme=values.get("programme") or None,
                    created=created,
                    closed=closed,
                )
            )
    return positions, set(first_line), rows.errors


def _parse_occupancies(
    text: str, file: str, position_ids: set[str], positions_file: str
) -> tuple[list[Occupancy], list[CsvError]]:
    rows = _Rows(text, file, OCCUPANCY_COLUMNS, OCCUPANCY_REQUIRED)
    occupancies: list[tuple[int, Occupancy]] = []
    for line, values in rows.rows:
        before = len(rows.errors)
        position_id = rows.required(line, values, "position_id")
        if position_id is not None and position_id not in position_ids:
            rows.error(
                line, "position_id", f"position_id {position_id!r} is not in {positions_file}"
            )
        person_id = rows.required(line, values, "person_id")
        role = rows.choice(line, values, "role", ROLES, required=True)
        start = rows.date(line, values, "start", required=True)
        end = rows.date(line, values, "end", required=False)
        if start is not None and end is not None and end < start:
            rows.error(line, "end", f"end ({end}) is before start ({start})")
        end_reason = rows.choice(line, values, "end_reason", END_REASONS, required=False)
        next_work = rows.choice(line, values, "next_work", NEXT_WORKS, required=False)
        if len(rows.errors) == before and position_id and person_id and role and start:
            occupancy = Occupancy(position_id, person_id, role, start, end, end_reason, next_work)
            occupancies.append((line, occupancy))
    _check_holder_overlaps(rows, occupancies)
    rows.errors.sort(key=lambda e: e.line)  # stable: in line order, columns as checked
    return [o for _, o in occupancies], rows.errors


def _check_holder_overlaps(rows: _Rows, occupancies: Sequence[tuple[int, Occupancy]]) -> None:
    """Two holder rows of one position must not share a day (``end`` is the last day)."""
    by_position: dict[str, list[tuple[int, Occupancy]]] = defaultdict(list)
    for line, row in occupancies:
        if row.role == "holder":
            by_position[row.position_id].append((line, row))
    for held in by_position.values():
        held.sort(key=lambda item: (item[1].start, item[0]))
        latest: tuple[int, Occupancy] | None = None  # the row reaching furthest so far
        for line, row in held:
            if latest is not None and (latest[1].end is None or latest[1].end >= row.start):
                other_line, other = latest
                until = other.end.isoformat() if other.end else "ongoing"
                rows.error(
                    line,
                    "start",
                    f"this holder row (line {line}) overlaps the holder row on line {other_line} "
                    f"({other.start} – {until}) of position {row.position_id!r}; 'end' is the "
                    "last day, so the next holder starts the day after it",
                )
            if latest is None or (
                latest[1].end is not None and (row.end is None or row.end > latest[1].end)
            ):
                latest = (line, row)


def parse_positions(text: str, file: str = POSITIONS_FILE) -> list[Position]:
    """Parse ``positions.csv`` text; raise ``WorkforceCsvInvalid`` with every problem."""
    positions, _, errors = _parse_positions(text, file)
    if errors:
        raise WorkforceCsvInvalid(errors)
    return positions


def parse_occupancies(
    text: str,
    positions: Iterable[Position],
    file: str = OCCUPANCIES_FILE,
    positions_file: str = POSITIONS_FILE,
) -> list[Occupancy]:
    """Parse ``occupancies.csv`` text against known positions; raise ``WorkforceCsvInvalid``."""
    ids = {p.position_id for p in positions}
    occupancies, errors = _parse_occupancies(text, file, ids, positions_file)
    if errors:
        raise WorkforceCsvInvalid(errors)
    return occupancies


def parse_files(
    positions_text: str,
    occupancies_text: str,
    positions_file: str = POSITIONS_FILE,
    occupancies_file: str = OCCUPANCIES_FILE,
) -> tuple[list[Position], list[Occupancy]]:
    """Parse both files together, reporting the problems of both; all or nothing."""
    positions, ids, errors = _parse_positions(positions_text, positions_file)
    occupancies, more = _parse_occupancies(occupancies_text, occupancies_file, ids, positions_file)
    if errors or more:
        raise WorkforceCsvInvalid([*errors, *more])
    return positions, occupancies


def _read(path: Path) -> tuple[str, list[CsvError]]:
    try:
        return path.read_bytes().decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return "", [CsvError(path.name, line, None, "the file is not UTF-8 text")]


def load_files(
    positions_path: str | Path, occupancies_path: str | Path
) -> tuple[list[Position], list[Occupancy]]:
    """Read and parse the two files (errors name the files by their base name).

    Raises ``OSError`` when a file cannot be read, ``WorkforceCsvInvalid`` on any problem.
    """
    p_path, o_path = Path(positions_path), Path(occupancies_path)
    p_text, p_errors = _read(p_path)
    o_text, o_errors = _read(o_path)
    if p_errors or o_errors:
        raise WorkforceCsvInvalid([*p_errors, *o_errors])
    return parse_files(p_text, o_text, p_path.name, o_path.name)


def _write(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            ["" if v is None else v.isoformat() if isinstance(v, date) else v for v in row]
        )
    return out.getvalue()


def write_positions_csv(positions: Iterable[Position]) -> str:
    """``positions.csv`` text (header and one row per position) that ``parse_positions`` reads."""
    return _write(
        POSITION_COLUMNS,
        (
            (
                p.position_id,
                p.municipality,
                p.office,
                p.kind,
                p.form,
                p.programme,
                p.created,
                p.closed,
            )
            for p in positions
        ),
    )


def write_occupancies_csv(occupancies: Iterable[Occupancy]) -> str:
    """``occupancies.csv`` text that ``parse_occupancies`` reads back to the same rows."""
    return _write(
        OCCUPANCY_COLUMNS,
        (
            (o.position_id, o.person_id, o.role, o.start, o.end, o.end_reason, o.next_work)
            for o in occupancies
        ),
    )
