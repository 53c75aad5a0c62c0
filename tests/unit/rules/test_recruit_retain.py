"""Recruit & Retain: the structure, the template, the rollover of recurring tasks, the state of
an occurrence and the self-assessment over the years."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veiviser.rules import recruit_retain as rr


def test_nine_activities_in_three_steps_and_five_criteria() -> None:
    assert [a.number for a in rr.ACTIVITIES] == list(range(1, 10))
    assert [len(rr.activities_of(step)) for step, _name in rr.STEPS] == [3, 3, 3]
    assert len(rr.CRITERIA) == 5
    assert len(rr.ITEMS) == 14 and len(rr.ITEM_CODES) == 14


def test_every_activity_has_a_template_task_and_a_key_parameter() -> None:
    assert {t.activity for t in rr.TEMPLATE} == set(range(1, 10))
    assert {p.activity for p in rr.KEY_PARAMETERS} == set(range(1, 10))
    assert len({t.key for t in rr.TEMPLATE}) == len(rr.TEMPLATE)
    for task in rr.TEMPLATE:
        assert task.interval_months in rr.INTERVAL_MONTHS
        assert 1 <= task.month <= 12
        assert task.role or task.responsible  # named people or roles responsible


def test_the_template_holds_the_seeds_recommendations() -> None:
    titles = " ".join(t.title.lower() for t in rr.TEMPLATE)
    for words in (
        "folkehelseprofil",
        "plan for legetjenester",
        "sluttintervju",
        "legestudenter",
        "rådmann",
        "velkomstpakken",
        "in situ",
        "3 måneder",
        "praksisplasser",
        "alis",
    ):
        assert words in titles, words
    assert rr.template_task("in-situ-trening").interval_months == 1
    assert rr.template_task("plan-legetjenester").interval_months == 48


def test_template_due_is_this_year_or_next() -> None:
    task = rr.template_task("presentasjon-politikere")  # November
    assert rr.template_due(task, date(2026, 3, 4)) == date(2026, 11, 1)
    assert rr.template_due(task, date(2026, 11, 29)) == date(2026, 11, 1)
    assert rr.template_due(task, date(2026, 12, 1)) == date(2027, 11, 1)
    assert rr.template_due(rr.template_task("in-situ-trening"), date(2026, 12, 5)) == date(
        2027, 1, 1
    )


# --------------------------------------------------------------------------- rollover


def test_a_yearly_task_done_in_its_year_comes_back_the_next_year() -> None:
    assert rr.next_due(date(2026, 11, 1), 12, date(2026, 11, 20)) == date(2027, 11, 1)


def test_done_early_keeps_the_rhythm() -> None:
    assert rr.next_due(date(2026, 11, 1), 12, date(2026, 2, 3)) == date(2027, 11, 1)


def test_done_a_little_late_still_gives_next_years_occurrence() -> None:
    assert rr.next_due(date(2026, 11, 1), 12, date(2027, 2, 10)) == date(2027, 11, 1)


def test_done_more_than_an_interval_late_is_never_born_overdue() -> None:
    assert rr.next_due(date(2025, 11, 1), 12, date(2026, 11, 15)) == date(2027, 11, 1)
    assert rr.next_due(date(2025, 11, 1), 12, date(2026, 12, 15)) == date(2027, 11, 1)
    assert rr.next_due(date(2024, 3, 1), 12, date(2026, 12, 15)) == date(2027, 3, 1)


def test_every_four_years_and_monthly() -> None:
    assert rr.next_due(date(2025, 9, 1), 48, date(2025, 9, 30)) == date(2029, 9, 1)
    assert rr.next_due(date(2026, 1, 1), 1, date(2026, 1, 14)) == date(2026, 2, 1)
    assert rr.next_due(date(2026, 1, 1), 1, date(2026, 3, 2)) == date(2026, 4, 1)
    assert rr.next_due(date(2026, 12, 1), 1, date(2026, 12, 2)) == date(2027, 1, 1)


def test_a_one_off_task_does_not_come_back() -> None:
    assert rr.next_due(date(2026, 5, 1), 0, date(2026, 5, 3)) is None


def test_a_negative_interval_is_refused() -> None:
    with pytest.raises(ValueError):
        rr.next_due(date(2026, 5, 1), -12, date(2026, 5, 3))


months = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)).map(rr.month_start)


@given(
    due=months,
    interval=st.sampled_from(sorted(rr.INTERVAL_MONTHS - {0})),
    offset=st.integers(min_value=-400, max_value=3000),
)
def test_next_due_is_the_first_month_of_the_rhythm_after_the_completion(
    due: date, interval: int, offset: int
) -> None:
    completed = date.fromordinal(max(due.toordinal() + offset, date(1990, 1, 1).toordinal()))
    following = rr.next_due(due, interval, completed)
    assert following is not None
    assert following.day == 1
    assert following > due
    # the rhythm: a whole number of intervals after the due month
    assert rr.months_between(due, following) % interval == 0
    # never born overdue: after the month of completion
    assert rr.months_between(completed, following) >= 1
    # the first such month: one interval earlier is either the due month itself or not after
    # the month of completion
    earlier = rr.add_months(following, -interval)
    assert earlier == due or rr.months_between(completed, earlier) < 1


@given(due=months, completed=months)
def test_rolling_over_twice_the_same_day_gives_the_same_month(due: date, completed: date) -> None:
    assert rr.next_due(due, 12, completed) == rr.next_due(due, 12, completed)


# --------------------------------------------------------------------------- state


@pytest.mark.parametrize(
    ("due", "status", "state"),
    [
        (date(2026, 10, 1), "planned", "overdue"),
        (date(2026, 10, 1), "in_progress", "overdue"),
        (date(2026, 11, 1), "planned", "due"),
        (date(2026, 12, 1), "planned", "upcoming"),
        (date(2025, 1, 1), "done", "done"),
        (date(2025, 1, 1), "skipped", "skipped"),
    ],
)
def test_task_state(due: date, status: str, state: str) -> None:
    assert rr.task_state(due, status, date(2026, 11, 29)) == state


# --------------------------------------------------------------------------- self-assessment


def test_assessment_rows_show_change_from_the_previous_assessed_year() -> None:
    scores = {
        (2024, "a1"): 2,
        (2025, "a1"): 3,
        (2026, "a1"): 3,
        (2024, "a2"): 4,
        (2026, "a2"): 2,  # 2025 not assessed: the change is from 2024
        (2026, "c5"): 1,
    }
    rows = {r.code: r for r in rr.assessment_rows([2026, 2024, 2025], scores)}
    assert [r.code for r in rr.assessment_rows([2026], scores)][:2] == ["a1", "a2"]
    assert rows["a1"].scores == (2, 3, 3) and rows["a1"].changes == (None, 1, 0)
    assert rows["a2"].scores == (4, None, 2) and rows["a2"].changes == (None, None, -2)
    assert rows["a2"].overall_change == -2 and rows["a2"].latest == 2
    assert rows["c5"].overall_change is None and rows["c5"].changes == (None, None, None)
    assert rows["a9"].latest is None


def test_scores_outside_the_scale_are_refused() -> None:
    for bad in (0, 6, -1):
        with pytest.raises(ValueError):
            rr.assessment_rows([2026], {(2026, "a1"): bad})
    with pytest.raises(ValueError):
        rr.check_score(True)  # type: ignore[arg-type]
    assert rr.check_score(None) is None


def test_mean_score_ignores_not_assessed() -> None:
    assert rr.mean_score([1, None, 4]) == 2.5
    assert rr.mean_score([None, None]) is None


def test_parameters_map_to_activities() -> None:
    assert {p.key for p in rr.parameters_of(2)} == {"gp_positions", "vacant", "locum_served"}
    assert "median_agreement" in {p.key for p in rr.parameters_of(3)}
    assert "supervision_share" in {p.key for p in rr.parameters_of(8)}
    assert rr.HAND_KEYS.isdisjoint({p.key for p in rr.KEY_PARAMETERS if p.computed})
