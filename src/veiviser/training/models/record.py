"""Service time, leave, individual and group supervision, and courses of one ALIS."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Arena(models.TextChoices):
    OPEN_PRACTICE = "open_practice", _("åpen uselektert allmennpraksis")
    OTHER_GP = "other_gp", _("annen allmennmedisinsk tjeneste")
    INSTITUTION = "institution", _("institusjonstjeneste")
    OTHER = "other", _("annet (teller ikke)")


class LeaveKind(models.TextChoices):
    PARENTAL = "parental", _("foreldrepermisjon")
    SICK = "sick", _("sykefravær")
    OTHER = "other", _("annen permisjon")


class CourseKind(models.TextChoices):
    GRUNNKURS_A = "grunnkurs_a", _("Grunnkurs A")
    GRUNNKURS_B = "grunnkurs_b", _("Grunnkurs B")
    GRUNNKURS_C = "grunnkurs_c", _("Grunnkurs C")
    GRUNNKURS_D = "grunnkurs_d", _("Grunnkurs D")
    AKUTTMEDISIN = "akuttmedisin", _("Kurs i akuttmedisin")
    EMNEKURS = "emnekurs", _("Emnekurs")
    OTHER = "other", _("Annet kurs")


def _period_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
            name=f"{prefix}_end_after_start",
        ),
        models.CheckConstraint(
            condition=Q(percent__gte=0, percent__lte=100), name=f"{prefix}_percent_0_100"
        ),
    ]


class ServicePeriod(models.Model):
    """A period of service (tjenestetid) in one arena at a percent of full time."""

    PERSONAL_DATA = ("start", "end", "percent", "setting", "employer")

    trainee = models.ForeignKey(
        "training.Trainee", on_delete=models.CASCADE, related_name="service_periods"
    )
    start = models.DateField(_("fra"))
    end = models.DateField(
        _("til"), null=True, blank=True, help_text=_("La stå tom så lenge perioden pågår.")
    )
    percent = models.DecimalField(_("stillingsprosent"), max_digits=5, decimal_places=2)
    arena = models.CharField(_("læringsarena"), max_length=16, choices=Arena.choices)
    setting = models.CharField(
        _("tjenestested"),
        max_length=80,
        blank=True,
        help_text=_("For eksempel fastlege, fastlegevikar, legevakt, sykehjem, sykehus."),
    )
    employer = models.CharField(_("arbeidsgiver"), max_length=120, blank=True)
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommune"),
    )
    registered_institution = models.BooleanField(
        _("registrert utdanningsvirksomhet"), default=False
    )
    import_key = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("tjenesteperiode")
        verbose_name_plural = _("tjenesteperioder")
        constraints = _period_constraints("service")

    def __str__(self) -> str:
        return f"{self.get_arena_display()} {self.start}–{self.end or ''} {self.percent} %"


class LeavePeriod(models.Model):
    """Leave (permisjon) at a percent; reduces what service counts (rules.md step 3)."""

    PERSONAL_DATA = ("start", "end", "percent", "kind")

    trainee = models.ForeignKey(
        "training.Trainee", on_delete=models.CASCADE, related_name="leave_periods"
    )
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"), null=True, blank=True)
    percent = models.DecimalField(_("prosent"), max_digits=5, decimal_places=2, default=100)
    kind = models.CharField(_("type"), max_length=10, choices=LeaveKind.choices)
    import_key = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("permisjon")
        verbose_name_plural = _("permisjoner")
        constraints = _period_constraints("leave")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}–{self.end or ''}"


class SupervisionSession(models.Model):
    """One session of individual supervision (veiledning). Preparation notes and minutes are
    private to the ALIS and the veileder."""

    PERSONAL_DATA = ("preparation", "minutes")
    AUDIT_HIDDEN_FIELDS = ("preparation", "minutes")  # the leader reads the audit log

    trainee = models.ForeignKey(
        "training.Trainee", on_delete=models.CASCADE, related_name="supervision_sessions"
    )
    date = models.DateField(_("dato"))
    hours = models.DecimalField(_("timer"), max_digits=4, decimal_places=2)
    veileder = models.ForeignKey(
        "core.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("veileder"),
    )
    veileder_ref = models.CharField(
        _("veileder (fra eksportfil)"),
        max_length=60,
        blank=True,
        help_text=_("ID eller navn på veileder fra et annet system."),
    )
    topics = models.ManyToManyField(
        "training.CatalogueGoal", blank=True, related_name="+", verbose_name=_("tema (læringsmål)")
    )
    preparation = models.TextField(_("forberedelse"), blank=True)
    minutes = models.TextField(_("referat"), blank=True)
    import_key = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("veiledningsmøte")
        verbose_name_plural = _("veiledningsmøter")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24), name="supervision_hours_0_24"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.hours} t"


class GroupSupervision(models.Model):
    """Membership of a supervision group (Legeforeningen's veiledningsgruppe)."""

    PERSONAL_DATA: tuple[str, ...] = ()

    trainee = models.ForeignKey(
        "training.Trainee", on_delete=models.CASCADE, related_name="group_periods"
    )
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"), null=True, blank=True)
    hours = models.DecimalField(_("timer"), max_digits=6, decimal_places=2, default=0)
    group = models.CharField(_("gruppe"), max_length=120, blank=True)
    group_leader = models.CharField(_("gruppeveileder"), max_length=120, blank=True)
    diploma = models.BooleanField(_("diplom mottatt"), default=False)
    diploma_file = models.FileField(_("diplom"), upload_to="diplomas/", blank=True)
    import_key = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("gruppeveiledning")
        verbose_name_plural = _("gruppeveiledning")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="group_end_after_start",
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="group_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.start}–{self.end or ''}"


class Course(models.Model):
    """A course (grunnkurs A–D, akuttmedisin, emnekurs); ``completed`` empty while planned."""

    PERSONAL_DATA: tuple[str, ...] = ()

    trainee = models.ForeignKey(
        "training.Trainee", on_delete=models.CASCADE, related_name="courses"
    )
    kind = models.CharField(_("type"), max_length=14, choices=CourseKind.choices)
    title = models.CharField(_("tittel"), max_length=200, blank=True)
    hours = models.DecimalField(_("timer"), max_digits=6, decimal_places=2, null=True, blank=True)
    completed = models.DateField(_("gjennomført"), null=True, blank=True)
    certificate = models.FileField(_("kursbevis"), upload_to="certificates/", blank=True)
    import_key = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["completed", "id"]
        verbose_name = _("kurs")
        verbose_name_plural = _("kurs")

    def __str__(self) -> str:
        return self.title or self.get_kind_display()
