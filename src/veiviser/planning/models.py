"""Planned absences and arranged locums (vikarplan), ALIS costs and grants received.

Absences from the training record (institution service, dated courses, leave) are not copied
here: ``planning.loader`` reads them from the record each time, so the plan follows the record.
``PlannedAbsence`` holds what the leader or coordinator enters by hand. A locum arranged for an
absence is a workforce ``Occupancy`` of role ``locum`` (so it counts as locum-served in the
workforce figures); ``LocumArrangement`` adds what the occupancy has no field for: the percent
and a note (docs/adr/0060-locum-plan-from-records.md).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from veiviser.planning.querysets import MunicipalityScopedQuerySet
from veiviser.rules.costs import CATEGORY_LABELS_NB, CostCategory
from veiviser.rules.locum_planning import AbsenceKind

PERCENT_VALIDATORS = [
    MinValueValidator(Decimal("0.01"), message=_("Prosenten må være over 0.")),
    MaxValueValidator(Decimal(100), message=_("Prosenten kan ikke være over 100.")),
]


class AbsenceKindChoice(models.TextChoices):
    INSTITUTION = AbsenceKind.INSTITUTION.value, _("institusjonstjeneste")
    COURSE = AbsenceKind.COURSE.value, _("kurs")
    GROUP_SUPERVISION = AbsenceKind.GROUP_SUPERVISION.value, _("gruppeveiledning")
    PARENTAL_LEAVE = AbsenceKind.PARENTAL_LEAVE.value, _("foreldrepermisjon")
    OTHER = AbsenceKind.OTHER.value, _("annet fravær")


class CostCategoryChoice(models.TextChoices):
    VEILEDER_PAY = CostCategory.VEILEDER_PAY.value, _("Lønn/honorar til veileder")
    SUPERVISOR_PAY = CostCategory.SUPERVISOR_PAY.value, _("Lønn/honorar til supervisør")
    COURSES_TRAVEL = CostCategory.COURSES_TRAVEL.value, _("Kurs, reise og opphold")
    LOCUMS = CostCategory.LOCUMS.value, _("Vikarutgifter")
    REDUCED_LIST = CostCategory.REDUCED_LIST.value, _("Redusert listelengde")
    ADMINISTRATION = CostCategory.ADMINISTRATION.value, _("Administrasjon")
    OTHER = CostCategory.OTHER.value, _("Annet")


YEAR_VALIDATORS = [
    MinValueValidator(2000, message=_("Skriv et år fra 2000.")),
    MaxValueValidator(2100, message=_("Skriv et år til og med 2100.")),
]

assert {c.value for c in CostCategoryChoice} == {c.value for c in CATEGORY_LABELS_NB}


class PlannedAbsence(models.Model):
    """An absence entered by hand: a doctor (ALIS or not) away from a position for a period."""

    PERSONAL_DATA = ("person", "kind", "start", "end", "percent", "note")

    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="planned_absences",
        verbose_name=_("kommune"),
    )
    position = models.ForeignKey(
        "core.Position",
        on_delete=models.CASCADE,
        related_name="planned_absences",
        verbose_name=_("stilling"),
    )
    person = models.ForeignKey(
        "core.Person",
        on_delete=models.PROTECT,
        related_name="planned_absences",
        verbose_name=_("lege"),
    )
    kind = models.CharField(_("type fravær"), max_length=20, choices=AbsenceKindChoice.choices)
    start = models.DateField(_("første dag"))
    end = models.DateField(_("siste dag"))
    percent = models.DecimalField(
        _("prosent borte"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(100),
        validators=PERCENT_VALIDATORS,
    )
    note = models.CharField(_("merknad"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("planlagt fravær")
        verbose_name_plural = _("planlagte fravær")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="planned_absence_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100), name="planned_absence_percent"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[c.value for c in AbsenceKindChoice]),
                name="planned_absence_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start.isoformat()}–{self.end.isoformat()}"


class LocumArrangement(models.Model):
    """The percent (and a note) of a locum occupancy arranged through the locum plan."""

    PERSONAL_DATA = ("note",)

    occupancy = models.OneToOneField(
        "workforce.Occupancy",
        on_delete=models.CASCADE,
        related_name="locum_arrangement",
        verbose_name=_("vikarforhold"),
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="locum_arrangements",
        verbose_name=_("kommune"),
    )
    percent = models.DecimalField(
        _("stillingsprosent"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(100),
        validators=PERCENT_VALIDATORS,
    )
    note = models.CharField(_("merknad"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("avtalt vikar")
        verbose_name_plural = _("avtalte vikarer")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100), name="locum_arrangement_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupancy_id} {self.percent} %"


class CostEntry(models.Model):
    """One cost of an ALIS in a calendar year and category (docs/adr/0024)."""

    PERSONAL_DATA: tuple[str, ...] = ()

    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="cost_entries",
        verbose_name=_("kommune"),
        help_text=_("Kommunen som betalte."),
    )
    trainee = models.ForeignKey(
        "training.Trainee",
        on_delete=models.PROTECT,
        related_name="cost_entries",
        verbose_name=_("ALIS"),
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    category = models.CharField(_("kategori"), max_length=20, choices=CostCategoryChoice.choices)
    amount = models.DecimalField(
        _("beløp (kr)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0), message=_("Beløpet kan ikke være negativt."))],
    )
    is_education_cost = models.BooleanField(
        _("utdanningskostnad"),
        null=True,
        blank=True,
        help_text=_("Tom: kategoriens standard (alt unntatt «Annet» er utdanningskostnad)."),
    )
    note = models.CharField(_("merknad"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "trainee_id", "category", "id"]
        verbose_name = _("kostnad")
        verbose_name_plural = _("kostnader")
        indexes = [models.Index(fields=["municipality", "year"], name="cost_municipality_year")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="cost_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="cost_year_sane"
            ),
            models.CheckConstraint(
                condition=Q(category__in=[c.value for c in CostCategoryChoice]),
                name="cost_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_category_display()} {self.amount}"


class GrantReceived(models.Model):
    """The ALIS grant a municipality received for a calendar year (entered by hand)."""

    PERSONAL_DATA: tuple[str, ...] = ()

    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="grants_received",
        verbose_name=_("kommune"),
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    amount = models.DecimalField(
        _("mottatt tilskudd (kr)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0), message=_("Beløpet kan ikke være negativt."))],
    )
    note = models.CharField(_("merknad"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MunicipalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("mottatt tilskudd")
        verbose_name_plural = _("mottatte tilskudd")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="grant_received_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="grant_received_not_negative"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="grant_received_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.amount}"
