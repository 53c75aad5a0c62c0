"""The suggested supervision topic plan of one ALIS (rules/topic_plan.py), beside what the
sessions have taken up and what has been approved."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from veiviser.rules import topic_plan
from veiviser.training.access import get_trainee_for_user
from veiviser.training.models import CatalogueGoal, GoalStatus, PlanGoal, SupervisionSession
from veiviser.training.services import record_view
from veiviser.training.views.record import PARTS


@login_required
def topic_plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    trainee = get_trainee_for_user(request.user, pk)
    record_view(trainee=trainee, by=request.user, what="emneplan for veiledning")
    today = timezone.localdate()
    plan_goals = list(
        PlanGoal.objects.filter(plan__trainee=trainee, retired=False)
        .select_related("goal")
        .order_by("order")
    )
    goals = [topic_plan.TopicGoal(code=g.code, theme=g.goal.theme) for g in plan_goals]
    suggested = topic_plan.suggest(goals, trainee.training_start)
    discussed = set(
        CatalogueGoal.objects.filter(
            pk__in=SupervisionSession.topics.through.objects.filter(
                supervisionsession__trainee=trainee
            ).values("cataloguegoal_id")
        ).values_list("code", flat=True)
    )
    approved = {g.code for g in plan_goals if g.status == GoalStatus.APPROVED}
    rows = topic_plan.status(suggested, discussed, approved, today)
    by_code = {g.code: g for g in plan_goals}
    months = [
        {
            "month": r.planned.month,
            "current": r.current,
            "behind": r.behind,
            "done": bool(r.planned.codes) and not r.open,
            "goals": [
                {
                    "code": code,
                    "title": by_code[code].goal.title,
                    "theme": by_code[code].goal.theme,
                    "state": "approved"
                    if code in r.approved
                    else "discussed"
                    if code in r.discussed
                    else "open",
                }
                for code in r.planned.codes
            ],
        }
        for r in rows
    ]
    upcoming = next((m for m in months if m["month"] >= today.replace(day=1)), None)
    return render(
        request,
        "training/topic_plan.html",
        {
            "trainee": trainee,
            "part": PARTS["session"],
            "current": _("Emneplan"),
            "months": months,
            "upcoming": upcoming,
            "behind": sum(1 for r in rows if r.behind),
            "covered": len(discussed & set(by_code)) + len(approved - discussed),
            "total": len(plan_goals),
        },
    )
