"""Read functions other apps call: the locum plan's figures and warnings.

``locum_warnings(municipality_ids, today)`` is what the regional dashboard and the reminders
show; ``locum_plan(municipality_id, today)`` is the plan page's (and the API's) content. Both
make a fixed number of queries for any number of municipalities and rows. Callers scope the
municipality ids to the user.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from veiviser.core.models import Municipality
from veiviser.planning.loader import AbsenceRow, LocumRow, Plan, load_plan
from veiviser.rules.locum_planning import (
    DEFAULT_LEAD_MONTHS,
    DEFAULT_MONTHS,
    LocumWarning,
    MonthNeed,
    add_months,
    locum_need,
    warnings,
)


@dataclass(frozen=True)
class LocumWarningRow:
    """An institution period soon (or running) without a fully arranged locum."""

    municipality_id: int
    municipality_name: str
    office_name: str
    doctor_label: str
    start: date
    end: date
    gap_fte: Decimal  # the largest monthly gap of the period (FTE)
    url: str  # the municipality's locum plan
    position_label: str = ""
    position_pk: int | None = None
    uncovered_months: tuple[date, ...] = ()

    @property
    def trainee_label(self) -> str:
        return self.doctor_label


def window(today: date, months: int = DEFAULT_MONTHS) -> tuple[date, date]:
    """First and last day of the plan's months, from ``today``'s month."""
    first = today.replace(day=1)
    return first, add_months(first, months) - timedelta(days=1)


def _row_of(plan: Plan, warning: LocumWarning) -> AbsenceRow:
    for row in plan.absences:
        if row.absence is warning.absence or row.absence == warning.absence:
            return row
    raise LookupError(warning)  # pragma: no cover - the warning comes from these absences


def warning_rows(
    plan: Plan, today: date, names: dict[int, tuple[str, str]]
) -> list[LocumWarningRow]:
    """The rule's warnings for ``plan`` as rows (``names``: id → (name, kommunenummer))."""
    found = warnings(plan.rule_absences, plan.rule_locums, today, DEFAULT_LEAD_MONTHS)
    rows = []
    for warning in found:
        row = _row_of(plan, warning)
        name, number = names.get(row.municipality_id, ("", ""))
        rows.append(
            LocumWarningRow(
                municipality_id=row.municipality_id,
                municipality_name=name,
                office_name=row.office_label,
                doctor_label=row.doctor_label,
                start=warning.absence.start,
                end=warning.absence.end,
                gap_fte=max(m.gap for m in warning.uncovered),
                url=reverse("locum_plan", kwargs={"number": number}) if number else "",
                position_label=row.position_label,
                position_pk=row.position_pk,
                uncovered_months=warning.uncovered_months,
            )
        )
    return sorted(rows, key=lambda r: (r.start, r.municipality_name, r.doctor_label))


def locum_warnings(municipality_ids: Iterable[int], today: date) -> list[LocumWarningRow]:
    """Locum warnings of the municipalities (the caller scopes the ids to the user).

    Eight queries whatever the number of municipalities (the plan's seven and their names).
    """
    ids = sorted(set(municipality_ids))
    if not ids:
        return []
    first, last = window(today)
    plan = load_plan(ids, first, last)
    names = {
        pk: (name, number)
        for pk, name, number in Municipality.objects.filter(pk__in=ids).values_list(
            "pk", "name", "number"
        )
    }
    return warning_rows(plan, today, names)


@dataclass(frozen=True)
class OfficePlan:
    key: str
    label: str
    months: tuple[MonthNeed, ...]
    absences: tuple[AbsenceRow, ...]
    locums: tuple[LocumRow, ...]

    @property
    def has_gap(self) -> bool:
        return any(m.gap > 0 for m in self.months)

    @property
    def total_gap(self) -> Decimal:
        return sum((m.gap for m in self.months), Decimal(0))


@dataclass(frozen=True)
class MunicipalityPlan:
    municipality: Municipality
    today: date
    months: tuple[date, ...]
    offices: tuple[OfficePlan, ...]
    warnings: tuple[LocumWarningRow, ...]
    plan: Plan


def locum_plan(
    municipality: Municipality, today: date, months: int = DEFAULT_MONTHS
) -> MunicipalityPlan:
    """The municipality's plan: need, cover and gap per office and month, and the warnings."""
    first, last = window(today, months)
    plan = load_plan([municipality.pk], first, last)
    need = locum_need(plan.rule_absences, plan.rule_locums, first, months)
    offices = []
    for key, rows in need.items():
        offices.append(
            OfficePlan(
                key=key,
                label=plan.office_labels.get(key, key),
                months=rows,
                absences=tuple(a for a in plan.absences if a.absence.office == key),
                locums=tuple(lo for lo in plan.locums if lo.office_key == key),
            )
        )
    offices.sort(key=lambda o: o.label)
    names = {municipality.pk: (municipality.name, municipality.number)}
    return MunicipalityPlan(
        municipality=municipality,
        today=today,
        months=tuple(add_months(first, i) for i in range(months)),
        offices=tuple(offices),
        warnings=tuple(warning_rows(plan, today, names)),
        plan=plan,
    )


def kind_label(kind: str) -> str:
    from veiviser.planning.models import AbsenceKindChoice

    return str(dict(AbsenceKindChoice.choices).get(kind, kind))


def source_label(source: str) -> str:
    return _("fra utdanningsløpet") if source == "record" else _("registrert for hånd")
