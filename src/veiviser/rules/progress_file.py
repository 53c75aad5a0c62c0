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
import re
from pathlib import Path
from typing import Any

from veiviser.rules.json_fields import (
    FieldReader,
    ProgressFileError,
    ProgressFileInvalid,
    kind_of,
)
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
_HPR_RE = re.compile(r"\d{7,9}")
_MUNICIPALITY_RE = re.compile(r"\d{4}")
_PLACEHOLDER_DAY = dt.date(2000, 1, 1)
_PLACEHOLDER_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _doctor(p: FieldReader, value: object) -> Doctor:
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


def _service(p: FieldReader, path: str, value: object) -> ServicePeriod:
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


def _leave(p: FieldReader, path: str, value: object) -> LeavePeriod:
    d = p.obj(value, path, ("from", "to", "percent", "kind"))
    start = p.date(d, "from", path)
    return LeavePeriod(
        start=start or _PLACEHOLDER_DAY,
        end=p.period_end(d, path, start),
        percent=p.number(d, "percent", path, maximum=100) or 0,
        kind=p.enum(d, "kind", path, LEAVE_KINDS),
    )


def _session(p: FieldReader, path: str, value: object) -> SupervisionSession:
    d = p.obj(value, path, ("date", "hours"), ("veileder",))
    return SupervisionSession(
        on=p.date(d, "date", path) or _PLACEHOLDER_DAY,
        hours=p.number(d, "hours", path, maximum=24) or 0,
        veileder=p.string(d, "veileder", path, nullable=True),
    )


def _group(p: FieldReader, path: str, value: object) -> GroupPeriod:
    d = p.obj(value, path, ("from", "to", "hours", "diploma"), ("group",))
    start = p.date(d, "from", path)
    return GroupPeriod(
        start=start or _PLACEHOLDER_DAY,
        end=p.period_end(d, path, start),
        hours=p.number(d, "hours", path) or 0,
        group=p.string(d, "group", path, nullable=True),
        diploma=p.boolean(d, "diploma", path),
    )


def _course(p: FieldReader, path: str, value: object) -> Course:
    d = p.obj(value, path, ("kind", "completed"), ("title", "hours"))
    return Course(
        kind=p.enum(d, "kind", path, COURSE_KINDS),
        title=p.string(d, "title", path, nullable=True),
        hours=p.number(d, "hours", path, nullable=True),
        completed=p.date(d, "completed", path, nullable=True),
    )


def _event(p: FieldReader, path: str, value: object) -> GoalEvent:
    d = p.obj(value, path, ("at", "action", "by", "role"), ("comment",))
    return GoalEvent(
        at=p.timestamp(d, "at", path) or _PLACEHOLDER_TIME,
        action=p.enum(d, "action", path, ACTIONS),
        by=p.text(d, "by", path),
        role=p.enum(d, "role", path, ROLES),
        comment=p.string(d, "comment", path, nullable=True),
    )


def _plan(p: FieldReader, value: object) -> tuple[str, tuple[GoalRecord, ...]]:
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
    p = FieldReader()
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
        shown = d["format"] if isinstance(d["format"], str) else kind_of(d["format"])
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
