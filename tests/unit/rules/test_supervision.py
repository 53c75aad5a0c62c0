"""Individual supervision (rules.md, "Individual supervision"): training years, required hours
by active share, the running year, and the monthly early warning."""

from __future__ import annotations

import datetime as dt

import pytest

from veiviser.rules.service_time import count_service
from veiviser.rules.supervision import (
    SupervisionResult,
    add_years,
    evaluate_supervision,
    monthly_compliance,
    training_years,
)
from veiviser.rules.training import LeavePeriod, ServicePeriod, SupervisionSession

D = dt.date


def judge(
    service: list[ServicePeriod],
    sessions: list[SupervisionSession],
    start: dt.date,
    as_of: dt.date,
    leave: list[LeavePeriod] | None = None,
) -> SupervisionResult:
    counted = count_service(service, leave or [], as_of)
    return evaluate_supervision(sessions, counted, start, as_of)


def monthly(first: dt.date, months: int, hours: float) -> list[SupervisionSession]:
    """One session on the 10th of each of ``months`` months from ``first``."""
    sessions = []
    year, month = first.year, first.month
    for _ in range(months):
        sessions.append(SupervisionSession(D(year, month, 10), hours))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return sessions


def test_training_years_run_in_12_month_steps_up_to_the_as_of_date() -> None:
    assert training_years(D(2021, 9, 1), D(2023, 9, 1)) == [
        (1, D(2021, 9, 1), D(2022, 8, 31)),
        (2, D(2022, 9, 1), D(2023, 8, 31)),
        (3, D(2023, 9, 1), D(2024, 8, 31)),
    ]
    assert training_years(D(2021, 9, 1), D(2021, 8, 31)) == []


def test_a_29_february_start_moves_to_28_february_in_common_years() -> None:
    assert add_years(D(2020, 2, 29), 1) == D(2021, 2, 28)
    assert add_years(D(2020, 2, 29), 4) == D(2024, 2, 29)
    years = training_years(D(2020, 2, 29), D(2022, 3, 1))
    assert [(first, last) for _n, first, last in years] == [
        (D(2020, 2, 29), D(2021, 2, 27)),
        (D(2021, 2, 28), D(2022, 2, 27)),
        (D(2022, 2, 28), D(2023, 2, 27)),
    ]


def test_a_fully_active_year_needs_42_hours() -> None:
    # 4 h x 10.5 months x share 1.0 = 42 h. 11 sessions of 4 h = 44 h: met.
    service = [ServicePeriod(D(2021, 9, 1), None, 100, "open_practice")]
    result = judge(service, monthly(D(2021, 9, 1), 11, 4.0), D(2021, 9, 1), D(2022, 9, 30))
    year1 = result.years[0]
    assert (year1.start, year1.end, year1.days, year1.counted_days) == (
        D(2021, 9, 1),
        D(2022, 8, 31),
        365,
        365,
    )
    assert year1.required == pytest.approx(42.0)
    assert year1.hours == pytest.approx(44.0)
    assert year1.met is True
    assert result.met is True


def test_41_and_a_half_hours_in_a_fully_active_year_is_not_enough() -> None:
    service = [ServicePeriod(D(2021, 9, 1), None, 100, "open_practice")]
    sessions = [*monthly(D(2021, 9, 1), 10, 4.0), SupervisionSession(D(2022, 7, 10), 1.5)]
    result = judge(service, sessions, D(2021, 9, 1), D(2022, 9, 30))
    assert result.years[0].hours == pytest.approx(41.5)
    assert result.years[0].met is False
    assert result.met is False


def test_half_time_service_is_a_fully_active_year() -> None:
    # Every day at 50 % counts (>= min_day_fraction), so the active share is 1: 42 h.
    service = [ServicePeriod(D(2022, 1, 1), None, 50, "open_practice")]
    result = judge(service, [], D(2022, 1, 1), D(2023, 1, 1))
    assert result.years[0].active_share == 1.0
    assert result.years[0].required == pytest.approx(42.0)


def test_leave_lowers_the_required_hours_by_the_active_share() -> None:
    # 2022: leave 100 % 1 Jan - 30 Jun (181 days) -> 365 - 181 = 184 counting days.
    # required = 42 x 184 / 365 = 21.17 h; 21.2 h is enough, 21.1 h is not.
    service = [ServicePeriod(D(2022, 1, 1), None, 100, "open_practice")]
    leave = [LeavePeriod(D(2022, 1, 1), D(2022, 6, 30), 100, "parental")]
    enough = [SupervisionSession(D(2022, 9, 1), 21.2)]
    result = judge(service, enough, D(2022, 1, 1), D(2023, 1, 1), leave)
    year = result.years[0]
    assert year.counted_days == 184
    assert year.required == pytest.approx(42 * 184 / 365)
    assert year.met is True
    short = judge(
        service, [SupervisionSession(D(2022, 9, 1), 21.1)], D(2022, 1, 1), D(2023, 1, 1), leave
    )
    assert short.years[0].met is False


def test_the_running_year_is_reported_but_not_judged() -> None:
    # Year 2 (2022-09-01..2023-08-31) is running on 2022-11-30: 91 counted days so far,
    # required so far = 42 x 91 / 365 = 10.47 h; no hours, but not judged.
    service = [ServicePeriod(D(2021, 9, 1), None, 100, "open_practice")]
    result = judge(service, monthly(D(2021, 9, 1), 11, 4.0), D(2021, 9, 1), D(2022, 11, 30))
    running = result.years[1]
    assert (running.number, running.complete, running.met) == (2, False, None)
    assert running.counted_days == 91
    assert running.required == pytest.approx(42 * 91 / 365)
    assert result.met is True


def test_a_year_ending_on_the_as_of_date_is_complete_and_judged() -> None:
    service = [ServicePeriod(D(2021, 9, 1), None, 100, "open_practice")]
    result = judge(service, [], D(2021, 9, 1), D(2022, 8, 31))
    assert [(y.number, y.complete, y.met) for y in result.years] == [(1, True, False)]
    assert result.met is False


def test_training_years_count_from_the_conversion_date_when_given() -> None:
    service = [ServicePeriod(D(2018, 1, 1), None, 100, "open_practice")]
    result = judge(service, [], D(2019, 6, 1), D(2020, 6, 1))
    assert result.years[0].start == D(2019, 6, 1)


def test_sessions_outside_the_years_or_after_the_as_of_date_do_not_count() -> None:
    service = [ServicePeriod(D(2021, 1, 1), None, 100, "open_practice")]
    sessions = [
        SupervisionSession(D(2021, 8, 31), 10),  # before the start
        SupervisionSession(D(2021, 9, 1), 2),
        SupervisionSession(D(2021, 10, 5), 3),
        SupervisionSession(D(2021, 10, 6), 50),  # after as_of
    ]
    result = judge(service, sessions, D(2021, 9, 1), D(2021, 10, 5))
    assert result.years[0].hours == pytest.approx(5.0)


def test_months_under_minimum_lists_completed_months_with_service_and_under_4_hours() -> None:
    # Service from 2022-01-01; leave 100 % in March (no counted service: no warning).
    # Jan 4.0 h (ok), Feb 3.5 h (warning), Mar 0 h (leave), Apr 0 h (warning),
    # May is running on 2022-05-20 (not listed).
    service = [ServicePeriod(D(2022, 1, 1), None, 100, "open_practice")]
    leave = [LeavePeriod(D(2022, 3, 1), D(2022, 3, 31), 100, "sick")]
    sessions = [
        SupervisionSession(D(2022, 1, 5), 2.5),
        SupervisionSession(D(2022, 1, 19), 1.5),
        SupervisionSession(D(2022, 2, 9), 3.5),
    ]
    result = judge(service, sessions, D(2022, 1, 1), D(2022, 5, 20), leave)
    assert result.months_under_minimum == ("2022-02", "2022-04")
    on_last_day = judge(service, sessions, D(2022, 1, 1), D(2022, 5, 31), leave)
    assert on_last_day.months_under_minimum == ("2022-02", "2022-04", "2022-05")


def test_months_before_the_training_start_are_not_warned_about() -> None:
    service = [ServicePeriod(D(2021, 1, 1), None, 100, "open_practice")]
    result = judge(service, monthly(D(2021, 6, 1), 3, 4.0), D(2021, 6, 15), D(2021, 8, 31))
    # June counts from the 15th: the session on 10 June is before the start -> June warned.
    assert result.months_under_minimum == ("2021-06",)


def test_monthly_compliance_reports_every_month_for_early_warnings() -> None:
    service = [ServicePeriod(D(2022, 1, 1), D(2022, 2, 28), 100, "open_practice")]
    counted = count_service(service, [], D(2022, 3, 15))
    sessions = [SupervisionSession(D(2022, 1, 5), 4.0), SupervisionSession(D(2022, 2, 5), 1.0)]
    months = monthly_compliance(sessions, counted, D(2022, 1, 1), D(2022, 3, 15))
    assert [(m.month, m.hours, m.counted_days, m.required, m.complete, m.ok) for m in months] == [
        ("2022-01", 4.0, 31, 4.0, True, True),
        ("2022-02", 1.0, 28, 4.0, True, False),
        ("2022-03", 0.0, 0, 0.0, False, True),
    ]
