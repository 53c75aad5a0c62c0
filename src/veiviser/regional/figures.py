"""What the regional dashboard, the quality page and their API show, computed from the rules.

``load_region`` reads a region's municipalities, ALIS with their whole training records and
current veiledere, and its positions in a fixed number of queries however many municipalities
and ALIS there are; the rest is pure computation (``veiviser.rules.regional``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from veiviser.core.models import Municipality, Position, RegionalOffice
from veiviser.rules import regional as rules
from veiviser.rules.readiness import Verdict, verdict
from veiviser.rules.ruleset import get_ruleset
from veiviser.rules.supervision import monthly_compliance
from veiviser.rules.workforce import PositionsFigures, WorkforceData
from veiviser.training.models import MentorKind, Mentorship, Trainee
from veiviser.training.records import record_of, with_records
from veiviser.workforce.loader import rows_for

DEFAULT_WEEKS = 4
MAX_WEEKS = 104


@dataclass
class AlisLine:
    """One ALIS as the regional office follows them."""

    trainee: Trainee
    stage: rules.Stage
    has_veileder: bool
    supervision: rules.SupervisionDelivery
    waiting: tuple[rules.WaitingGoal, ...]
    bulk: rules.BulkApproval | None
    quality: rules.AlisQuality

    @property
    def municipality(self) -> Municipality:
        return self.trainee.municipality

    @property
    def oldest_wait(self) -> int:
        return max((w.days for w in self.waiting), default=0)


@dataclass
class StageRow:
    municipality: Municipality
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[int]:
        return [self.counts.get(s, 0) for s in rules.STAGES]


@dataclass
class WorkforceRow:
    municipality: Municipality
    figures: PositionsFigures

    @property
    def locum_share(self) -> float | None:
        f = self.figures
        return f.locum_served / f.positions if f.positions else None


@dataclass
class RegionData:
    """A region's municipalities, ALIS lines and positions on ``as_of``."""

    region: RegionalOffice
    as_of: dt.date
    weeks: int
    municipalities: list[Municipality]
    lines: list[AlisLine]
    workforce: list[WorkforceRow]
    workforce_total: PositionsFigures
    locum_warnings: list[Any] | None = None  # None: the planning module is not available
    by_municipality: dict[int, list[AlisLine]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for line in self.lines:
            self.by_municipality.setdefault(line.trainee.municipality_id, []).append(line)

    # ---------------------------------------------------------------- dashboard cards

    @property
    def stage_rows(self) -> list[StageRow]:
        rows = []
        for m in self.municipalities:
            counts = Counter(line.stage for line in self.by_municipality.get(m.pk, []))
            if counts:
                rows.append(StageRow(m, dict(counts)))
        return rows

    @property
    def stage_totals(self) -> list[int]:
        counts = Counter(line.stage for line in self.lines)
        return [counts.get(s, 0) for s in rules.STAGES]

    @property
    def without_veileder(self) -> list[AlisLine]:
        return [line for line in self.lines if not line.has_veileder]

    @property
    def under_minimum(self) -> list[AlisLine]:
        found = [line for line in self.lines if line.supervision.needs_follow_up]
        return sorted(found, key=lambda x: (-len(x.supervision.recent_under), x.trainee.pk))

    @property
    def waiting(self) -> list[AlisLine]:
        found = [line for line in self.lines if line.waiting]
        return sorted(found, key=lambda x: (-x.oldest_wait, x.trainee.pk))

    @property
    def bulk(self) -> list[AlisLine]:
        return [line for line in self.lines if line.bulk is not None]

    @property
    def follow_up(self) -> list[tuple[AlisLine, tuple[rules.FollowUpSignal, ...]]]:
        """ALIS with two or more warnings at once, most first (``rules.follow_up_first``)."""
        shares = {row.municipality.pk: row.locum_share for row in self.workforce}
        return rules.follow_up_first(
            (
                line,
                rules.follow_up_signals(
                    has_veileder=line.has_veileder,
                    supervision=line.supervision,
                    waiting=bool(line.waiting),
                    bulk=line.bulk is not None,
                    municipality_locum_share=shares.get(line.trainee.municipality_id),
                ),
            )
            for line in self.lines
        )

    @property
    def unregistered(self) -> list[Municipality]:
        return [m for m in self.municipalities if not m.registered_institution]

    @property
    def unregistered_with_alis(self) -> list[Municipality]:
        """Unregistered municipalities that have ALIS: these need help first."""
        return [m for m in self.unregistered if m.pk in self.by_municipality]

    @property
    def unregistered_without_alis(self) -> list[Municipality]:
        return [m for m in self.unregistered if m.pk not in self.by_municipality]

    # ---------------------------------------------------------------- quality

    def quality_rows(self) -> list[tuple[Municipality, rules.QualityRow]]:
        rows = []
        for m in self.municipalities:
            lines = self.by_municipality.get(m.pk, [])
            if lines:
                rows.append((m, rules.municipality_quality(m.number, (x.quality for x in lines))))
        return rows

    def quality_total(self) -> rules.QualityRow:
        return rules.municipality_quality(self.region.code, (x.quality for x in self.lines))


def _line(trainee: Trainee, as_of: dt.date, weeks: int) -> AlisLine:
    record = record_of(trainee)
    result: Verdict = verdict(record, as_of, get_ruleset(trainee.ruleset))
    service = result.service
    gp_months = service.general_practice if service is not None else 0.0
    stage = rules.stage_of(result.ready, gp_months)
    if result.supervision is not None and service is not None:
        compliance = monthly_compliance(
            record.supervision, service, result.supervision.start, as_of
        )
    else:
        compliance = ()
    supervision = rules.supervision_delivery(compliance)
    states = [s.state for s in result.goal_statuses] if result.goal_statuses else None
    waiting = rules.waiting_sign_offs(record.goals, as_of, weeks=weeks, states=states)
    timings = rules.approval_timings(record.goals, as_of)
    approved = [t.approved for t in timings]
    end = result.projected_general_practice_complete
    return AlisLine(
        trainee=trainee,
        stage=stage,
        has_veileder=bool(trainee.current_veiledere),  # type: ignore[attr-defined]
        supervision=supervision,
        waiting=waiting,
        bulk=rules.bulk_approval(approved, end, as_of),
        quality=rules.AlisQuality(
            approval_days=tuple(d for t in timings if (d := t.days) is not None),
            late=rules.late_approvals(approved, end, as_of),
            supervision_hours=supervision.hours,
            supervision_months=supervision.months,
        ),
    )


def region_trainees(user: Any, region: RegionalOffice) -> Any:
    """The region's ALIS the user may see, with records and current veiledere (fixed queries)."""
    current = Mentorship.objects.current().filter(kind=MentorKind.VEILEDER)
    qs = Trainee.objects.visible_to(user).filter(municipality__regional_office=region)
    return with_records(qs).prefetch_related(
        Prefetch("mentorships", queryset=current, to_attr="current_veiledere")
    )


def locum_warnings_for(municipality_ids: Sequence[int], today: dt.date) -> list[Any] | None:
    """The planning app's locum warnings, or None when that function is not available."""
    try:
        from veiviser.planning import queries
    except ImportError:  # pragma: no cover - depends on the installed apps
        return None
    function = getattr(queries, "locum_warnings", None)
    if function is None:  # pragma: no cover
        return None
    return list(function(municipality_ids, today))


def load_region(
    user: Any,
    region: RegionalOffice,
    as_of: dt.date,
    *,
    weeks: int = DEFAULT_WEEKS,
    workforce: bool = True,
    warnings: bool = True,
) -> RegionData:
    municipalities = list(
        Municipality.objects.filter(regional_office=region).order_by("name", "number")
    )
    trainees = list(region_trainees(user, region).order_by("municipality__name", "pk"))
    lines = [_line(t, as_of, weeks) for t in trainees]
    rows: list[WorkforceRow] = []
    total = PositionsFigures(as_of, 0, 0, 0, 0)
    if workforce:
        loaded = rows_for(
            Position.objects.filter(municipality__regional_office=region),
            other_holder_rows=False,
        )
        data = WorkforceData(loaded.positions, loaded.occupancies)
        per = data.positions_by_municipality(as_of, loaded.filter)
        rows = [WorkforceRow(m, per[m.number]) for m in municipalities if m.number in per]
        total = data.positions_at(as_of, loaded.filter)
    found = locum_warnings_for([m.pk for m in municipalities], as_of) if warnings else None
    return RegionData(
        region=region,
        as_of=as_of,
        weeks=weeks,
        municipalities=municipalities,
        lines=lines,
        workforce=rows,
        workforce_total=total,
        locum_warnings=found,
    )
