"""Learning goals (rules.md, "Learning goals"): status, validity of approvals, and the state
machine that decides which events may be added."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veiviser.rules.goals import GoalTransitionError, allowed_actions, apply, goal_status
from veiviser.rules.training import GoalEvent

OSLO_SUMMER = dt.timezone(dt.timedelta(hours=2))
T0 = dt.datetime(2024, 5, 2, 9, 0, tzinfo=OSLO_SUMMER)
DOCTOR = "d-81f3"


def ev(hours: float, action: str, by: str, role: str) -> GoalEvent:
    return GoalEvent(T0 + dt.timedelta(hours=hours), action, by, role)  # type: ignore[arg-type]


SUBMIT = ev(0, "submitted", DOCTOR, "alis")
REC_V = ev(1, "recommended", "v-22", "veileder")
REC_S = ev(2, "recommended", "s-07", "supervisor")
APPROVE = ev(3, "approved", "l-03", "leader")
VALID_CHAIN = (SUBMIT, REC_V, REC_S, APPROVE)


# --------------------------------------------------------------------------- status


@pytest.mark.parametrize(
    ("events", "state"),
    [
        ((), "not_started"),
        ((SUBMIT,), "submitted"),
        ((SUBMIT, REC_V), "recommended"),
        ((SUBMIT, REC_S), "recommended"),
        ((SUBMIT, REC_V, REC_S), "ready_for_decision"),
        (VALID_CHAIN, "approved"),
        ((SUBMIT, ev(1, "withdrawn", DOCTOR, "alis")), "withdrawn"),
        ((SUBMIT, REC_V, ev(2, "rejected", "l-03", "leader")), "rejected"),
        ((*VALID_CHAIN, ev(4, "reopened", "l-03", "leader")), "reopened"),
    ],
)
def test_the_state_follows_the_events(events: tuple[GoalEvent, ...], state: str) -> None:
    assert goal_status(events, DOCTOR).state == state


def test_an_approval_with_the_full_chain_is_approved_and_valid() -> None:
    status = goal_status(VALID_CHAIN, DOCTOR)
    assert (status.approved, status.valid, status.problems) == (True, True, ())


def test_an_approval_without_a_supervisor_recommendation_is_invalid() -> None:
    status = goal_status((SUBMIT, REC_V, APPROVE), DOCTOR)
    assert (status.approved, status.valid) == (True, False)
    assert status.problems == ("missing_supervisor_recommendation",)


def test_an_approval_by_someone_not_a_leader_is_invalid() -> None:
    status = goal_status((SUBMIT, REC_V, REC_S, ev(3, "approved", "v-22", "veileder")), DOCTOR)
    assert status.problems == ("approver_not_leader",)


def test_the_doctor_cannot_approve_their_own_goal_even_as_leader() -> None:
    status = goal_status((SUBMIT, REC_V, REC_S, ev(3, "approved", DOCTOR, "leader")), DOCTOR)
    assert status.problems == ("approver_is_doctor",)


def test_the_doctors_own_recommendation_does_not_count() -> None:
    events = (SUBMIT, ev(1, "recommended", DOCTOR, "veileder"), REC_S, APPROVE)
    assert goal_status(events, DOCTOR).problems == ("missing_veileder_recommendation",)


def test_recommendations_before_a_rejection_do_not_carry_over() -> None:
    events = (
        SUBMIT,
        REC_V,
        REC_S,
        ev(3, "rejected", "l-03", "leader"),
        ev(4, "submitted", DOCTOR, "alis"),
        ev(5, "approved", "l-03", "leader"),
    )
    status = goal_status(events, DOCTOR)
    assert status.problems == (
        "missing_veileder_recommendation",
        "missing_supervisor_recommendation",
    )


def test_a_reopened_goal_is_not_approved_until_approved_again_with_a_new_chain() -> None:
    reopened = (*VALID_CHAIN, ev(4, "reopened", "l-03", "leader"))
    assert goal_status(reopened, DOCTOR).approved is False
    again = (
        *reopened,
        ev(5, "submitted", DOCTOR, "alis"),
        ev(6, "recommended", "v-22", "veileder"),
        ev(7, "recommended", "s-07", "supervisor"),
        ev(8, "approved", "l-03", "leader"),
    )
    assert goal_status(again, DOCTOR).valid is True


def test_a_withdrawal_does_not_reset_the_recommendations() -> None:
    events = (
        SUBMIT,
        REC_V,
        REC_S,
        ev(3, "withdrawn", DOCTOR, "alis"),
        ev(4, "submitted", DOCTOR, "alis"),
    )
    assert goal_status(events, DOCTOR).state == "ready_for_decision"


def test_events_are_taken_in_time_order_whatever_their_order_in_the_file() -> None:
    assert goal_status((APPROVE, REC_S, SUBMIT, REC_V), DOCTOR).valid is True


def test_events_after_the_until_date_are_left_out() -> None:
    late = (SUBMIT, REC_V, REC_S, ev(24 * 10, "approved", "l-03", "leader"))
    assert goal_status(late, DOCTOR, until=dt.date(2024, 5, 5)).state == "ready_for_decision"
    assert goal_status(late, DOCTOR, until=dt.date(2024, 5, 12)).state == "approved"


# --------------------------------------------------------------------------- state machine


@pytest.mark.parametrize(
    ("events", "role", "is_doctor", "expected"),
    [
        ((), "alis", True, {"submitted"}),
        ((), "alis", False, set()),
        ((), "veileder", False, set()),
        ((), "leader", False, set()),
        ((SUBMIT,), "alis", True, {"withdrawn"}),
        ((SUBMIT,), "veileder", False, {"recommended"}),
        ((SUBMIT,), "supervisor", False, {"recommended"}),
        ((SUBMIT,), "leader", False, {"rejected"}),
        ((SUBMIT, REC_V), "veileder", False, set()),
        ((SUBMIT, REC_V), "supervisor", False, {"recommended"}),
        ((SUBMIT, REC_V, REC_S), "leader", False, {"approved", "rejected"}),
        ((SUBMIT, REC_V, REC_S), "leader", True, set()),
        (VALID_CHAIN, "leader", False, {"reopened"}),
        (VALID_CHAIN, "alis", True, set()),
        ((*VALID_CHAIN, ev(4, "reopened", "l-03", "leader")), "alis", True, {"submitted"}),
    ],
)
def test_allowed_actions(
    events: tuple[GoalEvent, ...], role: str, is_doctor: bool, expected: set[str]
) -> None:
    assert allowed_actions(events, role, is_doctor) == expected


def test_apply_appends_an_allowed_event() -> None:
    events: tuple[GoalEvent, ...] = ()
    for event in VALID_CHAIN:
        events = apply(events, event, doctor_id=DOCTOR)
    assert events == VALID_CHAIN
    assert goal_status(events, DOCTOR).valid


@pytest.mark.parametrize(
    ("events", "event", "code", "fragment"),
    [
        (
            (SUBMIT, REC_V),
            ev(3, "approved", "l-03", "leader"),
            "recommendations_missing",
            "supervisor",
        ),
        ((), ev(1, "withdrawn", DOCTOR, "alis"), "nothing_pending", "no pending submission"),
        ((SUBMIT, REC_V, REC_S), ev(4, "reopened", "l-03", "leader"), "not_approved", "reopened"),
        (VALID_CHAIN, ev(4, "approved", "l-04", "leader"), "already_approved", "already approved"),
        (VALID_CHAIN, ev(4, "submitted", DOCTOR, "alis"), "already_approved", "reopen"),
        ((SUBMIT,), ev(1, "submitted", DOCTOR, "alis"), "already_submitted", "already submitted"),
        (
            (SUBMIT, REC_V),
            ev(2, "recommended", "v-23", "veileder"),
            "already_recommended",
            "veileder",
        ),
        ((SUBMIT,), ev(1, "approved", "v-22", "veileder"), "wrong_role", "only leader"),
        (
            (SUBMIT, REC_V, REC_S),
            ev(3, "approved", DOCTOR, "leader"),
            "doctor_cannot_assess_own_goal",
            "own",
        ),
        ((), ev(0, "submitted", "d-other", "alis"), "not_the_doctor", "only the doctor"),
        (
            (SUBMIT, REC_V, REC_S),
            ev(-1, "approved", "l-03", "leader"),
            "before_latest_event",
            "before",
        ),
    ],
)
def test_apply_refuses_a_transition_with_a_clear_reason(
    events: tuple[GoalEvent, ...], event: GoalEvent, code: str, fragment: str
) -> None:
    with pytest.raises(GoalTransitionError) as raised:
        apply(events, event, doctor_id=DOCTOR)
    assert raised.value.code == code
    assert fragment in str(raised.value)


def test_apply_refuses_a_naive_time() -> None:
    naive = GoalEvent(dt.datetime(2024, 5, 2, 9, 0), "submitted", DOCTOR, "alis")
    with pytest.raises(GoalTransitionError, match="UTC offset"):
        apply((), naive, doctor_id=DOCTOR)


ACTORS = [
    (DOCTOR, "alis"),
    ("d-other", "alis"),
    ("v-22", "veileder"),
    ("s-07", "supervisor"),
    ("l-03", "leader"),
    (DOCTOR, "leader"),
    (DOCTOR, "veileder"),
]
ACTIONS = ["submitted", "recommended", "approved", "rejected", "withdrawn", "reopened"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(ACTIONS)), max_size=25))
def test_any_history_built_through_apply_has_only_valid_approvals(
    attempts: list[tuple[tuple[str, str], str]],
) -> None:
    events: tuple[GoalEvent, ...] = ()
    for i, ((by, role), action) in enumerate(attempts):
        event = GoalEvent(T0 + dt.timedelta(hours=i), action, by, role)  # type: ignore[arg-type]
        allowed = action in allowed_actions(events, role, by == DOCTOR, doctor_id=DOCTOR)
        try:
            events = apply(events, event, doctor_id=DOCTOR)
        except GoalTransitionError:
            assert not allowed
        else:
            assert allowed
        status = goal_status(events, DOCTOR)
        if status.approved:
            assert status.valid, events
