"""Validation helpers for JSON documents: every error collected with its JSON path.

Used by :mod:`veiviser.rules.progress_file`; a reader walks the decoded document with a
:class:`FieldReader`, which records a :class:`ProgressFileError` for each problem and returns a
placeholder value, so that one pass reports every error at once.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "FieldReader",
    "ProgressFileError",
    "ProgressFileInvalid",
    "kind_of",
]

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})")
_IDENTIFIER_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)
_MISSING: Any = object()
_E = TypeVar("_E", bound=str)


@dataclass(frozen=True, slots=True)
class ProgressFileError:
    """One problem in a progress file, at a JSON path such as ``$.service[2].percent``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ProgressFileInvalid(ValueError):
    """The file is not a valid ``veiviser.progress/1`` document; ``errors`` lists every problem."""

    def __init__(self, errors: Sequence[ProgressFileError]) -> None:
        self.errors: tuple[ProgressFileError, ...] = tuple(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


def _key_path(path: str, key: object) -> str:
    if isinstance(key, str) and _IDENTIFIER_RE.fullmatch(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(str(key), ensure_ascii=False)}]"


def kind_of(value: object) -> str:
    """How a JSON value is named in messages ("a string", "an array", "null", ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class FieldReader:
    """Walks a document, collecting every error; returns placeholder values where invalid."""

    def __init__(self) -> None:
        self.errors: list[ProgressFileError] = []

    def error(self, path: str, message: str) -> None:
        """Record one error."""
        self.errors.append(ProgressFileError(path, message))

    # ----------------------------------------------------------------- structure

    def obj(
        self, value: object, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[Any, Any]:
        """``value`` as an object with ``required`` and ``optional`` keys only (else ``{}``)."""
        if not isinstance(value, dict):
            self.error(path, f"must be an object, not {kind_of(value)}")
            return {}
        for key in getattr(value, "duplicate_keys", ()):
            self.error(_key_path(path, key), "duplicate key")
        for key in value:
            if key not in required and key not in optional:
                self.error(_key_path(path, key), "unknown key")
        for key in required:
            if key not in value:
                self.error(_key_path(path, key), "is required")
        return value

    def array(self, d: dict[Any, Any], key: str, path: str) -> list[tuple[str, object]]:
        """The items of the array ``d[key]`` with their paths (absent: none)."""
        value = d.get(key, _MISSING)
        path = _key_path(path, key)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self.error(path, f"must be an array, not {kind_of(value)}")
            return []
        return [(f"{path}[{i}]", item) for i, item in enumerate(value)]

    # ----------------------------------------------------------------- scalars

    def string(
        self,
        d: dict[Any, Any],
        key: str,
        path: str,
        *,
        nullable: bool = False,
        pattern: re.Pattern[str] | None = None,
        pattern_message: str = "",
    ) -> str | None:
        """A string (non-empty unless ``nullable``), matching ``pattern`` when given."""
        value = d.get(key, _MISSING)
        path = _key_path(path, key)
        if value is _MISSING or (value is None and nullable):
            return None
        if not isinstance(value, str):
            self.error(path, f"must be a string, not {kind_of(value)}")
            return None
        if "\x00" in value:
            self.error(path, "must not contain a NUL character (\\u0000)")
            return None
        if pattern is not None and not pattern.fullmatch(value):
            self.error(path, pattern_message)
            return None
        if not nullable and not value.strip():
            self.error(path, "must not be empty")
        return value

    def text(self, d: dict[Any, Any], key: str, path: str) -> str:
        """A required, non-empty string ("" when invalid)."""
        return self.string(d, key, path) or ""

    def enum(self, d: dict[Any, Any], key: str, path: str, allowed: tuple[_E, ...]) -> _E:
        """One of ``allowed`` (the first one when invalid or absent)."""
        value = d.get(key, _MISSING)
        path = _key_path(path, key)
        for option in allowed:
            if value == option and isinstance(value, str):
                return option
        if value is not _MISSING:
            choices = ", ".join(f'"{option}"' for option in allowed)
            shown = (
                json.dumps(value, ensure_ascii=False) if isinstance(value, str) else kind_of(value)
            )
            self.error(path, f"must be one of {choices}, not {shown}")
        return allowed[0]

    def date(
        self, d: dict[Any, Any], key: str, path: str, *, nullable: bool = False
    ) -> dt.date | None:
        """A date written exactly ``YYYY-MM-DD``, between FIRST_DAY and LAST_DAY."""
        value = d.get(key, _MISSING)
        path = _key_path(path, key)
        if value is _MISSING:
            return None
        if value is None:
            if not nullable:
                self.error(path, "must be a date (YYYY-MM-DD), not null")
            return None
        if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
            shown = (
                json.dumps(value, ensure_ascii=False) if isinstance(value, str) else kind_of(value)
            )
            self.error(path, f"must be a date as YYYY-MM-DD, not {shown}")
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.error(path, f'"{value}" is not a valid date')
            return None
        if not FIRST_DAY <= day <= LAST_DAY:
            self.error(path, f"must lie between {FIRST_DAY} and {LAST_DAY}")
            return None
        return day

    def timestamp(self, d: dict[Any, Any], key: str, path: str) -> dt.datetime | None:
        """An ISO 8601 timestamp with a UTC offset."""
        value = d.get(key, _MISSING)
        path = _key_path(path, key)
        if value is _MISSING:
            return None
        if not isinstance(value, str) or not _TIMESTAMP_RE.fullmatch(value):
            shown = (
                json.dumps(value, ensure_ascii=False) if isinstance(value, str) else kind_of(value)
            )
            self.error(
                path,
                "must be an ISO 8601 timestamp with UTC offset "
                f"(e.g. 2024-05-02T09:00:00+02:00), not {shown}",
            )
            return None
        try:
            at = dt.datetime.fromisoformat(value)
        except ValueError:
            self.error(path, f'"{value}" is not a valid timestamp')
            return None
        if not FIRST_DAY <= at.date() <= LAST_DAY:
            self.error(path, f"must lie between {FIRST_DAY} and {LAST_DAY}")
            return None
        return at

    def number(
        self,
        d: dict[Any, Any],
        key: str,
        path: str,
        *,
        minimum: float = 0.0,
        maximum: float | None = None,
        nullable: bool = False,
    ) -> float | None:
        """A finite number (not a boolean) between ``minimum`` and ``maximum``."""
        value = d.get(key, _MISSING)
        path = _key_path(path, key)
        if value is _MISSING or (value is None and nullable):
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(path, f"must be a number, not {kind_of(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.error(path, "must be a finite number")
            return None
        if value < minimum or (maximum is not None and value > maximum):
            upper = f" and {maximum:g}" if maximum is not None else ""
            rule = f"between {minimum:g}{upper}" if maximum is not None else f">= {minimum:g}"
            shown = value if abs(value) < 10**15 else "a number that large"
            self.error(path, f"must be {rule}, not {shown}")
            return None
        return value

    def boolean(self, d: dict[Any, Any], key: str, path: str) -> bool:
        """true or false (absent: false)."""
        value = d.get(key, _MISSING)
        if value is _MISSING:
            return False
        if not isinstance(value, bool):
            self.error(_key_path(path, key), f"must be true or false, not {kind_of(value)}")
            return False
        return value

    def period_end(self, d: dict[Any, Any], path: str, start: dt.date | None) -> dt.date | None:
        """A period's ``to``: a date or null, not before ``start``."""
        end = self.date(d, "to", path, nullable=True)
        if start is not None and end is not None and end < start:
            self.error(_key_path(path, "to"), f"must not be before from ({start.isoformat()})")
        return end
