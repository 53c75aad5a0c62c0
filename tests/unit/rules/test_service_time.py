"""Service time counting (rules.md, "Counting service time"): worked examples computed by hand
from the spec, and properties of the fast segment sweep against the day-by-day reference."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from veiviser.rules.ruleset import ALIS_2019
from veiviser.rules.service_time import (
    ServiceTimeResult,
    count_service,
    count_service_daily,
    open_practice_share_ranges,
)
from veiviser.rules.timeline import DateRange, at_least, day_shares, month_fraction
from veiviser.rules.training import ARENAS, Arena, LeavePeriod, ServicePeriod

D = dt.date


def svc(
    start: dt.date,
    end: dt.date | None,
    percent: float,
    arena: Arena = "open_practice",
    registered: bool = False,
) -> ServicePeriod:
    return ServicePeriod(start, end, percent, arena, registered_institution=registered)


def leave(start: dt.date, end: dt.date | None, percent: float) -> LeavePeriod:
    return LeavePeriod(start, end, percent, "other")


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)


# --------------------------------------------------------------------------- worked examples


@pytest.mark.parametrize(
    ("year", "month"), [(2024, 2), (2023, 2), (2024, 1), (2024, 4), (2100, 2), (2000, 2)]
)
def test_a_full_calendar_month_at_100_percent_is_exactly_one_month(year: int, month: int) -> None:
    last = calendar.monthrange(year, month)[1]
    result = count_service([svc(D(year, month, 1), D(year, month, last), 100)], [], D(2200, 1, 1))
    assert result.open_practice_recorded == 1.0


def test_half_of_april_at_100_percent_is_half_a_month() -> None:
    # 1-15 April: 15 days x (100/100) / 30 days = 0.5
    result = count_service([svc(D(2024, 4, 1), D(2024, 4, 15), 100)], [], D(2024, 12, 31))
    assert close(result.open_practice, 0.5)


def test_a_year_at_50_percent_is_six_months() -> None:
    # 12 months x 0.5 = 6.0 (spec: "a year at 50 % is 6.0")
    result = count_service([svc(D(2022, 1, 1), D(2022, 12, 31), 50)], [], D(2023, 1, 1))
    assert close(result.open_practice, 6.0)


def test_over_100_percent_is_scaled_down_proportionally() -> None:
    # January 2023: open 80 + other_gp 40 = 120 > 100 -> scale by 100/120:
    # open 66.67 %, other 33.33 % -> 0.6667 and 0.3333 months.
    result = count_service(
        [
            svc(D(2023, 1, 1), D(2023, 1, 31), 80),
            svc(D(2023, 1, 1), D(2023, 1, 31), 40, "other_gp"),
        ],
        [],
        D(2023, 12, 31),
    )
    assert close(result.open_practice, 80 / 120)
    assert close(result.other_gp, 40 / 120)
    assert close(result.general_practice, 1.0)


def test_leave_multiplies_and_half_time_still_counts() -> None:
    # March 2024 at 100 % with 50 % leave: 100 x (1 - 0.5) = 50 >= 50 -> counts 0.5 months.
    result = count_service(
        [svc(D(2024, 3, 1), D(2024, 3, 31), 100)],
        [leave(D(2024, 3, 1), D(2024, 3, 31), 50)],
        D(2024, 4, 1),
    )
    assert close(result.open_practice, 0.5)
    assert result.counting_days == (DateRange(D(2024, 3, 1), D(2024, 3, 31)),)


def test_a_day_under_half_time_after_leave_counts_nothing() -> None:
    # 100 x (1 - 0.6) = 40 < 50 -> nothing.
    result = count_service(
        [svc(D(2024, 3, 1), D(2024, 3, 31), 100)],
        [leave(D(2024, 3, 1), D(2024, 3, 31), 60)],
        D(2024, 4, 1),
    )
    assert result.open_practice == 0.0
    assert result.counting_days == ()


def test_overlapping_leave_adds_up_and_is_capped_at_100() -> None:
    shares = day_shares(100, 0, 0, 0, 60 + 60, 0)
    assert shares.leave == 100
    assert shares.counts is False
    assert shares.open_practice == 0.0


def test_the_threshold_is_on_the_sum_of_the_counted_arenas() -> None:
    # 40 % open practice alone counts nothing; 40 % open + 20 % other GP = 60 % counts both.
    alone = count_service([svc(D(2024, 1, 1), D(2024, 1, 31), 40)], [], D(2024, 2, 1))
    assert alone.open_practice == 0.0
    both = count_service(
        [
            svc(D(2024, 1, 1), D(2024, 1, 31), 40),
            svc(D(2024, 1, 1), D(2024, 1, 31), 20, "other_gp"),
        ],
        [],
        D(2024, 2, 1),
    )
    assert close(both.open_practice, 0.4)
    assert close(both.other_gp, 0.2)


def test_the_other_arena_is_recorded_but_never_counted_nor_helps_the_threshold() -> None:
    # 30 % open + 70 % other: counted total 30 < 50 -> nothing counts; other is recorded (0.7).
    result = count_service(
        [svc(D(2024, 1, 1), D(2024, 1, 31), 30), svc(D(2024, 1, 1), D(2024, 1, 31), 70, "other")],
        [],
        D(2024, 2, 1),
    )
    assert result.open_practice == 0.0
    assert result.general_practice == 0.0
    assert close(result.other_recorded, 0.7)


def test_caps_open_practice_at_54_and_other_gp_at_30() -> None:
    # 60 months open practice (2015-2019) and 36 months other GP (2020-2022), both at 100 %.
    result = count_service(
        [
            svc(D(2015, 1, 1), D(2019, 12, 31), 100),
            svc(D(2020, 1, 1), D(2022, 12, 31), 100, "other_gp"),
        ],
        [],
        D(2023, 1, 1),
    )
    assert close(result.open_practice_recorded, 60.0)
    assert close(result.open_practice, 54.0)
    assert close(result.other_gp_recorded, 36.0)
    assert close(result.other_gp, 30.0)
    assert close(result.general_practice, 84.0)
    assert result.open_practice_met and result.general_practice_met


def test_sixteen_thirtieths_plus_23_plus_fourteen_thirtieths_meets_24_months() -> None:
    # 15-30 Sep 2021: 16/30; Oct 2021 - Aug 2023: 23 months; 1-14 Sep 2023: 14/30 -> exactly 24.
    result = count_service([svc(D(2021, 9, 15), D(2023, 9, 14), 100)], [], D(2024, 1, 1))
    assert close(result.open_practice, 24.0)
    assert result.open_practice_met
    short = count_service([svc(D(2021, 9, 15), D(2023, 9, 13), 100)], [], D(2024, 1, 1))
    assert not short.open_practice_met


def test_institution_minimum_may_be_split_three_plus_three() -> None:
    result = count_service(
        [
            svc(D(2022, 1, 1), D(2022, 3, 31), 100, "institution"),
            svc(D(2023, 5, 1), D(2023, 7, 31), 100, "institution"),
        ],
        [],
        D(2024, 1, 1),
    )
    assert close(result.institution, 6.0)
    assert result.institution_met


def test_counts_only_up_to_and_including_the_as_of_date() -> None:
    # ongoing from 1 Jan 2024, as of 10 Jan: 10/31 months; a period starting later is ignored.
    result = count_service(
        [svc(D(2024, 1, 1), None, 100), svc(D(2024, 1, 11), None, 100, "other_gp")],
        [],
        D(2024, 1, 10),
    )
    assert close(result.open_practice, 10 / 31)
    assert result.other_gp == 0.0
    assert result.counting_days == (DateRange(D(2024, 1, 1), D(2024, 1, 10)),)


def test_registered_institution_share_of_counted_months() -> None:
    # January at a registered municipality, February (2024: 29 days) not: 1.0 / 2.0.
    result = count_service(
        [
            svc(D(2024, 1, 1), D(2024, 1, 31), 100, registered=True),
            svc(D(2024, 2, 1), D(2024, 2, 29), 100),
        ],
        [],
        D(2024, 3, 31),
    )
    assert close(result.registered_months, 1.0)
    assert close(result.registered_institution_share, 0.5)


def test_registered_share_is_zero_without_counted_service() -> None:
    assert count_service([], [], D(2024, 1, 1)).registered_institution_share == 0.0


def test_month_map_shows_each_arena_and_leave_per_month() -> None:
    # Jan 2024 100 % open; Feb 2024 open 100 % with leave 100 % from 15 Feb (15 of 29 days).
    result = count_service(
        [svc(D(2024, 1, 1), D(2024, 2, 29), 100)],
        [leave(D(2024, 2, 15), D(2024, 2, 29), 100)],
        D(2024, 2, 29),
    )
    jan, feb = result.months
    assert (jan.month, jan.days, jan.counted_days, jan.open_practice, jan.leave) == (
        "2024-01",
        31,
        31,
        1.0,
        0.0,
    )
    assert (feb.month, feb.days, feb.counted_days) == ("2024-02", 29, 14)
    assert close(feb.open_practice, 14 / 29)
    assert close(feb.leave, 15 / 29)


def test_open_practice_half_time_days_use_the_effective_share() -> None:
    # Jan: open 50 + other 50 -> open 50 % (qualifies). Feb: open 40 + other 60 (does not).
    # Mar: open 100 with 50 % leave -> 50 % (qualifies). Apr: open 100 with 60 % leave -> 40 %.
    service = [
        svc(D(2024, 1, 1), D(2024, 1, 31), 50),
        svc(D(2024, 1, 1), D(2024, 1, 31), 50, "other_gp"),
        svc(D(2024, 2, 1), D(2024, 2, 29), 40),
        svc(D(2024, 2, 1), D(2024, 2, 29), 60, "other_gp"),
        svc(D(2024, 3, 1), D(2024, 4, 30), 100),
    ]
    leaves = [leave(D(2024, 3, 1), D(2024, 3, 31), 50), leave(D(2024, 4, 1), D(2024, 4, 30), 60)]
    expected = (DateRange(D(2024, 1, 1), D(2024, 1, 31)), DateRange(D(2024, 3, 1), D(2024, 3, 31)))
    assert count_service(service, leaves, D(2024, 12, 31)).open_practice_half_time_days == expected
    assert open_practice_share_ranges(service, leaves, D(2024, 1, 1), D(2024, 12, 31)) == expected
    assert open_practice_share_ranges(service, leaves, D(2024, 1, 10), D(2024, 1, 20)) == (
        DateRange(D(2024, 1, 10), D(2024, 1, 20)),
    )


def test_at_least_forgives_float_noise_but_not_a_real_shortfall() -> None:
    assert at_least(23.999999999999996, 24)
    assert not at_least(23.99, 24)


def test_month_fraction_counts_each_day_as_a_share_of_its_month() -> None:
    # 15 Jan - 15 Mar 2024: 17/31 + 1 (February) + 15/31
    a, b = D(2024, 1, 15).toordinal(), D(2024, 3, 16).toordinal()
    assert close(month_fraction(a, b), 17 / 31 + 1 + 15 / 31)


# --------------------------------------------------------------------------- properties

DAY0 = D(2020, 1, 1)
SPAN_DAYS = 2 * 366

days_offset = st.integers(min_value=0, max_value=SPAN_DAYS)
percents = st.one_of(st.sampled_from([0, 10, 20, 25, 40, 50, 60, 75, 80, 100]), st.integers(0, 100))


@st.composite
def service_periods(draw: st.DrawFn) -> ServicePeriod:
    start = DAY0 + dt.timedelta(days=draw(days_offset))
    length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=500)))
    end = None if length is None else start + dt.timedelta(days=length)
    registered = draw(st.booleans())
    return ServicePeriod(
        start, end, draw(percents), draw(st.sampled_from(ARENAS)), None, None, registered
    )


@st.composite
def leave_periods(draw: st.DrawFn) -> LeavePeriod:
    start = DAY0 + dt.timedelta(days=draw(days_offset))
    length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=300)))
    end = None if length is None else start + dt.timedelta(days=length)
    return LeavePeriod(start, end, draw(percents), "other")


services = st.lists(service_periods(), max_size=6)
leaves = st.lists(leave_periods(), max_size=3)
as_ofs = st.builds(lambda n: DAY0 + dt.timedelta(days=n), st.integers(0, SPAN_DAYS + 100))


def assert_same(fast: ServiceTimeResult, slow: ServiceTimeResult) -> None:
    for name in (
        "open_practice_recorded",
        "other_gp_recorded",
        "institution_recorded",
        "other_recorded",
        "registered_months",
    ):
        assert close(getattr(fast, name), getattr(slow, name)), name
    assert fast.counting_days == slow.counting_days
    assert fast.open_practice_half_time_days == slow.open_practice_half_time_days
    fast_months, slow_months = fast.months, slow.months
    assert [m.month for m in fast_months] == [m.month for m in slow_months]
    for f, s in zip(fast_months, slow_months, strict=True):
        assert (f.days, f.counted_days) == (s.days, s.counted_days), f.month
        for field in ("open_practice", "other_gp", "institution", "other", "leave"):
            assert close(getattr(f, field), getattr(s, field)), (f.month, field)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(services, leaves, as_ofs)
def test_the_segment_sweep_equals_the_day_by_day_reference(
    service: list[ServicePeriod], leave_: list[LeavePeriod], as_of: dt.date
) -> None:
    assert_same(count_service(service, leave_, as_of), count_service_daily(service, leave_, as_of))


@settings(max_examples=100, deadline=None)
@given(services, leaves, as_ofs, st.data())
def test_splitting_a_period_in_two_changes_nothing(
    service: list[ServicePeriod], leave_: list[LeavePeriod], as_of: dt.date, data: st.DataObject
) -> None:
    assume(service)
    index = data.draw(st.integers(0, len(service) - 1))
    period = service[index]
    last = period.end if period.end is not None else as_of
    assume(last > period.start)
    cut = period.start + dt.timedelta(days=data.draw(st.integers(1, (last - period.start).days)))
    first_half = dataclasses.replace(period, end=cut - dt.timedelta(days=1))
    second_half = dataclasses.replace(period, start=cut)
    split = [*service[:index], first_half, second_half, *service[index + 1 :]]
    assert_same(count_service(split, leave_, as_of), count_service(service, leave_, as_of))


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1900, 2199),
    st.integers(1, 12),
    st.sampled_from(["open_practice", "other_gp", "institution"]),
    st.integers(2, 28),
)
def test_a_full_month_at_100_percent_is_exactly_1_in_any_month(
    year: int, month: int, arena: Arena, cut_day: int
) -> None:
    # A zero-percent period starting mid-month cuts the month into two segments.
    last = calendar.monthrange(year, month)[1]
    service = [
        svc(D(year, month, 1), D(year, month, last), 100, arena),
        svc(D(year, month, cut_day), D(year, month, last), 0, "other"),
    ]
    result = count_service(service, [], D(year, month, last) + dt.timedelta(days=40))
    counted = result.open_practice_recorded + result.other_gp_recorded + result.institution_recorded
    assert counted == 1.0
    first = result.months[0]
    assert (first.month, first.open_practice + first.other_gp + first.institution) == (
        f"{year:04d}-{month:02d}",
        1.0,
    )


@settings(max_examples=100, deadline=None)
@given(services, leaves, as_ofs, st.data())
def test_raising_a_percent_never_lowers_a_count(
    service: list[ServicePeriod], leave_: list[LeavePeriod], as_of: dt.date, data: st.DataObject
) -> None:
    # Scaling can move share between arenas, so what never drops is the raised arena's own
    # count, the total counted and the set of counting days.
    assume(service)
    index = data.draw(st.integers(0, len(service) - 1))
    period = service[index]
    raised = dataclasses.replace(period, percent=data.draw(st.integers(int(period.percent), 100)))
    before = count_service(service, leave_, as_of)
    after = count_service([*service[:index], raised, *service[index + 1 :]], leave_, as_of)
    arena_field = f"{period.arena}_recorded"
    assert getattr(after, arena_field) >= getattr(before, arena_field) - 1e-9
    total_before = (
        before.open_practice_recorded + before.other_gp_recorded + before.institution_recorded
    )
    total_after = (
        after.open_practice_recorded + after.other_gp_recorded + after.institution_recorded
    )
    assert total_after >= total_before - 1e-9
    counted_after = {
        d for r in after.counting_days for d in range(r.start.toordinal(), r.end.toordinal() + 1)
    }
    counted_before = {
        d for r in before.counting_days for d in range(r.start.toordinal(), r.end.toordinal() + 1)
    }
    assert counted_before <= counted_after


@settings(max_examples=60, deadline=None)
@given(services, leaves, as_ofs, st.integers(0, 100))
def test_more_leave_never_raises_a_count(
    service: list[ServicePeriod], leave_: list[LeavePeriod], as_of: dt.date, percent: int
) -> None:
    before = count_service(service, leave_, as_of)
    after = count_service(service, [*leave_, leave(DAY0, None, percent)], as_of)
    for name in ("open_practice_recorded", "other_gp_recorded", "institution_recorded"):
        assert getattr(after, name) <= getattr(before, name) + 1e-9


def test_the_ruleset_threshold_is_a_parameter() -> None:
    lenient = dataclasses.replace(ALIS_2019, name="test", min_day_fraction=0.2)
    result = count_service([svc(D(2024, 1, 1), D(2024, 1, 31), 40)], [], D(2024, 2, 1), lenient)
    assert close(result.open_practice, 0.4)
