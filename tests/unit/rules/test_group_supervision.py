"""Group supervision (rules.md, "Group supervision"): months in group, hours, months in group
while in at least 50 % open practice, and the separate diploma."""

from __future__ import annotations

import datetime as dt

import pytest

from veiviser.rules.group_supervision import (
    GroupSupervisionResult,
    evaluate_group_supervision,
    intersect_ranges,
    membership_ranges,
)
from veiviser.rules.service_time import count_service
from veiviser.rules.timeline import DateRange
from veiviser.rules.training import GroupPeriod, LeavePeriod, ServicePeriod

D = dt.date
TWO_YEARS = GroupPeriod(D(2021, 10, 1), D(2023, 9, 30), 120, "Bergen 3", diploma=True)


def judge(
    groups: list[GroupPeriod],
    service: list[ServicePeriod],
    as_of: dt.date,
    leave: list[LeavePeriod] | None = None,
) -> GroupSupervisionResult:
    return evaluate_group_supervision(groups, count_service(service, leave or [], as_of), as_of)


def test_two_years_in_a_group_in_full_open_practice_meets_everything() -> None:
    # Oct 2021 - Sep 2023: 24 whole months, all at 100 % open practice.
    result = judge(
        [TWO_YEARS], [ServicePeriod(D(2021, 9, 1), None, 100, "open_practice")], D(2024, 1, 1)
    )
    assert (result.months, result.hours, result.open_practice_months) == (24.0, 120, 24.0)
    assert result.met and result.diploma


def test_leave_does_not_reduce_group_months_but_removes_open_practice_months() -> None:
    # The example file: parental leave 100 % Feb - Nov 2023 inside the group period.
    # Group months 24; open-practice months Oct 2021 - Jan 2023 = 16.
    result = judge(
        [TWO_YEARS],
        [ServicePeriod(D(2021, 9, 1), None, 100, "open_practice")],
        D(2026, 11, 22),
        [LeavePeriod(D(2023, 2, 1), D(2023, 11, 30), 100, "parental")],
    )
    assert result.months == 24.0
    assert result.open_practice_months == pytest.approx(16.0)
    assert result.open_practice_met and result.met


def test_under_half_time_open_practice_gives_no_open_practice_months() -> None:
    # 40 % open + 60 % other GP: counted, but the open-practice share is under 50 %.
    service = [
        ServicePeriod(D(2021, 9, 1), None, 40, "open_practice"),
        ServicePeriod(D(2021, 9, 1), None, 60, "other_gp"),
    ]
    result = judge([TWO_YEARS], service, D(2024, 1, 1))
    assert result.months == 24.0
    assert result.open_practice_months == 0.0
    assert not result.open_practice_met and not result.met


def test_exactly_half_time_open_practice_counts() -> None:
    service = [
        ServicePeriod(D(2021, 9, 1), None, 50, "open_practice"),
        ServicePeriod(D(2021, 9, 1), None, 50, "other_gp"),
    ]
    assert judge([TWO_YEARS], service, D(2024, 1, 1)).open_practice_months == 24.0


def test_twelve_open_practice_months_are_enough() -> None:
    # First year open practice 100 %, second year other GP 100 %: 12 + 0 open-practice months.
    service = [
        ServicePeriod(D(2021, 10, 1), D(2022, 9, 30), 100, "open_practice"),
        ServicePeriod(D(2022, 10, 1), None, 100, "other_gp"),
    ]
    result = judge([TWO_YEARS], service, D(2024, 1, 1))
    assert result.open_practice_months == 12.0
    assert result.met


def test_hours_and_months_are_each_required() -> None:
    short_hours = GroupPeriod(D(2021, 10, 1), D(2023, 9, 30), 119.5)
    result = judge(
        [short_hours], [ServicePeriod(D(2021, 9, 1), None, 100, "open_practice")], D(2024, 1, 1)
    )
    assert result.months_met and not result.hours_met and not result.met
    short_months = GroupPeriod(D(2021, 10, 1), D(2023, 9, 29), 120)
    result = judge(
        [short_months], [ServicePeriod(D(2021, 9, 1), None, 100, "open_practice")], D(2024, 1, 1)
    )
    # 23 months + 29/30 of September 2023
    assert result.months == pytest.approx(23 + 29 / 30)
    assert not result.months_met and result.hours_met


def test_overlapping_groups_count_each_day_once_and_add_their_hours() -> None:
    # Changing group: Bergen 3 to 30 Sep 2022, Voss 1 from 1 Sep 2022 (one month overlap).
    groups = [
        GroupPeriod(D(2021, 10, 1), D(2022, 9, 30), 60, "Bergen 3"),
        GroupPeriod(D(2022, 9, 1), D(2023, 9, 30), 65, "Voss 1", diploma=True),
    ]
    result = judge(
        groups, [ServicePeriod(D(2021, 9, 1), None, 100, "open_practice")], D(2024, 1, 1)
    )
    assert result.months == 24.0
    assert result.hours == 125
    assert result.diploma


def test_the_diploma_is_reported_separately() -> None:
    no_diploma = GroupPeriod(D(2021, 10, 1), D(2023, 9, 30), 120)
    result = judge(
        [no_diploma], [ServicePeriod(D(2021, 9, 1), None, 100, "open_practice")], D(2024, 1, 1)
    )
    assert result.met and not result.diploma


def test_an_ongoing_group_counts_to_the_as_of_date_and_later_groups_not_at_all() -> None:
    groups = [GroupPeriod(D(2024, 1, 1), None, 30), GroupPeriod(D(2024, 6, 1), None, 40)]
    result = judge(
        groups, [ServicePeriod(D(2024, 1, 1), None, 100, "open_practice")], D(2024, 3, 31)
    )
    assert result.months == 3.0
    assert result.hours == 30


def test_membership_and_intersection_of_ranges() -> None:
    groups = [
        GroupPeriod(D(2022, 1, 1), D(2022, 1, 31), 1),
        GroupPeriod(D(2022, 2, 1), D(2022, 3, 31), 1),
        GroupPeriod(D(2022, 3, 15), D(2022, 12, 31), 1),
    ]
    members = membership_ranges(groups, D(2022, 6, 30))
    assert members == (DateRange(D(2022, 1, 1), D(2022, 6, 30)),)
    other = (DateRange(D(2021, 12, 1), D(2022, 1, 10)), DateRange(D(2022, 6, 1), D(2022, 8, 1)))
    assert intersect_ranges(members, other) == (
        DateRange(D(2022, 1, 1), D(2022, 1, 10)),
        DateRange(D(2022, 6, 1), D(2022, 6, 30)),
    )
