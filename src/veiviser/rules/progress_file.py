"""The portable progress file ``veiviser.progress/1``: parse, validate and dump.

:func:`parse` turns an already-decoded JSON value into a
:class:`~veiviser.rules.training.TrainingRecord`, or raises :class:`ProgressFileInvalid` with
*every* error found, each naming its JSON path (``$.service[2].percent``). :func:`dump` writes a
record back in the same format (``parse(dump(r, t)) == r``). :func:`load_path` reads a file and
also reports undecodable JSON with its line and column, and duplicate keys.

Strictness, in the users' interest (a typo must not silently drop data): unknown keys are
errors; every key of the format's example is required except ``doctor.name``, ``doctor.hpr``,
``doctor.converted``, the service period's ``setting``, ``municipality`` and
``registered_institution``, the session's ``veileder``, the group's ``group``, the course's
``title`` and ``hours`` and the event's ``comment``; ``to`` is required and ``null`` while a
period is ongoing. Dates must lie in 1900–2199 (anything else is a typo, ADR 0007).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from veiviser.rules.training import (
    ACTIONS,
    ARENAS,
    COURSE_KINDS,
    LEAVE_KINDS,
    ROLES,
    SCHEMES,
    Course,
    Doctor,
    GoalEvent,
    GoalRecord,
    GroupPeriod,
    JSONValue,
    LeavePeriod,
    ServicePeriod,
    SupervisionSession,
    TrainingRecord,
)

__all__ = [
    "FORMAT",
    "ProgressFileError",
    "ProgressFileInvalid",
    "dump",
    "load_path",
    "loads",
    "parse",
]

FORMAT = "veiviser.progress/1"
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})")
_IDENTIFIER_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HPR_RE = re.compile(r"\d{7,9}")
_MUNICIPALITY_RE = re.compile(r"\d{4}")
_FIRST_DAY = dt.date(1900, 1, 1)
_LAST_DAY = dt.date(2199, 12, 31)
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


def _kind(value: object) -> str:
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


class _Parser:
    """Walks the document, collecting every error; returns placeholder values where invalid."""

    def __init__(self) -> None:
        self.errors: list[ProgressFileError] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(ProgressFileError(path, message))

    # ----------------------------------------------------------------- structure

    def obj(
        self, value: object, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[Any, Any]:
        if not isinstance(value, dict):
            self.error(path, f"must be an object, not {_kind(value)}")
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
        value = d.get(key, _MISSING)
        path = _key_path(path, key)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self.error(path, f"must be an array, not {_kind(value)}")
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
        value = d.get(key, _MISSING)
        path = _key_path(path, key)
        if value is _MISSING or (value is None and nullable):
            return None
        if not isinstance(value, str):
            self.error(path, f"must be a string, not {_kind(value)}")
            return None
        if pattern is not None and not pattern.fullmatch(value):
            self.error(path, pattern_message)
            return None
        if not nullable and not value.strip():
            self.error(path, "must not be empty")
        return value

    def text(self, d: dict[Any, Any], key: str, path: str) -> str:
        """A required, non-empty string."""
        return self.string(d, key, path) or ""

    def enum(self, d: dict[Any, Any], key: str, path: str, allowed: tuple[_E, ...]) -> _E:
        value = d.get(key, _MISSING)
        path = _key_path(path, key)
        for option in allowed:
            if value == option and isinstance(value, str):
                return option
        if value is not _MISSING:
            choices = ", ".join(f'"{option}"' for option in allowed)
            shown = (
                json.dumps(value, ensure_ascii=False) if isinstance(value, str) else _kind(value)
            )
            self.error(path, f"must be one of {choices}, not {shown}")
        return allowed[0]

    def date(
        self, d: dict[Any, Any], key: str, path: str, *, nullable: bool = False
    ) -> dt.date | None:
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
                json.dumps(value, ensure_ascii=False) if isinstance(value, str) else _kind(value)
            )
            self.error(path, f"must be a date as YYYY-MM-DD, not {shown}")
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.error(path, f'"{value}" is not a valid date')
            return None
        if not _FIRST_DAY <= day <= _LAST_DAY:
            self.error(path, f"must lie between {_FIRST_DAY} and {_LAST_DAY}")
            return None
        return day

    def timestamp(self, d: dict[Any, Any], key: str, path: str) -> dt.datetime | None:
        value = d.get(key, _MISSING)
        path = _key_path(path, key)
        if value is _MISSING:
            return None
        if not isinstance(value, str) or not _TIMESTAMP_RE.fullmatch(value):
            shown = (
                json.dumps(value, ensure_ascii=False) if isinstance(value, str) else _kind(value)
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
        if not _FIRST_DAY <= at.date() <= _LAST_DAY:
            self.error(path, f"must lie between {_FIRST_DAY} and {_LAST_DAY}")
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
        value = d.get(key, _MISSING)
        path = _key_path(path, key)
        if value is _MISSING or (value is None and nullable):
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(path, f"must be a number, not {_kind(value)}")
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
        value = d.get(key, _MISSING)
        if value is _MISSING:
            return False
        if not isinstance(value, bool):
            self.error(_key_path(path, key), f"must be true or false, not {_kind(value)}")
            return False
        return value

    def period_end(self, d: dict[Any, Any], path: str, start: dt.date | None) -> dt.date | None:
        end = self.date(d, "to", path, nullable=True)
        if start is not None and end is not None and end < start:
            self.error(_key_path(path, "to"), f"must not be before from ({start.isoformat()})")
        return end


_PLACEHOLDER_DAY = dt.date(2000, 1, 1)
_PLACEHOLDER_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _doctor(p: _Parser, value: object) -> Doctor:
    path = "$.doctor"
    d = p.obj(value, path, ("id", "scheme", "training_start"), ("name", "hpr", "converted"))
    scheme = p.enum(d, "scheme", path, SCHEMES)
    converted = p.date(d, "converted", path, nullable=True)
    if converted is not None and d.get("scheme") == "old":
        p.error(f"{path}.converted", 'a doctor converted to the new scheme must have scheme "new"')
    return Doctor(
        id=p.text(d, "id", path),
        name=p.string(d, "name", path, nullable=True),
        hpr=p.string(
            d, "hpr", path, nullable=True, pattern=_HPR_RE, pattern_message="must be 7–9 digits"
        ),
        scheme=scheme,
        training_start=p.date(d, "training_start", path) or _PLACEHOLDER_DAY,
        converted=converted,
    )


def _service(p: _Parser, path: str, value: object) -> ServicePeriod:
    d = p.obj(
        value,
        path,
        ("from", "to", "percent", "arena"),
        ("setting", "municipality", "registered_institution"),
    )
    start = p.date(d, "from", path)
    return ServicePeriod(
        start=start or _PLACEHOLDER_DAY,
        end=p.period_end(d, path, start),
        percent=p.number(d, "percent", path, maximum=100) or 0,
        arena=p.enum(d, "arena", path, ARENAS),
        setting=p.string(d, "setting", path, nullable=True),
        municipality=p.string(
            d,
            "municipality",
            path,
            nullable=True,
            pattern=_MUNICIPALITY_RE,
            pattern_message="must be a 4-digit kommunenummer",
        ),
        registered_institution=p.boolean(d, "registered_institution", path),
    )


def _leave(p: _Parser, path: str, value: object) -> LeavePeriod:
    d = p.obj(value, path, ("from", "to", "percent", "kind"))
    start = p.date(d, "from", path)
    return LeavePeriod(
        start=start or _PLACEHOLDER_DAY,
        end=p.period_end(d, path, start),
        percent=p.number(d, "percent", path, maximum=100) or 0,
        kind=p.enum(d, "kind", path, LEAVE_KINDS),
    )


def _session(p: _Parser, path: str, value: object) -> SupervisionSession:
    d = p.obj(value, path, ("date", "hours"), ("veileder",))
    return SupervisionSession(
        on=p.date(d, "date", path) or _PLACEHOLDER_DAY,
        hours=p.number(d, "hours", path, maximum=24) or 0,
        veileder=p.string(d, "veileder", path, nullable=True),
    )


def _group(p: _Parser, path: str, value: object) -> GroupPeriod:
    d = p.obj(value, path, ("from", "to", "hours", "diploma"), ("group",))
    start = p.date(d, "from", path)
    return GroupPeriod(
        start=start or _PLACEHOLDER_DAY,
        end=p.period_end(d, path, start),
        hours=p.number(d, "hours", path) or 0,
        group=p.string(d, "group", path, nullable=True),
        diploma=p.boolean(d, "diploma", path),
    )


def _course(p: _Parser, path: str, value: object) -> Course:
    d = p.obj(value, path, ("kind", "completed"), ("title", "hours"))
    return Course(
        kind=p.enum(d, "kind", path, COURSE_KINDS),
        title=p.string(d, "title", path, nullable=True),
        hours=p.number(d, "hours", path, nullable=True),
        completed=p.date(d, "completed", path, nullable=True),
    )


def _event(p: _Parser, path: str, value: object) -> GoalEvent:
    d = p.obj(value, path, ("at", "action", "by", "role"), ("comment",))
    return GoalEvent(
        at=p.timestamp(d, "at", path) or _PLACEHOLDER_TIME,
        action=p.enum(d, "action", path, ACTIONS),
        by=p.text(d, "by", path),
        role=p.enum(d, "role", path, ROLES),
        comment=p.string(d, "comment", path, nullable=True),
    )


def _plan(p: _Parser, value: object) -> tuple[str, tuple[GoalRecord, ...]]:
    path = "$.plan"
    d = p.obj(value, path, ("catalogue", "goals"))
    catalogue = p.text(d, "catalogue", path)
    goals: list[GoalRecord] = []
    seen: dict[str, str] = {}
    for goal_path, item in p.array(d, "goals", path):
        g = p.obj(item, goal_path, ("code", "events"))
        code = p.text(g, "code", goal_path)
        if code and code in seen:
            p.error(f"{goal_path}.code", f'duplicate goal code "{code}" (also at {seen[code]})')
        elif code:
            seen[code] = goal_path
        events = tuple(_event(p, ep, ev) for ep, ev in p.array(g, "events", goal_path))
        goals.append(GoalRecord(code, events))
    return catalogue, tuple(goals)


def parse(value: object) -> TrainingRecord:
    """Validate a decoded ``veiviser.progress/1`` document and return its training record.

    Raises :class:`ProgressFileInvalid` listing every error (never anything else, whatever
    ``value`` is).
    """
    p = _Parser()
    d = p.obj(
        value,
        "$",
        (
            "format",
            "exported_at",
            "ruleset",
            "doctor",
            "service",
            "leave",
            "supervision",
            "group_supervision",
            "courses",
            "plan",
        ),
    )
    if "format" in d and d["format"] != FORMAT:
        shown = d["format"] if isinstance(d["format"], str) else _kind(d["format"])
        p.error("$.format", f'must be "{FORMAT}", not {json.dumps(shown, ensure_ascii=False)}')
    p.timestamp(d, "exported_at", "$")
    ruleset = p.text(d, "ruleset", "$")
    doctor = _doctor(p, d["doctor"]) if "doctor" in d else None
    service = tuple(_service(p, path, v) for path, v in p.array(d, "service", "$"))
    leave = tuple(_leave(p, path, v) for path, v in p.array(d, "leave", "$"))
    sessions = tuple(_session(p, path, v) for path, v in p.array(d, "supervision", "$"))
    groups = tuple(_group(p, path, v) for path, v in p.array(d, "group_supervision", "$"))
    courses = tuple(_course(p, path, v) for path, v in p.array(d, "courses", "$"))
    catalogue, goals = _plan(p, d["plan"]) if "plan" in d else ("", ())
    if p.errors or doctor is None:
        raise ProgressFileInvalid(p.errors)
    return TrainingRecord(
        doctor=doctor,
        service=service,
        leave=leave,
        supervision=sessions,
        group_supervision=groups,
        courses=courses,
        catalogue=catalogue,
        goals=goals,
        ruleset=ruleset,
    )


# --------------------------------------------------------------------------- writing


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _event_dict(event: GoalEvent) -> dict[str, JSONValue]:
    out: dict[str, JSONValue] = {
        "at": event.at.isoformat(),
        "action": event.action,
        "by": event.by,
        "role": event.role,
    }
    if event.comment is not None:
        out["comment"] = event.comment
    return out


def dump(record: TrainingRecord, exported_at: dt.datetime) -> dict[str, JSONValue]:
    """The record as a ``veiviser.progress/1`` document (a JSON-ready dict).

    ``exported_at`` must be timezone-aware. ``parse(dump(record, t)) == record`` for every
    valid record. Optional values are written as ``null``, except an event's ``comment``,
    which is left out when there is none (as in the format's example).
    """
    if exported_at.tzinfo is None or exported_at.utcoffset() is None:
        raise ValueError("exported_at must be timezone-aware")
    doctor = record.doctor
    return {
        "format": FORMAT,
        "exported_at": exported_at.isoformat(),
        "ruleset": record.ruleset,
        "doctor": {
            "id": doctor.id,
            "name": doctor.name,
            "hpr": doctor.hpr,
            "scheme": doctor.scheme,
            "training_start": doctor.training_start.isoformat(),
            "converted": _day(doctor.converted),
        },
        "service": [
            {
                "from": p.start.isoformat(),
                "to": _day(p.end),
                "percent": p.percent,
                "arena": p.arena,
                "setting": p.setting,
                "municipality": p.municipality,
                "registered_institution": p.registered_institution,
            }
            for p in record.service
        ],
        "leave": [
            {"from": p.start.isoformat(), "to": _day(p.end), "percent": p.percent, "kind": p.kind}
            for p in record.leave
        ],
        "supervision": [
            {"date": s.on.isoformat(), "hours": s.hours, "veileder": s.veileder}
            for s in record.supervision
        ],
        "group_supervision": [
            {
                "from": g.start.isoformat(),
                "to": _day(g.end),
                "hours": g.hours,
                "group": g.group,
                "diploma": g.diploma,
            }
            for g in record.group_supervision
        ],
        "courses": [
            {"kind": c.kind, "title": c.title, "hours": c.hours, "completed": _day(c.completed)}
            for c in record.courses
        ],
        "plan": {
            "catalogue": record.catalogue,
            "goals": [
                {
                    "code": goal.code,
                    "events": [_event_dict(e) for e in goal.events],
                }
                for goal in record.goals
            ],
        },
    }


# --------------------------------------------------------------------------- reading files


class _Object(dict[str, Any]):
    """A decoded JSON object that remembers the keys it saw more than once."""

    duplicate_keys: tuple[str, ...] = ()


def _object_pairs(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        duplicates: list[str] = []
        for key, _value in pairs:
            if key in seen and key not in duplicates:
                duplicates.append(key)
            seen.add(key)
        result.duplicate_keys = tuple(duplicates)
    return result


def loads(text: str) -> TrainingRecord:
    """Decode and validate a progress file's text; errors as :class:`ProgressFileInvalid`."""
    try:
        value = json.loads(text, object_pairs_hook=_object_pairs)
    except json.JSONDecodeError as exc:
        raise ProgressFileInvalid(
            [
                ProgressFileError(
                    "$", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
                )
            ]
        ) from None
    except RecursionError:
        raise ProgressFileInvalid([ProgressFileError("$", "JSON nested too deeply")]) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise ProgressFileInvalid([ProgressFileError("$", f"invalid JSON: {exc}")]) from None
    return parse(value)


def load_path(path: str | Path) -> TrainingRecord:
    """Read, decode (UTF-8) and validate a progress file.

    Every problem, including an unreadable file or undecodable JSON (with line and column),
    is raised as :class:`ProgressFileInvalid`.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ProgressFileInvalid(
            [ProgressFileError("$", f"cannot read {path}: {reason}")]
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProgressFileInvalid(
            [ProgressFileError("$", f"not UTF-8 text (invalid byte at offset {exc.start})")]
        ) from None
    return loads(text)
