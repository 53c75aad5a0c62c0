"""Reading and validating the input file of ``veiviser grant`` (spec grants.md, "Input JSON").

Validation collects *all* errors, each with a JSON path
(``$.agreements[0].position_share: must be between 0 and 1``), and raises ``GrantFileInvalid``
with the list; a valid document becomes a ``ClaimInput``. Unknown keys are errors (a misspelt
``position_shares`` must not silently become a default), dates are ISO ``YYYY-MM-DD``.
Choices where the spec is silent are in ADR 0022.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from veiviser.rules.grants import (
    ClaimInput,
    DoctorType,
    GrantAgreement,
    Rate,
    Scheme,
    rate_table_overlaps,
)

__all__ = [
    "FileError",
    "GrantFileInvalid",
    "load_grant_file",
    "loads_grant_file",
    "parse_grant_input",
]

T = TypeVar("T")

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MUNICIPALITY_RE = re.compile(r"\d{4}")

MAX_AMOUNT = Decimal(1_000_000_000)  # sanity bound on a yearly rate in kroner (ADR 0022)

_TOP_KEYS = ("rates", "municipality", "period", "agreements")
_RATE_KEYS = ("valid_from", "valid_to", "doctor_type", "annual_rate", "centrality6_supplement")
_MUNICIPALITY_KEYS = ("number", "centrality")
_PERIOD_KEYS = ("from", "to")
_AGREEMENT_REQUIRED = (
    "doctor",
    "doctor_type",
    "signed",
    "position_share",
    "scheme",
    "locum_agency",
)
_AGREEMENT_OPTIONAL = ("ends",)


@dataclass(frozen=True)
class FileError:
    """One problem in the file: where (a JSON path) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class GrantFileInvalid(ValueError):
    """The grant input file is not valid; ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[FileError]) -> None:
        self.errors: tuple[FileError, ...] = tuple(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


class _DupDict(dict[str, Any]):
    """A JSON object that remembers keys given more than once."""

    duplicates: tuple[str, ...] = ()


def _pairs_hook(pairs: list[tuple[str, Any]]) -> _DupDict:
    result = _DupDict()
    duplicates: list[str] = []
    for key, value in pairs:
        if key in result and key not in duplicates:
            duplicates.append(key)
        result[key] = value
    result.duplicates = tuple(duplicates)
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON number")


def _child(path: str, key: object) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    text = str(key)
    if _KEY_RE.fullmatch(text):
        return f"{path}.{text}"
    return f"{path}[{json.dumps(text, ensure_ascii=False)}]"


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class _Parser:
    def __init__(self) -> None:
        self.errors: list[FileError] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(FileError(path, message))

    def obj(
        self,
        value: object,
        path: str,
        required: Sequence[str],
        optional: Sequence[str] = (),
    ) -> dict[str, Any] | None:
        """The object at ``path`` with its key set checked; ``None`` if not an object."""
        if not isinstance(value, dict):
            self.error(path, f"must be an object, not {_type_name(value)}")
            return None
        for key in getattr(value, "duplicates", ()):
            self.error(_child(path, str(key)), "duplicate key")
        for key in value:
            if key not in required and key not in optional:
                self.error(_child(path, str(key)), "unknown key")
        for key in required:
            if key not in value:
                self.error(_child(path, key), "is required")
        return {str(k): v for k, v in value.items()}

    def array(self, value: object, path: str) -> list[Any] | None:
        if not isinstance(value, list):
            self.error(path, f"must be an array, not {_type_name(value)}")
            return None
        return value

    def field(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        parse: Callable[[object, str], T | None],
        *,
        nullable: bool = False,
    ) -> T | None:
        """Parse ``data[key]`` if present (absence was already reported by ``obj``)."""
        if key not in data:
            return None
        value = data[key]
        if value is None and nullable:
            return None
        return parse(value, _child(path, key))

    def date_(self, value: object, path: str) -> date | None:
        if not isinstance(value, str):
            self.error(path, f"must be an ISO date string YYYY-MM-DD, not {_type_name(value)}")
            return None
        if not _DATE_RE.fullmatch(value):
            self.error(path, f"must be an ISO date YYYY-MM-DD, got {value!r}")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.error(path, f"is not a valid date: {value!r}")
            return None

    def number(self, value: object, path: str) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.error(path, f"must be a number, not {_type_name(value)}")
            return None
        try:
            result = value if isinstance(value, Decimal) else Decimal(str(value))
        except (InvalidOperation, ValueError):
            self.error(path, "must be a number")
            return None
        if not result.is_finite():
            self.error(path, "must be a finite number")
            return None
        return result

    def amount(self, value: object, path: str) -> Decimal | None:
        result = self.number(value, path)
        if result is not None and result < 0:
            self.error(path, "must not be negative")
            return None
        if result is not None and result > MAX_AMOUNT:
            self.error(path, f"must be at most {MAX_AMOUNT} (kroner per year)")
            return None
        return result

    def share(self, value: object, path: str) -> Decimal | None:
        result = self.number(value, path)
        if result is not None and not Decimal(0) <= result <= Decimal(1):
            self.error(path, "must be between 0 and 1")
            return None
        return result

    def doctor_type(self, value: object, path: str) -> DoctorType | None:
        if isinstance(value, str) and value in {m.value for m in DoctorType}:
            return DoctorType(value)
        self.error(path, f"must be one of {', '.join(m.value for m in DoctorType)}")
        return None

    def scheme(self, value: object, path: str) -> Scheme | None:
        if isinstance(value, str) and value in {m.value for m in Scheme}:
            return Scheme(value)
        self.error(path, f"must be one of {', '.join(m.value for m in Scheme)}")
        return None

    def boolean(self, value: object, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.error(path, f"must be true or false, not {_type_name(value)}")
            return None
        return value

    def text(self, value: object, path: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.error(path, "must be a non-empty string")
            return None
        if "\x00" in value:
            self.error(path, "must not contain a NUL character (\\u0000)")
            return None
        return value

    def municipality_number(self, value: object, path: str) -> str | None:
        if not isinstance(value, str) or not _MUNICIPALITY_RE.fullmatch(value):
            self.error(path, 'must be a 4-digit kommunenummer string, e.g. "4643"')
            return None
        return value

    def centrality(self, value: object, path: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 6:
            self.error(path, "must be an integer 1–6 (SSB sentralitet) or null")
            return None
        return value

    def rate(self, value: object, path: str) -> Rate | None:
        data = self.obj(value, path, _RATE_KEYS)
        if data is None:
            return None
        valid_from = self.field(data, "valid_from", path, self.date_)
        valid_to = self.field(data, "valid_to", path, self.date_, nullable=True)
        doctor_type = self.field(data, "doctor_type", path, self.doctor_type)
        annual = self.field(data, "annual_rate", path, self.amount)
        supplement = self.field(data, "centrality6_supplement", path, self.amount)
        if valid_from is not None and valid_to is not None and valid_to < valid_from:
            self.error(_child(path, "valid_to"), "must not be before valid_from")
            return None
        if (
            valid_from is None
            or ("valid_to" in data and data["valid_to"] is not None and valid_to is None)
            or doctor_type is None
            or annual is None
            or supplement is None
        ):
            return None
        return Rate(valid_from, valid_to, doctor_type, annual, supplement)

    def agreement(self, value: object, path: str) -> GrantAgreement | None:
        data = self.obj(value, path, _AGREEMENT_REQUIRED, _AGREEMENT_OPTIONAL)
        if data is None:
            return None
        doctor = self.field(data, "doctor", path, self.text)
        doctor_type = self.field(data, "doctor_type", path, self.doctor_type)
        signed = self.field(data, "signed", path, self.date_)
        ends = self.field(data, "ends", path, self.date_, nullable=True)
        share = self.field(data, "position_share", path, self.share)
        scheme = self.field(data, "scheme", path, self.scheme)
        locum_agency = self.field(data, "locum_agency", path, self.boolean)
        if signed is not None and ends is not None and ends < signed:
            self.error(_child(path, "ends"), "must not be before signed")
            return None
        if (
            doctor is None
            or doctor_type is None
            or signed is None
            or (data.get("ends") is not None and ends is None)
            or share is None
            or scheme is None
            or locum_agency is None
        ):
            return None
        return GrantAgreement(doctor, doctor_type, signed, ends, share, scheme, locum_agency)

    def items(
        self, data: dict[str, Any], key: str, parse: Callable[[object, str], T | None]
    ) -> list[T | None] | None:
        if key not in data:
            return None
        values = self.array(data[key], _child("$", key))
        if values is None:
            return None
        return [parse(item, _child(_child("$", key), i)) for i, item in enumerate(values)]

    def document(self, value: object) -> ClaimInput | None:
        data = self.obj(value, "$", _TOP_KEYS)
        if data is None:
            return None
        rates = self.items(data, "rates", self.rate)
        if rates is not None:
            self.check_overlaps(rates)
        number: str | None = None
        centrality: int | None = None
        municipality = (
            self.obj(data["municipality"], "$.municipality", _MUNICIPALITY_KEYS)
            if "municipality" in data
            else None
        )
        if municipality is not None:
            number = self.field(municipality, "number", "$.municipality", self.municipality_number)
            centrality = self.field(
                municipality, "centrality", "$.municipality", self.centrality, nullable=True
            )
        period_from = period_to = None
        period = self.obj(data["period"], "$.period", _PERIOD_KEYS) if "period" in data else None
        if period is not None:
            period_from = self.field(period, "from", "$.period", self.date_)
            period_to = self.field(period, "to", "$.period", self.date_)
            if period_from is not None and period_to is not None and period_to < period_from:
                self.error("$.period.to", "must not be before $.period.from")
        agreements = self.items(data, "agreements", self.agreement)
        if (
            self.errors
            or rates is None
            or number is None
            or period_from is None
            or period_to is None
            or agreements is None
        ):
            return None
        return ClaimInput(
            rates=[r for r in rates if r is not None],
            municipality_number=number,
            centrality=centrality,
            period_from=period_from,
            period_to=period_to,
            agreements=[a for a in agreements if a is not None],
        )

    def check_overlaps(self, rates: list[Rate | None]) -> None:
        indexed = [(i, r) for i, r in enumerate(rates) if r is not None]
        for a, b in rate_table_overlaps(r for _, r in indexed):
            first, second = indexed[a], indexed[b]
            self.error(
                f"$.rates[{second[0]}]",
                f"overlaps $.rates[{first[0]}] for doctor_type {second[1].doctor_type.value}"
                " (two rate rows valid on the same date)",
            )


def parse_grant_input(data: object) -> ClaimInput:
    """Validate an already decoded JSON document; raise ``GrantFileInvalid`` with all errors."""
    parser = _Parser()
    result = parser.document(data)
    if parser.errors or result is None:
        raise GrantFileInvalid(parser.errors or [FileError("$", "is not a valid grant file")])
    return result


def loads_grant_file(text: str | bytes) -> ClaimInput:
    """Decode JSON text (numbers with a fraction become ``Decimal``) and validate it."""
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_pairs_hook,
        )
    except json.JSONDecodeError as exc:
        raise GrantFileInvalid(
            [FileError("$", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")]
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise GrantFileInvalid([FileError("$", f"invalid JSON: {exc}")]) from exc
    return parse_grant_input(data)


def load_grant_file(path: str | os.PathLike[str]) -> ClaimInput:
    """Read and validate a grant input file (UTF-8). ``OSError`` propagates."""
    with open(path, "rb") as handle:
        raw = handle.read()
    return loads_grant_file(raw)
