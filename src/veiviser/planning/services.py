"""Writes to the locum plan and the costs. Each service is keyword-only, atomic, checks that the
writer manages the municipality (leader, coordinator, administrator) and writes the audit log.

A locum arranged here is a workforce ``Occupancy`` of role ``locum``, created (or, when the
same person already serves the position from the same day, linked and its last day updated)
through ``veiviser.workforce.services``; ``LocumArrangement`` holds its percent and note.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from veiviser.accounts.scope import scope_for
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record, snapshot
from veiviser.core.models import Municipality, Person, Position
from veiviser.planning.models import CostEntry, GrantReceived, LocumArrangement, PlannedAbsence
from veiviser.workforce.models import Occupancy, OccupancyRole
from veiviser.workforce.services import record_locum, save_occupancy

ABSENCE_FIELDS = ("municipality_id", "position_id", "person_id", "kind", "start", "end", "percent")
COST_FIELDS = (
    "municipality_id",
    "trainee_id",
    "year",
    "category",
    "amount",
    "is_education_cost",
    "note",
)


def can_manage(user: Any, municipality_id: int) -> bool:
    return scope_for(user).can_manage_municipality(municipality_id)


def _require_manager(user: Any, municipality_id: int) -> None:
    if not can_manage(user, municipality_id):
        raise PermissionDenied


def _save(instance: Any, *, by: Any, municipality_id: int, fields: Any = None) -> None:
    is_new = instance.pk is None
    before = None if is_new else snapshot(type(instance).objects.get(pk=instance.pk), fields)
    instance.full_clean()
    instance.save()
    record(
        actor=by,
        action=AuditEvent.Action.CREATE if is_new else AuditEvent.Action.UPDATE,
        instance=instance,
        municipality_id=municipality_id,
        before=before,
        after=snapshot(instance, fields),
    )


@transaction.atomic
def save_planned_absence(*, absence: PlannedAbsence, by: Any) -> PlannedAbsence:
    """Create or change an absence entered by hand; the position decides the municipality."""
    position = absence.position
    _require_manager(by, position.municipality_id)
    if absence.pk is not None and absence.municipality_id != position.municipality_id:
        _require_manager(by, absence.municipality_id)
    absence.municipality_id = position.municipality_id
    if absence.start and absence.end and absence.end < absence.start:
        raise ValidationError({"end": _("Siste dag kan ikke være før første dag.")})
    _save(absence, by=by, municipality_id=position.municipality_id, fields=ABSENCE_FIELDS)
    return absence


@transaction.atomic
def delete_planned_absence(*, absence: PlannedAbsence, by: Any) -> None:
    _require_manager(by, absence.municipality_id)
    record(
        actor=by,
        action=AuditEvent.Action.DELETE,
        instance=absence,
        municipality_id=absence.municipality_id,
        before=snapshot(absence, ABSENCE_FIELDS),
    )
    absence.delete()


@transaction.atomic
def arrange_locum(
    *,
    position: Position,
    person: Person,
    start: date,
    end: date,
    percent: Decimal,
    note: str = "",
    by: Any,
) -> LocumArrangement:
    """Record a locum arranged for ``position`` from ``start`` to ``end`` at ``percent``.

    Creates the workforce locum occupancy (or links the one the same person already has on the
    position from ``start``, setting its last day to ``end``) and its arrangement.
    """
    _require_manager(by, position.municipality_id)
    if end < start:
        raise ValidationError({"end": _("Siste dag kan ikke være før første dag.")})
    if not Decimal(0) < percent <= Decimal(100):
        raise ValidationError({"percent": _("Prosenten må være over 0 og høyst 100.")})
    occupancy = Occupancy.objects.filter(
        position=position, person=person, role=OccupancyRole.LOCUM, start=start
    ).first()
    if occupancy is None:
        occupancy = record_locum(position=position, person=person, start=start, end=end, by=by)
    elif occupancy.end != end:
        occupancy.end = end
        save_occupancy(occupancy=occupancy, by=by)
    arrangement = LocumArrangement.objects.filter(occupancy=occupancy).first() or (
        LocumArrangement(occupancy=occupancy, municipality_id=position.municipality_id)
    )
    arrangement.percent = percent
    arrangement.note = note
    _save(arrangement, by=by, municipality_id=position.municipality_id)
    return arrangement


@transaction.atomic
def save_cost_entry(*, entry: CostEntry, by: Any) -> CostEntry:
    """Create or change a cost; the ALIS must belong to (or have been paid by) the municipality."""
    _require_manager(by, entry.municipality_id)
    if entry.pk is not None:
        old = CostEntry.objects.get(pk=entry.pk)
        _require_manager(by, old.municipality_id)
    _save(entry, by=by, municipality_id=entry.municipality_id, fields=COST_FIELDS)
    return entry


@transaction.atomic
def delete_cost_entry(*, entry: CostEntry, by: Any) -> None:
    _require_manager(by, entry.municipality_id)
    record(
        actor=by,
        action=AuditEvent.Action.DELETE,
        instance=entry,
        municipality_id=entry.municipality_id,
        before=snapshot(entry, COST_FIELDS),
    )
    entry.delete()


@transaction.atomic
def save_grant_received(
    *, municipality: Municipality, year: int, amount: Decimal, note: str = "", by: Any
) -> GrantReceived:
    """Set the grant the municipality received for ``year`` (one figure per year)."""
    _require_manager(by, municipality.pk)
    grant = GrantReceived.objects.filter(municipality=municipality, year=year).first()
    if grant is None:
        grant = GrantReceived(municipality=municipality, year=year)
    grant.amount = amount
    grant.note = note
    _save(grant, by=by, municipality_id=municipality.pk)
    return grant
