"""The regional ALIS office's follow-up: stages, early warnings, veileder matching and quality
figures across municipalities (docs/adr/0068-regional-follow-up.md, 0069-veileder-matching.md,
0070-regional-quality-figures.md).

The research's *studielektor* follows many ALIS and offices, sees problems early and helps.
These pure functions turn the plain data of many training records into what such a person
needs: where each ALIS stands, sign-offs that wait, approvals made in bulk near the end,
supervision below the monthly minimum, veiledere who could serve an ALIS without one, and
which ALIS to follow up first (several warnings at once).
No Django import; every threshold is a named parameter with its default here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from statistics import median
from typing import Literal, TypeVar

from veiviser.rules.goals import goal_status, in_time_order
from veiviser.rules.supervision import MonthCompliance
from veiviser.rules.timeline import at_least
from veiviser.rules.training import GoalRecord

__all__ = [
    "FOLLOW_UP_SIGNALS",
    "PENDING_STATES",
    "SMALL_GROUP",
    "STAGES",
    "AlisQuality",
    "ApprovalTiming",
    "BulkApproval",
    "Candidate",
    "Distance",
    "FollowUpSignal",
    "Need",
    "QualityRow",
    "QualityThresholds",
    "Stage",
    "Suggestion",
    "SupervisionDelivery",
    "WaitingGoal",
    "approval_timings",
    "bulk_approval",
    "distance",
    "eligible",
    "follow_up_first",
    "follow_up_signals",
    "late_approvals",
    "municipality_quality",
    "plan_matches",
    "stage_of",
    "suggestions",
    "supervision_delivery",
    "waiting_sign_offs",
]

# --------------------------------------------------------------------------- stages

Stage = Literal["first_year", "underway", "final", "ready", "old_scheme"]
STAGES: tuple[Stage, ...] = ("first_year", "underway", "final", "ready", "old_scheme")


def stage_of(
    ready: bool | None,
    general_practice_months: float,
    *,
    minimum_months: float = 54,
    first_year_months: float = 12,
    final_months: float = 12,
) -> Stage:
    """Where an ALIS stands, from the readiness verdict.

    ``old_scheme`` when there is no verdict (``ready`` is None), ``ready`` when every blocking
    requirement is met; otherwise by the counted general-practice months: ``first_year`` below
    ``first_year_months``, ``final`` within the last ``final_months`` of ``minimum_months``,
    ``underway`` between.
    """
    if ready is None:
        return "old_scheme"
    if ready:
        return "ready"
    if not at_least(general_practice_months, first_year_months):
        return "first_year"
    if at_least(general_practice_months, minimum_months - final_months):
        return "final"
    return "underway"


# --------------------------------------------------------------------------- sign-offs

PENDING_STATES: frozenset[str] = frozenset({"submitted", "recommended", "ready_for_decision"})


@dataclass(frozen=True, slots=True)
class WaitingGoal:
    """A goal submitted for sign-off and not decided: since the latest submission."""

    code: str
    state: str
    since: dt.date
    days: int


def _day(at: dt.datetime) -> dt.date:
    return at.date()


def waiting_sign_offs(
    goals: Sequence[GoalRecord],
    as_of: dt.date,
    *,
    weeks: int = 4,
    states: Sequence[str] | None = None,
) -> tuple[WaitingGoal, ...]:
    """Goals pending (submitted, recommended or ready for decision) as of ``as_of`` whose
    latest submission is more than ``weeks`` weeks old, oldest first.

    ``states`` are the goals' states as of ``as_of`` in the same order (e.g. a verdict's
    ``goal_statuses``) and save computing them again; without them they are derived here.
    """
    if weeks < 0:
        raise ValueError("weeks must not be negative")
    limit = weeks * 7
    found: list[WaitingGoal] = []
    for index, goal in enumerate(goals):
        if states is not None and index < len(states):
            state = states[index]
        else:
            state = goal_status(goal.events, until=as_of).state
        if state not in PENDING_STATES:
            continue
        submitted = [
            _day(e.at)
            for e in in_time_order(goal.events)
            if e.action == "submitted" and _day(e.at) <= as_of
        ]
        if not submitted:
            continue
        since = submitted[-1]
        days = (as_of - since).days
        if days > limit:
            found.append(WaitingGoal(goal.code, state, since, days))
    found.sort(key=lambda w: (w.since, w.code))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class ApprovalTiming:
    """An approved goal: the day of the approval and of the submission before it."""

    code: str
    approved: dt.date
    submitted: dt.date | None

    @property
    def days(self) -> int | None:
        """Days from submission to approval (None without a submission)."""
        if self.submitted is None:
            return None
        return (self.approved - self.submitted).days


def approval_timings(goals: Sequence[GoalRecord], as_of: dt.date) -> tuple[ApprovalTiming, ...]:
    """Every goal approved as of ``as_of``: its latest approval and the latest submission
    before that approval (in plan order)."""
    result: list[ApprovalTiming] = []
    for goal in goals:
        events = [e for e in in_time_order(goal.events) if _day(e.at) <= as_of]
        if not events or not goal_status(events).approved:
            continue
        approved_at = None
        submitted: dt.date | None = None
        for event in events:
            if event.action == "approved":
                approved_at = event.at
        if approved_at is None:  # pragma: no cover - approved implies an approval event
            continue
        for event in events:
            if event.action == "submitted" and event.at <= approved_at:
                submitted = _day(event.at)
        result.append(ApprovalTiming(goal.code, _day(approved_at), submitted))
    return tuple(result)


def _minus_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) - months
    year, month0 = divmod(index, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month0 + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def late_approvals(
    approved: Sequence[dt.date],
    end: dt.date | None,
    as_of: dt.date,
    *,
    months: int = 6,
) -> tuple[int, int] | None:
    """(approvals, approvals in the last ``months`` months of training) for one ALIS.

    ``end`` is the day the training's service time is (projected to be) complete. The ALIS
    counts only once that window has begun (``end - months`` on or before ``as_of``); before
    that, or without an ``end``, the result is None. Approvals on or after the window's first
    day are late (also those after ``end``).
    """
    if end is None:
        return None
    start = _minus_months(end, months)
    if start > as_of:
        return None
    counted = [d for d in approved if d <= as_of]
    return len(counted), sum(1 for d in counted if d >= start)


@dataclass(frozen=True, slots=True)
class BulkApproval:
    """Many goals approved within a short window near the end of training."""

    first: dt.date
    last: dt.date
    count: int
    total: int

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0


def bulk_approval(
    approved: Sequence[dt.date],
    end: dt.date | None,
    as_of: dt.date,
    *,
    window_days: int = 30,
    min_goals: int = 10,
    min_share: float = 0.5,
    near_end_days: int = 365,
) -> BulkApproval | None:
    """The busiest ``window_days``-day window of approvals when it holds at least
    ``min_goals`` approvals and ``min_share`` of all, and ends within ``near_end_days`` before
    ``end`` (the projected completion; ``as_of`` when unknown) or later; else None.

    "Along the way" is the alternative: goals approved as the ALIS reaches them, spread over
    the years of training.
    """
    days = sorted(d for d in approved if d <= as_of)
    if len(days) < max(min_goals, 1):
        return None
    best = (0, 0)  # (count, start index)
    j = 0
    for i in range(len(days)):
        while (days[i] - days[j]).days >= window_days:
            j += 1
        if i - j + 1 > best[0]:
            best = (i - j + 1, j)
    count, start = best
    first, last = days[start], days[start + count - 1]
    if count < min_goals or count / len(days) + 1e-9 < min_share:
        return None
    reference = end or as_of
    if (reference - last).days > near_end_days:
        return None
    return BulkApproval(first, last, count, len(days))


# --------------------------------------------------------------------------- supervision


@dataclass(frozen=True, slots=True)
class SupervisionDelivery:
    """Individual supervision over the complete months that required it."""

    hours: float
    months: int
    under: tuple[str, ...]  # those months with fewer hours than required ("YYYY-MM")
    recent_under: tuple[str, ...]  # of which within the last ``recent`` complete months

    @property
    def hours_per_month(self) -> float | None:
        return self.hours / self.months if self.months else None

    @property
    def needs_follow_up(self) -> bool:
        """Two or more recent months under the minimum: one month short (a holiday) is within
        what the supervision rule tolerates over a year and is not flagged."""
        return len(self.recent_under) >= RECENT_UNDER_FLAG


RECENT_UNDER_FLAG = 2


def supervision_delivery(
    compliance: Sequence[MonthCompliance], *, recent: int = 6
) -> SupervisionDelivery:
    """Hours and months of the complete months that required supervision (from
    ``monthly_compliance``), the months under the minimum, and those among the last
    ``recent`` complete months."""
    months = [c for c in compliance if c.complete and c.required > 0]
    under = tuple(c.month for c in months if not c.ok)
    complete = [c.month for c in compliance if c.complete]
    window = set(complete[-recent:]) if recent > 0 else set()
    return SupervisionDelivery(
        hours=sum(c.hours for c in months),
        months=len(months),
        under=under,
        recent_under=tuple(m for m in under if m in window),
    )


# --------------------------------------------------------------------------- quality

SMALL_GROUP = 5


@dataclass(frozen=True, slots=True)
class AlisQuality:
    """One ALIS's contribution to the municipality's quality figures (no name)."""

    approval_days: tuple[int, ...]  # submission → approval, per approved goal
    late: tuple[int, int] | None  # (approvals, late approvals) or None (window not begun)
    supervision_hours: float
    supervision_months: int


@dataclass(frozen=True, slots=True)
class QualityThresholds:
    """When a figure is marked as a warning (starting values; ADR 0070)."""

    median_days: float = 30
    late_share: float = 0.5
    hours_per_month: float = 4


@dataclass(frozen=True, slots=True)
class QualityRow:
    """A municipality's quality figures; ``small_group`` when fewer than 5 ALIS."""

    municipality: str
    alis: int
    small_group: bool
    approvals: int
    median_days: float | None
    late_base: int
    late_share: float | None
    supervision_months: int
    hours_per_month: float | None
    minimum: float
    slow_sign_off: bool
    late_heavy: bool
    under_minimum: bool

    @property
    def warnings(self) -> int:
        return int(self.slow_sign_off) + int(self.late_heavy) + int(self.under_minimum)


def municipality_quality(
    municipality: str,
    alis: Iterable[AlisQuality],
    *,
    thresholds: QualityThresholds = QualityThresholds(),
    small_group: int = SMALL_GROUP,
) -> QualityRow:
    """Aggregate the ALIS of one municipality: the median days from submission to approval,
    the share of approvals in the last six months of training (over the ALIS whose last six
    months have begun), and supervision hours per ALIS-month that required supervision
    against the minimum. Small groups are marked, never hidden."""
    items = list(alis)
    days = [d for a in items for d in a.approval_days]
    late_pairs = [a.late for a in items if a.late is not None]
    late_base = sum(p[0] for p in late_pairs)
    late_count = sum(p[1] for p in late_pairs)
    hours = sum(a.supervision_hours for a in items)
    months = sum(a.supervision_months for a in items)
    median_days = float(median(days)) if days else None
    late_share = late_count / late_base if late_base else None
    per_month = hours / months if months else None
    return QualityRow(
        municipality=municipality,
        alis=len(items),
        small_group=len(items) < small_group,
        approvals=len(days),
        median_days=median_days,
        late_base=late_base,
        late_share=late_share,
        supervision_months=months,
        hours_per_month=per_month,
        minimum=thresholds.hours_per_month,
        slow_sign_off=median_days is not None and median_days > thresholds.median_days,
        late_heavy=late_share is not None and late_share > thresholds.late_share,
        under_minimum=per_month is not None and not at_least(per_month, thresholds.hours_per_month),
    )


# --------------------------------------------------------------------------- matching


class Distance(IntEnum):
    """How near a veileder is to the ALIS (no coordinates in the reference data; ADR 0069)."""

    SAME_MUNICIPALITY = 0
    SAME_COUNTY = 1
    SAME_REGION = 2


@dataclass(frozen=True, slots=True)
class Need:
    """An ALIS without a veileder."""

    trainee_id: int
    person_id: int
    municipality: str
    county: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """An approved veileder of the region's pool with current load."""

    profile_id: int
    person_id: int
    municipality: str  # where the veileder works
    county: str
    serves: frozenset[str]  # municipalities the veileder may serve (their own always)
    capacity: int
    load: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.load, 0)


@dataclass(frozen=True, slots=True)
class Suggestion:
    profile_id: int
    trainee_id: int
    distance: Distance
    free: int


def distance(need: Need, candidate: Candidate) -> Distance:
    if need.municipality == candidate.municipality:
        return Distance.SAME_MUNICIPALITY
    if need.county == candidate.county:
        return Distance.SAME_COUNTY
    return Distance.SAME_REGION


def eligible(need: Need, candidate: Candidate, *, load: int | None = None) -> bool:
    """The veileder has room (``load`` overrides the candidate's), may serve the ALIS's
    municipality, and is not the ALIS."""
    current = candidate.load if load is None else load
    return (
        candidate.person_id != need.person_id
        and current < candidate.capacity
        and (need.municipality in candidate.serves or need.municipality == candidate.municipality)
    )


def _rank(need: Need, candidate: Candidate, load: int) -> tuple[int, float, int]:
    return (distance(need, candidate), load / candidate.capacity, candidate.profile_id)


def suggestions(
    need: Need, candidates: Iterable[Candidate], *, limit: int | None = 3
) -> tuple[Suggestion, ...]:
    """Eligible veiledere for the ALIS, nearest first (same municipality, same county, same
    region), then the least loaded relative to capacity, then the profile id (stable)."""
    ranked = sorted(
        (c for c in candidates if eligible(need, c)), key=lambda c: _rank(need, c, c.load)
    )
    chosen = ranked if limit is None else ranked[:limit]
    return tuple(
        Suggestion(c.profile_id, need.trainee_id, distance(need, c), c.free) for c in chosen
    )


def plan_matches(
    needs: Sequence[Need], candidates: Sequence[Candidate]
) -> dict[int, Suggestion | None]:
    """One proposed veileder per ALIS without exceeding any capacity (greedy): the ALIS with
    the fewest eligible veiledere choose first, each the nearest with room left. ALIS no one
    can serve get None. The coupling itself is always a person's decision."""
    loads = {c.profile_id: c.load for c in candidates}
    options = {n.trainee_id: [c for c in candidates if eligible(n, c)] for n in needs}
    order = sorted(needs, key=lambda n: (len(options[n.trainee_id]), n.trainee_id))
    result: dict[int, Suggestion | None] = {}
    for need in order:
        room = [c for c in options[need.trainee_id] if eligible(need, c, load=loads[c.profile_id])]
        if not room:
            result[need.trainee_id] = None
            continue
        best = min(room, key=lambda c: _rank(need, c, loads[c.profile_id]))
        loads[best.profile_id] += 1
        result[need.trainee_id] = Suggestion(
            best.profile_id,
            need.trainee_id,
            distance(need, best),
            best.capacity - loads[best.profile_id],
        )
    return result


# --------------------------------------------------------------------------- follow up first

FollowUpSignal = Literal["no_veileder", "supervision", "waiting", "bulk", "locum_dependent"]
FOLLOW_UP_SIGNALS: tuple[FollowUpSignal, ...] = (
    "no_veileder",
    "supervision",
    "waiting",
    "bulk",
    "locum_dependent",
)
LOCUM_DEPENDENT_SHARE = 0.2  # a fifth or more of the municipality's GP positions on locums
FOLLOW_UP_MINIMUM = 2
_K = TypeVar("_K")


def follow_up_signals(
    *,
    has_veileder: bool,
    supervision: SupervisionDelivery,
    waiting: bool,
    bulk: bool,
    municipality_locum_share: float | None,
    locum_share: float = LOCUM_DEPENDENT_SHARE,
) -> tuple[FollowUpSignal, ...]:
    """The warnings that hold for one ALIS, in ``FOLLOW_UP_SIGNALS`` order: no veileder;
    supervision under the minimum in recent months (``needs_follow_up``); sign-offs waiting
    past the dashboard's limit; goals approved in bulk near the end; and working in a
    municipality where at least ``locum_share`` of the GP positions are served by locums (the
    colleagues an ALIS learns from are missing — the seeds' most common reason for leaving)."""
    found: list[FollowUpSignal] = []
    if not has_veileder:
        found.append("no_veileder")
    if supervision.needs_follow_up:
        found.append("supervision")
    if waiting:
        found.append("waiting")
    if bulk:
        found.append("bulk")
    if municipality_locum_share is not None and at_least(municipality_locum_share, locum_share):
        found.append("locum_dependent")
    return tuple(found)


def follow_up_first(
    items: Iterable[tuple[_K, tuple[FollowUpSignal, ...]]], *, minimum: int = FOLLOW_UP_MINIMUM
) -> list[tuple[_K, tuple[FollowUpSignal, ...]]]:
    """The items with at least ``minimum`` warnings, most warnings first; equal counts keep
    their given order. One warning alone is shown in its own list on the dashboard; several
    at once is how a resignation tends to start, so those come first."""
    chosen = [(key, signals) for key, signals in items if len(signals) >= minimum]
    return sorted(chosen, key=lambda item: -len(item[1]))
