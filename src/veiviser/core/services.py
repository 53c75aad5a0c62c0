"""Writes to the organisation model. Each service is atomic and writes the audit log."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from veiviser.audit.models import AuditEvent
from veiviser.audit.services import audited_save, record, snapshot
from veiviser.core.models import Municipality, Office, Person, Position, RegionalOffice
from veiviser.core.reference import (
    CentralityFileError,
    municipality_rows,
    parse_centrality_file,
    regional_office_code,
)

MUNICIPALITY_FIELDS = (
    "regional_office_id",
    "centrality",
    "registered_institution",
    "registered_at",
)


@transaction.atomic
def load_reference_data(*, actor: Any = None) -> tuple[int, int]:
    """Create or update the regional offices and the 357 municipalities of 2024.

    Keeps what users have edited (regional office, centrality, registration) for
    municipalities that already exist. Returns (created, updated)."""
    offices: dict[str, RegionalOffice] = {}
    for row in municipality_rows():
        if row.regional_office not in offices:
            office, _ = RegionalOffice.objects.get_or_create(
                name=row.regional_office,
                defaults={
                    "code": regional_office_code(row.regional_office),
                    "health_region": row.health_region,
                },
            )
            offices[row.regional_office] = office
    existing = {m.number: m for m in Municipality.objects.all()}
    created = updated = 0
    for row in municipality_rows():
        current = existing.get(row.number)
        if current is None:
            Municipality.objects.create(
                number=row.number,
                name=row.name,
                county_number=row.county_number,
                county=row.county,
                health_region=row.health_region,
                regional_office=offices[row.regional_office],
            )
            created += 1
        elif (current.name, current.county, current.health_region) != (
            row.name,
            row.county,
            row.health_region,
        ):
            current.name, current.county, current.health_region = (
                row.name,
                row.county,
                row.health_region,
            )
            current.county_number = row.county_number
            current.save(update_fields=["name", "county", "health_region", "county_number"])
            updated += 1
    if created or updated:
        record(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            object_type="core.Municipality",
            summary=f"Referansedata: {created} kommuner opprettet, {updated} oppdatert",
        )
    return created, updated


@transaction.atomic
def update_municipality(
    *,
    municipality: Municipality,
    by: Any,
    regional_office: RegionalOffice | object | None = ...,
    centrality: int | object | None = ...,
    registered_institution: bool | object = ...,
    registered_at: date | object | None = ...,
) -> Municipality:
    """Change a municipality's editable facts. Arguments left out are not changed."""
    before = snapshot(municipality, MUNICIPALITY_FIELDS)
    changes: list[str] = []
    if regional_office is not ...:
        municipality.regional_office = regional_office  # type: ignore[assignment]
        changes.append("regional_office")
    if centrality is not ...:
        municipality.centrality = centrality  # type: ignore[assignment]
        changes.append("centrality")
    if registered_institution is not ...:
        municipality.registered_institution = bool(registered_institution)
        changes.append("registered_institution")
        if not municipality.registered_institution:
            municipality.registered_at = None
            changes.append("registered_at")
    if registered_at is not ... and municipality.registered_institution:
        municipality.registered_at = registered_at  # type: ignore[assignment]
        changes.append("registered_at")
    if not changes:
        return municipality
    municipality.save(update_fields=sorted(set(changes)))
    after = snapshot(municipality, MUNICIPALITY_FIELDS)
    if after != before:
        record(
            actor=by,
            action=AuditEvent.Action.UPDATE,
            instance=municipality,
            before=before,
            after=after,
        )
    return municipality


@transaction.atomic
def import_centrality(*, data: bytes, by: Any) -> int:
    """Set every municipality's SSB centrality class from a KLASS 128 correspondence file.

    All or nothing: an unknown municipality number or a bad line imports nothing."""
    rows = parse_centrality_file(data)
    municipalities = {m.number: m for m in Municipality.objects.select_for_update()}
    unknown = [
        f"linje {r.line}: kommunenummer {r.number} finnes ikke"
        for r in rows
        if r.number not in municipalities
    ]
    if unknown:
        raise CentralityFileError(unknown)
    changed = []
    for row in rows:
        m = municipalities[row.number]
        if m.centrality != row.centrality:
            m.centrality = row.centrality
            changed.append(m)
    Municipality.objects.bulk_update(changed, ["centrality"])
    record(
        actor=by,
        action=AuditEvent.Action.IMPORT,
        object_type="core.Municipality",
        summary=f"Sentralitet (SSB KLASS 128): {len(rows)} rader, {len(changed)} endret",
    )
    return len(changed)


@transaction.atomic
def save_office(*, office: Office, by: Any) -> Office:
    audited_save(office, by=by)
    return office


@transaction.atomic
def save_person(*, person: Person, by: Any, municipality_id: int | None = None) -> Person:
    audited_save(person, by=by, municipality_id=municipality_id or person.home_municipality_id)
    return person


@transaction.atomic
def save_position(*, position: Position, by: Any) -> Position:
    audited_save(position, by=by)
    return position
