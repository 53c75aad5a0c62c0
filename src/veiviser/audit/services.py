"""Writing audit events. Services call ``record`` inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models
from django.db.models.fields.files import FieldFile

from veiviser.audit.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        return value.pk
    return value


HIDDEN = "[skjult]"


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The instance's concrete field values as JSON-ready data (foreign keys as ids).

    Fields a model lists in ``AUDIT_HIDDEN_FIELDS`` (private notes readers of the log may not
    see) appear only as ``HIDDEN`` when they hold something, never with their content."""
    names = (
        list(fields) if fields is not None else [f.attname for f in instance._meta.concrete_fields]
    )
    hidden = set(getattr(instance, "AUDIT_HIDDEN_FIELDS", ()))
    return {
        name: (HIDDEN if getattr(instance, name) else "")
        if name in hidden
        else _jsonable(getattr(instance, name))
        for name in names
    }


def _municipality_id_of(instance: models.Model | None) -> int | None:
    if instance is None:
        return None
    if instance._meta.label == "core.Municipality":
        return int(instance.pk)
    value = getattr(instance, "municipality_id", None)
    return int(value) if value is not None else None


def record(
    *,
    actor: Any,
    action: str,
    instance: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    municipality_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
    address: str | None = None,
) -> AuditEvent:
    """Append one event to the audit log."""
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_user,
        actor_name=(actor_user.get_full_name() or actor_user.username) if actor_user else "",
        action=action,
        object_type=object_type or (instance._meta.label if instance is not None else ""),
        object_id=str(object_id if object_id is not None else getattr(instance, "pk", "") or ""),
        object_repr=str(instance)[:200] if instance is not None else "",
        municipality_id=municipality_id or _municipality_id_of(instance),
        summary=summary[:200],
        before=before,
        after=after,
        address=address,
    )


M = TypeVar("M", bound=models.Model)


def audited_save(
    instance: M,
    *,
    by: Any,
    municipality_id: int | None = None,
    fields: Iterable[str] | None = None,
) -> M:
    """Validate and save ``instance`` and log the change with its before/after snapshot.

    Call inside the caller's transaction, after the caller has checked ``by``'s right."""
    is_new = instance.pk is None
    names = list(fields) if fields is not None else None
    before = (
        None if is_new else snapshot(type(instance)._default_manager.get(pk=instance.pk), names)
    )
    instance.full_clean()
    instance.save()
    record(
        actor=by,
        action=AuditEvent.Action.CREATE if is_new else AuditEvent.Action.UPDATE,
        instance=instance,
        municipality_id=municipality_id,
        before=before,
        after=snapshot(instance, names),
    )
    return instance
