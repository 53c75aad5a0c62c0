"""Writes of agreements, rate rows and archived claims: keyword-only, atomic, checked and
audited. Agreement terms are never changed in place: ``add_version`` makes a new version.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from veiviser.accounts.scope import scope_for
from veiviser.agreements.claims import ComputedClaim, compute_for_municipality
from veiviser.agreements.models import Agreement, AgreementVersion, GrantClaim, GrantRate
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record, snapshot
from veiviser.core.models import Municipality
from veiviser.training.models import Trainee

TERM_FIELDS = (
    "salary_model",
    "position_percent",
    "list_cap_plan",
    "extra_supervision_hours",
    "course_costs_covered",
    "travel_costs_covered",
    "paid_leave_courses",
    "paid_leave_supervision",
    "binding_months",
    "start",
    "end",
    "signed",
    "doctor_type",
    "scheme",
    "locum_agency",
    "other_terms",
)
RATE_FIELDS = (
    "doctor_type",
    "valid_from",
    "valid_to",
    "annual_rate",
    "centrality6_supplement",
    "is_example",
    "source",
)


def can_manage(user: Any, municipality_id: int) -> bool:
    return scope_for(user).can_manage_municipality(municipality_id)


def _require_manager(user: Any, municipality_id: int) -> None:
    if not can_manage(user, municipality_id):
        raise PermissionDenied


def _require_admin(user: Any) -> None:
    if not scope_for(user).is_admin:
        raise PermissionDenied


def terms_of(version: AgreementVersion) -> dict[str, Any]:
    """The terms of a version as a dict (the initial data of the next version's form)."""
    return {name: getattr(version, name) for name in TERM_FIELDS}


def _same_terms(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def norm(value: Any) -> Any:
        if isinstance(value, Decimal):
            return value.normalize()
        if value in ("", None):
            return None
        return value

    return all(norm(a.get(k)) == norm(b.get(k)) for k in TERM_FIELDS)


def _new_version(
    *, agreement: Agreement, number: int, terms: dict[str, Any], change_note: str, by: Any
) -> AgreementVersion:
    unknown = set(terms) - set(TERM_FIELDS)
    if unknown:
        raise ValueError(f"unknown terms: {sorted(unknown)}")
    end, start = terms.get("end"), terms.get("start")
    if start and end and end < start:
        raise ValidationError({"end": _("Sluttdatoen kan ikke være før startdatoen.")})
    version = AgreementVersion(
        agreement=agreement,
        number=number,
        change_note=change_note,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        **terms,
    )
    version.full_clean(exclude=["agreement"])
    version.save()
    return version


@transaction.atomic
def create_agreement(
    *, municipality: Municipality, trainee: Trainee, terms: dict[str, Any], by: Any
) -> Agreement:
    """A new agreement between ``municipality`` and ``trainee`` with its first version."""
    _require_manager(by, municipality.pk)
    if trainee.municipality_id != municipality.pk:
        raise ValidationError({"trainee": _("ALIS-en hører ikke til denne kommunen.")})
    agreement = Agreement.objects.create(
        trainee=trainee,
        municipality=municipality,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    version = _new_version(agreement=agreement, number=1, terms=terms, change_note="", by=by)
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        instance=agreement,
        municipality_id=municipality.pk,
        after={"trainee_id": trainee.pk, "version": 1, **snapshot(version, TERM_FIELDS)},
        summary=_("Ny ALIS-avtale"),
    )
    return agreement


@transaction.atomic
def add_version(
    *, agreement: Agreement, terms: dict[str, Any], change_note: str, by: Any
) -> AgreementVersion:
    """Change an agreement: a new version with the new terms; earlier versions stay as they
    were. Refuses a version without any change."""
    _require_manager(by, agreement.municipality_id)
    # Serialise writers of one agreement (the version number is max + 1).
    list(Agreement.objects.select_for_update().filter(pk=agreement.pk).values_list("pk"))
    latest = AgreementVersion.objects.filter(agreement=agreement).order_by("-number").first()
    if latest is not None and _same_terms(terms_of(latest), terms):
        raise ValidationError(_("Ingen vilkår er endret, så ingen ny versjon er laget."))
    number = (latest.number if latest else 0) + 1
    version = _new_version(
        agreement=agreement, number=number, terms=terms, change_note=change_note, by=by
    )
    record(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        instance=agreement,
        municipality_id=agreement.municipality_id,
        before=({"version": latest.number, **snapshot(latest, TERM_FIELDS)} if latest else None),
        after={"version": number, **snapshot(version, TERM_FIELDS)},
        summary=_("Ny versjon %(n)s av ALIS-avtale") % {"n": number},
    )
    return version


# --------------------------------------------------------------------------- rate table


def overlapping_rate(rate: GrantRate) -> GrantRate | None:
    """Another row of the same doctor type valid on a common day."""
    others = GrantRate.objects.filter(doctor_type=rate.doctor_type).exclude(pk=rate.pk)
    others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=rate.valid_from))
    if rate.valid_to is not None:
        others = others.filter(valid_from__lte=rate.valid_to)
    return others.order_by("valid_from").first()


def _rate_span(rate: GrantRate) -> str:
    end = rate.valid_to.strftime("%d.%m.%Y") if rate.valid_to else _("løpende")
    return f"{rate.valid_from.strftime('%d.%m.%Y')}–{end}"


@transaction.atomic
def save_rate(*, rate: GrantRate, by: Any) -> GrantRate:
    """Create or change a row of the rate table (administrators). Overlapping validity with
    another row of the same doctor type is refused, naming that row."""
    _require_admin(by)
    list(GrantRate.objects.select_for_update().filter(doctor_type=rate.doctor_type).values("pk"))
    if rate.valid_to is not None and rate.valid_to < rate.valid_from:
        raise ValidationError({"valid_to": _("Gyldig til kan ikke være før gyldig fra.")})
    other = overlapping_rate(rate)
    if other is not None:
        raise ValidationError(
            {
                "valid_from": _(
                    "Gyldighetsperioden overlapper satsen for %(type)s som gjelder %(span)s. "
                    "Avslutt den andre satsen dagen før, eller endre datoene."
                )
                % {"type": other.get_doctor_type_display(), "span": _rate_span(other)}
            }
        )
    is_new = rate.pk is None
    before = None if is_new else snapshot(GrantRate.objects.get(pk=rate.pk), RATE_FIELDS)
    if is_new and getattr(by, "is_authenticated", False):
        rate.created_by = by
    rate.full_clean()
    rate.save()
    record(
        actor=by,
        action=AuditEvent.Action.CREATE if is_new else AuditEvent.Action.UPDATE,
        instance=rate,
        before=before,
        after=snapshot(rate, RATE_FIELDS),
    )
    return rate


@transaction.atomic
def delete_rate(*, rate: GrantRate, by: Any) -> None:
    """Remove a rate row (archived claims keep their own copy of the rows they used)."""
    _require_admin(by)
    before = snapshot(rate, RATE_FIELDS)
    pk = rate.pk
    rate.delete()
    record(
        actor=by,
        action=AuditEvent.Action.DELETE,
        object_type="agreements.GrantRate",
        object_id=pk,
        before=before,
    )


# --------------------------------------------------------------------------- claims


@transaction.atomic
def archive_claim(
    *,
    municipality: Municipality,
    period_from: date,
    period_to: date,
    by: Any,
    note: str = "",
    today: date | None = None,
) -> GrantClaim:
    """Compute the claim and store it with the rate rows it used, the XLSX worksheet and the
    PDF summary. Raises ``rules.grants.GrantError`` when the rate table cannot price it."""
    from veiviser.agreements.documents import claim_pdf
    from veiviser.rules.grant_worksheet import build_worksheet

    _require_manager(by, municipality.pk)
    computed: ComputedClaim = compute_for_municipality(
        municipality=municipality, period_from=period_from, period_to=period_to
    )
    name = (
        (by.get_full_name() or by.get_username()) if getattr(by, "is_authenticated", False) else ""
    )
    claim = GrantClaim(
        municipality=municipality,
        period_from=period_from,
        period_to=period_to,
        centrality=municipality.centrality,
        total=computed.claim.total,
        agreement_count=len(computed.claim.lines),
        result=computed.result,
        rates=computed.rates_snapshot,
        xlsx=build_worksheet(computed.claim, municipality.name),
        pdf=b"",
        note=note,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        created_by_name=name,
    )
    claim.save()
    claim.pdf = claim_pdf(claim, today=today)
    claim.save(update_fields=["pdf"])
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        instance=claim,
        municipality_id=municipality.pk,
        after={
            "period_from": period_from.isoformat(),
            "period_to": period_to.isoformat(),
            "total": claim.total,
            "agreements": claim.agreement_count,
        },
        summary=_("Tilskuddskrav arkivert"),
    )
    return claim
