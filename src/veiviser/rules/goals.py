"""Learning goals (læringsmål): status of an event history, validity of an approval, and the
state machine the app uses to decide which events may be added next.

Status (``rules.md``, "Learning goals"): a goal is **approved** when its latest decisive event
(``approved``, ``rejected`` or ``reopened``) is ``approved``. The approval is **valid** when,
before it and after the last ``rejected``/``reopened`` before it, there is at least one
``recommended`` by role ``veileder`` and at least one by role ``supervisor`` (recommendations by
the doctor themselves do not count, ADR 0004), and the approver has role ``leader`` and is not
the doctor. ``withdrawn`` does not reset the chain (the spec names only rejected and reopened).

Events are taken in time order (``at``; ties keep their given order).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Literal

from veiviser.rules.training import GoalEvent, Role

__all__ = [
    "GOAL_STATES",
    "GoalState",
    "GoalStatus",
    "GoalTransitionError",
    "allowed_actions",
    "apply",
    "goal_status",
    "in_time_order",
]

GoalState = Literal[
    "not_started",
    "submitted",
    "recommended",  # recommended by one of veileder / supervisor so far
    "ready_for_decision",  # recommended by both: the leader may approve
    "approved",
    "rejected",
    "withdrawn",
    "reopened",
]
GOAL_STATES: tuple[GoalState, ...] = (
    "not_started",
    "submitted",
    "recommended",
    "ready_for_decision",
    "approved",
    "rejected",
    "withdrawn",
    "reopened",
)
_PENDING: frozenset[str] = frozenset({"submitted", "recommended", "ready_for_decision"})
_SUBMITTABLE: frozenset[str] = frozenset({"not_started", "withdrawn", "rejected", "reopened"})
_by_time = attrgetter("at")


@dataclass(frozen=True, slots=True)
class GoalStatus:
    """Where a goal stands.

    ``approved``: the latest decisive event is ``approved``. ``valid``: approved with a valid
    chain (false when not approved). ``problems``: why an approval is invalid, as codes
    (``missing_veileder_recommendation``, ``missing_supervisor_recommendation``,
    ``approver_not_leader``, ``approver_is_doctor``). ``recommended_by_*``: the roles that have
    recommended since the last ``rejected``/``reopened``.
    """

    state: GoalState
    approved: bool
    valid: bool
    problems: tuple[str, ...] = ()
    recommended_by_veileder: bool = False
    recommended_by_supervisor: bool = False


class GoalTransitionError(ValueError):
    """An event that may not be added to a goal's history; ``code`` is a machine key."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def in_time_order(events: Sequence[GoalEvent]) -> Sequence[GoalEvent]:
    """The events sorted by ``at`` (stable: ties keep their given order)."""
    for i in range(1, len(events)):
        if events[i].at < events[i - 1].at:
            return sorted(events, key=_by_time)
    return events


def _pending_state(veileder: bool, supervisor: bool) -> GoalState:
    if veileder and supervisor:
        return "ready_for_decision"
    if veileder or supervisor:
        return "recommended"
    return "submitted"


_STATUSES: dict[tuple[str, bool, tuple[str, ...], bool, bool], GoalStatus] = {}


def _status(
    state: GoalState, approved: bool, problems: tuple[str, ...], veileder: bool, supervisor: bool
) -> GoalStatus:
    """Statuses are few and immutable: share one instance per value."""
    key = (state, approved, problems, veileder, supervisor)
    status = _STATUSES.get(key)
    if status is None:
        valid = approved and not problems
        status = _STATUSES[key] = GoalStatus(state, approved, valid, problems, veileder, supervisor)
    return status


def goal_status(
    events: Sequence[GoalEvent],
    doctor_id: str | None = None,
    *,
    until: dt.date | None = None,
) -> GoalStatus:
    """Derive a goal's status from its events; ``doctor_id`` identifies the doctor (ALIS).

    With ``until``, events dated after that day are left out (the status as it was at the end
    of ``until``); an event's day is the date of its timestamp as recorded, in its own UTC
    offset, which for Norwegian timestamps is the Norwegian date. Without ``doctor_id`` the
    check "the approver is not the doctor" relies on roles only.
    """
    if not events:
        return _status("not_started", False, (), False, False)
    # Events after `until` are a suffix when in time order (checked below).
    check_until = until is not None and events[-1].at.date() > until
    state: str = "not_started"  # or "pending": submitted, not yet decided or withdrawn
    veileder = supervisor = False
    decision: GoalEvent | None = None  # the latest approved/rejected/reopened
    chain_v = chain_s = False  # recommendations before that approval
    previous = events[0].at
    for event in events:
        at = event.at
        if at < previous:
            return goal_status(sorted(events, key=_by_time), doctor_id, until=until)
        previous = at
        if check_until and at.date() > until:  # type: ignore[operator]
            continue
        action = event.action
        if action == "recommended":
            if event.by != doctor_id:
                role = event.role
                if role == "veileder":
                    veileder = True
                elif role == "supervisor":
                    supervisor = True
        elif action == "submitted":
            state = "pending"
        elif action == "approved":
            decision = event
            chain_v, chain_s = veileder, supervisor
            state = "approved"
        elif action == "withdrawn":
            if state == "pending":
                state = "withdrawn"
        else:  # rejected, reopened
            decision = event
            veileder = supervisor = False
            state = action
    if decision is None or decision.action != "approved":
        if state == "pending":
            state = _pending_state(veileder, supervisor)
        key: tuple[str, bool, tuple[str, ...], bool, bool] = (
            state,
            False,
            (),
            veileder,
            supervisor,
        )
    else:
        problems: tuple[str, ...] = ()
        if not chain_v:
            problems += ("missing_veileder_recommendation",)
        if not chain_s:
            problems += ("missing_supervisor_recommendation",)
        if decision.role != "leader":
            problems += ("approver_not_leader",)
        if decision.role == "alis" or decision.by == doctor_id:
            problems += ("approver_is_doctor",)
        key = ("approved", True, problems, veileder, supervisor)
    status = _STATUSES.get(key)
    return status if status is not None else _status(*key)  # type: ignore[arg-type]


def allowed_actions(
    events: Sequence[GoalEvent],
    actor_role: Role | str,
    actor_is_doctor: bool,
    *,
    doctor_id: str | None = None,
) -> set[str]:
    """The actions an actor with ``actor_role`` may add next to a goal with these events.

    * the doctor (role ``alis``): ``submitted`` when nothing is pending or the goal was
      withdrawn, rejected or reopened; ``withdrawn`` while a submission is pending;
    * ``veileder`` / ``supervisor``: ``recommended`` while a submission is pending and their
      role has not recommended yet since the last rejection or reopening;
    * ``leader``: ``approved`` when recommended by both roles, ``rejected`` while a submission
      is pending, ``reopened`` when approved.

    The doctor may do nothing under another role on their own goal, and nobody but the doctor
    acts as ``alis``. ``doctor_id``, when given, keeps the doctor's own recommendations out of
    the chain (see :func:`goal_status`).
    """
    return _allowed(goal_status(events, doctor_id), actor_role, actor_is_doctor)


def _allowed(status: GoalStatus, role: str, actor_is_doctor: bool) -> set[str]:
    state = status.state
    actions: set[str] = set()
    if role == "alis":
        if actor_is_doctor:
            if state in _SUBMITTABLE:
                actions.add("submitted")
            if state in _PENDING:
                actions.add("withdrawn")
        return actions
    if actor_is_doctor:
        return actions
    if role in ("veileder", "supervisor"):
        done = (
            status.recommended_by_veileder
            if role == "veileder"
            else status.recommended_by_supervisor
        )
        if state in _PENDING and not done:
            actions.add("recommended")
    elif role == "leader":
        if state == "ready_for_decision":
            actions.add("approved")
        if state in _PENDING:
            actions.add("rejected")
        if state == "approved":
            actions.add("reopened")
    return actions


def _refusal(status: GoalStatus, event: GoalEvent, actor_is_doctor: bool) -> GoalTransitionError:
    state, action, role = status.state, event.action, event.role
    if role == "alis" and not actor_is_doctor:
        return GoalTransitionError("not_the_doctor", "only the doctor can act as ALIS on a goal")
    if role != "alis" and actor_is_doctor:
        return GoalTransitionError(
            "doctor_cannot_assess_own_goal",
            f"the doctor cannot record {action!r} on their own goal",
        )
    allowed_roles = {
        "submitted": ("alis",),
        "withdrawn": ("alis",),
        "recommended": ("veileder", "supervisor"),
        "approved": ("leader",),
        "rejected": ("leader",),
        "reopened": ("leader",),
    }[action]
    if role not in allowed_roles:
        who = " or ".join(allowed_roles)
        return GoalTransitionError("wrong_role", f"only {who} can record {action!r}, not {role}")
    if action == "approved" and state == "approved":
        return GoalTransitionError("already_approved", "the goal is already approved")
    if action == "approved" and state in _PENDING:
        missing = [
            name
            for name, done in (
                ("veileder", status.recommended_by_veileder),
                ("supervisor", status.recommended_by_supervisor),
            )
            if not done
        ]
        return GoalTransitionError(
            "recommendations_missing",
            "cannot approve before the goal is recommended by both the veileder and a "
            f"supervisor (missing: {', '.join(missing)})",
        )
    if action == "reopened":
        return GoalTransitionError("not_approved", "only an approved goal can be reopened")
    if action == "submitted":
        if state == "approved":
            return GoalTransitionError(
                "already_approved", "the goal is approved; a leader must reopen it first"
            )
        return GoalTransitionError("already_submitted", "the goal is already submitted")
    if action == "recommended" and state in _PENDING:
        return GoalTransitionError(
            "already_recommended", f"the goal is already recommended by the {role}"
        )
    return GoalTransitionError(
        "nothing_pending", f"cannot record {action!r}: the goal has no pending submission"
    )


def apply(
    events: Sequence[GoalEvent], new_event: GoalEvent, *, doctor_id: str | None = None
) -> tuple[GoalEvent, ...]:
    """Return the history with ``new_event`` appended, or raise :class:`GoalTransitionError`.

    The actor is the doctor when ``new_event.by == doctor_id`` (without ``doctor_id``: when the
    role is ``alis``). The event must carry a timezone-aware time not before the latest event.
    """
    at = new_event.at
    if not isinstance(at, dt.datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise GoalTransitionError("naive_time", "the event time must have a UTC offset")
    ordered = in_time_order(events)
    if ordered and at < ordered[-1].at:
        raise GoalTransitionError(
            "before_latest_event", "the event is dated before the goal's latest event"
        )
    actor_is_doctor = (
        new_event.by == doctor_id if doctor_id is not None else new_event.role == "alis"
    )
    status = goal_status(ordered, doctor_id)
    if new_event.action not in _allowed(status, new_event.role, actor_is_doctor):
        raise _refusal(status, new_event, actor_is_doctor)
    return (*ordered, new_event)
