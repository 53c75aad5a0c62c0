"""What the reminder job has emailed: one row per user and due item, so nothing is sent twice
(docs/adr/0073-reminders.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SentReminder(models.Model):
    """A due item (``registry.DueItem.key``) emailed to a user."""

    PERSONAL_DATA = ("title",)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sent_reminders",
        verbose_name=_("bruker"),
    )
    key = models.CharField(_("nøkkel"), max_length=200)
    kind = models.CharField(_("type"), max_length=40)
    title = models.CharField(_("tittel"), max_length=300)
    sent_at = models.DateTimeField(_("sendt"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("sendt påminnelse")
        verbose_name_plural = _("sendte påminnelser")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="sent_reminder_once_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"
