"""The figures of a municipality's annual report, computed from Veiviser's data with the rules.

Every figure is about calendar year ``Y`` (or the running year up to today): positions and
list sizes at the end of the year, staffing over it (workforce rules: positions at a date,
stability, locum dependence), turnover (holders who left in the year; end reasons, next work
and exit-interview reasons protected as on the workforce pages: no group smaller than 5,
docs/adr/0053), the ALIS (count, training year, supervision months below the minimum) and the
economics (the planning app's costs and grants when it is installed, else left to fill in).

``compute(municipality, year, today)`` reads in a fixed number of queries for any amount of
data (tested).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _

from veiviser.core.models import EmploymentForm, Municipality, Position, PositionKind
from veiviser.rules import annual as rules
from veiviser.rules.ruleset import get_ruleset
from veiviser.rules.service_time import count_service
from veiviser.rules.supervision import monthly_compliance
from veiviser.rules.workforce import PositionFilter, WorkforceData
from veiviser.rules.workforce_months import monthly_dependence
from veiviser.training.models import Trainee
from veiviser.training.records import record_of
from veiviser.workforce.figures import SMALL_GROUP, Distribution, distribution
from veiviser.workforce.loader import rows_for
from veiviser.workforce.models import EndReason, ExitInterview, ExitReason, NextWork, Posting

NOT_GIVEN = "none"


@dataclass
class KindRow:
    kind: str
    label: str
    positions: int = 0
    staffed: int = 0
    vacant: int = 0
    locum_served: int = 0
    position_months: int = 0
    vacant_months: int = 0
    locum_months: int = 0


@dataclass
class ListSizes:
    positions: int = 0  # open GP positions with a list size
    patients: int = 0
    cap: int = 0

    @property
    def average(self) -> int | None:
        return round(self.patients / self.positions) if self.positions else None


@dataclass
class Turnover:
    leavers: int
    end_reasons: Distribution
    next_work: Distribution
    interviews: int
    exit_reasons: Distribution

    @property
    def leavers_shown(self) -> bool:
        return self.leavers == 0 or self.leavers >= SMALL_GROUP


@dataclass
class Supervision:
    months_checked: int = 0
    months_under: int = 0
    alis_checked: int = 0
    alis_with_shortfall: int = 0

    @property
    def share_ok(self) -> int | None:
        if not self.months_checked:
            return None
        return round(100 * (self.months_checked - self.months_under) / self.months_checked)


@dataclass
class Economics:
    available: bool
    categories: list[tuple[str, Decimal]] = field(default_factory=list)
    total: Decimal = Decimal(0)
    education: Decimal = Decimal(0)
    grant: Decimal | None = None
    alis_with_costs: int = 0


@dataclass
class AnnualFigures:
    municipality: Municipality
    year: int
    start: date
    end: date
    at: date  # the day the "at the end of the year" figures are for (today in a running year)
    complete: bool  # the year has ended
    kinds: list[KindRow]
    total: KindRow
    forms: list[tuple[str, int]]
    list_sizes: ListSizes
    holders: int
    same_holder_throughout: int
    positions_with_change: int
    never_staffed: int
    median_days_to_fill: float | None
    postings: int
    applicants: int
    qualified_applicants: int
    hired: int
    turnover: Turnover
    alis: int
    stages: dict[str, int]
    supervision: Supervision
    economics: Economics


def _kind_rows(
    data: WorkforceData, loaded: Any, number: str, start: date, at: date
) -> list[KindRow]:
    rows = []
    for kind, label in PositionKind.choices:
        chosen = PositionFilter({number}, None, {kind})
        figures = data.positions_at(at, chosen)
        dependence = monthly_dependence(
            loaded.positions, loaded.occupancies, start, at, chosen, data_until=at
        ).totals
        rows.append(
            KindRow(
                kind=kind,
                label=str(label),
                positions=figures.positions,
                staffed=figures.staffed,
                vacant=figures.vacant,
                locum_served=figures.locum_served,
                position_months=dependence["position_months"],
                vacant_months=dependence["vacant_months"],
                locum_months=dependence["locum_served_months"],
            )
        )
    return rows


def _sum_rows(rows: list[KindRow]) -> KindRow:
    total = KindRow("total", _("Alle stillinger"))
    for row in rows:
        for name in (
            "positions",
            "staffed",
            "vacant",
            "locum_served",
            "position_months",
            "vacant_months",
            "locum_months",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def _turnover(municipality: Municipality, start: date, end: date, loaded: Any) -> Turnover:
    numbers = {p.position_id for p in loaded.positions if p.municipality == municipality.number}
    ended = [
        o
        for o in loaded.occupancies
        if o.position_id in numbers
        and o.role == "holder"
        and o.end is not None
        and start <= o.end <= end
    ]
    interviews = list(
        ExitInterview.objects.filter(
            occupancy__position__municipality=municipality,
            occupancy__end__gte=start,
            occupancy__end__lte=end,
        ).values_list("reasons", flat=True)
    )
    not_given = (NOT_GIVEN, _("ikke oppgitt"))
    return Turnover(
        leavers=len(ended),
        end_reasons=distribution(
            (o.end_reason or NOT_GIVEN for o in ended),
            [*EndReason.choices, not_given],
            exclusive=True,
        ),
        next_work=distribution(
            (o.next_work or NOT_GIVEN for o in ended),
            [*NextWork.choices, not_given],
            exclusive=True,
        ),
        interviews=len(interviews),
        exit_reasons=distribution(
            (r for reasons in interviews for r in set(reasons)),
            ExitReason.choices,
            total=len(interviews),
            exclusive=False,
        ),
    )


def _supervision(trainees: list[Trainee], start: date, at: date) -> Supervision:
    result = Supervision()
    for trainee in trainees:
        record = record_of(trainee)
        ruleset = get_ruleset(trainee.ruleset)
        first = max(record.doctor.supervision_start, start)
        if first > at:
            continue
        service = count_service(record.service, record.leave, at, ruleset)
        months = [
            m
            for m in monthly_compliance(record.supervision, service, first, at, ruleset)
            if m.complete and m.required > 0
        ]
        if not months:
            continue
        under = sum(1 for m in months if not m.ok)
        result.alis_checked += 1
        result.months_checked += len(months)
        result.months_under += under
        result.alis_with_shortfall += under > 0
    return result


def planning_models() -> tuple[Any, Any] | None:
    """The planning app's ``CostEntry`` and ``GrantReceived``, when that app is installed."""
    if not apps.is_installed("veiviser.planning"):
        return None
    try:
        from veiviser.planning.models import CostEntry, GrantReceived
    except ImportError:
        return None
    return CostEntry, GrantReceived


def _economics(municipality: Municipality, year: int) -> Economics:
    models = planning_models()
    if models is None:
        return Economics(available=False)
    cost_model, grant_model = models
    try:
        with transaction.atomic():  # a savepoint: another app's schema must not break ours
            entries = list(
                cost_model.objects.filter(municipality=municipality, year=year).values_list(
                    "category", "amount", "is_education_cost", "trainee_id"
                )
            )
            grant = (
                grant_model.objects.filter(municipality=municipality, year=year)
                .values_list("amount", flat=True)
                .first()
            )
        labels = dict(cost_model._meta.get_field("category").choices)
    except Exception:
        return Economics(available=False)
    from veiviser.rules.costs import EDUCATION_BY_DEFAULT, CostCategory

    known = {c.value for c in CostCategory}
    sums: Counter[str] = Counter()
    education = Decimal(0)
    for category, amount, is_education, _trainee in entries:
        sums[category] += amount
        default = EDUCATION_BY_DEFAULT[CostCategory(category)] if category in known else False
        if default if is_education is None else is_education:
            education += amount
    return Economics(
        available=True,
        categories=[(str(labels.get(k, k)), sums[k]) for k in labels if sums.get(k)],
        total=sum(sums.values(), Decimal(0)),
        education=education,
        grant=grant,
        alis_with_costs=len({e[3] for e in entries}),
    )


def compute(municipality: Municipality, year: int, today: date) -> AnnualFigures:
    """The report's figures for ``municipality`` and calendar ``year`` as known on ``today``."""
    start, end = rules.year_bounds(year)
    at = min(end, today)
    number = municipality.number
    loaded = rows_for(Position.objects.filter(municipality=municipality))
    data = WorkforceData(loaded.positions, loaded.occupancies)
    kinds = _kind_rows(data, loaded, number, start, at)
    everything = PositionFilter({number})
    stability = data.stability(start, at, everything)
    dependence = monthly_dependence(
        loaded.positions, loaded.occupancies, start, at, everything, data_until=at
    ).totals
    open_positions = list(
        Position.objects.filter(municipality=municipality)
        .open_on(at)
        .values_list("kind", "form", "list_size", "list_cap")
    )
    form_labels = dict(EmploymentForm.choices)
    form_counts = Counter(form for _kind, form, _size, _cap in open_positions)
    sizes = ListSizes()
    for kind, _form, size, cap in open_positions:
        if kind == PositionKind.GP and size is not None:
            sizes.positions += 1
            sizes.patients += size
            sizes.cap += cap or 0
    postings = list(
        Posting.objects.filter(
            position__municipality=municipality, published__gte=start, published__lte=at
        ).values_list("applicants", "qualified_applicants", "hired")
    )
    trainees = list(
        Trainee.objects.filter(municipality=municipality, training_start__lte=at)
        .select_related("person", "municipality")
        .prefetch_related(
            "service_periods",
            "service_periods__municipality",
            "leave_periods",
            "supervision_sessions",
            "group_periods",
            "courses",
        )
        .order_by("pk")
    )
    # record_of reads the plan too; the supervision check does not need it.
    for trainee in trainees:
        trainee._state.fields_cache.setdefault("plan", None)
    return AnnualFigures(
        municipality=municipality,
        year=year,
        start=start,
        end=end,
        at=at,
        complete=today > end,
        kinds=kinds,
        total=_sum_rows(kinds),
        forms=[(str(form_labels[k]), form_counts[k]) for k in form_labels if form_counts.get(k)],
        list_sizes=sizes,
        holders=stability.holders,
        same_holder_throughout=stability.same_holder_throughout,
        positions_with_change=stability.positions_with_change,
        never_staffed=stability.never_staffed,
        median_days_to_fill=dependence["median_days_to_fill"],
        postings=len(postings),
        applicants=sum(a or 0 for a, _q, _h in postings),
        qualified_applicants=sum(q or 0 for _a, q, _h in postings),
        hired=sum(h for _a, _q, h in postings),
        turnover=_turnover(municipality, start, at, loaded),
        alis=len(trainees),
        stages=rules.stage_counts((t.training_start for t in trainees), at),
        supervision=_supervision(trainees, start, at),
        economics=_economics(municipality, year),
    )
