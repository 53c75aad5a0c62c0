"""Writes to training records: trainees, plans, service, leave, supervision, groups, courses.

Each service is atomic, checks the writer's right for this ALIS and writes the audit log.
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from veiviser.accounts.scope import scope_for
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import audited_save, record, snapshot
from veiviser.training.models import (
    Catalogue,
    CatalogueGoal,
    Course,
    GroupSupervision,
    LeavePeriod,
    Mentorship,
    PlanGoal,
    ServicePeriod,
    SupervisionSession,
    Trainee,
    TrainingPlan,
)

DEFAULT_CATALOGUE = "ALM-2019+FKM-2019"

# Who may write which part of a record, besides administrators.
#   managers: the municipality's leaders and coordinators
#   alis: the ALIS themselves; veileder: their current veileder
WRITERS: dict[type[models.Model], set[str]] = {
    ServicePeriod: {"managers"},
    LeavePeriod: {"managers"},
    SupervisionSession: {"managers", "alis", "veileder"},
    GroupSupervision: {"managers", "alis"},
    Course: {"managers", "alis"},
}

M = TypeVar("M", bound=models.Model)


def relations(user: Any, trainee: Trainee) -> set[str]:
    """How ``user`` stands to this ALIS: admin, managers, alis, veileder, supervisor."""
    scope = scope_for(user)
    found: set[str] = set()
    if scope.is_admin:
        found.add("admin")
    if trainee.municipality_id in scope.managed_municipality_ids:
        found.add("managers")
    if scope.person_id == trainee.person_id:
        found.add("alis")
    if scope.person_id:
        found |= set(
            Mentorship.objects.current()
            .filter(trainee=trainee, mentor_id=scope.person_id)
            .values_list("kind", flat=True)
        )
    return found


def can_write(user: Any, trainee: Trainee, model: type[models.Model]) -> bool:
    rel = relations(user, trainee)
    return "admin" in rel or bool(rel & WRITERS[model])


@transaction.atomic
def save_item(*, item: M, by: Any) -> M:
    """Create or update one part of a training record (a service period, a session, …)."""
    trainee: Trainee = item.trainee  # type: ignore[attr-defined]
    if not can_write(by, trainee, type(item)):
        raise PermissionDenied
    if item.pk is not None:
        # Wait for a concurrent save of the same row, so that this change's audited "before"
        # is what that save left (no change disappears from the log).
        list(type(item)._default_manager.select_for_update().filter(pk=item.pk).values("pk"))
    audited_save(item, by=by, municipality_id=trainee.municipality_id)
    return item


@transaction.atomic
def delete_item(*, item: models.Model, by: Any) -> None:
    trainee: Trainee = item.trainee  # type: ignore[attr-defined]
    if not can_write(by, trainee, type(item)):
        raise PermissionDenied
    record(
        actor=by,
        action=AuditEvent.Action.DELETE,
        instance=item,
        municipality_id=trainee.municipality_id,
        before=snapshot(item),
    )
    item.delete()


def shipped_catalogue_rows(name: str = DEFAULT_CATALOGUE) -> list[dict[str, str]]:
    text = resources.files("veiviser.training").joinpath(f"data/{name}.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@transaction.atomic
def ensure_default_catalogue() -> Catalogue:
    """The shipped catalogue (codes only; see docs/adr/0033-goal-catalogues.md)."""
    catalogue, created = Catalogue.objects.get_or_create(
        name=DEFAULT_CATALOGUE,
        defaults={
            "description": "ALM (88) og FKM (24) for del 2/3, gyldig til 1. mars 2026",
            "source": "Koder fra Helsedirektoratets læringsmål; tekster må importeres",
        },
    )
    if created:
        CatalogueGoal.objects.bulk_create(
            CatalogueGoal(
                catalogue=catalogue,
                code=row["code"],
                kind=row["kind"],
                theme=row["theme"],
                title=row["title"],
                order=i,
            )
            for i, row in enumerate(shipped_catalogue_rows())
        )
    return catalogue


@transaction.atomic
def create_plan(*, trainee: Trainee, by: Any, catalogue: Catalogue | None = None) -> TrainingPlan:
    """The individual plan with every goal of the catalogue, if the ALIS has none yet."""
    existing = TrainingPlan.objects.filter(trainee=trainee).first()
    if existing is not None:
        return existing
    rel = relations(by, trainee) if by is not None else {"admin"}
    if not rel & {"admin", "managers", "alis", "veileder"}:
        raise PermissionDenied
    catalogue = catalogue or ensure_default_catalogue()
    plan = TrainingPlan.objects.create(trainee=trainee, catalogue=catalogue)
    PlanGoal.objects.bulk_create(
        PlanGoal(plan=plan, goal=g, code=g.code, order=g.order)
        for g in catalogue.goals.order_by("order")
    )
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        instance=plan,
        municipality_id=trainee.municipality_id,
        summary=f"Individuell utdanningsplan opprettet ({catalogue.name})",
    )
    return plan


@transaction.atomic
def save_trainee(*, trainee: Trainee, by: Any) -> Trainee:
    scope = scope_for(by)
    if not (scope.is_admin or trainee.municipality_id in scope.managed_municipality_ids):
        raise PermissionDenied
    is_new = trainee.pk is None
    audited_save(trainee, by=by)
    if is_new:
        create_plan(trainee=trainee, by=by)
    return trainee


@transaction.atomic
def appoint_mentor(*, mentorship: Mentorship, by: Any) -> Mentorship:
    scope = scope_for(by)
    trainee = mentorship.trainee
    if not (scope.is_admin or trainee.municipality_id in scope.managed_municipality_ids):
        raise PermissionDenied
    mentorship.inter_municipal = mentorship.mentor.home_municipality_id not in (
        None,
        trainee.municipality_id,
    )
    mentorship.full_clean()
    mentorship.save()
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        instance=mentorship,
        municipality_id=trainee.municipality_id,
        after=snapshot(mentorship),
    )
    return mentorship


def record_view(*, trainee: Trainee, by: Any, what: str = "treningsoversikt") -> None:
    """Audit a view of a person's training record (who looked at whose record)."""
    record(
        actor=by,
        action=AuditEvent.Action.VIEW,
        instance=trainee,
        municipality_id=trainee.municipality_id,
        summary=f"Så på {what}",
    )
