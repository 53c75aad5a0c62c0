"""Writing annual reports: save the hand-filled part, submit, reopen. Each checks that the
writer manages the municipality and writes the audit log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from veiviser.accounts.scope import scope_for
from veiviser.annual.models import AnnualReport, ReportStatus
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record, snapshot
from veiviser.core.models import Municipality

FIELDS = (*AnnualReport.MANUAL_FIELDS, "status", "submitted_at", "submitted_by_id")


def can_edit(user: Any, municipality: Municipality) -> bool:
    return scope_for(user).can_manage_municipality(municipality.pk)


def _require_editor(user: Any, municipality: Municipality) -> None:
    if not can_edit(user, municipality):
        raise PermissionDenied(
            _("Bare kommunens ledere og koordinatorer kan fylle ut årsrapporten.")
        )


def _locked(municipality: Municipality, year: int) -> AnnualReport:
    report, _created = AnnualReport.objects.select_for_update().get_or_create(
        municipality=municipality, year=year
    )
    return report


@transaction.atomic
def save_report(
    *, municipality: Municipality, year: int, values: dict[str, Any], by: Any
) -> AnnualReport:
    """Store the hand-filled fields of a draft (a submitted report must be reopened first)."""
    _require_editor(by, municipality)
    report = _locked(municipality, year)
    if report.submitted:
        raise ValidationError(
            _("Rapporten er sendt inn. Åpne den igjen for å endre den."), code="submitted"
        )
    before = snapshot(report, FIELDS)
    for name in AnnualReport.MANUAL_FIELDS:
        if name in values:
            setattr(report, name, values[name])
    report.updated_by = by
    report.full_clean()
    report.save()
    record(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        instance=report,
        municipality_id=municipality.pk,
        before=before,
        after=snapshot(report, FIELDS),
        summary=f"Årsrapport {year}: utkast lagret",
    )
    return report


@transaction.atomic
def submit_report(*, municipality: Municipality, year: int, by: Any) -> AnnualReport:
    _require_editor(by, municipality)
    report = _locked(municipality, year)
    if report.submitted:
        raise ValidationError(_("Rapporten er allerede sendt inn."), code="already_submitted")
    before = snapshot(report, FIELDS)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = by
    report.updated_by = by
    report.save()
    record(
        actor=by,
        action=AuditEvent.Action.DECIDE,
        instance=report,
        municipality_id=municipality.pk,
        before=before,
        after=snapshot(report, FIELDS),
        summary=f"Årsrapport {year}: sendt inn",
    )
    return report


@transaction.atomic
def reopen_report(*, municipality: Municipality, year: int, by: Any) -> AnnualReport:
    _require_editor(by, municipality)
    report = _locked(municipality, year)
    if not report.submitted:
        raise ValidationError(_("Rapporten er ikke sendt inn."), code="not_submitted")
    before = snapshot(report, FIELDS)
    report.status = ReportStatus.DRAFT
    report.submitted_at = None
    report.submitted_by = None
    report.updated_by = by
    report.save()
    record(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        instance=report,
        municipality_id=municipality.pk,
        before=before,
        after=snapshot(report, FIELDS),
        summary=f"Årsrapport {year}: åpnet igjen",
    )
    return report
