"""The national grant "Nasjonal ALIS og veiledning": computing a municipality's claim.

Pure rules, no Django. The contract is ``/work/shared/spec/grants.md``; the formula and the
readings of its open points are recorded in ADR 0020 and ADR 0021. In short, per agreement:

1. not eligible (amount 0) when the scheme is ``old``, the doctor is attached to a locum agency,
   or the agreement does not overlap the claim period;
2. active interval = [max(signed, period start), min(ends, period end)];
3. whole months = calendar months lying entirely inside the active interval;
4. month amount = (annual_rate + centrality6_supplement if class 6) × position_share ÷ 12, with
   the rate row valid on the month's first day;
5. amount = sum over the whole months, rounded half up to whole kroner at the end.

Kroner amounts are never literals here: the rate table is data with validity dates.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from typing import Any

__all__ = [
    "Claim",
    "ClaimInput",
    "ClaimLine",
    "DoctorType",
    "GrantAgreement",
    "GrantError",
    "IneligibleReason",
    "MissingRateError",
    "MonthAmount",
    "OverlappingRatesError",
    "Rate",
    "Scheme",
    "claim_to_dict",
    "compute_claim",
    "doctor_type_text",
    "find_rate",
    "month_key",
    "rate_table_overlaps",
    "reason_text",
    "whole_months",
]

MONTHS_PER_YEAR = Decimal(12)
CENTRALITY_SUPPLEMENT_CLASS = 6


class DoctorType(StrEnum):
    """The scheme's doctor types; each has its own rate rows."""

    GP = "gp"  # fastlege or fastlegevikar
    INTRODUCTION = "introduction"  # introduksjonslege
    OTHER_MUNICIPAL = "other_municipal"  # allmennlege i annet kommunalt legearbeid
    SUPERVISION_ONLY = "supervision_only"  # veiledning for an ALIS without ALIS-avtale


class Scheme(StrEnum):
    """The specialist-training scheme the doctor follows."""

    NEW = "new"
    OLD = "old"


class IneligibleReason(StrEnum):
    """Stable machine codes for why an agreement gives no grant (spec step 1)."""

    OLD_SCHEME = "old_scheme"
    LOCUM_AGENCY = "locum_agency"
    OUTSIDE_PERIOD = "outside_period"


_REASON_TEXT_NB: dict[IneligibleReason, str] = {
    IneligibleReason.OLD_SCHEME: "Legen følger gammel ordning og gir ikke rett til tilskudd.",
    IneligibleReason.LOCUM_AGENCY: (
        "Legen er ansatt i eller tilknyttet et vikarbyrå eller en annen kommersiell aktør."
    ),
    IneligibleReason.OUTSIDE_PERIOD: "Avtalen overlapper ikke søknadsperioden.",
}

_DOCTOR_TYPE_TEXT_NB: dict[DoctorType, str] = {
    DoctorType.GP: "Fastlege/fastlegevikar",
    DoctorType.INTRODUCTION: "Introduksjonslege",
    DoctorType.OTHER_MUNICIPAL: "Allmennlege i annet kommunalt legearbeid",
    DoctorType.SUPERVISION_ONLY: "Veiledning (ALIS uten ALIS-avtale)",
}


def reason_text(reason: IneligibleReason | str | None) -> str:
    """Norwegian (bokmål) explanation of an ineligibility code; empty string for ``None``."""
    if reason is None:
        return ""
    return _REASON_TEXT_NB[IneligibleReason(reason)]


def doctor_type_text(doctor_type: DoctorType | str) -> str:
    """Norwegian (bokmål) name of a doctor type, as in Helsedirektoratet's regelverk."""
    return _DOCTOR_TYPE_TEXT_NB[DoctorType(doctor_type)]


class GrantError(ValueError):
    """The claim cannot be computed from the given rate table (never silently a zero)."""


class MissingRateError(GrantError):
    """No rate row for ``doctor_type`` is valid on the first day of ``month``."""

    def __init__(self, month: date, doctor_type: DoctorType) -> None:
        self.month = month
        self.doctor_type = doctor_type
        super().__init__(
            f"no rate row for doctor_type {doctor_type.value!r} valid in month "
            f"{month_key(month)} (on {month.isoformat()})"
        )


class OverlappingRatesError(GrantError):
    """Two rate rows for the same doctor type are valid on the same date."""

    def __init__(self, first: Rate, second: Rate) -> None:
        self.first = first
        self.second = second
        super().__init__(
            f"overlapping rate rows for doctor_type {first.doctor_type.value!r}: "
            f"{_validity_text(first)} and {_validity_text(second)}"
        )


def month_key(month: date) -> str:
    """``YYYY-MM`` of a date."""
    return f"{month.year:04d}-{month.month:02d}"


def _validity_text(rate: Rate) -> str:
    end = rate.valid_to.isoformat() if rate.valid_to is not None else "open"
    return f"{rate.valid_from.isoformat()}–{end}"


def _as_decimal(value: Any, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise TypeError(f"{name} must be a Decimal, got {type(value).__name__}")
    result = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if not result.is_finite():
        raise ValueError(f"{name} must be finite")
    return result


@dataclass(frozen=True)
class Rate:
    """One row of the rate table: yearly kroner amounts for a doctor type and a validity span.

    ``valid_to`` is inclusive; ``None`` means open-ended (ADR 0021).
    """

    valid_from: date
    valid_to: date | None
    doctor_type: DoctorType
    annual_rate: Decimal
    centrality6_supplement: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "doctor_type", DoctorType(self.doctor_type))
        object.__setattr__(self, "annual_rate", _as_decimal(self.annual_rate, "annual_rate"))
        object.__setattr__(
            self,
            "centrality6_supplement",
            _as_decimal(self.centrality6_supplement, "centrality6_supplement"),
        )
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        if self.annual_rate < 0 or self.centrality6_supplement < 0:
            raise ValueError("rates must not be negative")

    def valid_on(self, day: date) -> bool:
        """True when this row applies on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class GrantAgreement:
    """One ALIS agreement (or supervision arrangement) as the claim sees it.

    ``ends`` is the agreement's last day (inclusive) or ``None`` while it runs.
    """

    doctor: str
    doctor_type: DoctorType
    signed: date
    ends: date | None
    position_share: Decimal
    scheme: Scheme = Scheme.NEW
    locum_agency: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "doctor_type", DoctorType(self.doctor_type))
        object.__setattr__(self, "scheme", Scheme(self.scheme))
        share = _as_decimal(self.position_share, "position_share")
        object.__setattr__(self, "position_share", share)
        if not Decimal(0) <= share <= Decimal(1):
            raise ValueError("position_share must be between 0 and 1")
        if self.ends is not None and self.ends < self.signed:
            raise ValueError("ends is before signed")


@dataclass(frozen=True)
class ClaimInput:
    """Everything a claim is computed from."""

    rates: Sequence[Rate]
    municipality_number: str
    centrality: int | None
    period_from: date
    period_to: date
    agreements: Sequence[GrantAgreement]

    def __post_init__(self) -> None:
        object.__setattr__(self, "rates", tuple(self.rates))
        object.__setattr__(self, "agreements", tuple(self.agreements))
        if self.period_to < self.period_from:
            raise ValueError("period_to is before period_from")
        if self.centrality is not None and not 1 <= self.centrality <= 6:
            raise ValueError("centrality must be 1–6 or None")


@dataclass(frozen=True)
class MonthAmount:
    """One whole month of one agreement: the rate row used and the unrounded amount."""

    month: date  # first day of the month
    rate: Rate
    supplement_applied: bool
    annual_amount: Decimal  # annual_rate (+ centrality6_supplement when applied)
    amount: Decimal  # annual_amount × position_share ÷ 12, unrounded


@dataclass(frozen=True)
class ClaimLine:
    """The result for one agreement."""

    agreement: GrantAgreement
    eligible: bool
    reason: IneligibleReason | None
    active_from: date | None
    active_to: date | None
    months: tuple[MonthAmount, ...]
    amount: int  # whole kroner

    @property
    def doctor(self) -> str:
        """The doctor's id."""
        return self.agreement.doctor

    @property
    def whole_months(self) -> int:
        """Number of whole calendar months counted."""
        return len(self.months)

    @property
    def position_share(self) -> Decimal:
        """The agreement's position share (0–1)."""
        return self.agreement.position_share

    @property
    def rates_used(self) -> tuple[Rate, ...]:
        """The distinct rate rows used, in month order."""
        seen: list[Rate] = []
        for month in self.months:
            if month.rate not in seen:
                seen.append(month.rate)
        return tuple(seen)

    @property
    def reason_text(self) -> str:
        """Norwegian explanation of ``reason`` (empty when eligible)."""
        return reason_text(self.reason)


@dataclass(frozen=True)
class Claim:
    """A computed claim; it records the rate table it used (``rates``)."""

    municipality_number: str
    centrality: int | None
    period_from: date
    period_to: date
    lines: tuple[ClaimLine, ...]
    total: int
    rates: tuple[Rate, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def centrality_unknown(self) -> bool:
        """True when the municipality's class was unknown and no supplement was applied."""
        return self.centrality is None


WARNING_CENTRALITY_UNKNOWN = "centrality_unknown"


def _month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _next_month(first: date) -> date:
    if first.month == 12:
        return date(first.year + 1, 1, 1)
    return date(first.year, first.month + 1, 1)


def whole_months(start: date, end: date) -> list[date]:
    """First days of the calendar months lying entirely inside ``[start, end]`` (inclusive)."""
    first = start if start.day == 1 else _next_month(start.replace(day=1))
    months: list[date] = []
    while first <= end and _month_end(first) <= end:
        months.append(first)
        first = _next_month(first)
    return months


def rate_table_overlaps(rates: Iterable[Rate]) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of rows of the same type valid on a common date."""
    rows = list(rates)
    pairs: list[tuple[int, int]] = []
    for i, first in enumerate(rows):
        for j in range(i + 1, len(rows)):
            second = rows[j]
            if first.doctor_type != second.doctor_type:
                continue
            first_end = first.valid_to or date.max
            second_end = second.valid_to or date.max
            if first.valid_from <= second_end and second.valid_from <= first_end:
                pairs.append((i, j))
    return pairs


def _check_rate_table(rates: Sequence[Rate]) -> None:
    overlaps = rate_table_overlaps(rates)
    if overlaps:
        i, j = overlaps[0]
        raise OverlappingRatesError(rates[i], rates[j])


def find_rate(rates: Iterable[Rate], doctor_type: DoctorType, month: date) -> Rate:
    """The one rate row for ``doctor_type`` valid on ``month``'s first day.

    Raises ``MissingRateError`` when none is, ``OverlappingRatesError`` when several are.
    """
    first = month.replace(day=1)
    matches = [r for r in rates if r.doctor_type == doctor_type and r.valid_on(first)]
    if not matches:
        raise MissingRateError(first, DoctorType(doctor_type))
    if len(matches) > 1:
        raise OverlappingRatesError(matches[0], matches[1])
    return matches[0]


def _round_kroner(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _ineligible(agreement: GrantAgreement, reason: IneligibleReason) -> ClaimLine:
    return ClaimLine(agreement, False, reason, None, None, (), 0)


def _claim_line(inp: ClaimInput, agreement: GrantAgreement) -> ClaimLine:
    if agreement.scheme is Scheme.OLD:
        return _ineligible(agreement, IneligibleReason.OLD_SCHEME)
    if agreement.locum_agency:
        return _ineligible(agreement, IneligibleReason.LOCUM_AGENCY)
    active_from = max(agreement.signed, inp.period_from)
    active_to = inp.period_to if agreement.ends is None else min(agreement.ends, inp.period_to)
    if active_to < active_from:
        return _ineligible(agreement, IneligibleReason.OUTSIDE_PERIOD)

    supplement = inp.centrality == CENTRALITY_SUPPLEMENT_CLASS
    share = agreement.position_share
    months: list[MonthAmount] = []
    numerator = Decimal(0)  # Σ annual_amount × share, exact; ÷ 12 once (ADR 0020)
    with localcontext() as ctx:
        ctx.prec = 50
        for first in whole_months(active_from, active_to):
            rate = find_rate(inp.rates, agreement.doctor_type, first)
            annual = rate.annual_rate + (rate.centrality6_supplement if supplement else Decimal(0))
            months.append(
                MonthAmount(first, rate, supplement, annual, annual * share / MONTHS_PER_YEAR)
            )
            numerator += annual * share
        amount = _round_kroner(numerator / MONTHS_PER_YEAR)
    return ClaimLine(agreement, True, None, active_from, active_to, tuple(months), amount)


def compute_claim(inp: ClaimInput) -> Claim:
    """Compute the claim for every agreement of ``inp`` (spec grants.md, five steps).

    Raises ``GrantError`` (``MissingRateError`` naming month and type, or
    ``OverlappingRatesError``) when the rate table cannot price a whole month.
    """
    _check_rate_table(inp.rates)
    lines = tuple(_claim_line(inp, agreement) for agreement in inp.agreements)
    warnings = (WARNING_CENTRALITY_UNKNOWN,) if inp.centrality is None else ()
    return Claim(
        municipality_number=inp.municipality_number,
        centrality=inp.centrality,
        period_from=inp.period_from,
        period_to=inp.period_to,
        lines=lines,
        total=sum(line.amount for line in lines),
        rates=tuple(inp.rates),
        warnings=warnings,
    )


def claim_to_dict(claim: Claim) -> dict[str, Any]:
    """The claim as the spec's output JSON (amounts as ints, position_share as a number)."""
    return {
        "municipality": claim.municipality_number,
        "period": {"from": claim.period_from.isoformat(), "to": claim.period_to.isoformat()},
        "total": claim.total,
        "agreements": [
            {
                "doctor": line.doctor,
                "eligible": line.eligible,
                "reason": line.reason.value if line.reason is not None else None,
                "whole_months": line.whole_months,
                "position_share": float(line.position_share),
                "amount": line.amount,
            }
            for line in claim.lines
        ],
    }
