"""Writes to the yearly cycle. Every service is keyword-only and atomic, checks that the writer
manages the municipality (comments: manages it or is its regional office), and writes the audit
log. Bad values raise ``ValidationError`` by field; nothing is saved then.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record, snapshot
from veiviser.core.models import Municipality
from veiviser.cycle.access import can_comment, can_manage
from veiviser.cycle.models import (
    CycleComment,
    CycleTask,
    KeyParameterValue,
    ProjectEntry,
    SelfAssessment,
    TaskEvidence,
    TaskStatus,
)
from veiviser.rules import recruit_retain as rr

TASK_FIELDS = (
    "activity",
    "title",
    "description",
    "responsible_person_id",
    "responsible_role",
    "responsible_text",
    "due",
    "interval_months",
    "status",
    "completed_on",
)
COPIED_ON_ROLLOVER = (
    "municipality_id",
    "series",
    "template_key",
    "activity",
    "title",
    "description",
    "responsible_person_id",
    "responsible_role",
    "responsible_text",
    "interval_months",
)


def _require_manager(user: Any, municipality_id: int) -> None:
    if not can_manage(user, municipality_id):
        raise PermissionDenied


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Året må være mellom 2000 og 2100.")})


# --------------------------------------------------------------------------- tasks


@transaction.atomic
def save_task(*, task: CycleTask, by: Any) -> CycleTask:
    """Create or change a task occurrence (the due date is kept as the first of its month)."""
    _require_manager(by, task.municipality_id)
    if task.due is None:
        raise ValidationError({"due": _("Velg måneden oppgaven skal gjøres.")})
    task.due = rr.month_start(task.due)
    if not (task.responsible_person_id or task.responsible_role or task.responsible_text.strip()):
        raise ValidationError({"responsible_role": _("Oppgi en ansvarlig person eller rolle.")})
    person = task.responsible_person if task.responsible_person_id else None
    if person is not None and person.home_municipality_id not in (
        None,
        task.municipality_id,
    ):
        raise ValidationError({"responsible_person": _("Personen hører til en annen kommune.")})
    if task.status == TaskStatus.DONE and task.completed_on is None:
        task.completed_on = timezone.localdate()
    if task.status != TaskStatus.DONE:
        task.completed_on = None
    clash = CycleTask.objects.filter(series=task.series, due=task.due).exclude(pk=task.pk)
    if clash.exists():
        raise ValidationError({"due": _("Oppgaven finnes allerede for denne måneden.")})
    is_new = task.pk is None
    before = None if is_new else snapshot(CycleTask.objects.get(pk=task.pk), TASK_FIELDS)
    task.full_clean()
    task.save()
    record(
        actor=by,
        action=AuditEvent.Action.CREATE if is_new else AuditEvent.Action.UPDATE,
        instance=task,
        municipality_id=task.municipality_id,
        before=before,
        after=snapshot(task, TASK_FIELDS),
    )
    if task.status in (TaskStatus.DONE, TaskStatus.SKIPPED):
        roll_over(task=task, by=by)
    return task


def roll_over(*, task: CycleTask, by: Any) -> CycleTask | None:
    """Create (or keep) the next occurrence of a recurring task that was done (counted from the
    day it was done) or skipped (counted from today)."""
    day = task.completed_on or timezone.localdate()
    due = rr.next_due(task.due, task.interval_months, day)
    if due is None:
        return None
    existing = CycleTask.objects.filter(series=task.series, due=due).first()
    if existing is not None:
        return existing
    following = CycleTask(
        **{name: getattr(task, name) for name in COPIED_ON_ROLLOVER},
        due=due,
        status=TaskStatus.PLANNED,
    )
    following.save()
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        instance=following,
        municipality_id=task.municipality_id,
        after=snapshot(following, TASK_FIELDS),
        summary=f"neste forekomst etter {task.due:%m.%Y}",
    )
    return following


@transaction.atomic
def set_status(
    *, task: CycleTask, status: str, by: Any, completed_on: date | None = None
) -> CycleTask:
    """Change a task's status; ``done`` records the day (default today); ``done`` and
    ``skipped`` roll a recurring task over to its next occurrence."""
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Ukjent status.")})
    _require_manager(by, task.municipality_id)
    today = timezone.localdate()
    if status == TaskStatus.DONE:
        day = completed_on or today
        if day > today:
            raise ValidationError({"completed_on": _("Utført dato kan ikke være i fremtiden.")})
        task.completed_on = day
    task.status = status
    return save_task(task=task, by=by)


@transaction.atomic
def start_from_template(
    *, municipality: Municipality, keys: Iterable[str], by: Any, today: date | None = None
) -> list[CycleTask]:
    """Create the chosen template tasks (those the municipality does not have yet)."""
    _require_manager(by, municipality.pk)
    chosen = list(dict.fromkeys(keys))
    known = {t.key for t in rr.TEMPLATE}
    unknown = [k for k in chosen if k not in known]
    if unknown:
        raise ValidationError({"tasks": _("Ukjent oppgave i malen: %(key)s") % {"key": unknown[0]}})
    if not chosen:
        raise ValidationError({"tasks": _("Velg minst én oppgave.")})
    day = today or timezone.localdate()
    present = set(
        CycleTask.objects.filter(municipality=municipality, template_key__in=chosen).values_list(
            "template_key", flat=True
        )
    )
    created = []
    for key in chosen:
        if key in present:
            continue
        item = rr.template_task(key)
        task = CycleTask(
            municipality=municipality,
            template_key=item.key,
            activity=item.activity,
            title=_(item.title),
            description=_(item.description) if item.description else "",
            responsible_role=item.role,
            responsible_text=_(item.responsible) if item.responsible else "",
            due=rr.template_due(item, day),
            interval_months=item.interval_months,
        )
        task.full_clean()
        task.save()
        created.append(task)
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        object_type="cycle.CycleTask",
        object_id=municipality.number,
        municipality_id=municipality.pk,
        after={"template": [t.template_key for t in created]},
        summary=f"startet årshjulet fra malen ({len(created)} oppgaver)",
    )
    return created


@transaction.atomic
def add_evidence(
    *, task: CycleTask, by: Any, text: str = "", link: str = "", file: Any = None
) -> TaskEvidence:
    """Attach a note, a link or a file to a task."""
    _require_manager(by, task.municipality_id)
    if not (text.strip() or link.strip() or file):
        raise ValidationError({"text": _("Skriv et notat, legg inn en lenke eller velg en fil.")})
    evidence = TaskEvidence(task=task, text=text.strip(), link=link.strip(), created_by=by)
    if file:
        evidence.file = file
    evidence.full_clean()
    evidence.save()
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        instance=evidence,
        municipality_id=task.municipality_id,
        after=snapshot(evidence, ("task_id", "text", "link", "file")),
    )
    return evidence


# --------------------------------------------------------------------------- self-assessment


@transaction.atomic
def save_assessment(
    *,
    municipality: Municipality,
    year: int,
    scores: Mapping[str, tuple[int | None, str]],
    by: Any,
) -> list[SelfAssessment]:
    """Store the year's self-assessment: item code → (score 1–5 or None, comment)."""
    _require_manager(by, municipality.pk)
    _check_year(year)
    for code, (score, _comment) in scores.items():
        if code not in rr.ITEM_CODES:
            raise ValidationError({code: _("Ukjent aktivitet eller kriterium.")})
        try:
            rr.check_score(score)
        except ValueError as exc:
            raise ValidationError({code: _("Velg en verdi fra 1 til 5.")}) from exc
    existing = {
        a.item: a for a in SelfAssessment.objects.filter(municipality=municipality, year=year)
    }
    before = {code: [a.score, a.comment] for code, a in existing.items()}
    saved = []
    for code, (score, comment) in scores.items():
        row = existing.get(code) or SelfAssessment(municipality=municipality, year=year, item=code)
        row.score = score
        row.comment = comment.strip()
        row.updated_by = by
        row.full_clean()
        row.save()
        saved.append(row)
    record(
        actor=by,
        action=AuditEvent.Action.UPDATE if existing else AuditEvent.Action.CREATE,
        object_type="cycle.SelfAssessment",
        object_id=f"{municipality.number}-{year}",
        municipality_id=municipality.pk,
        before=before or None,
        after={row.item: [row.score, row.comment] for row in saved},
        summary=f"egenvurdering {year}",
    )
    return saved


@transaction.atomic
def save_parameters(
    *,
    municipality: Municipality,
    year: int,
    values: Mapping[str, tuple[Decimal | None, str]],
    by: Any,
) -> None:
    """Store the hand-entered key parameters of a year (None removes a value)."""
    _require_manager(by, municipality.pk)
    _check_year(year)
    for key, (value, _comment) in values.items():
        if key not in rr.HAND_KEYS:
            raise ValidationError({key: _("Dette nøkkeltallet beregnes av Veiviser.")})
        if value is not None and value < 0:
            raise ValidationError({key: _("Verdien kan ikke være negativ.")})
    existing = {
        p.key: p for p in KeyParameterValue.objects.filter(municipality=municipality, year=year)
    }
    before = {k: [str(p.value), p.comment] for k, p in existing.items()}
    after: dict[str, Any] = {}
    for key, (value, comment) in values.items():
        row = existing.get(key)
        if value is None:
            if row is not None:
                row.delete()
            continue
        row = row or KeyParameterValue(municipality=municipality, year=year, key=key)
        row.value = value
        row.comment = comment.strip()
        row.full_clean()
        row.save()
        after[key] = [str(value), row.comment]
    record(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        object_type="cycle.KeyParameterValue",
        object_id=f"{municipality.number}-{year}",
        municipality_id=municipality.pk,
        before=before or None,
        after=after,
        summary=f"nøkkeltall {year}",
    )


# --------------------------------------------------------------------------- local project


@transaction.atomic
def save_entry(*, entry: ProjectEntry, by: Any) -> ProjectEntry:
    """Create or change a goal, steering-group member, decision or action of the project."""
    _require_manager(by, entry.municipality_id)
    if entry.kind == "decision" and entry.on is None:
        raise ValidationError({"on": _("Et vedtak må ha en dato.")})
    is_new = entry.pk is None
    before = None if is_new else snapshot(ProjectEntry.objects.get(pk=entry.pk))
    entry.full_clean()
    entry.save()
    record(
        actor=by,
        action=AuditEvent.Action.CREATE if is_new else AuditEvent.Action.UPDATE,
        instance=entry,
        municipality_id=entry.municipality_id,
        before=before,
        after=snapshot(entry),
    )
    return entry


@transaction.atomic
def add_comment(*, municipality: Municipality, year: int, text: str, by: Any) -> CycleComment:
    """A comment on the municipality's cycle (managers and the regional office)."""
    if not can_comment(by, municipality.pk):
        raise PermissionDenied
    _check_year(year)
    if not text.strip():
        raise ValidationError({"text": _("Skriv en kommentar.")})
    comment = CycleComment(
        municipality=municipality,
        year=year,
        text=text.strip(),
        author=by,
        author_name=by.get_full_name() or by.username,
    )
    comment.full_clean()
    comment.save()
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        instance=comment,
        municipality_id=municipality.pk,
        after=snapshot(comment, ("year", "text")),
    )
    return comment
