"""Privacy: what is held about a person, pseudonymisation, and the retention purge
(docs/privacy.md, docs/adr/0082-privacy-export-and-erasure.md).

Which rows concern a person is found by introspection, not by a list: every model with a chain
of foreign keys (at most four steps, child to parent) ending at ``core.Person`` or the user
model is followed. Chains through ``training.Trainee`` or ``core.Person`` fields give the rows
*about* the person; chains through a user foreign key (``actor``, ``created_by`` …) give rows
*made by* them. Apps added later are covered without a change here.

Every model lists its personal-data fields in ``PERSONAL_DATA``; erasure uses that list:
free text and names are replaced, coded values, dates and amounts are kept (the training record
must still show that the specialist requirements were met), files given as personal data are
deleted. The audit log is append-only and is never changed by the application.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record
from veiviser.core.models import Person

EXPORT_FORMAT = "veiviser-privacy-export/1"
MAX_DEPTH = 4
SECRET_FIELDS = {"password", "key_hash", "token_hash"}
# Rows never changed by erasure: the append-only audit log.
NEVER_CHANGED = {"audit.AuditEvent"}
# Data the specialist approval needs: kept as they are (the person is pseudonymised).
KEPT_FOR_APPROVAL = {"training.ServicePeriod", "training.LeavePeriod", "training.Trainee"}
ERASED_GIVEN_NAME = "Slettet"
ONGOING_FIELDS = {"end", "ended", "valid_to", "closed"}
TOKEN_GRACE_DAYS = 30
LOGIN_FAILURE_DAYS = 30
REMINDER_DAYS = 365


def retention_years() -> int:
    return int(getattr(settings, "VEIVISER_RETENTION_YEARS", 10))


@dataclass(frozen=True)
class Path:
    """A foreign-key chain from ``model`` to a person or a user."""

    model: type[models.Model]
    lookup: str  # e.g. "plan_goal__plan__trainee__person"
    target: str  # "person" or "user"

    @property
    def about(self) -> bool:
        """True: the rows are about the person; False: the person made them (a user FK)."""
        return self.target == "person"


def _user_model() -> type[models.Model]:
    return apps.get_model(settings.AUTH_USER_MODEL)


def person_paths() -> list[Path]:
    """Every foreign-key chain of every model to ``core.Person`` or the user model."""
    user_model = _user_model()
    found: list[Path] = []
    for model in apps.get_models(include_auto_created=True):
        if model is Person or not model._meta.managed or model._meta.proxy:
            continue
        for lookup, target in _chains(model, user_model, (), 0):
            found.append(Path(model, lookup, target))
    return found


def _chains(
    model: type[models.Model],
    user_model: type[models.Model],
    seen: tuple[type[models.Model], ...],
    depth: int,
) -> Iterator[tuple[str, str]]:
    if depth >= MAX_DEPTH:
        return
    for f in model._meta.concrete_fields:
        if not ((f.is_relation and f.many_to_one) or f.one_to_one) or f.related_model is None:
            continue
        target = f.related_model
        if target is Person:
            yield f.name, "person"
        elif target is user_model:
            yield f.name, "user"
        elif target not in seen and target is not model:
            for rest, kind in _chains(target, user_model, (*seen, model), depth + 1):
                yield f"{f.name}__{rest}", kind


def _condition(path: Path, person: Person, user: Any) -> Q | None:
    if path.target == "person":
        return Q(**{path.lookup: person.pk})
    if user is None:
        return None
    return Q(**{path.lookup: user.pk})


def _user_of(person: Person) -> Any:
    return _user_model()._default_manager.filter(person=person).first()


def related_rows(person: Person) -> dict[str, dict[int, tuple[models.Model, bool]]]:
    """label → pk → (row, about): every row that concerns the person."""
    user = _user_of(person)
    rows: dict[str, dict[int, tuple[models.Model, bool]]] = defaultdict(dict)
    by_model: dict[type[models.Model], list[Path]] = defaultdict(list)
    for path in person_paths():
        by_model[path.model].append(path)
    for model, paths in by_model.items():
        about_q = Q()
        made_q = Q()
        for path in paths:
            condition = _condition(path, person, user)
            if condition is None:
                continue
            if path.about:
                about_q |= condition
            else:
                made_q |= condition
        if not about_q and not made_q:
            continue
        label = model._meta.label
        manager = model._default_manager
        if about_q:
            for row in manager.filter(about_q).distinct().order_by("pk"):
                rows[label][row.pk] = (row, True)
        if made_q:
            for row in manager.filter(made_q).distinct().order_by("pk"):
                rows[label].setdefault(row.pk, (row, False))
    if user is not None:
        rows[user._meta.label][user.pk] = (user, True)
    # Audit events about any of these rows (the log refers to objects by type and id).
    about_objects = Q(object_type=Person._meta.label, object_id=str(person.pk))
    for label, found in rows.items():
        if label != AuditEvent._meta.label and found:
            about_objects |= Q(object_type=label, object_id__in=[str(pk) for pk in found])
    for event in AuditEvent.objects.filter(about_objects).order_by("pk"):
        rows[AuditEvent._meta.label].setdefault(event.pk, (event, True))
    return rows


def _row_data(row: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in row._meta.concrete_fields:
        if f.name in SECRET_FIELDS:
            continue
        value = getattr(row, f.attname)
        if isinstance(f, models.FileField):
            value = value.name if value else ""
        data[f.attname] = value
    return data


def export_person(person: Person) -> dict[str, Any]:
    """Everything held about the person, JSON-ready."""
    rows = related_rows(person)
    data = {
        label: [
            {"about_person": about, **_row_data(row)} for _pk, (row, about) in sorted(found.items())
        ]
        for label, found in sorted(rows.items())
        if found
    }
    result = {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now().isoformat(),
        "person": _row_data(person),
        "data": data,
        "personal_data_fields": {
            label: list(getattr(apps.get_model(label), "PERSONAL_DATA", ())) for label in data
        },
    }
    return json.loads(json.dumps(result, cls=DjangoJSONEncoder))


def pseudonym(person: Person) -> str:
    return f"Person {person.pk}"


@dataclass
class ErasureReport:
    person_id: int
    changed: dict[str, int] = field(default_factory=dict)
    files_deleted: int = 0


def _blank(f: models.Field, row_pk: int) -> Any:
    if isinstance(f, models.EmailField):
        return "" if f.blank else f"slettet-{row_pk}@slettet.invalid"
    if f.null and not isinstance(f, models.CharField | models.TextField):
        return None
    if f.blank:
        return ""
    return "[slettet]"[: f.max_length] if f.max_length else "[slettet]"


@transaction.atomic
def erase_person(*, person: Person, by: Any = None, today: dt.date | None = None) -> ErasureReport:
    """Pseudonymise the person and the personal data held about them."""
    report = ErasureReport(person_id=person.pk)
    full_name = person.full_name
    rows = related_rows(person)
    alias = pseudonym(person)
    user_model = _user_model()
    for label, found in rows.items():
        if label in NEVER_CHANGED or label == user_model._meta.label:
            continue
        model = apps.get_model(label)
        personal = set(getattr(model, "PERSONAL_DATA", ()))
        for pk, (row, about) in found.items():
            updates: dict[str, Any] = {}
            for f in model._meta.concrete_fields:
                if f.is_relation or f.primary_key or f.choices:
                    continue
                value = getattr(row, f.attname)
                if isinstance(f, models.FileField):
                    if about and f.name in personal and value:
                        value.storage.delete(value.name)
                        report.files_deleted += 1
                        updates[f.attname] = ""
                    continue
                if not isinstance(f, models.CharField | models.TextField):
                    continue
                if about and f.name in personal and label not in KEPT_FOR_APPROVAL:
                    if value:
                        updates[f.attname] = _blank(f, pk)
                elif isinstance(value, str) and full_name and full_name in value:
                    # Made by the person, about someone else: only their name goes.
                    updates[f.attname] = value.replace(full_name, alias)[: f.max_length or None]
            if updates:
                # A queryset update: immutable rows (goal events, plan versions) keep their
                # guard against edits through the application's save().
                model._default_manager.filter(pk=pk).update(**updates)
                report.changed[label] = report.changed.get(label, 0) + 1
    user = _user_of(person)
    if user is not None:
        user_model._default_manager.filter(pk=user.pk).update(
            username=f"slettet-{user.pk}",
            first_name="",
            last_name="",
            email="",
            password="!",  # noqa: S106 - an unusable password
            is_active=False,
        )
        report.changed[user_model._meta.label] = 1
        for related in ("accounts.ApiToken", "accounts.OidcIdentity"):
            deleted, _ = apps.get_model(related)._default_manager.filter(user=user).delete()
            if deleted:
                report.changed[related] = deleted
        day = today or timezone.localdate()
        ended = (
            apps.get_model("accounts.RoleAssignment")
            ._default_manager.filter(user=user)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
            .update(valid_to=day)
        )
        if ended:
            report.changed["accounts.RoleAssignment"] = ended
    Person.objects.filter(pk=person.pk).update(
        given_name=ERASED_GIVEN_NAME,
        family_name=alias,
        hpr_number=None,
        email="",
        phone="",
    )
    report.changed["core.Person"] = 1
    record(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        object_type=Person._meta.label,
        object_id=person.pk,
        summary="Personopplysninger pseudonymisert (personvern)",
        after={"changed": report.changed, "files_deleted": report.files_deleted},
    )
    return report


def is_erased(person: Person) -> bool:
    return person.given_name == ERASED_GIVEN_NAME and person.family_name == pseudonym(person)


# --- Retention ----------------------------------------------------------------------------


def last_activity() -> tuple[dict[int, dt.date], set[int]]:
    """Per person: the latest date in any row about them; and the people with something
    ongoing (an open period: ``end``/``ended``/``valid_to``/``closed`` empty). A fixed number of
    queries however many people there are."""
    latest: dict[int, dt.date] = {}
    ongoing: set[int] = set()
    user_model = _user_model()

    def note(pid: int | None, value: Any) -> None:
        if pid is None or value is None:
            return
        day = value.date() if isinstance(value, dt.datetime) else value
        if pid not in latest or day > latest[pid]:
            latest[pid] = day

    for path in person_paths():
        if path.model._meta.label in NEVER_CHANGED:
            continue
        key = path.lookup if path.target == "person" else f"{path.lookup}__person"
        manager = path.model._default_manager
        for f in path.model._meta.concrete_fields:
            stamped = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            if isinstance(f, models.DateField) and not stamped:  # DateTimeField too
                for pid, value in manager.values_list(key).annotate(m=Max(f.name)):
                    note(pid, value)
                if f.null and f.name in ONGOING_FIELDS:
                    ongoing.update(
                        pid
                        for (pid,) in manager.filter(**{f"{f.name}__isnull": True}).values_list(key)
                        if pid is not None
                    )
    for pid, login, joined in user_model._default_manager.filter(person__isnull=False).values_list(
        "person_id", "last_login", "date_joined"
    ):
        note(pid, login)
        note(pid, joined)
    return latest, ongoing


@dataclass
class PurgePlan:
    cutoff: dt.date
    people: list[int] = field(default_factory=list)
    deletions: dict[str, int] = field(default_factory=dict)
    audit_events_past_retention: int = 0


def _deletable(now: dt.datetime) -> dict[str, models.QuerySet[Any]]:
    grace = now - dt.timedelta(days=TOKEN_GRACE_DAYS)
    found: dict[str, models.QuerySet[Any]] = {
        "accounts.LoginFailure": apps.get_model("accounts.LoginFailure")._default_manager.filter(
            at__lt=now - dt.timedelta(days=LOGIN_FAILURE_DAYS)
        ),
        "accounts.ApiToken": apps.get_model("accounts.ApiToken")._default_manager.filter(
            revoked_at__lt=grace
        ),
        "training.RecommendationLink": apps.get_model(
            "training.RecommendationLink"
        )._default_manager.filter(Q(expires_at__lt=grace) | Q(used_at__lt=grace)),
        "sessions.Session": apps.get_model("sessions.Session")._default_manager.filter(
            expire_date__lt=now
        ),
    }
    if apps.is_installed("veiviser.reminders"):
        try:
            sent = apps.get_model("reminders.SentReminder")
        except LookupError:
            sent = None
        if sent is not None and any(f.name == "sent_at" for f in sent._meta.fields):
            found["reminders.SentReminder"] = sent._default_manager.filter(
                sent_at__lt=now - dt.timedelta(days=REMINDER_DAYS)
            )
    return found


def plan_purge(*, today: dt.date | None = None) -> PurgePlan:
    today = today or timezone.localdate()
    years = retention_years()
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    plan = PurgePlan(cutoff=cutoff)
    latest, ongoing = last_activity()
    candidates = Person.objects.exclude(given_name=ERASED_GIVEN_NAME).values_list("pk", flat=True)
    plan.people = sorted(
        pk for pk in candidates if pk not in ongoing and latest.get(pk, dt.date.min) < cutoff
    )
    now = timezone.now()
    plan.deletions = {label: qs.count() for label, qs in _deletable(now).items()}
    plan.audit_events_past_retention = AuditEvent.objects.filter(at__date__lt=cutoff).count()
    return plan


def purge(*, by: Any = None, today: dt.date | None = None) -> PurgePlan:
    """Pseudonymise the people past retention and delete what has served its purpose."""
    plan = plan_purge(today=today)
    with transaction.atomic():
        for pk in plan.people:
            erase_person(person=Person.objects.get(pk=pk), by=by, today=today)
        for _label, qs in _deletable(timezone.now()).items():
            qs.delete()
        record(
            actor=by,
            action=AuditEvent.Action.DELETE,
            object_type="privacy.purge",
            summary=(
                f"Sletting etter lagringstid ({retention_years()} år): {len(plan.people)} "
                "personer pseudonymisert, "
                + ", ".join(f"{k} {v}" for k, v in plan.deletions.items() if v)
            )[:200],
            after={"people": len(plan.people), "deleted": plan.deletions},
        )
    return plan


def personal_data_table() -> list[tuple[str, str, list[str], list[str]]]:
    """(label, verbose name, personal-data fields, links to a person) for every model; used to
    generate the table in docs/privacy.md."""
    links: dict[str, list[str]] = defaultdict(list)
    for path in person_paths():
        links[path.model._meta.label].append(f"{path.lookup} → {path.target}")
    table = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        table.append(
            (
                model._meta.label,
                str(model._meta.verbose_name),
                list(getattr(model, "PERSONAL_DATA", ())),
                sorted(links.get(model._meta.label, []), key=len)[:3],
            )
        )
    return table
