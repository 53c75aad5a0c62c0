"""Worked examples of the grant claim, written from /work/shared/spec/grants.md.

The kroner amounts are placeholders (as in the spec), chosen so the arithmetic is easy to check
by hand; every expected value has its arithmetic in a comment.

Rate table used unless a test says otherwise (`gp`):
  2024-01-01 – 2024-12-31: annual 300 000, class-6 supplement 100 000
  2025-01-01 – 2025-12-31: annual 312 000, class-6 supplement 108 000
so one month at share 1 is 300 000 / 12 = 25 000 in 2024 and 312 000 / 12 = 26 000 in 2025;
with the supplement 400 000 / 12 = 33 333.33… and 420 000 / 12 = 35 000.
Claim period: 2024-09-01 – 2025-05-31 (Sep–Dec 2024 = 4 months, Jan–May 2025 = 5 months).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veiviser.rules.grants import (
    Claim,
    ClaimInput,
    DoctorType,
    GrantAgreement,
    GrantError,
    IneligibleReason,
    MissingRateError,
    OverlappingRatesError,
    Rate,
    Scheme,
    claim_to_dict,
    compute_claim,
    doctor_type_text,
    reason_text,
    whole_months,
)

GP = DoctorType.GP
RATE_2024 = Rate(date(2024, 1, 1), date(2024, 12, 31), GP, Decimal(300_000), Decimal(100_000))
RATE_2025 = Rate(date(2025, 1, 1), date(2025, 12, 31), GP, Decimal(312_000), Decimal(108_000))
RATES = (RATE_2024, RATE_2025)
PERIOD = (date(2024, 9, 1), date(2025, 5, 31))


def agreement(
    doctor: str = "d-1",
    signed: date = date(2024, 1, 1),
    ends: date | None = None,
    share: str = "1",
    scheme: Scheme = Scheme.NEW,
    locum_agency: bool = False,
    doctor_type: DoctorType = GP,
) -> GrantAgreement:
    return GrantAgreement(doctor, doctor_type, signed, ends, Decimal(share), scheme, locum_agency)


def claim(
    *agreements: GrantAgreement,
    centrality: int | None = 5,
    rates: tuple[Rate, ...] = RATES,
    period: tuple[date, date] = PERIOD,
) -> Claim:
    return compute_claim(ClaimInput(rates, "4643", centrality, period[0], period[1], agreements))


def test_full_period_with_rate_change_on_1_january() -> None:
    # Sep–Dec 2024: 4 × 25 000 = 100 000; Jan–May 2025: 5 × 26 000 = 130 000; sum 230 000.
    result = claim(agreement())
    line = result.lines[0]
    assert (line.eligible, line.reason, line.whole_months, line.amount) == (True, None, 9, 230_000)
    assert result.total == 230_000
    assert [m.rate for m in line.months] == [RATE_2024] * 4 + [RATE_2025] * 5
    assert line.months[3].month == date(2024, 12, 1)
    assert line.months[4].month == date(2025, 1, 1)
    assert line.months[4].amount == Decimal(26_000)
    assert line.rates_used == (RATE_2024, RATE_2025)


def test_centrality_class_6_adds_the_supplement() -> None:
    # 4 × 400 000 / 12 = 133 333.33…; 5 × 420 000 / 12 = 175 000; 308 333.33… → 308 333.
    line = claim(agreement(), centrality=6).lines[0]
    assert line.amount == 308_333
    assert all(m.supplement_applied for m in line.months)
    assert line.months[0].annual_amount == Decimal(400_000)


@pytest.mark.parametrize("centrality", [1, 2, 3, 4, 5])
def test_other_classes_get_no_supplement(centrality: int) -> None:
    assert claim(agreement(), centrality=centrality).total == 230_000


def test_unknown_centrality_is_not_class_6_and_is_flagged() -> None:
    result = claim(agreement(), centrality=None)
    assert result.total == 230_000
    assert result.centrality_unknown
    assert result.warnings == ("centrality_unknown",)
    assert claim(agreement(), centrality=6).warnings == ()


def test_signed_mid_month_that_month_is_not_whole() -> None:
    # Signed 15 Oct 2024: October is not whole. Nov, Dec = 2 × 25 000 = 50 000;
    # Jan–May 2025 = 130 000; 7 months, 180 000.
    line = claim(agreement(signed=date(2024, 10, 15))).lines[0]
    assert (line.whole_months, line.amount) == (7, 180_000)
    assert line.active_from == date(2024, 10, 15)
    assert line.months[0].month == date(2024, 11, 1)


def test_signed_on_the_first_counts_that_month() -> None:
    # Signed 1 Oct 2024: Oct–Dec = 3 × 25 000 = 75 000; + 130 000 = 205 000.
    line = claim(agreement(signed=date(2024, 10, 1))).lines[0]
    assert (line.whole_months, line.amount) == (8, 205_000)


def test_position_share_below_one() -> None:
    # Share 0.6: 4 × 300 000 × 0.6 / 12 = 4 × 15 000 = 60 000;
    # 5 × 312 000 × 0.6 / 12 = 5 × 15 600 = 78 000; 138 000.
    line = claim(agreement(share="0.6")).lines[0]
    assert line.amount == 138_000
    assert line.position_share == Decimal("0.6")
    # Share 0.5 halves the full-period amount: 230 000 / 2 = 115 000.
    assert claim(agreement(share="0.5")).total == 115_000


def test_agreement_ending_mid_period() -> None:
    # Ends 14 Feb 2025: Sep–Dec 2024 = 100 000, January 26 000; February not whole: 126 000.
    line = claim(agreement(ends=date(2025, 2, 14))).lines[0]
    assert (line.whole_months, line.amount, line.active_to) == (5, 126_000, date(2025, 2, 14))
    # Ends on the last day of February: February is whole, 126 000 + 26 000 = 152 000.
    assert claim(agreement(ends=date(2025, 2, 28))).total == 152_000


def test_leap_february_needs_its_29th_day() -> None:
    period = (date(2024, 1, 1), date(2024, 12, 31))
    # Ends 28 Feb 2024 (a leap year): only January is whole, 25 000.
    assert claim(agreement(ends=date(2024, 2, 28)), period=period).total == 25_000
    # Ends 29 Feb 2024: January and February, 50 000.
    assert claim(agreement(ends=date(2024, 2, 29)), period=period).total == 50_000


def test_partial_months_at_both_ends_of_the_claim_period() -> None:
    # Period 15 Sep 2024 – 20 Jan 2025: only Oct, Nov, Dec are whole: 3 × 25 000 = 75 000.
    line = claim(agreement(), period=(date(2024, 9, 15), date(2025, 1, 20))).lines[0]
    assert [m.month.month for m in line.months] == [10, 11, 12]
    assert line.amount == 75_000


def test_overlapping_but_no_whole_month_is_eligible_with_zero() -> None:
    # Signed 10 May 2025, period ends 31 May: overlaps, but May is not whole.
    line = claim(agreement(signed=date(2025, 5, 10))).lines[0]
    assert (line.eligible, line.reason, line.whole_months, line.amount) == (True, None, 0, 0)


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"scheme": Scheme.OLD}, IneligibleReason.OLD_SCHEME),
        ({"locum_agency": True}, IneligibleReason.LOCUM_AGENCY),
        ({"signed": date(2025, 6, 1)}, IneligibleReason.OUTSIDE_PERIOD),
        ({"signed": date(2023, 1, 1), "ends": date(2024, 8, 31)}, IneligibleReason.OUTSIDE_PERIOD),
    ],
)
def test_excluded_agreements(kwargs: dict[str, object], reason: IneligibleReason) -> None:
    result = claim(agreement(doctor="x", **kwargs), agreement(doctor="ok"))  # type: ignore[arg-type]
    excluded, included = result.lines
    assert (excluded.eligible, excluded.reason, excluded.amount) == (False, reason, 0)
    assert excluded.whole_months == 0
    assert excluded.reason_text
    # The total is only the eligible agreement: 230 000.
    assert result.total == included.amount == 230_000


def test_excluded_agreements_need_no_rate() -> None:
    # An old-scheme introduction doctor: no `introduction` rate row, and none needed.
    result = claim(agreement(doctor_type=DoctorType.INTRODUCTION, scheme=Scheme.OLD))
    assert result.total == 0


def test_first_reason_wins_in_spec_order() -> None:
    line = claim(agreement(scheme=Scheme.OLD, locum_agency=True)).lines[0]
    assert line.reason is IneligibleReason.OLD_SCHEME


def test_rounding_half_up_at_the_end() -> None:
    # introduction, annual 99 990, share 1, one month: 99 990 / 12 = 8 332.5 → 8 333
    # (half up; banker's rounding would give 8 332).
    rates = (Rate(date(2024, 1, 1), None, DoctorType.INTRODUCTION, Decimal(99_990), Decimal(0)),)
    one_month = claim(
        agreement(doctor_type=DoctorType.INTRODUCTION),
        rates=rates,
        period=(date(2024, 9, 1), date(2024, 9, 30)),
    )
    assert one_month.total == 8_333


def test_rounding_happens_once_over_the_exact_sum() -> None:
    # annual 100 003, 6 months: 6 × 100 003 / 12 = 50 001.5 exactly → 50 002.
    # Rounding each month (8 333.58 → 8 334, × 6 = 50 004) or summing 28-digit monthly
    # quotients (50 001.4999… → 50 001) would both be wrong.
    rates = (Rate(date(2024, 1, 1), None, DoctorType.INTRODUCTION, Decimal(100_003), Decimal(0)),)
    result = claim(
        agreement(doctor_type=DoctorType.INTRODUCTION),
        rates=rates,
        period=(date(2024, 7, 1), date(2024, 12, 31)),
    )
    assert result.total == 50_002


def test_total_is_the_sum_of_rounded_agreement_amounts() -> None:
    # Two agreements of 4 × 400 000 × 0.5 / 12 = 66 666.67 each (Sep–Dec 2024, class 6):
    # each rounds to 66 667, total 133 334 (not round(133 333.33) = 133 333).
    period = (date(2024, 9, 1), date(2024, 12, 31))
    result = claim(
        agreement("a", share="0.5"), agreement("b", share="0.5"), centrality=6, period=period
    )
    assert [line.amount for line in result.lines] == [66_667, 66_667]
    assert result.total == 133_334


def test_rate_is_the_one_valid_on_the_months_first_day() -> None:
    # Rate changes on 15 January: January still uses the old row (valid on 1 January).
    old = Rate(date(2024, 1, 1), date(2025, 1, 14), GP, Decimal(300_000), Decimal(0))
    new = Rate(date(2025, 1, 15), None, GP, Decimal(360_000), Decimal(0))
    line = claim(agreement(), rates=(old, new)).lines[0]
    # Sep 2024 – Jan 2025 = 5 × 25 000 = 125 000; Feb–May = 4 × 30 000 = 120 000; 245 000.
    assert line.months[4].rate == old
    assert line.months[5].rate == new
    assert line.amount == 245_000


def test_missing_rate_is_an_error_naming_month_and_type() -> None:
    with pytest.raises(MissingRateError) as info:
        claim(agreement(), rates=(RATE_2024,))
    message = str(info.value)
    assert "2025-01" in message
    assert "'gp'" in message
    assert info.value.month == date(2025, 1, 1)
    assert info.value.doctor_type is GP
    assert isinstance(info.value, GrantError)


def test_missing_rate_for_another_doctor_type() -> None:
    with pytest.raises(GrantError, match=r"'introduction'.*2024-09"):
        claim(agreement(doctor_type=DoctorType.INTRODUCTION))


def test_overlapping_rate_rows_are_an_error() -> None:
    overlapping = Rate(date(2024, 12, 1), date(2025, 2, 28), GP, Decimal(1), Decimal(0))
    with pytest.raises(OverlappingRatesError, match="gp"):
        claim(agreement(), rates=(*RATES, overlapping))
    # Rows for different types may share dates.
    intro = Rate(date(2024, 1, 1), None, DoctorType.INTRODUCTION, Decimal(1), Decimal(0))
    assert claim(agreement(), rates=(*RATES, intro)).total == 230_000


def test_spec_example_input() -> None:
    # The spec's example: class 6, rate 300 000 + 100 000, period 1 Sep 2024 – 31 May 2025,
    # signed 15 Oct 2024 (October not whole), share 1.0, no end: Nov 2024 – May 2025 = 7 months,
    # 7 × 400 000 / 12 = 233 333.33… → 233 333.
    rates = (Rate(date(2024, 1, 1), date(2025, 12, 31), GP, Decimal(300000), Decimal(100000)),)
    inp = ClaimInput(
        rates,
        "4643",
        6,
        date(2024, 9, 1),
        date(2025, 5, 31),
        [GrantAgreement("d-81f3", GP, date(2024, 10, 15), None, Decimal("1.0"), Scheme.NEW, False)],
    )
    assert claim_to_dict(compute_claim(inp)) == {
        "municipality": "4643",
        "period": {"from": "2024-09-01", "to": "2025-05-31"},
        "total": 233_333,
        "agreements": [
            {
                "doctor": "d-81f3",
                "eligible": True,
                "reason": None,
                "whole_months": 7,
                "position_share": 1.0,
                "amount": 233_333,
            }
        ],
    }


def test_claim_to_dict_reasons_and_types() -> None:
    data = claim_to_dict(claim(agreement("old", scheme=Scheme.OLD), agreement("s", share="0.6")))
    old, share = data["agreements"]
    assert old["reason"] == "old_scheme"
    assert old["eligible"] is False
    assert type(old["amount"]) is int
    assert share["position_share"] == 0.6
    assert type(data["total"]) is int


def test_claim_records_the_rate_table() -> None:
    assert claim(agreement()).rates == RATES


def test_norwegian_texts() -> None:
    assert "vikarbyrå" in reason_text(IneligibleReason.LOCUM_AGENCY)
    assert reason_text("outside_period") == "Avtalen overlapper ikke søknadsperioden."
    assert reason_text(None) == ""
    assert doctor_type_text("introduction") == "Introduksjonslege"


def test_whole_months_helper() -> None:
    assert whole_months(date(2024, 1, 31), date(2024, 4, 30)) == [
        date(2024, 2, 1),
        date(2024, 3, 1),
        date(2024, 4, 1),
    ]
    assert whole_months(date(2024, 1, 2), date(2024, 1, 31)) == []
    assert whole_months(date(2024, 12, 1), date(2025, 1, 31)) == [
        date(2024, 12, 1),
        date(2025, 1, 1),
    ]


def test_invalid_data_is_rejected() -> None:
    with pytest.raises(ValueError, match="position_share"):
        agreement(share="1.2")
    with pytest.raises(ValueError, match="ends"):
        agreement(signed=date(2024, 5, 1), ends=date(2024, 4, 1))
    with pytest.raises(ValueError, match="centrality"):
        ClaimInput(RATES, "4643", 7, PERIOD[0], PERIOD[1], [])
    with pytest.raises(ValueError, match="period"):
        ClaimInput(RATES, "4643", 6, PERIOD[1], PERIOD[0], [])


# --- properties -------------------------------------------------------------------------------

days = st.dates(min_value=date(2023, 6, 1), max_value=date(2026, 6, 30))
shares = st.decimals(min_value=0, max_value=1, places=3)
LONG_RATES = (Rate(date(2020, 1, 1), None, GP, Decimal(300_000), Decimal(100_000)),)


@given(signed=days, length=st.integers(0, 1200), share=shares, centrality=st.integers(1, 6))
def test_amount_is_bounded_by_whole_months(
    signed: date, length: int, share: Decimal, centrality: int
) -> None:
    ends = signed + timedelta(days=length)
    line = claim(
        agreement(signed=signed, ends=ends, share=str(share)),
        centrality=centrality,
        rates=LONG_RATES,
    ).lines[0]
    annual = 400_000 if centrality == 6 else 300_000
    exact = Decimal(annual) * share * line.whole_months / 12
    assert abs(line.amount - exact) <= Decimal("0.5")
    assert line.whole_months <= 9
    for month in line.months:
        assert max(signed, PERIOD[0]) <= month.month
        assert month.month.replace(day=28) <= min(ends, PERIOD[1])


@given(signed=days, share_a=shares, share_b=shares)
def test_amount_grows_with_share(signed: date, share_a: Decimal, share_b: Decimal) -> None:
    low, high = sorted([share_a, share_b])
    a = claim(agreement(signed=signed, share=str(low)), rates=LONG_RATES).total
    b = claim(agreement(signed=signed, share=str(high)), rates=LONG_RATES).total
    assert a <= b
