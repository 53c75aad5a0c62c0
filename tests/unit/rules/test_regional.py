"""The regional office's rules: stages, waiting sign-offs, approvals in bulk, supervision
delivery, quality per municipality and veileder matching (worked examples and properties)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from veiviser.rules import regional as r
from veiviser.rules.supervision import MonthCompliance
from veiviser.rules.training import GoalEvent, GoalRecord

OSLO = dt.timezone(dt.timedelta(hours=1))
AS_OF = dt.date(2026, 3, 31)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=OSLO)


def goal(code: str, *events: tuple[dt.date, str, str]) -> GoalRecord:
    return GoalRecord(
        code,
        tuple(GoalEvent(at(d), action, f"p-{role}", role) for d, action, role in events),  # type: ignore[arg-type]
    )


def approved_goal(code: str, submitted: dt.date, approved: dt.date) -> GoalRecord:
    return goal(
        code,
        (submitted, "submitted", "alis"),
        (submitted + dt.timedelta(days=1), "recommended", "veileder"),
        (submitted + dt.timedelta(days=2), "recommended", "supervisor"),
        (approved, "approved", "leader"),
    )


# --------------------------------------------------------------------------- stages


def test_a_doctor_without_a_verdict_is_on_the_old_scheme():
    assert r.stage_of(None, 40) == "old_scheme"


def test_a_ready_doctor_is_ready_whatever_the_months():
    assert r.stage_of(True, 10) == "ready"


def test_stages_follow_the_counted_general_practice_months():
    assert r.stage_of(False, 0) == "first_year"
    assert r.stage_of(False, 11.99) == "first_year"
    assert r.stage_of(False, 12) == "underway"
    assert r.stage_of(False, 41.9) == "underway"
    assert r.stage_of(False, 42) == "final"
    assert r.stage_of(False, 60) == "final"  # months done, other requirements missing


# --------------------------------------------------------------------------- sign-offs


def test_a_goal_submitted_five_weeks_ago_waits_longer_than_four_weeks():
    submitted = AS_OF - dt.timedelta(days=35)
    goals = [goal("ALM-1", (submitted, "submitted", "alis"))]
    [waiting] = r.waiting_sign_offs(goals, AS_OF, weeks=4)
    assert waiting == r.WaitingGoal("ALM-1", "submitted", submitted, 35)


def test_exactly_four_weeks_is_not_yet_longer_than_four_weeks():
    goals = [goal("ALM-1", (AS_OF - dt.timedelta(days=28), "submitted", "alis"))]
    assert r.waiting_sign_offs(goals, AS_OF, weeks=4) == ()
    assert len(r.waiting_sign_offs(goals, AS_OF, weeks=3)) == 1


def test_recommended_and_ready_goals_wait_too_but_decided_ones_do_not():
    old = AS_OF - dt.timedelta(days=60)
    goals = [
        goal("A", (old, "submitted", "alis"), (old, "recommended", "veileder")),
        goal(
            "B",
            (old, "submitted", "alis"),
            (old, "recommended", "veileder"),
            (old, "recommended", "supervisor"),
        ),
        approved_goal("C", old, old + dt.timedelta(days=5)),
        goal("D", (old, "submitted", "alis"), (old, "withdrawn", "alis")),
        goal("E"),
    ]
    states = [w.state for w in r.waiting_sign_offs(goals, AS_OF)]
    assert states == ["recommended", "ready_for_decision"]


def test_the_wait_counts_from_the_latest_submission():
    goals = [
        goal(
            "A",
            (AS_OF - dt.timedelta(days=100), "submitted", "alis"),
            (AS_OF - dt.timedelta(days=90), "rejected", "leader"),
            (AS_OF - dt.timedelta(days=10), "submitted", "alis"),
        )
    ]
    assert r.waiting_sign_offs(goals, AS_OF, weeks=1)[0].days == 10


def test_given_states_are_used_instead_of_computing_them():
    goals = [goal("A", (AS_OF - dt.timedelta(days=60), "submitted", "alis"))]
    assert r.waiting_sign_offs(goals, AS_OF, states=["approved"]) == ()


def test_negative_weeks_are_refused():
    import pytest

    with pytest.raises(ValueError):
        r.waiting_sign_offs([], AS_OF, weeks=-1)


# --------------------------------------------------------------------------- approvals


def test_approval_timing_is_from_the_last_submission_before_the_approval():
    goals = [
        approved_goal("A", dt.date(2025, 1, 1), dt.date(2025, 1, 21)),
        goal("B", (dt.date(2025, 1, 1), "submitted", "alis")),
    ]
    [timing] = r.approval_timings(goals, AS_OF)
    assert (timing.code, timing.submitted, timing.approved, timing.days) == (
        "A",
        dt.date(2025, 1, 1),
        dt.date(2025, 1, 21),
        20,
    )


def test_an_approval_after_as_of_is_not_counted():
    goals = [approved_goal("A", dt.date(2026, 3, 1), dt.date(2026, 4, 2))]
    assert r.approval_timings(goals, AS_OF) == ()


def test_late_approvals_count_only_once_the_last_six_months_have_begun():
    days = [dt.date(2024, 1, 1), dt.date(2026, 1, 15), dt.date(2026, 3, 1)]
    assert r.late_approvals(days, dt.date(2026, 12, 31), AS_OF) is None  # window from 30.6.
    assert r.late_approvals(days, dt.date(2026, 6, 30), AS_OF) == (3, 2)  # window from 30.12.
    assert r.late_approvals(days, None, AS_OF) is None


def test_approvals_spread_along_the_way_are_not_bulk():
    days = [dt.date(2022, 1, 1) + dt.timedelta(days=40 * i) for i in range(20)]
    assert r.bulk_approval(days, dt.date(2026, 1, 1), AS_OF) is None


def test_most_goals_approved_within_a_month_near_the_end_are_bulk():
    spread = [dt.date(2022, 1, 1) + dt.timedelta(days=90 * i) for i in range(5)]
    bulk = [dt.date(2025, 11, 1) + dt.timedelta(days=i) for i in range(12)]
    found = r.bulk_approval(spread + bulk, dt.date(2026, 2, 1), AS_OF)
    assert found == r.BulkApproval(dt.date(2025, 11, 1), dt.date(2025, 11, 12), 12, 17)
    assert round(found.share, 2) == 0.71


def test_a_bulk_long_before_the_end_is_not_flagged():
    bulk = [dt.date(2022, 1, 1) + dt.timedelta(days=i) for i in range(12)]
    assert r.bulk_approval(bulk, dt.date(2026, 2, 1), AS_OF) is None


# --------------------------------------------------------------------------- supervision


def month(label: str, hours: float, required: float = 4, complete: bool = True) -> MonthCompliance:
    return MonthCompliance(
        label, hours, 30 if required else 0, required, complete, hours >= required
    )


def test_supervision_delivery_counts_complete_months_that_required_supervision():
    compliance = [
        month("2025-08", 0, required=0),  # no service: not counted
        month("2025-09", 4),
        month("2025-10", 2),
        month("2025-11", 6),
        month("2025-12", 1),
        month("2026-01", 4),
        month("2026-02", 0),
        month("2026-03", 0, complete=False),  # running month: not judged
    ]
    result = r.supervision_delivery(compliance, recent=3)
    assert (result.hours, result.months) == (17, 6)
    assert result.under == ("2025-10", "2025-12", "2026-02")
    assert result.recent_under == ("2025-12", "2026-02")
    assert round(result.hours_per_month or 0, 2) == 2.83


# --------------------------------------------------------------------------- quality


def test_quality_of_a_municipality_with_small_groups_marked():
    alis = [
        r.AlisQuality((10, 20, 90), (3, 1), 40, 10),
        r.AlisQuality((5,), None, 20, 10),
    ]
    row = r.municipality_quality("4642", alis)
    assert row.alis == 2 and row.small_group
    assert row.median_days == 15
    assert row.late_share == 1 / 3
    assert row.hours_per_month == 3
    assert (row.slow_sign_off, row.late_heavy, row.under_minimum) == (False, False, True)
    assert row.warnings == 1


def test_a_municipality_without_data_has_no_figures_and_no_warnings():
    row = r.municipality_quality("4629", [r.AlisQuality((), None, 0, 0)])
    assert (row.median_days, row.late_share, row.hours_per_month, row.warnings) == (
        None,
        None,
        None,
        0,
    )


def test_five_alis_are_not_a_small_group():
    row = r.municipality_quality("4601", [r.AlisQuality((40,), (10, 8), 50, 10)] * 5)
    assert not row.small_group
    assert row.slow_sign_off and row.late_heavy and not row.under_minimum


# --------------------------------------------------------------------------- matching

MODALEN = r.Need(trainee_id=1, person_id=100, municipality="4629", county="46")


def cand(pid: int, municipality: str, county: str = "46", serves=(), capacity=2, load=0):
    return r.Candidate(pid, 1000 + pid, municipality, county, frozenset(serves), capacity, load)


def test_the_nearest_veileder_comes_first():
    same = cand(3, "4629")
    county = cand(1, "4634", serves={"4629"})
    region = cand(2, "1103", county="11", serves={"4629"})
    found = r.suggestions(MODALEN, [region, county, same])
    assert [(s.profile_id, s.distance) for s in found] == [
        (3, r.Distance.SAME_MUNICIPALITY),
        (1, r.Distance.SAME_COUNTY),
        (2, r.Distance.SAME_REGION),
    ]


def test_among_equally_near_the_least_loaded_comes_first():
    busy = cand(1, "4601", serves={"4629"}, capacity=4, load=3)
    free = cand(2, "4601", serves={"4629"}, capacity=2, load=0)
    assert [s.profile_id for s in r.suggestions(MODALEN, [busy, free])] == [2, 1]


def test_full_veiledere_others_municipalities_and_the_alis_themselves_are_not_suggested():
    full = cand(1, "4634", serves={"4629"}, capacity=1, load=1)
    elsewhere = cand(2, "4634", serves={"4635"})
    themselves = r.Candidate(3, 100, "4629", "46", frozenset(), 2, 0)
    assert r.suggestions(MODALEN, [full, elsewhere, themselves]) == ()


def test_plan_matches_respects_capacity_and_serves_the_scarcest_first():
    only_one = r.Need(2, 200, "4635", "46")  # Gulen: only profile 1 serves it
    a = cand(1, "4634", serves={"4629", "4635"}, capacity=1)
    b = cand(2, "4601", serves={"4629"}, capacity=1)
    plan = r.plan_matches([MODALEN, only_one], [a, b])
    assert plan[2] is not None and plan[2].profile_id == 1
    assert plan[1] is not None and plan[1].profile_id == 2


def test_plan_matches_leaves_alis_without_an_option_unmatched():
    assert r.plan_matches([MODALEN], [cand(1, "4634")]) == {1: None}


MUNICIPALITIES = ["4601", "4629", "4634", "4635", "1103"]


def _county(number: str) -> str:
    return number[:2]


needs_st = st.lists(st.sampled_from(MUNICIPALITIES), min_size=0, max_size=12).map(
    lambda ms: [r.Need(i, 10_000 + i, m, _county(m)) for i, m in enumerate(ms)]
)
candidates_st = st.lists(
    st.tuples(
        st.sampled_from(MUNICIPALITIES),
        st.frozensets(st.sampled_from(MUNICIPALITIES), max_size=3),
        st.integers(1, 3),
        st.integers(0, 3),
    ),
    max_size=6,
).map(
    lambda rows: [
        r.Candidate(i, 20_000 + i, m, _county(m), serves, cap, min(load, cap))
        for i, (m, serves, cap, load) in enumerate(rows)
    ]
)


@settings(max_examples=150, deadline=None)
@given(needs_st, candidates_st)
def test_planned_matches_never_exceed_capacity_and_are_always_eligible(needs, candidates):
    plan = r.plan_matches(needs, candidates)
    assert set(plan) == {n.trainee_id for n in needs}
    by_id = {c.profile_id: c for c in candidates}
    needs_by_id = {n.trainee_id: n for n in needs}
    added: dict[int, int] = {}
    for trainee_id, suggestion in plan.items():
        if suggestion is None:
            # Nobody eligible was left for this ALIS.
            continue
        candidate = by_id[suggestion.profile_id]
        assert r.eligible(needs_by_id[trainee_id], candidate)
        added[candidate.profile_id] = added.get(candidate.profile_id, 0) + 1
    for profile_id, n in added.items():
        assert by_id[profile_id].load + n <= by_id[profile_id].capacity


@settings(max_examples=150, deadline=None)
@given(needs_st, candidates_st)
def test_suggestions_are_ordered_by_distance(needs, candidates):
    for need in needs:
        found = r.suggestions(need, candidates, limit=None)
        assert [s.distance for s in found] == sorted(s.distance for s in found)
        assert all(s.free > 0 for s in found)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 2000), max_size=40), st.integers(0, 3000))
def test_bulk_never_counts_more_than_all_approvals(offsets, end_offset):
    base = dt.date(2020, 1, 1)
    days = [base + dt.timedelta(days=o) for o in offsets]
    found = r.bulk_approval(days, base + dt.timedelta(days=end_offset), dt.date(2030, 1, 1))
    if found is not None:
        assert found.count <= found.total == len(days)
        assert (found.last - found.first).days < 30
        assert found.share >= 0.5


def test_one_month_short_is_not_flagged_two_are():
    from veiviser.rules.regional import SupervisionDelivery

    one = SupervisionDelivery(hours=40, months=12, under=("2026-07",), recent_under=("2026-07",))
    two = SupervisionDelivery(
        hours=36, months=12, under=("2026-07", "2026-08"), recent_under=("2026-07", "2026-08")
    )
    assert not one.needs_follow_up and two.needs_follow_up


# --------------------------------------------------------------------------- follow up first

FINE = r.SupervisionDelivery(hours=48, months=12, under=(), recent_under=())
SHORT = r.SupervisionDelivery(
    hours=30, months=12, under=("2026-08", "2026-09"), recent_under=("2026-08", "2026-09")
)


def test_each_signal_is_named_in_order() -> None:
    assert r.follow_up_signals(
        has_veileder=False,
        supervision=SHORT,
        waiting=True,
        bulk=True,
        municipality_locum_share=0.2,
    ) == ("no_veileder", "supervision", "waiting", "bulk", "locum_dependent")
    assert (
        r.follow_up_signals(
            has_veileder=True,
            supervision=FINE,
            waiting=False,
            bulk=False,
            municipality_locum_share=0.19,
        )
        == ()
    )
    # no GP positions registered: no locum signal
    assert (
        r.follow_up_signals(
            has_veileder=True,
            supervision=FINE,
            waiting=False,
            bulk=False,
            municipality_locum_share=None,
        )
        == ()
    )


def test_one_month_short_is_not_a_signal() -> None:
    one = r.SupervisionDelivery(hours=44, months=12, under=("2026-07",), recent_under=("2026-07",))
    assert "supervision" not in r.follow_up_signals(
        has_veileder=True, supervision=one, waiting=False, bulk=False, municipality_locum_share=0
    )


def test_follow_up_first_keeps_two_or_more_most_first_stable() -> None:
    items = [
        ("a", ("waiting",)),
        ("b", ("no_veileder", "waiting")),
        ("c", ("no_veileder", "supervision", "waiting")),
        ("d", ("bulk", "locum_dependent")),
    ]
    assert [k for k, _ in r.follow_up_first(items)] == ["c", "b", "d"]
    assert [k for k, _ in r.follow_up_first(items, minimum=1)] == ["c", "b", "d", "a"]


@given(
    st.lists(
        st.tuples(
            st.integers(),
            st.lists(st.sampled_from(r.FOLLOW_UP_SIGNALS), unique=True).map(tuple),
        )
    ),
    st.integers(0, 6),
)
def test_follow_up_first_is_a_sorted_filter(items: list, minimum: int) -> None:
    chosen = r.follow_up_first(items, minimum=minimum)
    assert all(len(signals) >= minimum for _, signals in chosen)
    assert len(chosen) == sum(1 for _, signals in items if len(signals) >= minimum)
    counts = [len(signals) for _, signals in chosen]
    assert counts == sorted(counts, reverse=True)
