"""From the database to ``rules.grants`` and back (docs/adr/0057-grant-claims-from-agreements.md).

Each agreement of the municipality enters the claim with its **current** (latest) version:

- ``doctor`` = the ALIS's name; ``doctor_type``, ``scheme``, ``locum_agency`` as in the version;
- ``signed`` = the later of the signature date and the agreement's start (no grant before the
  agreement is signed, nor before it starts);
- ``ends`` = the version's end (empty while it runs);
- ``position_share`` = the version's percent ÷ 100.

A version without a signature date is not sent to the rules; it is listed as "not signed"
beside the claim. The rate table is every ``GrantRate`` row (the rules check the whole table
for overlaps). The result, as stored in an archived claim, is plain JSON (``result``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from veiviser.agreements.models import Agreement, AgreementVersion, GrantRate
from veiviser.core.models import Municipality
from veiviser.rules.grant_worksheet import format_kroner
from veiviser.rules.grants import (
    Claim,
    ClaimInput,
    ClaimLine,
    DoctorType,
    GrantAgreement,
    Rate,
    Scheme,
    claim_to_dict,
    compute_claim,
    doctor_type_text,
    month_key,
)

HUNDRED = Decimal(100)


def rate_of(row: GrantRate) -> Rate:
    return Rate(
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        doctor_type=DoctorType(row.doctor_type),
        annual_rate=row.annual_rate,
        centrality6_supplement=row.centrality6_supplement,
    )


def grant_agreement_of(agreement: Agreement, version: AgreementVersion) -> GrantAgreement | None:
    """The rules' view of one agreement version; None when it is not signed."""
    if version.signed is None:
        return None
    return GrantAgreement(
        doctor=agreement.trainee.person.full_name,
        doctor_type=DoctorType(version.doctor_type),
        signed=max(version.signed, version.start),
        ends=version.end,
        position_share=(version.position_percent / HUNDRED),
        scheme=Scheme(version.scheme),
        locum_agency=version.locum_agency,
    )


def agreements_with_current(municipality: Municipality) -> list[tuple[Agreement, AgreementVersion]]:
    """The municipality's agreements and their current versions (two queries)."""
    agreements = (
        Agreement.objects.filter(municipality=municipality)
        .select_related("trainee__person")
        .prefetch_related(
            Prefetch("versions", queryset=AgreementVersion.objects.order_by("-number"))
        )
        .order_by("trainee__person__family_name", "trainee__person__given_name", "id")
    )
    out = []
    for agreement in agreements:
        versions = list(agreement.versions.all())
        if versions:
            out.append((agreement, versions[0]))
    return out


@dataclass(frozen=True)
class ComputedClaim:
    claim: Claim
    result: dict[str, Any]  # JSON as stored in GrantClaim.result
    rates_snapshot: list[dict[str, Any]]
    uses_example_rates: bool


def _rates_text(line: ClaimLine) -> str:
    parts: list[str] = []
    for rate in line.rates_used:
        text = f"{format_kroner(rate.annual_rate)} kr/år"
        if line.months and line.months[0].supplement_applied:
            text += f" + {format_kroner(rate.centrality6_supplement)} kr"
        parts.append(f"{text} ({_('fra')} {rate.valid_from.strftime('%d.%m.%Y')})")
    return "; ".join(parts)


def compute_for_municipality(
    *, municipality: Municipality, period_from: date, period_to: date
) -> ComputedClaim:
    """Compute the claim. Raises ``rules.grants.GrantError`` (a missing or overlapping rate)."""
    rows = list(GrantRate.objects.order_by("doctor_type", "valid_from"))
    rates = [rate_of(row) for row in rows]
    pairs = agreements_with_current(municipality)
    included: list[tuple[Agreement, AgreementVersion]] = []
    grant_agreements: list[GrantAgreement] = []
    unsigned: list[dict[str, Any]] = []
    for agreement, version in pairs:
        ga = grant_agreement_of(agreement, version)
        if ga is None:
            unsigned.append(
                {
                    "agreement_id": agreement.pk,
                    "version": version.number,
                    "doctor": agreement.trainee.person.full_name,
                }
            )
            continue
        included.append((agreement, version))
        grant_agreements.append(ga)
    claim = compute_claim(
        ClaimInput(
            rates=rates,
            municipality_number=municipality.number,
            centrality=municipality.centrality,
            period_from=period_from,
            period_to=period_to,
            agreements=grant_agreements,
        )
    )
    used = {month.rate for line in claim.lines for month in line.months}
    result = claim_to_dict(claim)
    for entry, line, (agreement, version) in zip(
        result["agreements"], claim.lines, included, strict=True
    ):
        entry.update(
            {
                "agreement_id": agreement.pk,
                "version": version.number,
                "doctor_type": line.agreement.doctor_type.value,
                "doctor_type_text": doctor_type_text(line.agreement.doctor_type),
                "signed": line.agreement.signed.isoformat(),
                "ends": line.agreement.ends.isoformat() if line.agreement.ends else None,
                "active_from": line.active_from.isoformat() if line.active_from else None,
                "active_to": line.active_to.isoformat() if line.active_to else None,
                "reason_text": line.reason_text,
                "months": [month_key(m.month) for m in line.months],
                "rates_text": _rates_text(line),
            }
        )
    snapshot = [
        {
            "id": row.pk,
            "doctor_type": row.doctor_type,
            "doctor_type_text": doctor_type_text(row.doctor_type),
            "valid_from": row.valid_from.isoformat(),
            "valid_to": row.valid_to.isoformat() if row.valid_to else None,
            "annual_rate": str(row.annual_rate),
            "centrality6_supplement": str(row.centrality6_supplement),
            "is_example": row.is_example,
            "source": row.source,
            "used": rate in used,
        }
        for row, rate in zip(rows, rates, strict=True)
    ]
    example = any(r["used"] and r["is_example"] for r in snapshot)
    result.update(
        {
            "municipality_name": municipality.name,
            "centrality": municipality.centrality,
            "warnings": list(claim.warnings),
            "unsigned": unsigned,
            "uses_example_rates": example,
        }
    )
    return ComputedClaim(claim, result, snapshot, example)
