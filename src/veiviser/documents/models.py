"""The municipality's general training plan (generell utdanningsplan), kept as immutable
versions: every save adds a row with the next version number, the highest is the current plan.

The individual plan and the service certificate are not stored: they are drawn from the
training record each time (see ``documents/content.py``), and each download is audited as an
export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from veiviser.accounts.scope import scope_for


class ImmutableVersionError(Exception):
    """Raised on an attempt to change or delete a saved version of a plan."""


@dataclass(frozen=True)
class Section:
    """One text section of the plan: the model field, its number and heading."""

    field: str
    number: str
    title: Promise
    help: Promise


# The plan's sections in document order (the form, the page and the PDF share it).
SECTIONS: tuple[Section, ...] = (
    Section(
        "organisation",
        "1",
        _("Organisering og ansvar"),
        _("Hvordan arbeidet med spesialistutdanningen er organisert og ansvaret fordelt."),
    ),
    Section(
        "arenas_open_practice",
        "2.1",
        _("Legekontor – åpen uselektert allmennpraksis"),
        _("Legekontorene der ALIS arbeider med egen liste (minst 2 år)."),
    ),
    Section(
        "arenas_other_gp",
        "2.2",
        _("Andre allmennmedisinske læringsarenaer"),
        _("Legevakt, sykehjem, KAD, helsestasjon, fengselshelsetjeneste o.l."),
    ),
    Section(
        "arenas_institution",
        "2.3",
        _("Institusjonstjeneste"),
        _("Minst 6 måneder (kan deles, f.eks. 3 + 3) – avtale med helseforetaket."),
    ),
    Section(
        "individual_supervision",
        "3",
        _("Individuell veiledning"),
        _("Hvem som veileder, hvor mange timer og når (minst 4 timer i 10,5 måneder per år)."),
    ),
    Section(
        "group_supervision",
        "4",
        _("Gruppeveiledning"),
        _("Deltakelse i Legeforeningens veiledningsgruppe (2 år, 120 timer)."),
    ),
    Section(
        "clinical_supervision",
        "5",
        _("Supervisjon"),
        _("Hvem som er supervisør, og hvordan ALIS får fortløpende tilgang til supervisjon."),
    ),
    Section(
        "assessment",
        "6",
        _("Vurdering og godkjenning av læringsmål"),
        _("Veileder og supervisør anbefaler, kommunal helseleder godkjenner."),
    ),
    Section(
        "courses_and_leave",
        "7",
        _("Kurs og utdanningspermisjon"),
        _("Anbefalte kurs, permisjon med lønn, dekning av utgifter."),
    ),
    Section(
        "cooperation",
        "8",
        _("Samarbeid med andre kommuner og helseforetaket"),
        _("Interkommunale avtaler, sykehuset, regionalt ALIS-kontor."),
    ),
)

SECTION_FIELDS: tuple[str, ...] = tuple(s.field for s in SECTIONS)
CONTACT_FIELDS: tuple[str, ...] = (
    "responsible_name",
    "responsible_title",
    "contact_email",
    "contact_phone",
)
CONTENT_FIELDS: tuple[str, ...] = (*SECTION_FIELDS, *CONTACT_FIELDS)

# Fill-in marks of the starting text: "[…]" (a square-bracketed instruction).
PLACEHOLDER = re.compile(r"\[[^\[\]\n]{2,200}\]")


class MunicipalTrainingPlanQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> MunicipalTrainingPlanQuerySet:
        """Managers of the municipality, its regional office, national readers and
        administrators (see ``documents/access.py``)."""
        scope = scope_for(user)
        if scope.user_id is None:
            return self.none()
        ids = scope.oversight_municipality_ids
        return self.all() if ids is None else self.filter(municipality_id__in=ids)

    def current_for(self, municipality: Any) -> MunicipalTrainingPlan | None:
        return self.filter(municipality=municipality).order_by("-version").first()


class MunicipalTrainingPlan(models.Model):
    """One version of a municipality's general training plan. Never changed once saved."""

    PERSONAL_DATA = (
        "responsible_name",
        "responsible_title",
        "contact_email",
        "contact_phone",
        "created_by_name",
    )

    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="training_plans",
        verbose_name=_("kommune"),
    )
    version = models.PositiveIntegerField(_("versjon"))
    created_at = models.DateTimeField(_("lagret"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lagret av"),
    )
    created_by_name = models.CharField(_("lagret av"), max_length=160, blank=True)
    valid_from = models.DateField(
        _("gjelder fra"), null=True, blank=True, help_text=_("Tom: fra lagringsdato.")
    )
    change_note = models.CharField(
        _("hva er endret"),
        max_length=300,
        blank=True,
        help_text=_("Kort beskrivelse av endringen, vises i versjonshistorikken."),
    )

    organisation = models.TextField(SECTIONS[0].title)
    arenas_open_practice = models.TextField(SECTIONS[1].title)
    arenas_other_gp = models.TextField(SECTIONS[2].title)
    arenas_institution = models.TextField(SECTIONS[3].title)
    individual_supervision = models.TextField(SECTIONS[4].title)
    group_supervision = models.TextField(SECTIONS[5].title)
    clinical_supervision = models.TextField(SECTIONS[6].title)
    assessment = models.TextField(SECTIONS[7].title)
    courses_and_leave = models.TextField(SECTIONS[8].title)
    cooperation = models.TextField(SECTIONS[9].title)

    responsible_name = models.CharField(_("ansvarlig for planen"), max_length=120)
    responsible_title = models.CharField(
        _("stilling"), max_length=120, help_text=_("For eksempel kommuneoverlege, helsesjef.")
    )
    contact_email = models.EmailField(_("e-post"), blank=True)
    contact_phone = models.CharField(_("telefon"), max_length=30, blank=True)

    objects = MunicipalTrainingPlanQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "-version"]
        verbose_name = _("generell utdanningsplan")
        verbose_name_plural = _("generelle utdanningsplaner")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "version"], name="municipal_plan_unique_version"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="municipal_plan_version_1"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – generell utdanningsplan v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableVersionError("a saved plan version cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableVersionError("a saved plan version cannot be deleted")

    def content(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}

    def placeholders(self) -> list[str]:
        return placeholders_in(self.content())


def placeholders_in(content: dict[str, str]) -> list[str]:
    """The fill-in marks ("[…]") still left in the texts, in order."""
    found: list[str] = []
    for name in CONTENT_FIELDS:
        found += PLACEHOLDER.findall(content.get(name) or "")
    return found
