"""The ALIS (Trainee) and who follows them (veileder, supervisør)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from veiviser.training.querysets import MentorshipQuerySet, TraineeQuerySet


class Scheme(models.TextChoices):
    NEW = "new", _("ny ordning (fra 1. mars 2019)")
    OLD = "old", _("gammel ordning")


class Trainee(models.Model):
    """A doctor in specialist training in general practice (ALIS)."""

    PERSONAL_DATA = ("training_start", "converted")

    person = models.OneToOneField(
        "core.Person", on_delete=models.PROTECT, related_name="trainee", verbose_name=_("lege")
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="trainees",
        verbose_name=_("kommune"),
        help_text=_("Kommunen som er utdanningsvirksomhet for ALIS nå."),
    )
    office = models.ForeignKey(
        "core.Office",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainees",
        verbose_name=_("legekontor"),
    )
    scheme = models.CharField(
        _("ordning"), max_length=3, choices=Scheme.choices, default=Scheme.NEW
    )
    training_start = models.DateField(_("start spesialisering (del 3)"))
    converted = models.DateField(_("overgang til ny ordning"), null=True, blank=True)
    ruleset = models.CharField(_("regelsett"), max_length=20, default="ALIS-2019")
    external_id = models.CharField(
        _("ID i eksportfil"),
        max_length=60,
        blank=True,
        help_text=_("Stabil ID fra et annet system (progresjonsfil)."),
    )

    objects = TraineeQuerySet.as_manager()

    class Meta:
        ordering = ["person__family_name", "person__given_name"]
        verbose_name = _("ALIS")
        verbose_name_plural = _("ALIS")

    def __str__(self) -> str:
        return str(self.person)


class MentorKind(models.TextChoices):
    VEILEDER = "veileder", _("veileder")
    SUPERVISOR = "supervisor", _("supervisør")


class Mentorship(models.Model):
    """A veileder or supervisør appointed for an ALIS, possibly from another municipality."""

    PERSONAL_DATA: tuple[str, ...] = ()

    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="mentorships", verbose_name=_("ALIS")
    )
    mentor = models.ForeignKey(
        "core.Person",
        on_delete=models.PROTECT,
        related_name="mentorships",
        verbose_name=_("veileder/supervisør"),
    )
    kind = models.CharField(_("rolle"), max_length=12, choices=MentorKind.choices)
    started = models.DateField(_("fra"))
    ended = models.DateField(_("til"), null=True, blank=True)
    inter_municipal = models.BooleanField(_("interkommunal avtale"), default=False)

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        ordering = ["-started"]
        verbose_name = _("veiledning")
        verbose_name_plural = _("veiledere og supervisører")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(ended__gte=models.F("started")),
                name="mentorship_ended_after_started",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentor_id} → {self.trainee_id}"


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("venter på mottakende kommune")
    SCHEDULED = "scheduled", _("godtatt, trer i kraft på datoen")
    ACCEPTED = "accepted", _("overtatt")
    CANCELLED = "cancelled", _("trukket tilbake")
    DECLINED = "declined", _("avvist")


#: A transfer not yet carried out nor ended: at most one per ALIS.
OPEN_TRANSFER = (TransferStatus.PENDING, TransferStatus.SCHEDULED)


class Transfer(models.Model):
    """An ALIS moving to another municipality within Veiviser. The record (plan, approved
    goals, service, supervision, courses) stays with the doctor; the receiving municipality's
    leader or coordinator accepts and becomes responsible from ``effective``: at once when
    that day has come, else the transfer is ``scheduled`` until it does."""

    PERSONAL_DATA = ("note",)

    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("ALIS")
    )
    from_municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("fra")
    )
    to_municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="incoming_transfers",
        verbose_name=_("til kommune"),
    )
    effective = models.DateField(_("fra dato"))
    note = models.TextField(_("merknad"), blank=True)
    office = models.ForeignKey(
        "core.Office",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("legekontor i den nye kommunen"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TransferStatus.choices,
        default=TransferStatus.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("flytting")
        verbose_name_plural = _("flyttinger")
        constraints = [
            models.UniqueConstraint(
                fields=["trainee"],
                condition=Q(status__in=[str(s) for s in OPEN_TRANSFER]),
                name="transfer_one_open_per_trainee",
            ),
            models.CheckConstraint(
                condition=~Q(from_municipality=models.F("to_municipality")),
                name="transfer_to_another_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id}: {self.from_municipality_id} → {self.to_municipality_id}"
