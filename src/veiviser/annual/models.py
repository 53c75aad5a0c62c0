"""The annual status report of a municipality: what it adds by hand to the figures Veiviser
computes (docs/adr/0072-annual-report.md). One report per municipality and year; submitted
once, reopened by the municipality if it must be corrected."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from veiviser.annual.querysets import AnnualReportQuerySet

NOT_NEGATIVE = [MinValueValidator(Decimal(0), message=_("Beløpet kan ikke være negativt."))]


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("utkast")
    SUBMITTED = "submitted", _("sendt inn")


def _money(label: str, help_text: str = "") -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=help_text,
    )


class AnnualReport(models.Model):
    """What the municipality writes in its yearly report; the figures come from the data."""

    PERSONAL_DATA: tuple[str, ...] = ()  # aggregates and the municipality's own text

    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="annual_reports",
        verbose_name=_("kommune"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    recruitment_measures = models.TextField(
        _("Rekrutteringstiltak"),
        blank=True,
        help_text=_("Hva kommunen gjorde i året for å rekruttere fastleger og ALIS."),
    )
    retention_measures = models.TextField(
        _("Tiltak for å beholde legene"),
        blank=True,
        help_text=_("For eksempel fagmiljø, vaktordning, fastlønn, redusert liste."),
    )
    plans = models.TextField(
        _("Planer for neste år"),
        blank=True,
        help_text=_("Nye stillinger, utlysninger, endringer i organiseringen."),
    )
    comments = models.TextField(_("Kommentarer"), blank=True)
    planned_alis_positions = models.PositiveSmallIntegerField(
        _("ALIS-stillinger planlagt neste år"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(500)],
    )
    admin_hours_per_month = models.DecimalField(
        _("Tid til administrasjon av ALIS (timer per måned)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal(0), message=_("Tallet kan ikke være negativt.")),
            MaxValueValidator(Decimal(744), message=_("En måned har høyst 744 timer.")),
        ],
    )
    cost_supervision = _money(
        _("Lønn/honorar til veileder og supervisør (kr)"),
        _("Fyll ut når kostnadene ikke er registrert i Veiviser."),
    )
    cost_courses = _money(_("Kurs, reise og opphold (kr)"))
    cost_locums = _money(_("Vikarutgifter (kr)"))
    grant_received = _money(_("Mottatt tilskudd (kr)"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("sendt inn"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AnnualReportQuerySet.as_manager()

    MANUAL_FIELDS = (
        "recruitment_measures",
        "retention_measures",
        "plans",
        "comments",
        "planned_alis_positions",
        "admin_hours_per_month",
        "cost_supervision",
        "cost_courses",
        "cost_locums",
        "grant_received",
    )

    class Meta:
        ordering = ["-year", "municipality__number"]
        verbose_name = _("årsrapport")
        verbose_name_plural = _("årsrapporter")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="annual_report_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="annual_report_year_sane"
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.SUBMITTED, submitted_at__isnull=False)
                | Q(status=ReportStatus.DRAFT, submitted_at__isnull=True),
                name="annual_report_submitted_at_iff_submitted",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(cost_supervision__isnull=True) | Q(cost_supervision__gte=0))
                    & (Q(cost_courses__isnull=True) | Q(cost_courses__gte=0))
                    & (Q(cost_locums__isnull=True) | Q(cost_locums__gte=0))
                    & (Q(grant_received__isnull=True) | Q(grant_received__gte=0))
                ),
                name="annual_report_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Årsrapport')} {self.year} ({self.municipality_id})"

    @property
    def submitted(self) -> bool:
        return self.status == ReportStatus.SUBMITTED
