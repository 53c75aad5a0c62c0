"""Writes to the workforce data. Each service is keyword-only, atomic, checks that the writer
manages the position's municipality, and writes the audit log.

Holder rows of one position must not share a day (``end`` is the last day, so the next holder
starts the day after): ``save_occupancy`` checks it under a lock on the position, and two
partial unique indexes back it in the database (docs/adr/0050-workforce-tables.md).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from veiviser.accounts.scope import scope_for
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import audited_save, record
from veiviser.core.models import Municipality, Office, Person, Position
from veiviser.rules.workforce_csv import (
    POSITION_COLUMNS,
    POSITION_REQUIRED,
    POSITIONS_FILE,
    CsvError,
    WorkforceCsvInvalid,
    _Rows,
    parse_files,
    write_occupancies_csv,
    write_positions_csv,
)
from veiviser.workforce.loader import PERSON_PREFIX, rows_for
from veiviser.workforce.models import (
    ExitInterview,
    ExitReason,
    Occupancy,
    OccupancyRole,
    PersonAlias,
    Posting,
    Source,
    StayFactor,
    StaySurvey,
    StaySurveyAnswer,
)

OCCUPANCY_FIELDS = ("position_id", "person_id", "role", "start", "end", "end_reason", "next_work")


def can_manage(user: Any, municipality_id: int) -> bool:
    return scope_for(user).can_manage_municipality(municipality_id)


def _require_manager(user: Any, municipality_id: int) -> None:
    if not can_manage(user, municipality_id):
        raise PermissionDenied


def _lock(position: Position) -> None:
    """Serialise writers of one position's rows (a no-op on SQLite, which locks the file)."""
    list(Position.objects.select_for_update().filter(pk=position.pk).values_list("pk"))


def overlapping_holder(occupancy: Occupancy) -> Occupancy | None:
    """Another holder row of the same position sharing at least one day with ``occupancy``."""
    others = (
        Occupancy.objects.filter(position_id=occupancy.position_id, role=OccupancyRole.HOLDER)
        .exclude(pk=occupancy.pk)
        .filter(Q(end__isnull=True) | Q(end__gte=occupancy.start))
        .select_related("person")
    )
    if occupancy.end is not None:
        others = others.filter(start__lte=occupancy.end)
    return others.order_by("start").first()


def _overlap_message(other: Occupancy) -> str:
    until = other.end.strftime("%d.%m.%Y") if other.end else _("nå")
    return _(
        "Overlapper med %(name)s som innehaver %(start)s–%(end)s. Siste dag er inkludert, så "
        "neste innehaver starter dagen etter."
    ) % {"name": other.person.full_name, "start": other.start.strftime("%d.%m.%Y"), "end": until}


@transaction.atomic
def save_occupancy(*, occupancy: Occupancy, by: Any) -> Occupancy:
    """Create or change a holder or locum row. Raises ``ValidationError`` (by field) when the
    dates are wrong or a holder row would overlap another holder row of the position."""
    position = occupancy.position
    _require_manager(by, position.municipality_id)
    _lock(position)
    if occupancy.end is not None and occupancy.end < occupancy.start:
        raise ValidationError({"end": _("Siste dag kan ikke være før første dag.")})
    if occupancy.role == OccupancyRole.HOLDER:
        other = overlapping_holder(occupancy)
        if other is not None:
            raise ValidationError({"start": _overlap_message(other)})
    if occupancy.end is None:
        occupancy.end_reason = ""
        occupancy.next_work = ""
    audited_save(
        occupancy, by=by, municipality_id=position.municipality_id, fields=OCCUPANCY_FIELDS
    )
    return occupancy


@transaction.atomic
def close_occupancy(
    *,
    occupancy: Occupancy,
    end: date,
    end_reason: str,
    next_work: str,
    by: Any,
) -> Occupancy:
    """A holder (or locum) leaves: the last day, why, and where they went."""
    occupancy.end = end
    occupancy.end_reason = end_reason
    occupancy.next_work = next_work
    if end < occupancy.start:
        raise ValidationError({"end": _("Siste dag kan ikke være før første dag.")})
    return save_occupancy(occupancy=occupancy, by=by)


@transaction.atomic
def record_locum(
    *, position: Position, person: Person, start: date, end: date | None, by: Any
) -> Occupancy:
    """A locum (vikar) arranged for a position, vacant or while the holder is away."""
    occupancy = Occupancy(
        position=position, person=person, role=OccupancyRole.LOCUM, start=start, end=end
    )
    return save_occupancy(occupancy=occupancy, by=by)


@transaction.atomic
def save_posting(*, posting: Posting, by: Any) -> Posting:
    """Create or change an advertisement of a position."""
    _require_manager(by, posting.position.municipality_id)
    if posting.deadline and posting.deadline < posting.published:
        raise ValidationError({"deadline": _("Søknadsfristen kan ikke være før utlysningen.")})
    if (
        posting.applicants is not None
        and posting.qualified_applicants is not None
        and posting.qualified_applicants > posting.applicants
    ):
        raise ValidationError(
            {"qualified_applicants": _("Kan ikke være flere kvalifiserte enn søkere.")}
        )
    audited_save(posting, by=by, municipality_id=posting.position.municipality_id)
    return posting


def _codes(values: Any, allowed: type[Any], field: str, *, required: bool) -> list[str]:
    known = [c.value for c in allowed]
    if not isinstance(values, list | tuple) or any(v not in known for v in values):
        raise ValidationError({field: _("Ukjent valg.")})
    if required and not values:
        raise ValidationError({field: _("Velg minst én.")})
    return [c for c in known if c in values]  # taxonomy order, no repeats


@transaction.atomic
def save_exit_interview(*, interview: ExitInterview, by: Any) -> ExitInterview:
    """Record the exit interview of a holder who has left (or given notice, end date set)."""
    occupancy = interview.occupancy
    _require_manager(by, occupancy.position.municipality_id)
    if occupancy.role != OccupancyRole.HOLDER:
        raise ValidationError(_("Sluttintervju gjelder innehavere, ikke vikarer."))
    if occupancy.end is None:
        raise ValidationError(_("Registrer siste dag før sluttintervjuet."))
    interview.reasons = _codes(interview.reasons, ExitReason, "reasons", required=True)
    audited_save(interview, by=by, municipality_id=occupancy.position.municipality_id)
    return interview


@transaction.atomic
def save_stay_survey(*, survey: StaySurvey, by: Any) -> StaySurvey:
    _require_manager(by, survey.municipality_id)
    audited_save(survey, by=by)
    return survey


@transaction.atomic
def save_stay_answer(*, answer: StaySurveyAnswer, by: Any) -> StaySurveyAnswer:
    """One GP's answer in a round (entered by the municipality's managers)."""
    _require_manager(by, answer.survey.municipality_id)
    answer.keeps = _codes(answer.keeps, StayFactor, "keeps", required=False)
    if answer.respondent_id is not None:
        clash = StaySurveyAnswer.objects.filter(
            survey_id=answer.survey_id, respondent_id=answer.respondent_id
        ).exclude(pk=answer.pk)
        if clash.exists():
            raise ValidationError({"respondent": _("Denne legen har allerede svart i runden.")})
    is_new = answer.pk is None
    answer.full_clean()
    answer.save()
    record(
        actor=by,
        action=AuditEvent.Action.CREATE if is_new else AuditEvent.Action.UPDATE,
        instance=answer,
        municipality_id=answer.survey.municipality_id,
        summary=_("Svar på trivselsundersøkelse %(year)s") % {"year": answer.survey.year},
    )
    return answer


# --------------------------------------------------------------------------- CSV import/export


@dataclass
class ImportResult:
    """What an import changed (per kind of row)."""

    positions_created: int = 0
    positions_updated: int = 0
    occupancies_created: int = 0
    occupancies_updated: int = 0
    occupancies_removed: int = 0
    persons_created: int = 0
    offices_created: int = 0
    municipalities: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "municipalities"}


_VV_ID = re.compile(rf"{re.escape(PERSON_PREFIX)}([0-9]{{1,18}})")


def alias_source(municipality: Municipality | None) -> str:
    """The namespace of pseudonymous person ids in an import (docs/adr/0051)."""
    return f"csv:{municipality.number}" if municipality is not None else "csv"


def _lines(text: str, file: str, columns: tuple[str, ...], required: frozenset[str]) -> list[int]:
    """Line number of each data row, as the parser counts them (the files are valid here)."""
    return [line for line, _values in _Rows(text, file, columns, required).rows]


@transaction.atomic
def import_workforce_csv(
    *,
    municipality_or_none: Municipality | None,
    positions_text: str,
    occupancies_text: str,
    by: Any,
) -> ImportResult:
    """Import positions.csv and occupancies.csv: everything or nothing.

    Positions are created or updated by (municipality, external_id); the occupancies in the
    file are the complete history of the positions it names (rows matched on person, role and
    start are updated, others removed, new ones created). People are found by their
    pseudonymous id (``PersonAlias``, or ``vv-<id>`` from a Veiviser export) or created.
    Raises ``WorkforceCsvInvalid`` with every problem (file, line, column); nothing is saved.
    """
    positions, occupancies = parse_files(positions_text, occupancies_text)
    position_lines = _lines(positions_text, POSITIONS_FILE, POSITION_COLUMNS, POSITION_REQUIRED)
    scope = scope_for(by)
    errors: list[CsvError] = []
    numbers = {p.municipality for p in positions}
    municipalities = {m.number: m for m in Municipality.objects.filter(number__in=numbers)}
    external: dict[str, tuple[Municipality, str]] = {}
    for line, row in zip(position_lines, positions, strict=True):
        municipality = municipalities.get(row.municipality)
        if municipality is None:
            errors.append(CsvError(POSITIONS_FILE, line, "municipality", _("ukjent kommunenummer")))
            continue
        if municipality_or_none is not None and municipality.pk != municipality_or_none.pk:
            errors.append(
                CsvError(
                    POSITIONS_FILE,
                    line,
                    "municipality",
                    _("importen gjelder %(name)s, ikke %(other)s")
                    % {"name": municipality_or_none, "other": municipality},
                )
            )
            continue
        if not scope.can_manage_municipality(municipality.pk):
            errors.append(
                CsvError(
                    POSITIONS_FILE,
                    line,
                    "municipality",
                    _("du kan ikke endre stillinger i %(name)s") % {"name": municipality},
                )
            )
            continue
        prefix = f"{municipality.number}:"
        external_id = row.position_id.removeprefix(prefix)
        if len(external_id) > 60:
            errors.append(CsvError(POSITIONS_FILE, line, "position_id", _("lengre enn 60 tegn")))
            continue
        external[row.position_id] = (municipality, external_id)
    if errors:
        raise WorkforceCsvInvalid(errors)

    existing = {
        (p.municipality_id, p.external_id): p
        for p in Position.objects.filter(
            municipality__in=[m for m, _e in external.values()],
            external_id__in=[e for _m, e in external.values()],
        )
    }
    existing_rows: dict[int, list[Occupancy]] = defaultdict(list)
    for occupancy in (
        Occupancy.objects.filter(position__in=list(existing.values()))
        .select_related("exit_interview")
        .order_by("start")
    ):
        existing_rows[occupancy.position_id].append(occupancy)

    # Who the pseudonymous ids are.
    source = alias_source(municipality_or_none)
    wanted = {o.person_id for o in occupancies}
    persons: dict[str, int] = dict(
        PersonAlias.objects.filter(source=source, alias__in=wanted).values_list(
            "alias", "person_id"
        )
    )
    vv = {
        int(m.group(1)): key
        for key in wanted - persons.keys()
        if (m := _VV_ID.fullmatch(key)) is not None
    }
    if vv:
        people = Person.objects.filter(pk__in=list(vv))
        if scope.is_admin:
            known = set(people.values_list("pk", flat=True))
        else:
            known = set(people.visible_to(by).values_list("pk", flat=True))
            known |= set(
                Occupancy.objects.filter(
                    person_id__in=list(vv),
                    position__municipality__in=list(municipalities.values()),
                ).values_list("person_id", flat=True)
            )
        persons.update({vv[pk]: pk for pk in known})

    # Rows being removed must not carry an exit interview.
    incoming: dict[str, set[tuple[str, str, date]]] = defaultdict(set)
    for occ in occupancies:
        incoming[occ.position_id].add((occ.person_id, occ.role, occ.start))
    reverse_persons = {pk: key for key, pk in persons.items()}
    for line, row in zip(position_lines, positions, strict=True):
        municipality, external_id = external[row.position_id]
        position = existing.get((municipality.pk, external_id))
        if position is None:
            continue
        for occupancy in existing_rows[position.pk]:
            match = (reverse_persons.get(occupancy.person_id), occupancy.role, occupancy.start)
            if match not in incoming[row.position_id] and hasattr(occupancy, "exit_interview"):
                errors.append(
                    CsvError(
                        POSITIONS_FILE,
                        line,
                        "position_id",
                        _(
                            "innehaveren fra %(start)s har et sluttintervju, men raden mangler "
                            "i occupancies.csv; ta den med (person_id %(id)s) eller slett "
                            "intervjuet først"
                        )
                        % {
                            "start": occupancy.start.isoformat(),
                            "id": f"{PERSON_PREFIX}{occupancy.person_id}",
                        },
                    )
                )
    if errors:
        raise WorkforceCsvInvalid(errors)

    result = ImportResult(municipalities=sorted(numbers))
    # Offices by name (case-insensitive), created when new.
    offices: dict[tuple[int, str], Office] = {
        (o.municipality_id, o.name.casefold()): o
        for o in Office.objects.filter(municipality__in=list(municipalities.values()))
    }
    saved: dict[str, Position] = {}
    for row in positions:
        municipality, external_id = external[row.position_id]
        office = None
        if row.office:
            office = offices.get((municipality.pk, row.office.casefold()))
            if office is None:
                office = Office.objects.create(municipality=municipality, name=row.office[:120])
                offices[(municipality.pk, row.office.casefold())] = office
                result.offices_created += 1
        values = {
            "office": office,
            "kind": row.kind,
            "form": row.form,
            "programme": (row.programme or "")[:80],
            "created": row.created,
            "closed": row.closed,
        }
        position = existing.get((municipality.pk, external_id))
        if position is None:
            position = Position.objects.create(
                municipality=municipality, external_id=external_id, **values
            )
            result.positions_created += 1
        else:
            changed = [k for k, v in values.items() if getattr(position, k) != v]
            if changed:
                for k in changed:
                    setattr(position, k, values[k])
                position.save(update_fields=changed)
                result.positions_updated += 1
        saved[row.position_id] = position

    # People: new pseudonymous persons for unknown ids.
    first_position: dict[str, int] = {}
    for occ in occupancies:
        first_position.setdefault(occ.person_id, saved[occ.position_id].municipality_id)
    for key in sorted(wanted - persons.keys()):
        person = Person.objects.create(
            given_name=_("Pseudonym"),
            family_name=key[:80],
            is_doctor=True,
            home_municipality_id=first_position[key],
        )
        PersonAlias.objects.create(person=person, source=source, alias=key[:60])
        persons[key] = person.pk
        result.persons_created += 1

    # Occupancies: the file is the whole history of each position it names.
    by_position: dict[str, list[Any]] = defaultdict(list)
    for occ in occupancies:
        by_position[occ.position_id].append(occ)
    to_update: list[Occupancy] = []
    to_create: list[Occupancy] = []
    for position_key, position in saved.items():
        current = {(o.person_id, o.role, o.start): o for o in existing_rows.get(position.pk, [])}
        keep: set[int] = set()
        for row in by_position.get(position_key, []):
            person_pk = persons[row.person_id]
            values = {
                "end": row.end,
                "end_reason": (row.end_reason or "") if row.end else "",
                "next_work": (row.next_work or "") if row.end else "",
            }
            found = current.get((person_pk, row.role, row.start))
            if found is None:
                to_create.append(
                    Occupancy(
                        position=position,
                        person_id=person_pk,
                        role=row.role,
                        start=row.start,
                        source=Source.IMPORT,
                        **values,
                    )
                )
                continue
            keep.add(found.pk)
            if any(getattr(found, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(found, k, v)
                to_update.append(found)
        gone = [o.pk for o in current.values() if o.pk not in keep]
        if gone:
            result.occupancies_removed += (
                Occupancy.objects.filter(pk__in=gone).delete()[1].get("workforce.Occupancy", 0)
            )
    # Closing rows first, so that the "one ongoing holder" index never sees two at once.
    to_update.sort(key=lambda o: o.end is None)
    for occupancy in to_update:
        occupancy.save(update_fields=["end", "end_reason", "next_work", "updated_at"])
    result.occupancies_updated = len(to_update)
    Occupancy.objects.bulk_create(to_create, batch_size=500)
    result.occupancies_created = len(to_create)

    for number in result.municipalities:
        record(
            actor=by,
            action=AuditEvent.Action.IMPORT,
            object_type="workforce.Occupancy",
            municipality_id=municipalities[number].pk,
            summary=_("Import av stillinger og innehavere (CSV)"),
            after=result.to_dict(),
        )
    return result


def export_workforce_csv(*, position_qs: Any, by: Any) -> tuple[str, str]:
    """positions.csv and occupancies.csv for the positions of ``position_qs`` (already scoped
    by the caller), in the import format; audited as an export."""
    loaded = rows_for(position_qs, other_holder_rows=False)
    selected = set(loaded.keys.values())
    positions = sorted(
        (p for p in loaded.positions if p.position_id in selected),
        key=lambda p: (p.municipality, p.position_id),
    )
    occupancies = sorted(
        loaded.occupancies, key=lambda o: (o.position_id, o.start, o.role, o.person_id)
    )
    record(
        actor=by,
        action=AuditEvent.Action.EXPORT,
        object_type="workforce.Occupancy",
        summary=_("Eksport av %(n)s stillinger (CSV)") % {"n": len(positions)},
    )
    return write_positions_csv(positions), write_occupancies_csv(occupancies)
