"""The plain, immutable input of the ALIS rules: one doctor's training record.

These dataclasses mirror the portable progress file (``veiviser.progress/1``); the Django apps
build them from the database and the rule modules read them. Dates are ``datetime.date``,
end dates inclusive and ``None`` while a period is ongoing; timestamps are timezone-aware.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, TypeAlias, get_args

__all__ = [
    "ACTIONS",
    "ARENAS",
    "COUNTED_ARENAS",
    "COURSE_KINDS",
    "LEAVE_KINDS",
    "ROLES",
    "SCHEMES",
    "Action",
    "Arena",
    "Course",
    "CourseKind",
    "Doctor",
    "GoalEvent",
    "GoalRecord",
    "GroupPeriod",
    "JSONValue",
    "LeaveKind",
    "LeavePeriod",
    "Role",
    "Scheme",
    "ServicePeriod",
    "SupervisionSession",
    "TrainingRecord",
]

Arena = Literal["open_practice", "other_gp", "institution", "other"]
Scheme = Literal["new", "old"]
LeaveKind = Literal["parental", "sick", "other"]
CourseKind = Literal[
    "grunnkurs_a", "grunnkurs_b", "grunnkurs_c", "grunnkurs_d", "akuttmedisin", "emnekurs", "other"
]
Action = Literal["submitted", "recommended", "approved", "rejected", "withdrawn", "reopened"]
Role = Literal["alis", "veileder", "supervisor", "leader"]

JSONValue: TypeAlias = "bool | int | float | str | list[JSONValue] | dict[str, JSONValue] | None"
"""A decoded JSON value."""

ARENAS: tuple[Arena, ...] = get_args(Arena)
COUNTED_ARENAS: tuple[Arena, ...] = ("open_practice", "other_gp", "institution")
SCHEMES: tuple[Scheme, ...] = get_args(Scheme)
LEAVE_KINDS: tuple[LeaveKind, ...] = get_args(LeaveKind)
COURSE_KINDS: tuple[CourseKind, ...] = get_args(CourseKind)
ACTIONS: tuple[Action, ...] = get_args(Action)
ROLES: tuple[Role, ...] = get_args(Role)


@dataclass(frozen=True, slots=True)
class ServicePeriod:
    """Service (tjenestetid) at ``percent`` of full time in one arena, ``start``..``end``."""

    start: dt.date
    end: dt.date | None
    percent: float
    arena: Arena
    setting: str | None = None
    municipality: str | None = None
    registered_institution: bool = False


@dataclass(frozen=True, slots=True)
class LeavePeriod:
    """Leave (permisjon) at ``percent``, ``start``..``end`` inclusive."""

    start: dt.date
    end: dt.date | None
    percent: float
    kind: LeaveKind = "other"


@dataclass(frozen=True, slots=True)
class SupervisionSession:
    """One session of individual supervision (veiledning) held ``on`` a day."""

    on: dt.date
    hours: float
    veileder: str | None = None


@dataclass(frozen=True, slots=True)
class GroupPeriod:
    """Membership of a supervision group (gruppeveiledning) and the hours attended."""

    start: dt.date
    end: dt.date | None
    hours: float
    group: str | None = None
    diploma: bool = False


@dataclass(frozen=True, slots=True)
class Course:
    """A course; ``completed`` is ``None`` while it is only planned."""

    kind: CourseKind
    title: str | None = None
    hours: float | None = None
    completed: dt.date | None = None


@dataclass(frozen=True, slots=True)
class GoalEvent:
    """One event in a learning goal's history."""

    at: dt.datetime
    action: Action
    by: str
    role: Role
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class GoalRecord:
    """A learning goal of the individual plan with its event history (oldest first)."""

    code: str
    events: tuple[GoalEvent, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Doctor:
    """The ALIS. ``converted`` is the date of conversion from the old scheme, if any."""

    id: str
    name: str | None = None
    hpr: str | None = None
    scheme: Scheme = "new"
    training_start: dt.date
    converted: dt.date | None = None

    @property
    def supervision_start(self) -> dt.date:
        """Start of the first training year: the conversion date, else the training start."""
        return self.converted if self.converted is not None else self.training_start


@dataclass(frozen=True, slots=True)
class TrainingRecord:
    """Everything the rules need about one doctor; ``goals`` are in plan (catalogue) order."""

    doctor: Doctor
    service: tuple[ServicePeriod, ...] = ()
    leave: tuple[LeavePeriod, ...] = ()
    supervision: tuple[SupervisionSession, ...] = ()
    group_supervision: tuple[GroupPeriod, ...] = ()
    courses: tuple[Course, ...] = ()
    catalogue: str = ""
    goals: tuple[GoalRecord, ...] = ()
    ruleset: str = "ALIS-2019"

    @property
    def plan_goal_codes(self) -> tuple[str, ...]:
        """The codes of the plan's goals, in plan order."""
        return tuple(goal.code for goal in self.goals)
