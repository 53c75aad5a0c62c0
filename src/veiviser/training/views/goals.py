"""Learning goals of an ALIS: the plan's goal list, one goal with its history, evidence and the
sign-off actions the user may take now, one-time supervisor links and the public page such a
link opens.

Every event goes through ``training.goals.record_goal_event`` (roles, rules, optimistic
concurrency); the actions offered are ``roles_for`` × ``rules.goals.allowed_actions``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from veiviser.rules import goals as rules
from veiviser.training.access import get_plan_goal_for_user, get_trainee_for_user
from veiviser.training.forms_goals import (
    EVIDENCE_TYPES,
    EvidenceForm,
    GoalActionForm,
    PlanCreateForm,
    RecommendationLinkForm,
    RecommendByLinkForm,
)
from veiviser.training.goals import (
    ConcurrentChange,
    add_evidence,
    create_recommendation_link,
    find_link,
    record_goal_event,
    roles_for,
)
from veiviser.training.goals import (
    recommend_by_link as recommend_with_link,
)
from veiviser.training.models import (
    Evidence,
    GoalAction,
    GoalKind,
    GoalStatus,
    PlanGoal,
    RecommendationLink,
    Trainee,
    TrainingPlan,
)
from veiviser.training.records import doctor_ref, event_to_rule
from veiviser.training.services import create_plan, record_view, relations

# Which sign-off role records which action (rules.md, "Learning goals").
ACTION_ROLES: dict[str, tuple[str, ...]] = {
    "submitted": ("alis",),
    "withdrawn": ("alis",),
    "recommended": ("veileder", "supervisor"),
    "approved": ("leader",),
    "rejected": ("leader",),
    "reopened": ("leader",),
}
BUTTONS = {
    ("submitted", "alis"): gettext_lazy("Send til vurdering"),
    ("withdrawn", "alis"): gettext_lazy("Trekk tilbake"),
    ("recommended", "veileder"): gettext_lazy("Anbefal som veileder"),
    ("recommended", "supervisor"): gettext_lazy("Anbefal som supervisør"),
    ("approved", "leader"): gettext_lazy("Godkjenn"),
    ("rejected", "leader"): gettext_lazy("Ikke godkjenn"),
    ("reopened", "leader"): gettext_lazy("Gjenåpne"),
}
# Goal state → status badge (includes/status_badge.html).
BADGES = {
    "not_started": "info",
    "submitted": "warning",
    "recommended": "recommended",
    "ready_for_decision": "recommended",
    "approved": "met",
    "rejected": "not_met",
    "withdrawn": "info",
    "reopened": "warning",
}
PROBLEMS = {
    "missing_veileder_recommendation": gettext_lazy("Godkjent uten anbefaling fra veileder."),
    "missing_supervisor_recommendation": gettext_lazy("Godkjent uten anbefaling fra supervisør."),
    "approver_not_leader": gettext_lazy("Godkjent av en som ikke er leder."),
    "approver_is_doctor": gettext_lazy("Godkjent av legen selv."),
}
# The rules' refusal codes in words (training.goals.REFUSALS covers only some of them).
REFUSALS = {
    "already_submitted": gettext_lazy("Målet er allerede sendt til vurdering."),
    "already_approved": gettext_lazy("Målet er allerede godkjent."),
    "already_recommended": gettext_lazy("Målet er allerede anbefalt i denne rollen."),
    "recommendations_missing": gettext_lazy(
        "Målet må være anbefalt av både veileder og supervisør før det kan godkjennes."
    ),
    "nothing_pending": gettext_lazy("Målet har ingen innsendt vurdering å ta stilling til."),
    "not_approved": gettext_lazy("Bare et godkjent mål kan gjenåpnes."),
    "doctor_cannot_assess_own_goal": gettext_lazy("Du kan ikke vurdere ditt eget læringsmål."),
    "not_the_doctor": gettext_lazy("Bare ALIS selv kan sende inn eller trekke tilbake."),
    "wrong_role": gettext_lazy("Du har ikke rollen som trengs for denne handlingen."),
    "before_latest_event": gettext_lazy("Hendelsen er datert før målets siste hendelse."),
    "link_used": gettext_lazy("Lenken er allerede brukt."),
}
LINK_CREATORS = frozenset({"alis", "veileder", "leader"})
CONCURRENT = gettext_lazy(
    "Noen andre behandlet målet samtidig. Last siden på nytt og se hva som gjelder nå."
)


def refusal_text(exc: ValidationError) -> str:
    code = getattr(exc, "code", None)
    return str(REFUSALS[code]) if code in REFUSALS else " ".join(exc.messages)


def badge(state: str) -> dict[str, str]:
    return {"status": BADGES.get(state, "info"), "label": str(GoalStatus(state).label)}


# --- the plan's goal list -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def goal_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's goals grouped ALM/FKM and by theme, filterable by status; without a plan, a
    button that creates it."""
    trainee = get_trainee_for_user(request.user, pk)
    rel = relations(request.user, trainee)
    can_create = bool(rel & {"admin", "managers", "alis", "veileder"})
    plan = TrainingPlan.objects.filter(trainee=trainee).select_related("catalogue").first()
    if request.method == "POST":
        return _create_plan(request, trainee, plan, can_create)
    record_view(trainee=trainee, by=request.user, what="læringsmål")
    if plan is None:
        return render(
            request,
            "training/goals/goal_list.html",
            {
                "trainee": trainee,
                "plan": None,
                "can_create": can_create,
                "plan_form": PlanCreateForm() if can_create else None,
            },
        )
    goals = list(
        PlanGoal.objects.filter(plan=plan, retired=False)
        .select_related("goal")
        .annotate(last_event_at=Max("events__at"))
        .order_by("order")
    )
    counts = Counter(g.status for g in goals)
    wanted = request.GET.get("status", "")
    if wanted not in GoalStatus.values:
        wanted = ""
    shown = [g for g in goals if not wanted or g.status == wanted]
    return render(
        request,
        "training/goals/goal_list.html",
        {
            "trainee": trainee,
            "plan": plan,
            "groups": _groups(shown),
            "total": len(goals),
            "approved": counts.get("approved", 0),
            "pending": sum(
                counts.get(s, 0) for s in ("submitted", "recommended", "ready_for_decision")
            ),
            "shown": len(shown),
            "status": wanted,
            "status_choices": [
                {"value": value, "label": label, "count": counts.get(value, 0)}
                for value, label in GoalStatus.choices
            ],
        },
    )


def _groups(goals: list[PlanGoal]) -> list[dict[str, Any]]:
    """[{kind, label, count, themes: [{theme, goals: [...]}]}] in the plan's order."""
    kinds: dict[str, dict[str, Any]] = {}
    for g in goals:
        kind = kinds.setdefault(
            g.goal.kind,
            {"kind": g.goal.kind, "label": GoalKind(g.goal.kind).label, "themes": {}, "count": 0},
        )
        kind["count"] += 1
        kind["themes"].setdefault(g.goal.theme, []).append(
            {"goal": g, "badge": badge(g.status), "text": g.goal.title or g.goal.description}
        )
    return [
        {**k, "themes": [{"theme": t, "goals": items} for t, items in k["themes"].items()]}
        for k in sorted(kinds.values(), key=lambda k: k["kind"] != "alm")
    ]


def _create_plan(
    request: HttpRequest, trainee: Trainee, plan: TrainingPlan | None, can_create: bool
) -> HttpResponse:
    if not can_create:
        raise PermissionDenied
    if plan is not None:
        return redirect("goal_list", pk=trainee.pk)
    form = PlanCreateForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "training/goals/goal_list.html",
            {"trainee": trainee, "plan": None, "can_create": True, "plan_form": form},
            status=400,
        )
    plan = create_plan(trainee=trainee, by=request.user, catalogue=form.cleaned_data["catalogue"])
    messages.success(
        request,
        _("Individuell utdanningsplan opprettet med %(n)s læringsmål.") % {"n": plan.goals.count()},
    )
    return redirect("goal_list", pk=trainee.pk)


# --- one goal ----------------------------------------------------------------------------------


def _goal_page(
    request: HttpRequest,
    plan_goal: PlanGoal,
    *,
    status: int = 200,
    error: str = "",
    action_form: GoalActionForm | None = None,
    link_form: RecommendationLinkForm | None = None,
    evidence_form: EvidenceForm | None = None,
) -> HttpResponse:
    trainee = plan_goal.plan.trainee
    user = request.user
    roles = roles_for(user, trainee)
    events = list(plan_goal.events.order_by("at", "id"))
    history = [event_to_rule(e) for e in events]
    doctor = doctor_ref(trainee)
    goal_state = rules.goal_status(history, doctor)
    is_doctor = "alis" in roles
    failed = (
        (action_form.data.get("action"), action_form.data.get("role") or None)
        if action_form is not None
        else None
    )
    actions = []
    for (action, role), label in BUTTONS.items():
        if role not in roles:
            continue
        if action not in rules.allowed_actions(history, role, is_doctor, doctor_id=doctor):
            continue
        form = GoalActionForm(
            initial={"action": action, "role": role, "version": plan_goal.version},
            auto_id=f"id_{action}_{role}_%s",
        )
        if failed is not None and failed[0] == action and failed[1] in (None, role):
            form, failed = action_form, None  # type: ignore[assignment]
            form.auto_id = f"id_{action}_{role}_%s"  # type: ignore[union-attr]
        actions.append(
            {
                "action": action,
                "role": role,
                "label": label,
                "form": form,
                "danger": action == "rejected",
            }
        )
    supervisor_may_recommend = "recommended" in rules.allowed_actions(
        history, "supervisor", False, doctor_id=doctor
    )
    can_link = bool(roles & LINK_CREATORS)
    links = (
        list(
            RecommendationLink.objects.filter(
                plan_goal=plan_goal, used_at__isnull=True, expires_at__gt=timezone.now()
            ).order_by("-created_at")
        )
        if can_link
        else []
    )
    catalogue = plan_goal.plan.catalogue
    goal = plan_goal.goal
    evidence = list(plan_goal.evidence.select_related("created_by"))
    for item in evidence:
        item.kind_label = _evidence_kind(item)  # type: ignore[attr-defined]
    context = {
        "trainee": trainee,
        "plan_goal": plan_goal,
        "goal": goal,
        "catalogue": catalogue,
        "has_text": catalogue.official_texts and bool(goal.title or goal.description),
        "badge": badge(plan_goal.status),
        "events": events,
        "problems": [PROBLEMS.get(p, p) for p in goal_state.problems],
        "recommended_by_veileder": goal_state.recommended_by_veileder,
        "recommended_by_supervisor": goal_state.recommended_by_supervisor,
        "roles": roles,
        "actions": actions,
        "error": error,
        "evidence": evidence,
        "evidence_form": (evidence_form or EvidenceForm(auto_id="id_evidence_%s"))
        if is_doctor
        else None,
        "link_form": (link_form or RecommendationLinkForm(auto_id="id_link_%s"))
        if can_link and supervisor_may_recommend
        else None,
        "links": links,
    }
    return render(request, "training/goals/goal_detail.html", context, status=status)


def _evidence_kind(item: Evidence) -> str:
    if item.file:
        return PurePath(item.file.name).suffix.lstrip(".").upper()
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def goal_detail(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The goal, its history, evidence and the actions the user may take now. POST adds
    evidence (the ALIS)."""
    plan_goal = get_plan_goal_for_user(request.user, pk, code)
    trainee = plan_goal.plan.trainee
    if request.method == "POST":
        if "alis" not in roles_for(request.user, trainee):
            raise PermissionDenied
        form = EvidenceForm(request.POST, request.FILES, auto_id="id_evidence_%s")
        if not form.is_valid():
            return _goal_page(request, plan_goal, status=400, evidence_form=form)
        add_evidence(plan_goal=plan_goal, by=request.user, **form.cleaned_data)
        messages.success(request, _("Dokumentasjonen er lagt til."))
        return redirect("goal_detail", pk=trainee.pk, code=plan_goal.code)
    record_view(trainee=trainee, by=request.user, what=f"læringsmål {plan_goal.code}")
    return _goal_page(request, plan_goal)


def _role_for_action(action: str, posted_role: str, roles: set[str]) -> str:
    """The role the user acts in: the posted one (it must be theirs), or the one that can
    record the action."""
    if posted_role:
        if posted_role not in roles or posted_role not in ACTION_ROLES.get(action, ()):
            raise PermissionDenied
        return posted_role
    candidates = [r for r in ACTION_ROLES.get(action, ()) if r in roles]
    if not candidates:
        raise PermissionDenied
    return candidates[0]


@login_required
@require_POST
def goal_act(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Record one sign-off event. 400 when the rules refuse it (or a rejection lacks a
    comment), 409 when someone else changed the goal since the page was shown, 403 when the
    user does not hold the role the action needs."""
    plan_goal = get_plan_goal_for_user(request.user, pk, code)
    trainee = plan_goal.plan.trainee
    roles = roles_for(request.user, trainee)
    if not roles:
        raise PermissionDenied
    action = request.POST.get("action", "")
    posted_role = request.POST.get("role", "")
    role = _role_for_action(action, posted_role, roles) if action in ACTION_ROLES else ""
    form = GoalActionForm(request.POST)
    if not form.is_valid():
        return _goal_page(request, plan_goal, status=400, action_form=form)
    seen = form.cleaned_data["version"]
    if seen is not None and seen != plan_goal.version:
        history = [event_to_rule(e) for e in plan_goal.events.order_by("at", "id")]
        allowed = rules.allowed_actions(
            history, role, "alis" in roles, doctor_id=doctor_ref(trainee)
        )
        if action not in allowed:
            return _goal_page(request, plan_goal, status=409, error=str(CONCURRENT))
    try:
        record_goal_event(
            plan_goal=plan_goal,
            action=action,
            role=role,
            by=request.user,
            comment=form.cleaned_data["comment"].strip(),
        )
    except ConcurrentChange as exc:
        return _goal_page(request, plan_goal, status=409, error=" ".join(exc.messages))
    except ValidationError as exc:
        return _goal_page(request, plan_goal, status=400, error=refusal_text(exc))
    messages.success(
        request,
        _("%(code)s: %(what)s.")
        % {"code": plan_goal.code, "what": capfirst(str(GoalAction(action).label))},
    )
    return redirect("goal_detail", pk=trainee.pk, code=plan_goal.code)


@login_required
@require_POST
def goal_link(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Send a supervisor without an account a one-time link to recommend the goal."""
    plan_goal = get_plan_goal_for_user(request.user, pk, code)
    trainee = plan_goal.plan.trainee
    if not roles_for(request.user, trainee) & LINK_CREATORS:
        raise PermissionDenied
    form = RecommendationLinkForm(request.POST, auto_id="id_link_%s")
    if not form.is_valid():
        return _goal_page(request, plan_goal, status=400, link_form=form)
    history = [event_to_rule(e) for e in plan_goal.events.order_by("at", "id")]
    if "recommended" not in rules.allowed_actions(
        history, "supervisor", False, doctor_id=doctor_ref(trainee)
    ):
        return _goal_page(
            request,
            plan_goal,
            status=400,
            error=_(
                "En supervisør kan bare anbefale et mål som er sendt til vurdering og ikke "
                "allerede anbefalt av en supervisør."
            ),
        )
    create_recommendation_link(
        plan_goal=plan_goal,
        name=form.cleaned_data["name"],
        email=form.cleaned_data["email"],
        by=request.user,
    )
    messages.success(
        request, _("Lenke sendt til %(email)s.") % {"email": form.cleaned_data["email"]}
    )
    return redirect("goal_detail", pk=trainee.pk, code=plan_goal.code)


@login_required
@require_http_methods(["GET"])
def goal_evidence(request: HttpRequest, pk: int, code: str, ev: int) -> HttpResponse:
    """An evidence file, to anyone who may see the goal (never through MEDIA_URL); the
    download is audited like a view of the record."""
    plan_goal = get_plan_goal_for_user(request.user, pk, code)
    item = get_object_or_404(Evidence, pk=ev, plan_goal=plan_goal)
    ext = PurePath(item.file.name or "").suffix.lower()
    if not item.file or ext not in EVIDENCE_TYPES:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    trainee = plan_goal.plan.trainee
    record_view(trainee=trainee, by=request.user, what=f"dokumentasjon til {plan_goal.code}")
    response = FileResponse(
        handle,
        as_attachment=True,
        content_type=EVIDENCE_TYPES[ext][0],
        filename=f"{plan_goal.code}-dokumentasjon-{item.pk}{ext}".lower(),
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- the public page of a one-time link ----------------------------------------------------------


def _no_cache(response: HttpResponse) -> HttpResponse:
    # The token is in the address: never cached or indexed. (Referrer-Policy stays the
    # site's "same-origin": with "no-referrer" browsers send "Origin: null" and the form's
    # CSRF check fails.)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def recommend_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """A supervisor without an account recommends one goal through a one-time link. An
    expired, used or unknown link gives 404."""
    link = find_link(token[:200])
    if link is None:
        return _no_cache(render(request, "training/goals/link_invalid.html", status=404))
    plan_goal = link.plan_goal
    trainee = plan_goal.plan.trainee
    goal = plan_goal.goal
    history = [event_to_rule(e) for e in plan_goal.events.order_by("at", "id")]
    open_now = "recommended" in rules.allowed_actions(
        history, link.role, False, doctor_id=doctor_ref(trainee)
    )
    form = RecommendByLinkForm(request.POST or None)
    status = 200
    error = ""
    if request.method == "POST":
        status = 400
        if not open_now:
            error = _("Målet kan ikke anbefales nå. Ta kontakt med ALIS eller veilederen.")
        elif form.is_valid():
            try:
                recommend_with_link(link=link, comment=form.cleaned_data["comment"].strip())
            except ConcurrentChange as exc:
                status, error = 409, " ".join(exc.messages)
            except ValidationError as exc:
                error = refusal_text(exc)
            else:
                return _no_cache(
                    render(
                        request,
                        "training/goals/recommend_done.html",
                        {"link": link, "trainee": trainee, "plan_goal": plan_goal},
                    )
                )
    return _no_cache(
        render(
            request,
            "training/goals/recommend.html",
            {
                "link": link,
                "trainee": trainee,
                "plan_goal": plan_goal,
                "goal": goal,
                "has_text": plan_goal.plan.catalogue.official_texts
                and bool(goal.title or goal.description),
                "open_now": open_now,
                "form": form,
                "error": error,
            },
            status=status,
        )
    )
