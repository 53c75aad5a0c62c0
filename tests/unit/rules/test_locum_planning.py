"""Locum need per office and month (days-weighted), and institution-period warnings."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veiviser.rules.locum_planning import (
    AbsenceKind,
    ArrangedLocum,
    LocumPlanningError,
    PlannedAbsence,
    add_months,
    locum_need,
    warning_text,
    warnings,
)

K = AbsenceKind


def absence(
    start: date,
    end: date,
    percent: int = 100,
    kind: AbsenceKind = K.INSTITUTION,
    doctor: str = "alis-1",
    office: str = "Sentrum legekontor",
    position: str = "hjemmel-1",
) -> PlannedAbsence:
    return PlannedAbsence(doctor, office, position, kind, start, end, Decimal(percent))


def locum(start: date, end: date, percent: int = 100, position: str = "hjemmel-1") -> ArrangedLocum:
    return ArrangedLocum(position, start, end, Decimal(percent))


def month_values(
    result: dict[str, tuple[object, ...]], office: str = "Sentrum legekontor"
) -> list[tuple[str, str, str]]:
    return [
        (str(m.needed), str(m.covered), str(m.gap))  # type: ignore[attr-defined]
        for m in result[office]
    ]


def test_full_month_is_one_and_half_month_is_half() -> None:
    # April 2025 has 30 days: 1–15 April at 100 % = 15/30 = 0.5; all of May = 1.0.
    result = locum_need([absence(date(2025, 4, 1), date(2025, 5, 31))], [], date(2025, 3, 10), 3)
    assert month_values(result) == [
        ("0.0000", "0.0000", "0.0000"),
        ("1.0000", "0.0000", "1.0000"),
        ("1.0000", "0.0000", "1.0000"),
    ]
    half = locum_need([absence(date(2025, 4, 1), date(2025, 4, 15))], [], date(2025, 4, 1), 1)
    assert month_values(half) == [("0.5000", "0.0000", "0.5000")]
    first = result["Sentrum legekontor"][0]
    assert first.month == date(2025, 3, 1)


def test_days_weighting_follows_the_month_length() -> None:
    # 14 days of February 2025 (28 days) = 0.5; 14 days of March (31) = 14/31 = 0.4516.
    result = locum_need(
        [
            absence(date(2025, 2, 1), date(2025, 2, 14)),
            absence(date(2025, 3, 1), date(2025, 3, 14)),
        ],
        [],
        date(2025, 2, 1),
        2,
    )
    assert [m.needed for m in result["Sentrum legekontor"]] == [Decimal("0.5"), Decimal("0.4516")]


def test_percent_and_overlaps_of_one_doctor_cap_at_full_time() -> None:
    # 50 % course all June = 0.5; institution 100 % 16–30 June on top: days 16–30 are capped at
    # 100 %: 15 × 0.5 + 15 × 1.0 = 22.5 day-FTE / 30 = 0.75.
    result = locum_need(
        [
            absence(date(2025, 6, 1), date(2025, 6, 30), 50, K.COURSE),
            absence(date(2025, 6, 16), date(2025, 12, 31)),
        ],
        [],
        date(2025, 6, 1),
        1,
    )
    assert result["Sentrum legekontor"][0].needed == Decimal("0.75")


def test_two_doctors_in_one_office_add_up() -> None:
    result = locum_need(
        [
            absence(date(2025, 6, 1), date(2025, 6, 30)),
            absence(
                date(2025, 6, 1), date(2025, 6, 30), 40, K.PARENTAL_LEAVE, "dr-2", position="h-2"
            ),
        ],
        [],
        date(2025, 6, 1),
        1,
    )
    assert result["Sentrum legekontor"][0].needed == Decimal("1.4")


def test_locum_covers_only_its_position_and_days() -> None:
    # Absence all of June 100 %. A locum 1–10 June at 100 % covers 10/30 = 0.3333; a locum
    # for another position covers nothing; a locum at 60 % 11–30 June covers 20 × 0.6 / 30 = 0.4.
    result = locum_need(
        [absence(date(2025, 6, 1), date(2025, 6, 30))],
        [
            locum(date(2025, 6, 1), date(2025, 6, 10)),
            locum(date(2025, 6, 1), date(2025, 6, 30), position="other"),
            locum(date(2025, 6, 11), date(2025, 6, 30), 60),
        ],
        date(2025, 6, 1),
        1,
    )
    assert month_values(result) == [("1.0000", "0.7333", "0.2667")]


def test_locum_beyond_the_need_covers_only_the_need() -> None:
    # Absence 1–15 June (0.5); locum all June: covered 0.5, not 1.0.
    result = locum_need(
        [absence(date(2025, 6, 1), date(2025, 6, 15))],
        [locum(date(2025, 6, 1), date(2025, 6, 30))],
        date(2025, 6, 1),
        1,
    )
    assert month_values(result) == [("0.5000", "0.5000", "0.0000")]
    # Absence at 50 % all June; a full-time locum covers 0.5, not 1.0.
    result = locum_need(
        [absence(date(2025, 6, 1), date(2025, 6, 30), 50)],
        [locum(date(2025, 6, 1), date(2025, 6, 30))],
        date(2025, 6, 1),
        1,
    )
    assert month_values(result) == [("0.5000", "0.5000", "0.0000")]


def test_default_horizon_is_24_months_and_offices_are_separate() -> None:
    result = locum_need(
        [
            absence(date(2025, 1, 1), date(2025, 6, 30)),
            absence(date(2026, 1, 1), date(2026, 1, 31), office="Nord", doctor="b", position="h-b"),
        ],
        [],
        date(2025, 1, 20),
    )
    assert list(result) == ["Nord", "Sentrum legekontor"]
    assert len(result["Nord"]) == 24
    assert result["Nord"][-1].month == date(2026, 12, 1)
    assert sum(m.needed for m in result["Sentrum legekontor"]) == 6
    assert sum(m.needed for m in result["Nord"]) == 1


def test_position_in_two_offices_is_an_error() -> None:
    with pytest.raises(LocumPlanningError, match="hjemmel-1"):
        locum_need(
            [
                absence(date(2025, 1, 1), date(2025, 1, 2)),
                absence(date(2025, 1, 1), date(2025, 1, 2), office="B"),
            ],
            [],
            date(2025, 1, 1),
        )


def test_warning_lists_uncovered_months_in_the_lead_window() -> None:
    # Today 10 Jan 2025, lead 4 months → window until 10 May 2025. Institution 1 Mar – 31 Aug
    # 2025; locum arranged 1 Mar – 15 Jun: June is half uncovered (0.5), July and August fully.
    inst = absence(date(2025, 3, 1), date(2025, 8, 31))
    found = warnings([inst], [locum(date(2025, 3, 1), date(2025, 6, 15))], date(2025, 1, 10))
    assert len(found) == 1
    assert found[0].absence == inst
    assert found[0].uncovered_months == (date(2025, 6, 1), date(2025, 7, 1), date(2025, 8, 1))
    assert [g.gap for g in found[0].uncovered] == [Decimal("0.5"), Decimal(1), Decimal(1)]
    text = warning_text(found[0])
    assert "01.03.2025–31.08.2025" in text
    assert "06.2025, 07.2025, 08.2025" in text


def test_no_warning_when_fully_covered_or_outside_the_window() -> None:
    inst = absence(date(2025, 3, 1), date(2025, 8, 31))
    assert warnings([inst], [locum(date(2025, 2, 1), date(2025, 9, 30))], date(2025, 1, 10)) == []
    # Starts 1 Jun 2025; today 10 Jan + 4 months = 10 May: outside the lead window.
    later = absence(date(2025, 6, 1), date(2025, 11, 30))
    assert warnings([later], [], date(2025, 1, 10)) == []
    assert len(warnings([later], [], date(2025, 1, 10), lead_months=5)) == 1
    # Already over.
    assert warnings([absence(date(2024, 1, 1), date(2024, 6, 30))], [], date(2025, 1, 10)) == []


def test_window_boundary_is_inclusive() -> None:
    # today 31 Jan 2025 + 1 month = 28 Feb 2025 (clamped): a period starting that day is in.
    inst = absence(date(2025, 2, 28), date(2025, 8, 31))
    assert len(warnings([inst], [], date(2025, 1, 31), lead_months=1)) == 1
    assert warnings([absence(date(2025, 3, 1), date(2025, 8, 31))], [], date(2025, 1, 31), 1) == []


def test_running_period_lists_only_months_from_today() -> None:
    # Started 1 Nov 2024, runs to 30 Apr 2025, nothing arranged; today 15 Feb 2025.
    found = warnings([absence(date(2024, 11, 1), date(2025, 4, 30))], [], date(2025, 2, 15))
    assert found[0].uncovered_months == (date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1))
    # February from the 15th: 14 days / 28 = 0.5.
    assert found[0].uncovered[0].gap == Decimal("0.5")


def test_only_institution_periods_warn() -> None:
    for kind in (K.COURSE, K.GROUP_SUPERVISION, K.PARENTAL_LEAVE, K.OTHER):
        assert (
            warnings([absence(date(2025, 2, 1), date(2025, 2, 5), kind=kind)], [], date(2025, 1, 1))
            == []
        )


def test_add_months() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 11, 15), 4) == date(2025, 3, 15)
    assert add_months(date(2025, 3, 1), -3) == date(2024, 12, 1)


def test_invalid_data() -> None:
    with pytest.raises(ValueError, match="percent"):
        absence(date(2025, 1, 1), date(2025, 1, 2), 0)
    with pytest.raises(ValueError, match="end"):
        locum(date(2025, 1, 2), date(2025, 1, 1))
    with pytest.raises(ValueError):
        PlannedAbsence("d", "o", "p", "vacation", date(2025, 1, 1), date(2025, 1, 1))  # type: ignore[arg-type]


@given(
    start=st.dates(date(2025, 1, 1), date(2025, 12, 31)),
    length=st.integers(0, 400),
    percent=st.integers(1, 100),
    locum_offset=st.integers(-60, 60),
    locum_length=st.integers(0, 400),
    locum_percent=st.integers(1, 100),
)
def test_need_cover_gap_invariants(
    start: date, length: int, percent: int, locum_offset: int, locum_length: int, locum_percent: int
) -> None:
    end = start + timedelta(days=length)
    locum_start = start + timedelta(days=locum_offset)
    result = locum_need(
        [absence(start, end, percent)],
        [locum(locum_start, locum_start + timedelta(days=locum_length), locum_percent)],
        date(2025, 1, 1),
        30,
    )
    months = result["Sentrum legekontor"]
    for m in months:
        assert 0 <= m.covered <= m.needed <= 1
        assert m.gap == m.needed - m.covered
    # Total need = days × percent, in FTE-months (to rounding).
    expected = sum(
        Decimal(percent) / 100 / Decimal(_days_in(start + timedelta(days=i)))
        for i in range(length + 1)
        if start + timedelta(days=i) < date(2027, 7, 1)
    )
    assert abs(sum(m.needed for m in months) - expected) <= Decimal("0.0001") * 30


def _days_in(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]
