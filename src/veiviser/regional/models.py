"""The regional office's veileder pool and the inter-municipal arrangements it records
(docs/adr/0069-veileder-matching.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from veiviser.regional.querysets import ArrangementQuerySet, VeilederProfileQuerySet


class VeilederProfile(models.Model):
    """A veileder approved by the regional office for its pool: capacity in number of ALIS
    and the municipalities they may serve (their own always)."""

    PERSONAL_DATA = ("note",)

    region = models.ForeignKey(
        "core.RegionalOffice",
        on_delete=models.PROTECT,
        related_name="veileder_profiles",
        verbose_name=_("regionalt ALIS-kontor"),
    )
    person = models.ForeignKey(
        "core.Person",
        on_delete=models.PROTECT,
        related_name="veileder_profiles",
        verbose_name=_("veileder"),
    )
    approved_on = models.DateField(_("godkjent dato"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkjent av"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("kapasitet (antall ALIS)"),
        help_text=_("Hvor mange ALIS veilederen kan ha samtidig."),
    )
    municipalities = models.ManyToManyField(
        "core.Municipality",
        blank=True,
        related_name="+",
        verbose_name=_("kan veilede i"),
        help_text=_("Kommunene veilederen kan veilede ALIS i, i tillegg til sin egen."),
    )
    active = models.BooleanField(_("aktiv i poolen"), default=True)
    note = models.TextField(_("merknad"), blank=True)

    objects = VeilederProfileQuerySet.as_manager()

    class Meta:
        ordering = ["person__family_name", "person__given_name"]
        verbose_name = _("veilederprofil")
        verbose_name_plural = _("veilederpool")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "person"], name="veileder_profile_unique_person"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=20),
                name="veileder_profile_capacity_1_to_20",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class InterMunicipalArrangement(models.Model):
    """A veileder from one municipality serving an ALIS of another, recorded by the region."""

    PERSONAL_DATA = ("note",)

    region = models.ForeignKey(
        "core.RegionalOffice",
        on_delete=models.PROTECT,
        related_name="arrangements",
        verbose_name=_("regionalt ALIS-kontor"),
    )
    host = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ALIS-kommune"),
        help_text=_("Kommunen som er utdanningsvirksomhet for ALIS."),
    )
    provider = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("veilederens kommune"),
    )
    mentorship = models.OneToOneField(
        "training.Mentorship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="arrangement",
        verbose_name=_("veiledning"),
    )
    profile = models.ForeignKey(
        VeilederProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="arrangements",
        verbose_name=_("veilederprofil"),
    )
    starts = models.DateField(_("fra"))
    ends = models.DateField(_("til"), null=True, blank=True)
    note = models.TextField(_("merknad"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ArrangementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts", "-id"]
        verbose_name = _("interkommunal avtale")
        verbose_name_plural = _("interkommunale avtaler")
        constraints = [
            models.CheckConstraint(
                condition=~Q(host=F("provider")), name="arrangement_two_municipalities"
            ),
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=F("starts")),
                name="arrangement_ends_after_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} → {self.host_id} ({self.starts:%d.%m.%Y})"
