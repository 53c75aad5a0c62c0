"""The organisation model: regional ALIS offices, municipalities, GP offices, positions, people.

Every model lists its personal-data fields in ``PERSONAL_DATA`` (used by the privacy export
and documented in docs/privacy.md).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from veiviser.core.querysets import (
    MunicipalityQuerySet,
    OfficeQuerySet,
    PersonQuerySet,
    PositionQuerySet,
    RegionalOfficeQuerySet,
)


class RegionalOffice(models.Model):
    """A regional ALIS office (regionalt ALIS-kontor) following several municipalities."""

    PERSONAL_DATA: tuple[str, ...] = ()

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=120, unique=True)
    health_region = models.CharField(_("helseregion"), max_length=60, blank=True)
    email = models.EmailField(_("e-post"), blank=True)

    objects = RegionalOfficeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("regionalt ALIS-kontor")
        verbose_name_plural = _("regionale ALIS-kontor")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipality (kommune), the registered training institution for its ALIS."""

    PERSONAL_DATA: tuple[str, ...] = ()

    number = models.CharField(_("kommunenummer"), max_length=4, unique=True)
    name = models.CharField(_("navn"), max_length=80)
    county_number = models.CharField(_("fylkesnummer"), max_length=2)
    county = models.CharField(_("fylke"), max_length=60)
    health_region = models.CharField(_("helseregion"), max_length=60)
    regional_office = models.ForeignKey(
        RegionalOffice,
        verbose_name=_("regionalt ALIS-kontor"),
        on_delete=models.PROTECT,
        related_name="municipalities",
        null=True,
        blank=True,
    )
    centrality = models.PositiveSmallIntegerField(
        _("sentralitet (SSB)"),
        null=True,
        blank=True,
        help_text=_("SSBs sentralitetsindeks, klasse 1 (mest sentral) til 6 (minst sentral)."),
    )
    registered_institution = models.BooleanField(
        _("registrert utdanningsvirksomhet"), default=False
    )
    registered_at = models.DateField(_("registrert dato"), null=True, blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        constraints = [
            models.CheckConstraint(
                condition=Q(centrality__isnull=True) | Q(centrality__gte=1, centrality__lte=6),
                name="municipality_centrality_1_to_6",
            ),
            models.CheckConstraint(
                condition=Q(registered_institution=True) | Q(registered_at__isnull=True),
                name="municipality_registered_at_only_when_registered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Office(models.Model):
    """A GP office (legekontor) in a municipality."""

    PERSONAL_DATA: tuple[str, ...] = ()

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="offices", verbose_name=_("kommune")
    )
    name = models.CharField(_("navn"), max_length=120)
    address = models.CharField(_("adresse"), max_length=200, blank=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__number", "name"]
        verbose_name = _("legekontor")
        verbose_name_plural = _("legekontor")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="office_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class PositionKind(models.TextChoices):
    GP = "gp", _("fastlegehjemmel")
    ALIS = "alis", _("ALIS-stilling")
    MUNICIPAL = "municipal", _("annen kommunal legestilling")


class EmploymentForm(models.TextChoices):
    SALARIED = "salaried", _("fastlønn")
    SALARIED_BONUS = "salaried_bonus", _("fastlønn med bonus")
    SELF_EMPLOYED = "self_employed", _("næringsdrift")
    UNKNOWN = "unknown", _("ukjent")


class Position(models.Model):
    """A position (hjemmel or stilling) that holders and locums serve over time."""

    PERSONAL_DATA: tuple[str, ...] = ()

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="positions", verbose_name=_("kommune")
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="positions",
        null=True,
        blank=True,
        verbose_name=_("legekontor"),
    )
    external_id = models.CharField(
        _("ID"), max_length=60, help_text=_("Kommunens egen ID for hjemmelen/stillingen.")
    )
    kind = models.CharField(_("type"), max_length=12, choices=PositionKind.choices)
    form = models.CharField(
        _("driftsform"),
        max_length=16,
        choices=EmploymentForm.choices,
        default=EmploymentForm.UNKNOWN,
    )
    programme = models.CharField(_("program"), max_length=80, blank=True)
    list_size = models.PositiveIntegerField(_("listelengde"), null=True, blank=True)
    list_cap = models.PositiveIntegerField(_("listetak"), null=True, blank=True)
    created = models.DateField(_("opprettet"))
    closed = models.DateField(_("nedlagt"), null=True, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__number", "external_id"]
        verbose_name = _("stilling")
        verbose_name_plural = _("stillinger")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "external_id"], name="position_unique_external_id"
            ),
            models.CheckConstraint(
                condition=Q(closed__isnull=True) | Q(closed__gte=models.F("created")),
                name="position_closed_after_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} ({self.get_kind_display()})"


class Person(models.Model):
    """A person in the register: doctor, leader, coordinator or staff. Not necessarily a user."""

    PERSONAL_DATA = ("given_name", "family_name", "hpr_number", "email", "phone")

    given_name = models.CharField(_("fornavn"), max_length=80)
    family_name = models.CharField(_("etternavn"), max_length=80)
    hpr_number = models.CharField(_("HPR-nummer"), max_length=9, null=True, blank=True, unique=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    is_doctor = models.BooleanField(_("lege"), default=False)
    is_specialist_gp = models.BooleanField(_("spesialist i allmennmedisin"), default=False)
    fictitious = models.BooleanField(
        _("fiktiv"), default=False, help_text=_("Demodata: personen finnes ikke.")
    )
    home_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
        verbose_name=_("kommune"),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        constraints = [
            models.CheckConstraint(
                condition=Q(hpr_number__isnull=True) | Q(hpr_number__regex=r"^[0-9]{7,9}$"),
                name="person_hpr_7_to_9_digits",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()
