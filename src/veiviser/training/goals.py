"""Sign-off of learning goals: who may act, recording events, notifying the next person.

Every event goes through ``record_goal_event``: it checks the actor's role for this ALIS, asks
the rules (``veiviser.rules.goals.apply``) whether the event may follow the history, and
stores it with optimistic concurrency (two leaders approving at once give one approval).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from veiviser.accounts.models import Role, RoleAssignment
from veiviser.accounts.scope import scope_for
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record
from veiviser.rules import goals as rules
from veiviser.rules import training as r
from veiviser.training.models import (
    Evidence,
    GoalEvent,
    MentorKind,
    Mentorship,
    PlanGoal,
    RecommendationLink,
    Trainee,
)
from veiviser.training.records import doctor_ref, event_to_rule


class ConcurrentChange(ValidationError):
    """Someone else acted on the goal between reading and writing."""


REFUSALS = {
    "nothing_pending": _("Målet har ingen innsendt vurdering å ta stilling til."),
    "already_approved": _("Målet er allerede godkjent."),
    "already_submitted": _("Målet er allerede sendt til vurdering."),
    "already_recommended": _("Du har allerede anbefalt dette målet."),
    "recommendations_missing": _(
        "Målet må være anbefalt av både veileder og supervisør før det kan godkjennes."
    ),
    "not_approved": _("Bare et godkjent mål kan gjenåpnes."),
    "not_the_doctor": _("Bare ALIS-en selv kan sende inn eller trekke et mål."),
    "doctor_cannot_assess_own_goal": _("Du kan ikke vurdere ditt eget læringsmål."),
    "wrong_role": _("Din rolle kan ikke gjøre dette med målet."),
    "before_latest_event": _("Hendelsen er datert før målets siste hendelse."),
}


def event_key(at: dt.datetime, action: str, by: str, role: str) -> str:
    """The identity of an event across systems: importing it twice stores it once."""
    raw = f"{at.astimezone(dt.UTC).isoformat()}|{action}|{by}|{role}"
    return hashlib.sha256(raw.encode()).hexdigest()


def roles_for(user: Any, trainee: Trainee) -> set[str]:
    """The sign-off roles ``user`` holds for this ALIS right now."""
    scope = scope_for(user)
    roles: set[str] = set()
    if scope.person_id and scope.person_id == trainee.person_id:
        roles.add("alis")
    if scope.person_id:
        kinds = set(
            Mentorship.objects.current()
            .filter(trainee=trainee, mentor_id=scope.person_id)
            .values_list("kind", flat=True)
        )
        roles |= kinds
    if trainee.municipality_id in scope.leader_municipality_ids and "alis" not in roles:
        roles.add("leader")
    return roles


def actor_ref(user: Any, trainee: Trainee) -> str:
    person_id = getattr(user, "person_id", None)
    if person_id == trainee.person_id:
        return doctor_ref(trainee)
    return f"p-{person_id}" if person_id else f"u-{user.pk}"


def _refusal_message(exc: rules.GoalTransitionError) -> str:
    return REFUSALS.get(exc.code, exc.message)


@transaction.atomic
def record_goal_event(
    *,
    plan_goal: PlanGoal,
    action: str,
    role: str,
    by: Any,
    comment: str = "",
    at: dt.datetime | None = None,
    link: RecommendationLink | None = None,
) -> GoalEvent:
    """Add one event to a goal's history, or raise PermissionDenied / ValidationError."""
    trainee = plan_goal.plan.trainee
    if link is None:
        if role not in roles_for(by, trainee):
            raise PermissionDenied(_("Du har ikke denne rollen for denne ALIS-en."))
        ref = actor_ref(by, trainee)
        name = by.get_full_name() or by.get_username()
        person_id = getattr(by, "person_id", None)
    else:
        ref, name, person_id = f"link-{link.pk}", link.name, None
    when = at or timezone.now()
    history = [event_to_rule(e) for e in plan_goal.events.order_by("at", "id")]
    new = r.GoalEvent(
        at=when,
        action=action,
        by=ref,
        role=role,  # type: ignore[arg-type]
        comment=comment or None,
    )
    try:
        events = rules.apply(history, new, doctor_id=doctor_ref(trainee))
    except rules.GoalTransitionError as exc:
        raise ValidationError(_refusal_message(exc), code=exc.code) from exc
    status = rules.goal_status(events, doctor_ref(trainee))
    updated = PlanGoal.objects.filter(pk=plan_goal.pk, version=plan_goal.version).update(
        version=F("version") + 1, status=status.state, status_since=when
    )
    if updated != 1:
        raise ConcurrentChange(
            _("Noen andre behandlet målet samtidig. Last siden på nytt og se hva som gjelder nå."),
            code="concurrent_change",
        )
    event = GoalEvent.objects.create(
        plan_goal=plan_goal,
        at=when,
        action=action,
        role=role,
        actor=by if link is None else None,
        actor_person_id=person_id,
        actor_ref=ref,
        actor_name=name[:160],
        comment=comment,
        import_key=event_key(when, action, ref, role),
    )
    plan_goal.version += 1
    plan_goal.status = status.state
    record(
        actor=by if link is None else None,
        action=AuditEvent.Action.DECIDE,
        instance=trainee,
        municipality_id=trainee.municipality_id,
        summary=f"{plan_goal.code}: {action} ({role})"[:200],
        after={"goal": plan_goal.code, "action": action, "role": role},
    )
    transaction.on_commit(lambda: notify_next(plan_goal=plan_goal, event=event))
    return event


def _emails_for_roles(trainee: Trainee, kinds: set[str]) -> list[str]:
    emails = [
        m.mentor.email
        for m in Mentorship.objects.current()
        .filter(trainee=trainee, kind__in=kinds)
        .select_related("mentor")
        if m.mentor.email
    ]
    return emails


def _leader_emails(trainee: Trainee) -> list[str]:
    return [
        a.user.email
        for a in RoleAssignment.objects.active()
        .filter(role=Role.LEADER, municipality_id=trainee.municipality_id)
        .select_related("user")
        if a.user.email
    ]


def notify_next(*, plan_goal: PlanGoal, event: GoalEvent) -> None:
    """Email the person who acts next: veileder and supervisor after a submission, the leader
    when both have recommended, the ALIS after a decision."""
    trainee = plan_goal.plan.trainee
    url = settings.SITE_URL + reverse("goal_detail", args=[trainee.pk, plan_goal.code])
    if event.action == "submitted":
        to = _emails_for_roles(trainee, {MentorKind.VEILEDER, MentorKind.SUPERVISOR})
        subject = _("%(name)s ber om vurdering av %(code)s")
    elif event.action == "recommended" and plan_goal.status == "ready_for_decision":
        to = _leader_emails(trainee)
        subject = _("%(code)s for %(name)s er klar for godkjenning")
    elif event.action in ("approved", "rejected", "reopened"):
        to = [trainee.person.email] if trainee.person.email else []
        subject = _("%(code)s er behandlet")
    else:
        return
    if not to:
        return
    send_mail(
        subject % {"name": trainee.person.full_name, "code": plan_goal.code},
        _("Se læringsmålet i Veiviser: %(url)s") % {"url": url},
        None,
        to,
        fail_silently=True,
    )


LINK_LIFETIME = timedelta(days=14)


@transaction.atomic
def create_recommendation_link(
    *, plan_goal: PlanGoal, name: str, email: str, by: Any
) -> tuple[RecommendationLink, str]:
    """A one-time link for a supervisor without an account; emails it and returns the token."""
    trainee = plan_goal.plan.trainee
    if not roles_for(by, trainee) & {"alis", "veileder", "leader"}:
        raise PermissionDenied
    raw = secrets.token_urlsafe(32)
    link = RecommendationLink.objects.create(
        plan_goal=plan_goal,
        name=name.strip(),
        email=email.strip(),
        created_by=by,
        token_hash=hashlib.sha256(raw.encode()).hexdigest(),
        expires_at=timezone.now() + LINK_LIFETIME,
    )
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        instance=trainee,
        municipality_id=trainee.municipality_id,
        summary=f"{plan_goal.code}: lenke til supervisør sendt",
    )
    url = settings.SITE_URL + reverse("recommend_by_link", args=[raw])
    transaction.on_commit(
        lambda: send_mail(
            _("Anbefaling av læringsmål %(code)s for %(name)s")
            % {"code": plan_goal.code, "name": trainee.person.full_name},
            _(
                "Du er bedt om å anbefale et læringsmål som supervisør. Lenken virker én gang og "
                "utløper %(when)s: %(url)s"
            )
            % {"when": timezone.localtime(link.expires_at).strftime("%d.%m.%Y"), "url": url},
            None,
            [link.email],
            fail_silently=True,
        )
    )
    return link, raw


def find_link(raw: str) -> RecommendationLink | None:
    link = (
        RecommendationLink.objects.filter(token_hash=hashlib.sha256(raw.encode()).hexdigest())
        .select_related("plan_goal__plan__trainee__person")
        .first()
    )
    if link is None or link.used_at is not None or link.expires_at <= timezone.now():
        return None
    return link


@transaction.atomic
def recommend_by_link(*, link: RecommendationLink, comment: str) -> GoalEvent:
    claimed = RecommendationLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if claimed != 1:
        raise ValidationError(_("Lenken er allerede brukt."), code="link_used")
    return record_goal_event(
        plan_goal=link.plan_goal,
        action="recommended",
        role=link.role,
        by=None,
        comment=comment,
        link=link,
    )


@transaction.atomic
def add_evidence(
    *, plan_goal: PlanGoal, by: Any, text: str = "", link: str = "", file: Any = None
) -> Evidence:
    """Attach evidence to a goal; only the ALIS themselves."""
    trainee = plan_goal.plan.trainee
    if "alis" not in roles_for(by, trainee):
        raise PermissionDenied
    item = Evidence(plan_goal=plan_goal, text=text or "", link=link or "", created_by=by)
    if file:
        item.file = file
    item.save()
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        instance=trainee,
        municipality_id=trainee.municipality_id,
        summary=f"{plan_goal.code}: dokumentasjon lagt til",
        after={
            "goal": plan_goal.code,
            "evidence": item.pk,
            "file": bool(item.file),
            "link": bool(item.link),
        },
    )
    return item
