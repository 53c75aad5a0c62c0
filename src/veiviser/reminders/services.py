"""Sending due items by email: each user gets one message listing the items that are new to
them, and every item sent is remembered (``SentReminder``) so that it is never sent again.

A user's message and the rows that remember it are written in one transaction: when sending
fails, nothing is remembered and the next run (or the job's retry) sends it again. Failures for
one user do not stop the others; the run then ends with ``ReminderFailures`` so that the job is
marked failed and retried (docs/adr/0073-reminders.md).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from veiviser.accounts.models import RoleAssignment
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record
from veiviser.reminders.models import SentReminder
from veiviser.reminders.registry import DueItem, collect
from veiviser.training.transfers import apply_due_transfers

logger = logging.getLogger(__name__)


class ReminderFailures(RuntimeError):
    """Sending failed for some users (the others got theirs)."""


@dataclass
class RunSummary:
    today: date
    users: int = 0
    items: int = 0
    new_items: int = 0
    emails: int = 0
    failed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "users": self.users,
            "items": self.items,
            "new_items": self.new_items,
            "emails": self.emails,
            "failed": self.failed,
        }


def recipients() -> Any:
    """Active users with an email address and an active role (or superusers)."""
    user_model = get_user_model()
    with_role = RoleAssignment.objects.active().values("user_id")
    return (
        user_model.objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(id__in=with_role) | Q(is_superuser=True))
        .select_related("person")
        .order_by("pk")
    )


def absolute(url: str) -> str:
    return url if url.startswith("http") else settings.SITE_URL.rstrip("/") + url


def message(user: Any, items: list[DueItem]) -> tuple[str, str]:
    subject = ngettext("Veiviser: %(n)d ny oppgave", "Veiviser: %(n)d nye oppgaver", len(items)) % {
        "n": len(items)
    }
    lines = [
        _("Hei %(name)s,") % {"name": user.get_full_name() or user.get_username()},
        "",
        _("Dette venter på deg i Veiviser:"),
        "",
    ]
    for item in items:
        due = f" ({_('frist')} {item.due:%d.%m.%Y})" if item.due else ""
        lines.append(f"- {item.title}{due}")
        if item.detail:
            lines.append(f"  {item.detail}")
        lines.append(f"  {absolute(item.url)}")
    lines += [
        "",
        _("Du får bare én e-post per oppgave. Alle oppgavene dine står på startsiden: %(url)s")
        % {"url": absolute("/")},
    ]
    return subject, "\n".join(lines)


def send_to_user(*, user: Any, today: date, summary: RunSummary) -> None:
    """Email ``user`` the due items not sent before, and remember them (one transaction)."""
    items = collect(user, today)
    summary.items += len(items)
    if not items:
        return
    with transaction.atomic():
        sent = set(
            SentReminder.objects.filter(user=user, key__in=[i.key for i in items]).values_list(
                "key", flat=True
            )
        )
        new = [i for i in items if i.key not in sent]
        if not new:
            return
        now = timezone.now()
        SentReminder.objects.bulk_create(
            [
                SentReminder(
                    user=user, key=i.key[:200], kind=i.kind[:40], title=i.title[:300], sent_at=now
                )
                for i in new
            ]
        )
        subject, body = message(user, new)
        send_mail(subject, body, None, [user.email], fail_silently=False)
    summary.new_items += len(new)
    summary.emails += 1


def send_due_reminders(
    *, today: date | None = None, users: Iterable[Any] | None = None
) -> RunSummary:
    """Collect every user's due items on ``today`` and email the new ones. Raises
    ``ReminderFailures`` after trying everyone when some could not be sent."""
    day = today or timezone.localdate()
    moved = apply_due_transfers(day)  # the daily job also carries out scheduled moves
    if moved:
        logger.info("reminders: %d scheduled transfer(s) carried out", moved)
    summary = RunSummary(today=day)
    with translation.override("nb"):
        for user in users if users is not None else recipients():
            summary.users += 1
            try:
                send_to_user(user=user, today=day, summary=summary)
            except Exception:
                logger.exception("reminders: sending to user %s failed", user.pk)
                summary.failed.append(user.get_username())
    record(
        actor=None,
        action=AuditEvent.Action.CREATE,
        object_type="reminders.SentReminder",
        summary=(
            f"Påminnelser {day.isoformat()}: {summary.emails} e-poster, "
            f"{summary.new_items} nye oppgaver, {len(summary.failed)} feil"
        ),
        after=summary.to_dict(),
    )
    if summary.failed:
        raise ReminderFailures(
            f"sending failed for {len(summary.failed)} user(s): {', '.join(summary.failed[:20])}"
        )
    return summary
