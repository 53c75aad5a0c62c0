"""The readiness verdict: is the doctor ready to apply for approval as specialist?

:func:`verdict` judges a :class:`~veiviser.rules.training.TrainingRecord` as of a date under a
ruleset; :func:`verdict_to_dict` renders it as the JSON object of ``progress-file.md`` (the
``veiviser readiness`` output and the API's); :func:`next_steps` lists what is still to do as
machine keys the UI translates.

Everything is judged *as of* the date: service and group periods are counted up to and
including it, and sessions, courses and goal events dated after it are left out (an event's
date is that of its timestamp in its own UTC offset), so that a verdict for a past date can be
reproduced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from veiviser.rules.goals import GoalStatus, goal_status
from veiviser.rules.group_supervision import GroupSupervisionResult, evaluate_group_supervision
from veiviser.rules.projection import project_completion
from veiviser.rules.ruleset import ALIS_2019, Ruleset
from veiviser.rules.service_time import ServiceTimeResult, count_service
from veiviser.rules.supervision import SupervisionResult, evaluate_supervision
from veiviser.rules.timeline import at_least
from veiviser.rules.training import Course, GoalRecord, JSONValue, TrainingRecord

__all__ = [
    "OLD_SCHEME_NOTE",
    "Requirement",
    "Verdict",
    "missing_courses",
    "next_steps",
    "verdict",
    "verdict_to_dict",
]

OLD_SCHEME_NOTE = "old_scheme"
"""The ``note`` of a verdict for a doctor on the old scheme (no ALIS-2019 verdict)."""


class Requirement(NamedTuple):
    """One line of the verdict. ``details`` are the extra JSON keys, in output order.

    (A named tuple: immutable and cheap to make for thousands of verdicts.)"""

    id: str
    met: bool
    severity: str  # "blocking", "recommended" or "info"
    details: tuple[tuple[str, JSONValue], ...] = ()

    def get(self, key: str) -> JSONValue:
        """The detail ``key`` (``None`` when absent)."""
        for name, value in self.details:
            if name == key:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Verdict:
    """The readiness verdict and the results it was built from (for the UI).

    ``ready`` is ``None`` (and ``note`` is :data:`OLD_SCHEME_NOTE`) for a doctor on the old
    scheme: see :func:`verdict`.
    """

    doctor: str
    ruleset: str
    as_of: dt.date
    ready: bool | None
    requirements: tuple[Requirement, ...]
    projected_general_practice_complete: dt.date | None
    note: str | None = None
    service: ServiceTimeResult | None = None
    supervision: SupervisionResult | None = None
    group_supervision: GroupSupervisionResult | None = None
    goal_statuses: tuple[GoalStatus, ...] = ()  # in plan order, as of the date

    def requirement(self, requirement_id: str) -> Requirement | None:
        """The requirement with this id, if any."""
        for requirement in self.requirements:
            if requirement.id == requirement_id:
                return requirement
        return None


def _months(value: float) -> float:
    return round(float(value), 2)


def _subject(title: str) -> str:
    return " ".join(title.split()).casefold()


def missing_courses(
    courses: Sequence[Course], as_of: dt.date, ruleset: Ruleset = ALIS_2019
) -> list[str]:
    """Recommended course kinds not completed by ``as_of``, in the ruleset's order, then
    ``"emnekurs"`` unless emnekurs in ``emnekurs_min_subjects`` different subjects of at least
    ``emnekurs_min_hours`` hours each are completed. A subject is the course title (case and
    spacing ignored); an emnekurs without title or hours cannot be told apart or measured and
    does not count.
    """
    done = {c.kind for c in courses if c.completed is not None and c.completed <= as_of}
    missing = [kind for kind in ruleset.recommended_course_kinds if kind not in done]
    subjects = {
        _subject(c.title)
        for c in courses
        if c.kind == "emnekurs"
        and c.completed is not None
        and c.completed <= as_of
        and c.title
        and c.title.strip()
        and c.hours is not None
        and at_least(c.hours, ruleset.emnekurs_min_hours)
    }
    if len(subjects) < ruleset.emnekurs_min_subjects:
        missing.append("emnekurs")
    return missing


def _goals(
    goals: Sequence[GoalRecord], doctor_id: str, as_of: dt.date
) -> tuple[tuple[GoalStatus, ...], int, list[str], list[str]]:
    statuses: list[GoalStatus] = []
    approved = 0
    missing: list[str] = []
    invalid: list[str] = []
    for goal in goals:
        status = goal_status(goal.events, doctor_id, until=as_of)
        statuses.append(status)
        if not status.approved:
            missing.append(goal.code)
        elif status.valid:
            approved += 1
        else:
            invalid.append(goal.code)
    return tuple(statuses), approved, missing, invalid


def verdict(record: TrainingRecord, as_of: dt.date, ruleset: Ruleset = ALIS_2019) -> Verdict:
    """Judge ``record`` as of ``as_of`` (inclusive) under ``ruleset``.

    ``ready`` is true exactly when every ``blocking`` requirement is met. A plan without goals
    does not meet ``learning_goals`` (ADR 0005).

    Old scheme (``doctor.scheme == "old"``): the ALIS-2019 rules do not apply to these doctors
    (they may apply under the old rules until 31 December 2026), so no verdict is given: the
    result has ``ready = None``, no requirements, no projection and ``note = "old_scheme"``
    (ADR 0002). The UI shows their data without a verdict.
    """
    doctor = record.doctor
    if doctor.scheme == "old":
        return Verdict(doctor.id, ruleset.name, as_of, None, (), None, OLD_SCHEME_NOTE)
    service = count_service(record.service, record.leave, as_of, ruleset)
    supervision = evaluate_supervision(
        record.supervision, service, doctor.supervision_start, as_of, ruleset
    )
    group = evaluate_group_supervision(record.group_supervision, service, as_of, ruleset)
    statuses, approved, missing_goals, invalid_goals = _goals(record.goals, doctor.id, as_of)
    total_goals = len(record.goals)
    courses_missing = missing_courses(record.courses, as_of, ruleset)
    share = service.registered_institution_share
    years: list[JSONValue] = [
        {
            "year": year.number,
            "from": year.start.isoformat(),
            "to": year.end.isoformat(),
            "hours": round(float(year.hours), 2),
            "required": round(float(year.required), 2),
            "met": year.met,
        }
        for year in supervision.years
    ]
    requirements = (
        Requirement(
            "open_practice",
            service.open_practice_met,
            "blocking",
            (
                ("months", _months(service.open_practice)),
                ("required", ruleset.open_practice_min_months),
            ),
        ),
        Requirement(
            "general_practice",
            service.general_practice_met,
            "blocking",
            (
                ("months", _months(service.general_practice)),
                ("required", ruleset.general_practice_min_months),
            ),
        ),
        Requirement(
            "other_gp",
            True,
            "info",
            (
                ("months", _months(service.other_gp)),
                ("max_counted", ruleset.other_gp_max_counted_months),
                ("recorded", _months(service.other_gp_recorded)),
            ),
        ),
        Requirement(
            "institution",
            service.institution_met,
            "blocking",
            (
                ("months", _months(service.institution)),
                ("required", ruleset.institution_min_months),
            ),
        ),
        Requirement(
            "supervision",
            supervision.met,
            "blocking",
            (("years", years), ("months_under_minimum", list(supervision.months_under_minimum))),
        ),
        Requirement(
            "group_supervision",
            group.met,
            "blocking",
            (
                ("months", _months(group.months)),
                ("hours", round(group.hours, 2)),
                ("open_practice_months", _months(group.open_practice_months)),
            ),
        ),
        Requirement("group_supervision_diploma", group.diploma, "blocking"),
        Requirement(
            "learning_goals",
            total_goals > 0 and approved == total_goals,
            "blocking",
            (
                ("approved", approved),
                ("total", total_goals),
                ("missing", list[JSONValue](missing_goals)),
                ("invalid", list[JSONValue](invalid_goals)),
            ),
        ),
        Requirement(
            "courses",
            not courses_missing,
            "recommended",
            (("missing", list[JSONValue](courses_missing)),),
        ),
        Requirement(
            "registered_institution_share",
            at_least(share, ruleset.registered_institution_info_share),
            "info",
            (("share", round(share, 2)),),
        ),
    )
    ready = all(r.met for r in requirements if r.severity == "blocking")
    return Verdict(
        doctor=doctor.id,
        ruleset=ruleset.name,
        as_of=as_of,
        ready=ready,
        requirements=requirements,
        projected_general_practice_complete=project_completion(
            record.service, record.leave, as_of, ruleset, counted=service
        ),
        service=service,
        supervision=supervision,
        group_supervision=group,
        goal_statuses=statuses,
    )


def verdict_to_dict(result: Verdict) -> dict[str, JSONValue]:
    """The verdict as the JSON object of ``progress-file.md`` (keys in that order).

    An old-scheme verdict has the same keys plus ``"note": "old_scheme"``.
    """
    requirements: list[JSONValue] = []
    for r in result.requirements:
        item: dict[str, JSONValue] = {"id": r.id, "met": r.met, "severity": r.severity}
        item.update(r.details)
        requirements.append(item)
    projected = result.projected_general_practice_complete
    out: dict[str, JSONValue] = {
        "doctor": result.doctor,
        "ruleset": result.ruleset,
        "as_of": result.as_of.isoformat(),
        "ready": result.ready,
        "requirements": requirements,
        "projected_general_practice_complete": projected.isoformat() if projected else None,
    }
    if result.note is not None:
        out["note"] = result.note
    return out


_SIMPLE_STEPS = {
    "open_practice": "open_practice_missing",
    "general_practice": "general_practice_missing",
    "institution": "institution_missing",
    "supervision": "supervision_hours_missing",
    "group_supervision": "group_supervision_missing",
    "group_supervision_diploma": "group_supervision_diploma_missing",
    "courses": "courses_recommended",
    "registered_institution_share": "registered_institution_share_low",
}


def next_steps(result: Verdict) -> list[str]:
    """What is still to do, as short English keys the UI translates, in requirement order.

    Keys: ``old_scheme_no_verdict``, ``open_practice_missing``, ``general_practice_missing``,
    ``other_gp_over_cap``, ``institution_missing``, ``supervision_hours_missing``,
    ``supervision_below_monthly_minimum``, ``group_supervision_missing``,
    ``group_supervision_diploma_missing``, ``plan_missing``, ``learning_goals_missing``,
    ``learning_goals_invalid``, ``courses_recommended``, ``registered_institution_share_low``.
    """
    if result.note == OLD_SCHEME_NOTE:
        return ["old_scheme_no_verdict"]
    steps: list[str] = []
    for r in result.requirements:
        if r.id == "other_gp":
            recorded, counted = r.get("recorded"), r.get("months")
            if isinstance(recorded, float) and isinstance(counted, float) and recorded > counted:
                steps.append("other_gp_over_cap")
        elif r.id == "supervision":
            if not r.met:
                steps.append("supervision_hours_missing")
            if r.get("months_under_minimum"):
                steps.append("supervision_below_monthly_minimum")
        elif r.id == "learning_goals":
            if r.get("total") == 0:
                steps.append("plan_missing")
            if r.get("missing"):
                steps.append("learning_goals_missing")
            if r.get("invalid"):
                steps.append("learning_goals_invalid")
        elif not r.met and r.id in _SIMPLE_STEPS:
            steps.append(_SIMPLE_STEPS[r.id])
    return steps
