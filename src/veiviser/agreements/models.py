"""ALIS agreements (ALIS-avtale) with immutable versions, the grant's rate table, and archived
grant claims (docs/adr/0056-agreements-and-versions.md, 0057-grant-claims-from-agreements.md).

An ``Agreement`` is one ALIS's agreement with one municipality. Its terms live in
``AgreementVersion`` rows: each change makes a new version, no version is ever changed, and the
current terms are the latest version. ``GrantRate`` rows are the rate table (data, entered by
an administrator, never literals in code). A ``GrantClaim`` is an archived claim: the computed
result, the rate rows it used and the XLSX and PDF files, frozen when it was saved.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from veiviser.agreements.querysets import (
    AgreementQuerySet,
    AgreementVersionQuerySet,
    GrantClaimQuerySet,
)


class SalaryModel(models.TextChoices):
    SALARIED = "salaried", _("fastlønn")
    SALARIED_BONUS = "salaried_bonus", _("fastlønn med bonus")
    SELF_EMPLOYED = "self_employed", _("næringsdrift")


class DoctorType(models.TextChoices):
    """The grant's doctor types (``rules.grants.DoctorType``)."""

    GP = "gp", _("fastlege/fastlegevikar")
    INTRODUCTION = "introduction", _("introduksjonslege")
    OTHER_MUNICIPAL = "other_municipal", _("allmennlege i annet kommunalt legearbeid")
    SUPERVISION_ONLY = "supervision_only", _("veiledning (ALIS uten ALIS-avtale)")


class GrantScheme(models.TextChoices):
    NEW = "new", _("ny ordning")
    OLD = "old", _("gammel ordning")


class Agreement(models.Model):
    """One ALIS's agreement with a municipality. The terms are in its versions."""

    PERSONAL_DATA: tuple[str, ...] = ()

    trainee = models.ForeignKey(
        "training.Trainee",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("ALIS"),
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("kommune"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__number", "id"]
        verbose_name = _("ALIS-avtale")
        verbose_name_plural = _("ALIS-avtaler")

    def __str__(self) -> str:
        return f"{_('ALIS-avtale')} {self.pk}"


class AgreementVersion(models.Model):
    """The terms of an agreement as of one change. Never updated after it is saved."""

    PERSONAL_DATA = (
        "salary_model",
        "position_percent",
        "list_cap_plan",
        "start",
        "end",
        "signed",
        "binding_months",
        "other_terms",
    )

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="versions", verbose_name=_("avtale")
    )
    number = models.PositiveSmallIntegerField(_("versjon"))
    salary_model = models.CharField(_("lønnsmodell"), max_length=16, choices=SalaryModel.choices)
    position_percent = models.DecimalField(
        _("stillingsandel (prosent)"), max_digits=5, decimal_places=1
    )
    list_cap_plan = models.JSONField(
        _("listetak og planlagt opptrapping"),
        default=list,
        help_text=_("Liste av {from: ÅÅÅÅ-MM-DD, cap: n}, stigende dato."),
    )
    extra_supervision_hours = models.DecimalField(
        _("veiledning utover forskriften (timer per måned)"),
        max_digits=4,
        decimal_places=1,
        default=0,
    )
    course_costs_covered = models.BooleanField(_("kommunen dekker kursavgifter"), default=True)
    travel_costs_covered = models.BooleanField(_("kommunen dekker reise og opphold"), default=True)
    paid_leave_courses = models.BooleanField(_("permisjon med lønn til kurs"), default=True)
    paid_leave_supervision = models.BooleanField(
        _("permisjon med lønn til veiledning og gruppeveiledning"), default=True
    )
    binding_months = models.PositiveSmallIntegerField(
        _("bindingstid (måneder)"), null=True, blank=True
    )
    start = models.DateField(_("avtalen gjelder fra"))
    end = models.DateField(_("avtalen gjelder til"), null=True, blank=True)
    signed = models.DateField(_("signert"), null=True, blank=True)
    doctor_type = models.CharField(
        _("legetype (tilskudd)"), max_length=20, choices=DoctorType.choices, default=DoctorType.GP
    )
    scheme = models.CharField(
        _("ordning"), max_length=3, choices=GrantScheme.choices, default=GrantScheme.NEW
    )
    locum_agency = models.BooleanField(
        _("tilknyttet vikarbyrå eller kommersiell aktør"), default=False
    )
    other_terms = models.TextField(_("andre vilkår"), blank=True)
    change_note = models.CharField(_("hva er endret"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AgreementVersionQuerySet.as_manager()

    class Meta:
        ordering = ["agreement_id", "-number"]
        verbose_name = _("versjon av ALIS-avtale")
        verbose_name_plural = _("versjoner av ALIS-avtaler")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="agreement_version_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="agreement_version_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(position_percent__gt=0, position_percent__lte=100),
                name="agreement_version_percent_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(extra_supervision_hours__gte=0),
                name="agreement_version_extra_hours_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(salary_model__in=[c.value for c in SalaryModel]),
                name="agreement_version_salary_model_valid",
            ),
            models.CheckConstraint(
                condition=Q(doctor_type__in=[c.value for c in DoctorType]),
                name="agreement_version_doctor_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(scheme__in=[c.value for c in GrantScheme]),
                name="agreement_version_scheme_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('ALIS-avtale')} {self.agreement_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("an agreement version is immutable; make a new version")
        super().save(*args, **kwargs)

    @property
    def list_cap_steps(self) -> list[dict[str, Any]]:
        from datetime import date

        return [
            {"from": date.fromisoformat(step["from"]), "cap": int(step["cap"])}
            for step in self.list_cap_plan or []
        ]

    @property
    def initial_list_cap(self) -> int | None:
        steps = self.list_cap_plan or []
        return int(steps[0]["cap"]) if steps else None


class GrantRate(models.Model):
    """One row of the grant's rate table: yearly amounts for a doctor type and validity span.

    ``valid_to`` is the last day (inclusive); empty means until replaced.
    """

    PERSONAL_DATA: tuple[str, ...] = ()

    doctor_type = models.CharField(_("legetype"), max_length=20, choices=DoctorType.choices)
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    annual_rate = models.DecimalField(_("årssats (kr)"), max_digits=12, decimal_places=2)
    centrality6_supplement = models.DecimalField(
        _("tillegg sentralitetsklasse 6 (kr per år)"), max_digits=12, decimal_places=2, default=0
    )
    is_example = models.BooleanField(
        _("eksempel"),
        default=False,
        help_text=_("Eksempeltall (demo), ikke Helsedirektoratets satser."),
    )
    source = models.CharField(
        _("kilde"),
        max_length=200,
        blank=True,
        help_text=_("Hvor satsen er hentet fra, f.eks. regelverket for året."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["doctor_type", "valid_from"]
        verbose_name = _("sats")
        verbose_name_plural = _("satser")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="grant_rate_valid_to_not_before_from",
            ),
            models.CheckConstraint(
                condition=Q(annual_rate__gte=0, centrality6_supplement__gte=0),
                name="grant_rate_not_negative",
            ),
            models.UniqueConstraint(
                fields=["doctor_type", "valid_from"], name="grant_rate_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_doctor_type_display()} {self.valid_from.isoformat()}"


class GrantClaim(models.Model):
    """An archived claim: what was computed, with which rate rows, and the files sent."""

    PERSONAL_DATA = ("result",)

    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="grant_claims",
        verbose_name=_("kommune"),
    )
    period_from = models.DateField(_("periode fra"))
    period_to = models.DateField(_("periode til"))
    centrality = models.PositiveSmallIntegerField(_("sentralitet"), null=True, blank=True)
    total = models.PositiveIntegerField(_("sum (kr)"))
    agreement_count = models.PositiveIntegerField(_("avtaler"), default=0)
    result = models.JSONField(_("beregning"))
    rates = models.JSONField(_("satser brukt"))
    xlsx = models.BinaryField(_("søknadsgrunnlag (XLSX)"))
    pdf = models.BinaryField(_("sammendrag (PDF)"))
    note = models.CharField(_("merknad"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by_name = models.CharField(max_length=160, blank=True)

    objects = GrantClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tilskuddskrav")
        verbose_name_plural = _("tilskuddskrav")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__gte=F("period_from")),
                name="grant_claim_period_not_reversed",
            )
        ]

    def __str__(self) -> str:
        return f"{_('Tilskuddskrav')} {self.period_from.isoformat()}–{self.period_to.isoformat()}"
