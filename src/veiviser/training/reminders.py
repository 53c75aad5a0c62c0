"""Due items from the training records (collected by ``veiviser.reminders.registry``).

- The monthly supervision check: an ALIS with counted service but fewer than 4 hours of
  individual supervision last month (``rules.supervision.monthly_compliance``, the same rule as
  the month map) → the ALIS, their current veileder(s) and the municipality's leaders. Raised
  from the ``SUPERVISION_CHECK_DAY`` of the month (docs/adr/0073-reminders.md).
- Pending sign-offs: a submitted learning goal the user's role (veileder, supervisor) has not
  recommended yet, and a goal ready for decision for the municipality's leaders.

Both read a fixed number of queries for any number of ALIS and goals.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from veiviser.accounts.scope import Scope, scope_for
from veiviser.reminders.registry import DueItem
from veiviser.rules import goals as goal_rules
from veiviser.rules.annual import month_end, supervision_check_month
from veiviser.rules.ruleset import get_ruleset
from veiviser.rules.service_time import count_service
from veiviser.rules.supervision import monthly_compliance
from veiviser.training.models import GoalEvent, Mentorship, PlanGoal, Trainee
from veiviser.training.records import doctor_ref, event_to_rule, record_of

SIGNOFF_DAYS = 14  # a recommendation or decision is expected within two weeks
SIGNOFF_LIMIT = 200


def _hours(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _current(qs: Any, today: date) -> Any:
    return qs.filter(started__lte=today).filter(Q(ended__isnull=True) | Q(ended__gte=today))


def supervision_items(scope: Scope, today: date) -> list[DueItem]:
    month = supervision_check_month(today)
    if month is None:
        return []
    last = month_end(month)
    condition = Q(municipality_id__in=scope.leader_municipality_ids)
    veileder_of: set[int] = set()
    if scope.person_id:
        veileder_of = set(
            _current(Mentorship.objects, today)
            .filter(mentor_id=scope.person_id, kind="veileder")
            .values_list("trainee_id", flat=True)
        )
        condition |= Q(person_id=scope.person_id) | Q(pk__in=veileder_of)
    if not (scope.leader_municipality_ids or scope.person_id):
        return []
    trainees = list(
        Trainee.objects.filter(condition, training_start__lte=last)
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
    label = formats.date_format(month, "YEAR_MONTH_FORMAT")
    items = []
    for trainee in trainees:
        trainee._state.fields_cache.setdefault("plan", None)  # the check needs no goals
        record = record_of(trainee)
        first = max(record.doctor.supervision_start, month)
        if first > last:
            continue
        ruleset = get_ruleset(trainee.ruleset)
        service = count_service(record.service, record.leave, last, ruleset)
        compliance = monthly_compliance(record.supervision, service, first, last, ruleset)
        if not compliance:
            continue
        checked = compliance[-1]
        if checked.ok or checked.required <= 0:
            continue
        own = trainee.person_id == scope.person_id
        values = {
            "month": label,
            "hours": _hours(checked.hours),
            "required": _hours(checked.required),
            "name": trainee.person.full_name,
        }
        if own:
            title = _("Veiledning i %(month)s: %(hours)s av %(required)s timer") % values
            detail = _("Registrer veiledningen du har hatt, eller avtal nye møter med veilederen.")
        else:
            title = _("%(name)s: %(hours)s av %(required)s timer veiledning i %(month)s") % values
            detail = _("Minst %(required)s timer individuell veiledning per måned.") % values
        items.append(
            DueItem(
                key=f"supervision:trainee-{trainee.pk}:{month:%Y-%m}",
                kind="supervision",
                title=title,
                url=reverse("session_list", args=[trainee.pk]),
                severity="warning",
                detail=detail,
            )
        )
    return items


def signoff_items(scope: Scope, today: date) -> list[DueItem]:
    mentored: dict[int, set[str]] = {}
    if scope.person_id:
        for trainee_id, kind in (
            _current(Mentorship.objects, today)
            .filter(mentor_id=scope.person_id)
            .values_list("trainee_id", "kind")
        ):
            mentored.setdefault(trainee_id, set()).add(kind)
    condition = Q()
    if mentored:
        condition |= Q(plan__trainee_id__in=list(mentored), status__in=["submitted", "recommended"])
    if scope.leader_municipality_ids:
        leader = Q(
            plan__trainee__municipality_id__in=scope.leader_municipality_ids,
            status="ready_for_decision",
        )
        if scope.person_id:
            leader &= ~Q(plan__trainee__person_id=scope.person_id)
        condition |= leader
    if not condition:
        return []
    goals = list(
        PlanGoal.objects.filter(condition, retired=False)
        .select_related("plan__trainee__person", "goal")
        .prefetch_related(Prefetch("events", queryset=GoalEvent.objects.order_by("at", "id")))
        .order_by("status_since", "pk")[:SIGNOFF_LIMIT]
    )
    items = []
    for goal in goals:
        trainee = goal.plan.trainee
        events = list(goal.events.all())
        values = {"code": goal.code, "name": trainee.person.full_name}
        url = reverse("goal_detail", args=[trainee.pk, goal.code])
        if goal.status == "ready_for_decision":
            since = goal.status_since or (events[-1].at if events else None)
            roles = [("leader", _("Godkjenn %(code)s for %(name)s") % values)]
        else:
            status = goal_rules.goal_status([event_to_rule(e) for e in events], doctor_ref(trainee))
            submitted = [e.at for e in events if e.action == "submitted"]
            since = submitted[-1] if submitted else goal.status_since
            kinds = mentored.get(trainee.pk, set())
            roles = []
            if "veileder" in kinds and not status.recommended_by_veileder:
                roles.append(("veileder", _("Vurder %(code)s for %(name)s (veileder)") % values))
            if "supervisor" in kinds and not status.recommended_by_supervisor:
                roles.append(
                    ("supervisor", _("Vurder %(code)s for %(name)s (supervisør)") % values)
                )
        if since is None:
            continue
        due = timezone.localtime(since).date() + timedelta(days=SIGNOFF_DAYS)
        for role, title in roles:
            items.append(
                DueItem(
                    key=f"signoff:goal-{goal.pk}:{role}:{since:%Y%m%d%H%M%S}",
                    kind="signoff",
                    title=title,
                    url=url,
                    due=due,
                    severity="warning" if due < today else "info",
                    detail=(goal.goal.title or "")[:160],
                )
            )
    return items


def due_items(user: Any, today: date) -> list[DueItem]:
    scope = scope_for(user)
    if scope.user_id is None:
        return []
    return (
        supervision_items(scope, today) + signoff_items(scope, today) + transfer_items(scope, today)
    )


def transfer_items(scope: Any, today: date) -> list[DueItem]:
    """ALIS moving to a municipality the user manages, waiting for the user to accept."""
    from veiviser.training.models import Transfer, TransferStatus

    if not scope.managed_municipality_ids:
        return []
    pending = Transfer.objects.filter(
        status=TransferStatus.PENDING, to_municipality_id__in=scope.managed_municipality_ids
    ).select_related("trainee__person", "from_municipality", "to_municipality")
    url = reverse("transfer_list")
    return [
        DueItem(
            key=f"transfer:{t.pk}",
            kind="transfer",
            title=_("%(name)s flytter fra %(old)s til %(new)s: bekreft overtakelsen")
            % {
                "name": t.trainee.person.full_name,
                "old": t.from_municipality.name,
                "new": t.to_municipality.name,
            },
            url=url,
            due=t.effective,
            severity="warning" if t.effective > today else "danger",
        )
        for t in pending
    ]
