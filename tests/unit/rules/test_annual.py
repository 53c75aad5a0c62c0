"""The annual report's calendar rules (rules/annual.py): properties over any dates."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from veiviser.rules import annual

DAYS = st.dates(min_value=date(2019, 1, 1), max_value=date(2060, 12, 31))


@given(DAYS)
def test_the_report_is_about_last_year_and_due_on_1_march(today):
    year = annual.reporting_year(today)
    assert year == today.year - 1
    assert annual.deadline(year) == date(today.year, 3, 1)
    assert annual.reminder_start(year) < annual.deadline(year)


@given(DAYS, st.booleans())
def test_the_deadline_state_runs_not_yet_due_overdue_and_stops_once_submitted(today, submitted):
    year = annual.reporting_year(today)
    state = annual.deadline_state(year, today, submitted=submitted)
    if submitted or today < annual.reminder_start(year):
        assert state == "not_yet"
    elif today <= annual.deadline(year):
        assert state == "due"
    else:
        assert state == "overdue"


@given(DAYS)
def test_month_helpers_agree(today):
    first = annual.previous_month(today)
    assert first.day == 1 and first < today.replace(day=1)
    end = annual.month_end(first)
    assert end + timedelta(days=1) == today.replace(day=1)
    checked = annual.supervision_check_month(today)
    assert checked is None or checked == first


@given(st.lists(DAYS, max_size=30), DAYS)
def test_every_alis_who_has_started_is_in_exactly_one_stage(starts, at):
    counts = annual.stage_counts(starts, at)
    assert sum(counts.values()) == sum(1 for s in starts if s <= at)
    assert set(counts) == set(annual.STAGES)
