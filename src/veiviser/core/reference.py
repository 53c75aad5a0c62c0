"""Reference data shipped with Veiviser: the 357 municipalities of 2024 and the regional ALIS
offices, and the parser for SSB's centrality correspondence file (KLASS 128)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from importlib import resources

from django.utils.text import slugify

MUNICIPALITIES_FILE = "kommuner-2024.csv"


@dataclass(frozen=True)
class MunicipalityRow:
    number: str
    name: str
    county_number: str
    county: str
    health_region: str
    regional_office: str


def municipality_rows() -> list[MunicipalityRow]:
    text = resources.files("veiviser.data").joinpath(MUNICIPALITIES_FILE).read_text("utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return [
        MunicipalityRow(
            number=row["kommunenummer"],
            name=row["navn"],
            county_number=row["fylkesnummer"],
            county=row["fylke"],
            health_region=row["helseregion"],
            regional_office=row["alis_kontor"],
        )
        for row in reader
    ]


def regional_office_code(name: str) -> str:
    return slugify(name.replace("(", " ").replace(")", " "))[:40]


@dataclass(frozen=True)
class CentralityRow:
    line: int
    number: str
    centrality: int


class CentralityFileError(ValueError):
    """The centrality file could not be read; ``errors`` name line and column."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CentralityFileError(["filen er verken UTF-8 eller Windows-1252"])


_NUMBER = re.compile(r"[0-9]{4}")  # ASCII digits only (str.isdigit also takes "²" and "٣")
SOURCE_COLUMNS = ("sourcecode", "kommunenummer", "kommune", "code")
TARGET_COLUMNS = ("targetcode", "sentralitet", "centrality", "klasse")


def parse_centrality_file(data: bytes) -> list[CentralityRow]:
    """Parse SSB's KLASS 128 correspondence file (municipality → centrality class).

    Accepts the CSV that KLASS exports for a correspondence table (``sourceCode``,
    ``targetCode`` … separated by ``;`` or ``,``) and a simple two-column file with the headers
    ``kommunenummer`` and ``sentralitet``. Codes may be written as ``3`` or ``03``; the
    municipality column is whichever of the two holds four-digit codes.
    """
    text = _decode(data)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().strip('"').lower() for h in next(reader)]
    except StopIteration:
        raise CentralityFileError(["filen er tom"]) from None
    except csv.Error as exc:
        raise CentralityFileError([f"linje 1: kan ikke leses som CSV ({exc})"]) from None
    source = next((header.index(c) for c in SOURCE_COLUMNS if c in header), None)
    target = next((header.index(c) for c in TARGET_COLUMNS if c in header), None)
    if source is None or target is None:
        raise CentralityFileError(
            [
                "linje 1: fant ikke kolonnene for kommunenummer og sentralitet "
                "(forventet sourceCode/targetCode eller kommunenummer/sentralitet)"
            ]
        )
    rows: list[CentralityRow] = []
    errors: list[str] = []
    line_no = reader.line_num + 1  # the line where the next record starts
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(f"linje {line_no}: kan ikke leses som CSV ({exc})")
            break
        record_line, line_no = line_no, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue
        if len(values) <= max(source, target):
            errors.append(f"linje {record_line}: for få kolonner")
            continue
        a, b = values[source].strip().strip('"'), values[target].strip().strip('"')
        # KLASS may export the correspondence in either direction.
        if _NUMBER.fullmatch(b) and not _NUMBER.fullmatch(a):
            a, b = b, a
        if not _NUMBER.fullmatch(a):
            errors.append(
                f"linje {record_line}, kolonne {header[source]}: {a!r} er ikke et kommunenummer"
            )
            continue
        klass = int(b) if re.fullmatch(r"[0-9]{1,2}", b) else 0
        if not 1 <= klass <= 6:
            column = header[target]
            errors.append(
                f"linje {record_line}, kolonne {column}: sentralitet må være 1–6, ikke {b!r}"
            )
            continue
        rows.append(CentralityRow(line=record_line, number=a, centrality=klass))
    if errors:
        raise CentralityFileError(errors)
    if not rows:
        raise CentralityFileError(["filen har ingen rader"])
    return rows
