"""Positions' holders and locums over time, postings, exit interviews and stay surveys.

``core.Position`` is the hjemmel or stilling; an ``Occupancy`` is one person serving it for a
period (the rows of ``occupancies.csv``, shared/spec/workforce-data.md). Dates follow the rules'
conventions: ``end`` is the last day served, empty while ongoing. Every model lists its
personal-data fields in ``PERSONAL_DATA``. The database invariants are named constraints; the
one the database cannot express portably (two holder rows of one position must not share a
day) is checked by ``services.save_occupancy`` under a lock on the position
(docs/adr/0050-workforce-tables.md).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from veiviser.workforce.querysets import (
    ExitInterviewQuerySet,
    OccupancyQuerySet,
    PersonAliasQuerySet,
    PostingQuerySet,
    StaySurveyAnswerQuerySet,
    StaySurveyQuerySet,
)


class OccupancyRole(models.TextChoices):
    HOLDER = "holder", _("innehaver")
    LOCUM = "locum", _("vikar")


class EndReason(models.TextChoices):
    RESIGNED = "resigned", _("sa opp")
    COMPLETED = "completed", _("fullførte (utdanning/engasjement)")
    MOVED = "moved", _("flyttet til annen stilling")
    RETIRED = "retired", _("gikk av med pensjon")
    OTHER = "other", _("annet")


class NextWork(models.TextChoices):
    GENERAL_PRACTICE = "general_practice", _("allmennpraksis")
    HOSPITAL = "hospital", _("sykehus")
    OTHER = "other", _("annet")
    UNKNOWN = "unknown", _("ukjent")


class Source(models.TextChoices):
    MANUAL = "manual", _("registrert i Veiviser")
    IMPORT = "import", _("importert fra CSV")
    DEMO = "demo", _("demodata")


class ExitReason(models.TextChoices):
    """The coded reasons of shared/spec/recruit-retain.md; several may be given."""

    NOT_WANTING_GENERAL_PRACTICE = (
        "not_wanting_general_practice",
        _("ønsker ikke å arbeide i allmennpraksis"),
    )
    WORKLOAD = "workload", _("arbeidsbelastning")
    OFFICE_ORGANISATION = "office_organisation", _("organiseringen av legekontoret")
    PLACE_OF_RESIDENCE = "place_of_residence", _("bosted")
    FAMILY = "family", _("familie")
    SALARY = "salary", _("lønn")
    SUPERVISION = "supervision", _("veiledning")
    OTHER = "other", _("annet")


class StayFactor(models.TextChoices):
    """What keeps a GP in the municipality (stay survey, one or several)."""

    COLLEAGUES = "colleagues", _("kolleger og fagmiljø")
    WORKLOAD = "workload", _("håndterlig arbeidsmengde og vakt")
    SALARY = "salary", _("lønn og arbeidsvilkår")
    DEVELOPMENT = "development", _("faglig utvikling")
    LEADERSHIP = "leadership", _("ledelse og organisering")
    FAMILY = "family", _("familie")
    PLACE = "place", _("stedet, naturen og fritiden")
    OTHER = "other", _("annet")


INTENTION_CHOICES = [
    (1, _("1 – slutter trolig innen ett år")),
    (2, _("2 – slutter trolig innen tre år")),
    (3, _("3 – usikker")),
    (4, _("4 – blir trolig i mange år")),
    (5, _("5 – blir helt sikkert i mange år")),
]


class Occupancy(models.Model):
    """One person serving one position for a period: the holder (fastlege/ALIS) or a locum."""

    PERSONAL_DATA = ("person", "start", "end", "end_reason", "next_work")

    position = models.ForeignKey(
        "core.Position",
        on_delete=models.CASCADE,
        related_name="occupancies",
        verbose_name=_("stilling"),
    )
    person = models.ForeignKey(
        "core.Person",
        on_delete=models.PROTECT,
        related_name="occupancies",
        verbose_name=_("lege"),
    )
    role = models.CharField(_("rolle"), max_length=8, choices=OccupancyRole.choices)
    start = models.DateField(_("første dag"))
    end = models.DateField(
        _("siste dag"), null=True, blank=True, help_text=_("Tom så lenge forholdet varer.")
    )
    end_reason = models.CharField(
        _("sluttårsak"), max_length=12, choices=EndReason.choices, blank=True
    )
    next_work = models.CharField(
        _("arbeid etterpå"), max_length=20, choices=NextWork.choices, blank=True
    )
    source = models.CharField(
        _("kilde"), max_length=8, choices=Source.choices, default=Source.MANUAL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OccupancyQuerySet.as_manager()

    class Meta:
        ordering = ["position_id", "start", "id"]
        verbose_name = _("innehaver eller vikar")
        verbose_name_plural = _("innehavere og vikarer")
        indexes = [models.Index(fields=["person", "role"], name="occupancy_person_role")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="occupancy_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[c.value for c in OccupancyRole]),
                name="occupancy_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_reason="") | Q(end_reason__in=[c.value for c in EndReason]),
                name="occupancy_end_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(next_work="") | Q(next_work__in=[c.value for c in NextWork]),
                name="occupancy_next_work_valid",
            ),
            # Two consequences of "holder rows of one position must not overlap" that an
            # index can enforce on every database: one ongoing holder, distinct start days.
            models.UniqueConstraint(
                fields=["position"],
                condition=Q(role="holder", end__isnull=True),
                name="occupancy_one_ongoing_holder",
            ),
            models.UniqueConstraint(
                fields=["position", "start"],
                condition=Q(role="holder"),
                name="occupancy_holder_distinct_start",
            ),
        ]

    def __str__(self) -> str:
        until = self.end.isoformat() if self.end else "…"
        return f"{self.get_role_display()} {self.position_id}: {self.start.isoformat()}–{until}"

    @property
    def is_holder(self) -> bool:
        return self.role == OccupancyRole.HOLDER

    def covers(self, day: object) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)  # type: ignore[operator]


class PersonAlias(models.Model):
    """A pseudonymous id under which a person appears in imported files (``person_id``)."""

    PERSONAL_DATA = ("alias",)

    person = models.ForeignKey(
        "core.Person", on_delete=models.CASCADE, related_name="aliases", verbose_name=_("person")
    )
    source = models.CharField(
        _("kilde"),
        max_length=40,
        help_text=_("Hvem id-en er unik for, f.eks. «csv:4642» for Lærdals egne filer."),
    )
    alias = models.CharField(_("pseudonym"), max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonAliasQuerySet.as_manager()

    class Meta:
        verbose_name = _("pseudonym")
        verbose_name_plural = _("pseudonymer")
        constraints = [
            models.UniqueConstraint(fields=["source", "alias"], name="person_alias_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.alias}"


class Posting(models.Model):
    """An advertisement (utlysning) of a position, and how it went."""

    PERSONAL_DATA: tuple[str, ...] = ()

    position = models.ForeignKey(
        "core.Position",
        on_delete=models.CASCADE,
        related_name="postings",
        verbose_name=_("stilling"),
    )
    published = models.DateField(_("utlyst"))
    deadline = models.DateField(_("søknadsfrist"), null=True, blank=True)
    positions_advertised = models.PositiveSmallIntegerField(
        _("stillinger utlyst"),
        default=1,
        help_text=_("Flere når samme utlysning gjelder flere like stillinger."),
    )
    applicants = models.PositiveIntegerField(_("søkere"), null=True, blank=True)
    qualified_applicants = models.PositiveIntegerField(
        _("kvalifiserte søkere"), null=True, blank=True
    )
    hired = models.PositiveSmallIntegerField(
        _("ansatt"), default=0, help_text=_("Hvor mange som ble ansatt (0 = ingen).")
    )
    note = models.TextField(_("merknad"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PostingQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-id"]
        verbose_name = _("utlysning")
        verbose_name_plural = _("utlysninger")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=F("published")),
                name="posting_deadline_not_before_published",
            ),
            models.CheckConstraint(
                condition=Q(applicants__isnull=True)
                | Q(qualified_applicants__isnull=True)
                | Q(qualified_applicants__lte=F("applicants")),
                name="posting_qualified_not_above_applicants",
            ),
            models.CheckConstraint(
                condition=Q(positions_advertised__gte=1), name="posting_advertises_a_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position_id} {self.published.isoformat()}"


class ExitInterview(models.Model):
    """The conversation with a holder who leaves: coded reasons (several allowed) and notes."""

    PERSONAL_DATA = ("held_on", "reasons", "interviewed_by", "comment")

    occupancy = models.OneToOneField(
        Occupancy,
        on_delete=models.CASCADE,
        related_name="exit_interview",
        verbose_name=_("innehaverforhold"),
    )
    held_on = models.DateField(_("dato for samtalen"))
    reasons = models.JSONField(_("årsaker"), default=list)
    interviewed_by = models.CharField(
        _("intervjuet av"), max_length=120, blank=True, help_text=_("Navn eller rolle.")
    )
    comment = models.TextField(_("notater"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExitInterviewQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("sluttintervju")
        verbose_name_plural = _("sluttintervjuer")

    def __str__(self) -> str:
        return f"{_('Sluttintervju')} {self.held_on.isoformat()}"

    def reason_labels(self) -> list[str]:
        labels = dict(ExitReason.choices)
        return [str(labels.get(r, r)) for r in self.reasons]


class StaySurvey(models.Model):
    """A round of the stay survey (trivselsundersøkelse) in one municipality and year."""

    PERSONAL_DATA: tuple[str, ...] = ()

    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="stay_surveys",
        verbose_name=_("kommune"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    note = models.TextField(_("merknad"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StaySurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "municipality__number"]
        verbose_name = _("trivselsundersøkelse")
        verbose_name_plural = _("trivselsundersøkelser")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="stay_survey_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="stay_survey_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Trivselsundersøkelse')} {self.year}"


class StaySurveyAnswer(models.Model):
    """One GP's answer: what keeps them, how likely they stay (1–5), free text."""

    PERSONAL_DATA = (
        "respondent",
        "answered_on",
        "keeps",
        "intention_to_stay",
        "satisfaction",
        "comment",
    )

    survey = models.ForeignKey(
        StaySurvey, on_delete=models.CASCADE, related_name="answers", verbose_name=_("runde")
    )
    respondent = models.ForeignKey(
        "core.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stay_answers",
        verbose_name=_("lege"),
        help_text=_("Valgfritt; hindrer at samme lege svarer to ganger i samme runde."),
    )
    answered_on = models.DateField(_("svart"))
    keeps = models.JSONField(_("dette holder meg her"), default=list)
    intention_to_stay = models.PositiveSmallIntegerField(
        _("planlegger å bli"), choices=INTENTION_CHOICES
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("trives i jobben (1–5)"),
        null=True,
        blank=True,
        choices=[(i, str(i)) for i in range(1, 6)],
    )
    comment = models.TextField(_("fritekst"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StaySurveyAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["survey_id", "id"]
        verbose_name = _("svar på trivselsundersøkelse")
        verbose_name_plural = _("svar på trivselsundersøkelse")
        constraints = [
            models.CheckConstraint(
                condition=Q(intention_to_stay__gte=1, intention_to_stay__lte=5),
                name="stay_answer_intention_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="stay_answer_satisfaction_1_to_5",
            ),
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False),
                name="stay_answer_one_per_respondent",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Svar')} {self.answered_on.isoformat()}"
