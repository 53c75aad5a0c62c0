"""Writes and exports of the documents app. Each write is atomic, checks the writer's right
and is audited; each generated document is audited as an export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone

from veiviser.accounts.scope import scope_for
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record, snapshot
from veiviser.core.models import Municipality
from veiviser.documents.models import CONTENT_FIELDS, MunicipalTrainingPlan


class StaleVersion(Exception):
    """The plan got a newer version after the editor opened it."""

    def __init__(self, current: MunicipalTrainingPlan | None) -> None:
        self.current = current
        super().__init__("the plan was changed meanwhile")


@transaction.atomic
def save_municipal_plan(
    *,
    municipality: Municipality,
    content: dict[str, Any],
    by: Any,
    base_version: int | None,
    valid_from: dt.date | None = None,
    change_note: str = "",
) -> MunicipalTrainingPlan | None:
    """Save a new version of the municipality's general training plan.

    ``base_version`` is the version the editor started from (None: none existed); if another
    version was saved since, ``StaleVersion`` is raised and nothing is saved. Returns the new
    version, or None when nothing changed.
    """
    if not scope_for(by).can_manage_municipality(municipality.pk):
        raise PermissionDenied
    # Serialise saves of one municipality's plan (a no-op on SQLite, which locks the database).
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    current = MunicipalTrainingPlan.objects.current_for(municipality)
    if (current.version if current else None) != base_version:
        raise StaleVersion(current)
    values = {name: (content.get(name) or "").strip() for name in CONTENT_FIELDS}
    if (
        current is not None
        and values == {name: getattr(current, name) for name in CONTENT_FIELDS}
        and valid_from == current.valid_from
    ):
        return None
    last = MunicipalTrainingPlan.objects.filter(municipality=municipality).aggregate(
        n=Max("version")
    )["n"]
    plan = MunicipalTrainingPlan(
        municipality=municipality,
        version=(last or 0) + 1,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        created_by_name=(by.get_full_name() or by.username) if by is not None else "",
        valid_from=valid_from,
        change_note=change_note.strip(),
        **values,
    )
    plan.full_clean()
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:  # two editors at once on a database without row locks
        raise StaleVersion(MunicipalTrainingPlan.objects.current_for(municipality)) from exc
    record(
        actor=by,
        action=AuditEvent.Action.CREATE if current is None else AuditEvent.Action.UPDATE,
        instance=plan,
        municipality_id=municipality.pk,
        before=snapshot(current) if current is not None else None,
        after=snapshot(plan),
        summary=f"Generell utdanningsplan versjon {plan.version}",
    )
    return plan


def record_export(
    *,
    by: Any,
    instance: models.Model,
    municipality_id: int | None,
    summary: str,
    address: str | None = None,
) -> AuditEvent:
    """Audit one generated document."""
    return record(
        actor=by,
        action=AuditEvent.Action.EXPORT,
        instance=instance,
        municipality_id=municipality_id,
        summary=summary,
        address=address,
        after={"generated_at": timezone.now().isoformat()},
    )
