"""The Recruit & Retain yearly cycle of a municipality (shared/spec/recruit-retain.md).

- ``CycleTask``: one occurrence of a task the municipality chose for an activity (due month,
  responsible person or role, status, evidence). Occurrences of a recurring task share a
  ``series``; completing one creates the next (``services.set_status``, rule
  ``rules.recruit_retain.next_due``).
- ``TaskEvidence``: notes, files and links that show a task was done.
- ``SelfAssessment``: the yearly score (1–5 or not assessed) of one activity or criterion.
- ``KeyParameterValue``: a key parameter entered by hand for one year.
- ``ProjectEntry``: the local project's goals, steering group, decisions and actions.
- ``CycleComment``: a comment on the municipality's cycle (the regional office may comment).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from veiviser.cycle.labels import activity_choices, lazy_choices
from veiviser.cycle.querysets import CycleQuerySet, EvidenceQuerySet
from veiviser.rules.recruit_retain import (
    HAND_KEYS,
    INTERVALS,
    ITEMS,
    KEY_PARAMETERS,
)

ACTIVITY_CHOICES = activity_choices()
INTERVAL_CHOICES = lazy_choices(INTERVALS)
ITEM_CHOICES = [(code, code) for code, _name in ITEMS]
HAND_PARAMETER_CHOICES = lazy_choices([(p.key, p.label) for p in KEY_PARAMETERS if not p.computed])


class TaskStatus(models.TextChoices):
    PLANNED = "planned", _("planlagt")
    IN_PROGRESS = "in_progress", _("pågår")
    DONE = "done", _("utført")
    SKIPPED = "skipped", _("hoppet over")


class ResponsibleRole(models.TextChoices):
    LEADER = "leader", _("kommunal leder")
    COORDINATOR = "coordinator", _("ALIS-koordinator")


class CycleTask(models.Model):
    """One occurrence of a chosen task in a municipality's yearly cycle."""

    PERSONAL_DATA = ("responsible_person",)

    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="cycle_tasks",
        verbose_name=_("kommune"),
    )
    series = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    template_key = models.CharField(max_length=40, blank=True)
    activity = models.PositiveSmallIntegerField(_("aktivitet"), choices=ACTIVITY_CHOICES)
    title = models.CharField(_("oppgave"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    responsible_person = models.ForeignKey(
        "core.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cycle_tasks",
        verbose_name=_("ansvarlig person"),
    )
    responsible_role = models.CharField(
        _("ansvarlig rolle"), max_length=12, choices=ResponsibleRole.choices, blank=True
    )
    responsible_text = models.CharField(
        _("ansvarlig (annen rolle)"),
        max_length=120,
        blank=True,
        help_text=_("F.eks. «kommuneoverlege» eller «rådmann»."),
    )
    due = models.DateField(_("frist (måned)"), help_text=_("Første dag i måneden."))
    interval_months = models.PositiveSmallIntegerField(
        _("gjentas"), choices=INTERVAL_CHOICES, default=12
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.PLANNED
    )
    completed_on = models.DateField(_("utført dato"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "due", "title", "id"]
        verbose_name = _("oppgave i årshjulet")
        verbose_name_plural = _("oppgaver i årshjulet")
        indexes = [models.Index(fields=["municipality", "due"], name="cycle_task_muni_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(activity__gte=1, activity__lte=9), name="cycle_task_activity_1_to_9"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in TaskStatus]),
                name="cycle_task_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(interval_months__in=[months for months, _label in INTERVALS]),
                name="cycle_task_interval_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="cycle_task_completed_on_iff_done",
            ),
            models.CheckConstraint(
                condition=Q(responsible_person__isnull=False)
                | ~Q(responsible_role="")
                | ~Q(responsible_text=""),
                name="cycle_task_has_responsible",
            ),
            models.UniqueConstraint(fields=["series", "due"], name="cycle_task_one_per_due"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due:%m.%Y})"

    @property
    def shown_title(self) -> str:
        """The title in the reader's language while it is still the template's (bokmål) text;
        a title the municipality wrote or changed is shown as written."""
        from django.utils.translation import gettext

        if self.template_key:
            from veiviser.rules.recruit_retain import template_task

            try:
                original = template_task(self.template_key).title
            except (KeyError, LookupError, ValueError):
                return self.title
            if original == self.title:
                return gettext(self.title)
        return self.title

    @property
    def responsible_label(self) -> str:
        parts = []
        if self.responsible_person_id and self.responsible_person is not None:
            parts.append(self.responsible_person.full_name)
        if self.responsible_role:
            parts.append(str(self.get_responsible_role_display()))
        if self.responsible_text:
            parts.append(self.responsible_text)
        return ", ".join(parts)


class TaskEvidence(models.Model):
    """A note, file or link showing what was done for a task."""

    PERSONAL_DATA = ("text", "file")

    task = models.ForeignKey(
        CycleTask, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("oppgave")
    )
    text = models.TextField(_("notat"), blank=True)
    link = models.URLField(_("lenke"), blank=True)
    file = models.FileField(_("fil"), upload_to="cycle/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("dokumentasjon")
        verbose_name_plural = _("dokumentasjon")
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(file="") | ~Q(link=""),
                name="cycle_evidence_not_empty",
            )
        ]

    def __str__(self) -> str:
        return self.text[:40] or self.link or self.file.name

    @property
    def municipality_id(self) -> int:
        return int(self.task.municipality_id)


class SelfAssessment(models.Model):
    """The yearly score of one activity or success criterion (None = not assessed)."""

    PERSONAL_DATA: tuple[str, ...] = ()

    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="cycle_assessments",
        verbose_name=_("kommune"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    item = models.CharField(_("aktivitet eller kriterium"), max_length=3, choices=ITEM_CHOICES)
    score = models.PositiveSmallIntegerField(_("vurdering"), null=True, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["year", "item"]
        verbose_name = _("egenvurdering")
        verbose_name_plural = _("egenvurderinger")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "item"], name="cycle_assessment_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="cycle_assessment_score_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="cycle_assessment_year_sane"
            ),
            models.CheckConstraint(
                condition=Q(item__in=[code for code, _name in ITEMS]),
                name="cycle_assessment_item_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.year}: {self.score or '–'}"


class KeyParameterValue(models.Model):
    """A key parameter that Veiviser cannot compute, entered by hand for one year."""

    PERSONAL_DATA: tuple[str, ...] = ()

    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="cycle_parameters",
        verbose_name=_("kommune"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    key = models.CharField(_("nøkkeltall"), max_length=40, choices=HAND_PARAMETER_CHOICES)
    value = models.DecimalField(_("verdi"), max_digits=10, decimal_places=2)
    comment = models.CharField(_("kommentar"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["year", "key"]
        verbose_name = _("nøkkeltall")
        verbose_name_plural = _("nøkkeltall")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "key"], name="cycle_parameter_unique"
            ),
            models.CheckConstraint(
                condition=Q(key__in=sorted(HAND_KEYS)), name="cycle_parameter_key_valid"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="cycle_parameter_not_negative"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="cycle_parameter_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.year}: {self.value}"


class EntryKind(models.TextChoices):
    GOAL = "goal", _("mål")
    MEMBER = "member", _("styringsgruppe")
    DECISION = "decision", _("vedtak")
    ACTION = "action", _("tiltak")


class ProjectEntry(models.Model):
    """One line of the local project: a goal, a steering group member, a decision or an action
    (e.g. merge offices, create a new hjemmel), with its date."""

    PERSONAL_DATA = ("title", "detail", "responsible")

    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="cycle_project_entries",
        verbose_name=_("kommune"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=EntryKind.choices)
    title = models.CharField(_("tittel"), max_length=200)
    detail = models.TextField(_("beskrivelse"), blank=True)
    responsible = models.CharField(
        _("rolle eller ansvarlig"),
        max_length=120,
        blank=True,
        help_text=_("Styringsgruppe: medlemmets rolle. Tiltak: hvem som har ansvaret."),
    )
    on = models.DateField(_("dato"), null=True, blank=True)
    done = models.BooleanField(_("gjennomført"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "on", "id"]
        verbose_name = _("lokalt prosjekt")
        verbose_name_plural = _("lokalt prosjekt")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in EntryKind]),
                name="cycle_project_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind="decision") | Q(on__isnull=False),
                name="cycle_project_decision_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CycleComment(models.Model):
    """A comment on a municipality's cycle for a year (regional office, leaders, coordinators)."""

    PERSONAL_DATA = ("text",)

    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="cycle_comments",
        verbose_name=_("kommune"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    text = models.TextField(_("kommentar"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(max_length=160, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="cycle_comment_text")]

    def __str__(self) -> str:
        return self.text[:40]
