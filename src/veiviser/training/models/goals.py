"""Learning goals: versioned catalogues, the individual plan, and each goal's immutable event
history (submitted, recommended, approved, rejected, withdrawn, reopened)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class GoalKind(models.TextChoices):
    ALM = "alm", _("ALM – allmennmedisinske læringsmål")
    FKM = "fkm", _("FKM – felles kompetansemål")


class Catalogue(models.Model):
    """A version of the goal catalogue, e.g. ``ALM-2019+FKM-2019``."""

    PERSONAL_DATA: tuple[str, ...] = ()

    name = models.CharField(_("navn"), max_length=60, unique=True)
    description = models.CharField(_("beskrivelse"), max_length=200, blank=True)
    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    source = models.CharField(
        _("kilde"),
        max_length=200,
        blank=True,
        help_text=_("Hvor målene er hentet fra, f.eks. Helsedirektoratets utdanningsplan."),
    )
    official_texts = models.BooleanField(
        _("offisielle tekster importert"),
        default=False,
        help_text=_("Usann når bare koder og temaer er kjent."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("målkatalog")
        verbose_name_plural = _("målkataloger")

    def __str__(self) -> str:
        return self.name


class CatalogueGoal(models.Model):
    PERSONAL_DATA: tuple[str, ...] = ()

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="goals")
    code = models.CharField(_("kode"), max_length=20)
    kind = models.CharField(_("type"), max_length=3, choices=GoalKind.choices)
    theme = models.CharField(_("tema"), max_length=120, blank=True)
    title = models.CharField(_("tittel"), max_length=500, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    recommended_activities = models.TextField(_("anbefalte læringsaktiviteter"), blank=True)
    order = models.PositiveIntegerField(_("rekkefølge"))

    class Meta:
        ordering = ["catalogue", "order"]
        verbose_name = _("læringsmål")
        verbose_name_plural = _("læringsmål")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="catalogue_goal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class CatalogueMapping(models.Model):
    """How a goal of one catalogue version maps to a goal of the next (explicit, never
    guessed); used when a plan moves to a new version."""

    PERSONAL_DATA: tuple[str, ...] = ()

    source = models.ForeignKey(CatalogueGoal, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(CatalogueGoal, on_delete=models.CASCADE, related_name="+")
    keep_approval = models.BooleanField(
        _("behold godkjenning"),
        default=True,
        help_text=_("Et godkjent mål regnes som godkjent også i ny versjon."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="catalogue_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"


class TrainingPlan(models.Model):
    """The ALIS's individual training plan (individuell utdanningsplan), pinned to a catalogue
    version."""

    PERSONAL_DATA = ("notes",)

    trainee = models.OneToOneField(
        "training.Trainee", on_delete=models.CASCADE, related_name="plan"
    )
    catalogue = models.ForeignKey(Catalogue, on_delete=models.PROTECT, related_name="plans")
    created_at = models.DateTimeField(auto_now_add=True)
    notes = models.TextField(_("merknader"), blank=True)

    class Meta:
        verbose_name = _("individuell utdanningsplan")
        verbose_name_plural = _("individuelle utdanningsplaner")

    def __str__(self) -> str:
        return f"{self.trainee} ({self.catalogue})"


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("ikke startet")
    SUBMITTED = "submitted", _("sendt til vurdering")
    RECOMMENDED = "recommended", _("delvis anbefalt")
    READY_FOR_DECISION = "ready_for_decision", _("klar for godkjenning")
    APPROVED = "approved", _("godkjent")
    REJECTED = "rejected", _("ikke godkjent")
    WITHDRAWN = "withdrawn", _("trukket")
    REOPENED = "reopened", _("gjenåpnet")


class PlanGoal(models.Model):
    """A goal of an individual plan. ``status`` is the rules' verdict on its history, stored for
    queues; ``version`` increases with every event so that two simultaneous decisions on one
    goal cannot both land (optimistic concurrency, on SQLite and PostgreSQL alike)."""

    PERSONAL_DATA: tuple[str, ...] = ()

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="goals")
    goal = models.ForeignKey(CatalogueGoal, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=20)
    order = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED, db_index=True
    )
    status_since = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(
        default=False, help_text=_("Målet er erstattet ved overgang til ny katalogversjon.")
    )

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="plan_goal_unique_code")
        ]

    def __str__(self) -> str:
        return self.code


class GoalAction(models.TextChoices):
    SUBMITTED = "submitted", _("sendt til vurdering")
    RECOMMENDED = "recommended", _("anbefalt")
    APPROVED = "approved", _("godkjent")
    REJECTED = "rejected", _("ikke godkjent")
    WITHDRAWN = "withdrawn", _("trukket tilbake")
    REOPENED = "reopened", _("gjenåpnet")


class GoalEventRole(models.TextChoices):
    ALIS = "alis", _("ALIS")
    VEILEDER = "veileder", _("veileder")
    SUPERVISOR = "supervisor", _("supervisør")
    LEADER = "leader", _("leder")


class GoalEvent(models.Model):
    """One immutable event in a goal's history."""

    PERSONAL_DATA = ("actor_name", "comment")

    plan_goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=12, choices=GoalAction.choices)
    role = models.CharField(max_length=10, choices=GoalEventRole.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_person = models.ForeignKey(
        "core.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The stable id of the actor as the rules and the progress file see it ("by").
    actor_ref = models.CharField(max_length=60)
    actor_name = models.CharField(max_length=160, blank=True)
    comment = models.TextField(blank=True)
    import_key = models.CharField(max_length=64)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_goal", "import_key"], name="goal_event_unique_import_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_goal_id} {self.action} {self.at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("goal events are immutable")
        super().save(*args, **kwargs)


class Evidence(models.Model):
    """Evidence the ALIS attaches to a goal: text, a file, linked activities."""

    PERSONAL_DATA = ("text", "file")

    plan_goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="evidence")
    text = models.TextField(_("beskrivelse"), blank=True)
    file = models.FileField(_("fil"), upload_to="evidence/", blank=True)
    link = models.URLField(_("lenke"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(file="") | ~Q(link=""), name="evidence_not_empty"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_goal_id}: {self.text[:40]}"


class RecommendationLink(models.Model):
    """A one-time, expiring link that lets a supervisor without an account recommend a goal.
    Only the token's hash is stored."""

    PERSONAL_DATA = ("name", "email")

    plan_goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="links")
    role = models.CharField(
        max_length=10, choices=GoalEventRole.choices, default=GoalEventRole.SUPERVISOR
    )
    name = models.CharField(_("navn"), max_length=160)
    email = models.EmailField(_("e-post"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.plan_goal_id} → {self.email}"
