"""Recruit & Retain – "Making it Work" as a municipality's yearly routine.

See shared/spec/recruit-retain.md. The framework's structure (three steps, nine activities,
five success criteria), the template tasks drawn from the seeds' concrete recommendations, the
key parameters that belong to each activity, and the pure rules of the yearly cycle:

- ``next_due(due, interval_months, completed_on)``: when a recurring task comes round again
  (docs/adr/0064-cycle-task-rollover.md);
- ``task_state(due, status, today)``: planned, due this month, overdue, done or skipped;
- ``assessment_rows(scores)``: the self-assessment year by year, with the change from the
  previous assessed year.

No Django here; the names in Norwegian are the UI's (bokmål), translated at the edge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal


def _(text: str) -> str:
    """Marks a bokmål UI string for ``makemessages``; the pages translate it (gettext_noop)."""
    return text


Step = Literal["plan", "recruit", "retain"]
TaskStatus = Literal["planned", "in_progress", "done", "skipped"]
TaskState = Literal["upcoming", "due", "overdue", "done", "skipped"]

STEPS: tuple[tuple[Step, str], ...] = (
    ("plan", _("Planlegge")),
    ("recruit", _("Rekruttere")),
    ("retain", _("Beholde")),
)

#: Recurrence choices, in months between occurrences; 0 = once.
INTERVALS: tuple[tuple[int, str], ...] = (
    (12, _("Hvert år")),
    (24, _("Hvert 2. år")),
    (36, _("Hvert 3. år")),
    (48, _("Hvert 4. år")),
    (1, _("Hver måned")),
    (0, _("Én gang")),
)
INTERVAL_MONTHS: frozenset[int] = frozenset(months for months, _label in INTERVALS)

#: The self-assessment scale (None = not assessed).
SCALE_MIN, SCALE_MAX = 1, 5


@dataclass(frozen=True)
class Activity:
    """One of the nine activities of the wheel."""

    number: int
    step: Step
    name: str  # bokmål, as in the seeds
    english: str

    @property
    def code(self) -> str:
        return f"a{self.number}"


@dataclass(frozen=True)
class Criterion:
    """One of the five success criteria in the middle of the wheel."""

    number: int
    name: str
    english: str

    @property
    def code(self) -> str:
        return f"c{self.number}"


ACTIVITIES: tuple[Activity, ...] = (
    Activity(1, "plan", _("Vurder lokalbefolkningens behov for tjenester"), "assess needs"),
    Activity(2, "plan", _("Tilpass tjenestene lokalt til befolkningens behov"), "align services"),
    Activity(3, "plan", _("Planlegg hvem som bør rekrutteres"), "profile whom to recruit"),
    Activity(4, "recruit", _("Legg vekt på informasjonsdeling"), "share information"),
    Activity(5, "recruit", _("Involver lokalsamfunnet"), "engage the community"),
    Activity(6, "recruit", _("Gi støtte til familie"), "support families"),
    Activity(7, "retain", _("Gi støtte til teambygging"), "support team cohesion"),
    Activity(8, "retain", _("Gi faglige utviklingsmuligheter"), "professional development"),
    Activity(
        9, "retain", _("Sats på utdanning av fremtidens fagfolk"), "train future professionals"
    ),
)

CRITERIA: tuple[Criterion, ...] = (
    Criterion(1, _("Anerkjennelse av det unike i distrikt"), "recognition of rurality"),
    Criterion(
        2, _("Inkludering av distriktsperspektiver («ingenting om oss uten oss»)"), "inclusion"
    ),
    Criterion(3, _("Tilstrekkelige ressurser"), "adequate resources"),
    Criterion(
        4,
        _("Årlige sykluser av aktiviteter med navngitte ansvarlige"),
        "annual cycles of activities",
    ),
    Criterion(5, _("Regelmessige evalueringer med nøkkelparametere"), "regular evaluations"),
)

#: Self-assessment items in display order: the nine activities, then the five criteria.
ITEMS: tuple[tuple[str, str], ...] = tuple(
    [(a.code, f"{a.number}. {a.name}") for a in ACTIVITIES] + [(c.code, c.name) for c in CRITERIA]
)
ITEM_CODES: frozenset[str] = frozenset(code for code, _name in ITEMS)


def activity(number: int) -> Activity:
    """The activity with this number (1–9); ``KeyError`` otherwise."""
    for item in ACTIVITIES:
        if item.number == number:
            return item
    raise KeyError(number)


def activities_of(step: Step) -> tuple[Activity, ...]:
    return tuple(a for a in ACTIVITIES if a.step == step)


# --------------------------------------------------------------------------- template tasks


@dataclass(frozen=True)
class TemplateTask:
    """A task a municipality new to the cycle may start from (the seeds' recommendations)."""

    key: str
    activity: int
    title: str
    responsible: str  # a role in words ("kommuneoverlege"); may be empty when ``role`` is set
    role: str  # "leader", "coordinator" or ""
    month: int  # due month, 1–12
    interval_months: int
    description: str = ""


TEMPLATE: tuple[TemplateTask, ...] = (
    TemplateTask(
        "folkehelseprofil",
        1,
        _("Gå gjennom FHIs folkehelseprofil for kommunen"),
        _("Kommuneoverlege (gjerne interkommunal)"),
        "",
        3,
        12,
        _("FHI publiserer profilen hvert år. Hva betyr den for behovet for legetjenester?"),
    ),
    TemplateTask(
        "plan-legetjenester",
        2,
        _("Revider plan for legetjenester (ASA 4310) i kommuneplanens samfunnsdel"),
        _("Rådmann/kommunedirektør og ordfører"),
        "leader",
        9,
        48,
        _("Etter hvert kommunevalg: trenger vi endringer, og hvordan skal de skje?"),
    ),
    TemplateTask(
        "gjennomgang-fastlegetjenesten",
        2,
        _("Gjennomgå fastlegetjenesten: listelengder, ledige hjemler, vikarbruk"),
        "",
        "leader",
        10,
        12,
    ),
    TemplateTask(
        "sluttintervju",
        3,
        _("Hold sluttintervju med alle leger som slutter, og oppsummer årsakene"),
        "",
        "leader",
        12,
        12,
        _("Sluttintervju registreres under Stillinger; oppsummeringen vises uten små grupper."),
    ),
    TemplateTask(
        "trivselsundersokelse",
        3,
        _("Spør de stabile fastlegene hva som får dem til å bli (trivselsundersøkelse)"),
        "",
        "coordinator",
        2,
        48,
    ),
    TemplateTask(
        "mote-legestudenter",
        4,
        _("Møt legestudenter fra kommunen (f.eks. julemiddag) og del på sosiale medier"),
        _("Kommuneoverlege"),
        "",
        12,
        12,
        _("Odda inviterte legestudentene hjemmefra til julemiddag og tok med lokalmedia."),
    ),
    TemplateTask(
        "positive-medier",
        4,
        _("Fortell gode historier om legetjenesten i lokale medier"),
        "",
        "leader",
        6,
        12,
    ),
    TemplateTask(
        "presentasjon-politikere",
        5,
        _("Presenter legetjenesten for rådmann og politisk ledelse"),
        "",
        "leader",
        11,
        12,
        _("Minst én gang i året; spør når formannskapet møtes."),
    ),
    TemplateTask(
        "faste-motepunkter",
        5,
        _("Faste møtepunkter mellom fastlegene og kommuneledelsen"),
        "",
        "leader",
        4,
        12,
    ),
    TemplateTask(
        "velkomstpakke",
        6,
        _("Oppdater velkomstpakken for nye leger og familiene deres"),
        "",
        "coordinator",
        5,
        12,
        _("Barnehage, skole, fritid, jobb til partner; Bømlo gir turkart i velkomstgave."),
    ),
    TemplateTask(
        "in-situ-trening",
        7,
        _("Akuttmedisinsk teamtrening in situ, fast ukedag hver måned"),
        _("Ansvarlig fastlege med fasilitatorteam"),
        "",
        1,
        1,
        _("Lønnede fagdager; deltakerne skriver seg på lister per yrkesgruppe."),
    ),
    TemplateTask(
        "institusjonstjeneste",
        8,
        _("Avtal forutsigbar institusjonstjeneste i blokker på 3 måneder med helseforetaket"),
        "",
        "coordinator",
        8,
        12,
    ),
    TemplateTask(
        "praksisplasser-studenter",
        9,
        _("Tilby praksisplasser og sommerjobb for medisinstudenter"),
        "",
        "coordinator",
        1,
        12,
    ),
    TemplateTask(
        "alis-stillinger",
        9,
        _("Vurder behovet for ALIS-stillinger og utlys dem"),
        "",
        "leader",
        9,
        12,
    ),
)


def template_task(key: str) -> TemplateTask:
    for task in TEMPLATE:
        if task.key == key:
            return task
    raise KeyError(key)


def template_due(task: TemplateTask, today: date) -> date:
    """The first due month of a template task started on ``today``: this year's month, or next
    year's when it has passed (a monthly task starts next month)."""
    if task.interval_months == 1:
        return add_months(month_start(today), 1)
    due = date(today.year, task.month, 1)
    return due if due >= month_start(today) else date(today.year + 1, task.month, 1)


# --------------------------------------------------------------------------- key parameters


@dataclass(frozen=True)
class KeyParameter:
    """A key parameter of one activity: computed from Veiviser's data or entered by hand."""

    key: str
    activity: int
    label: str
    computed: bool
    unit: str = ""
    help: str = ""


KEY_PARAMETERS: tuple[KeyParameter, ...] = (
    KeyParameter("population_without_gp", 1, _("Innbyggere på liste uten fast lege"), False),
    KeyParameter("gp_positions", 2, _("Fastlegehjemler"), True),
    KeyParameter("vacant", 2, _("Ledige hjemler ved årsslutt"), True),
    KeyParameter("locum_served", 2, _("Hjemler betjent av vikar ved årsslutt"), True),
    KeyParameter(
        "median_agreement",
        3,
        _("Median avtalevarighet (år)"),
        True,
        "år",
        _("Fastlegeavtaler, Kaplan–Meier; pågående avtaler regnes som sensurerte."),
    ),
    KeyParameter("resignations", 3, _("Oppsigelser i året"), True),
    KeyParameter("exit_interviews", 3, _("Sluttintervju holdt"), True),
    KeyParameter("applicants_per_posting", 4, _("Søkere per utlysning"), True),
    KeyParameter("student_contacts", 4, _("Møter med legestudenter"), False),
    KeyParameter("leadership_meetings", 5, _("Møter med rådmann/politikere"), False),
    KeyParameter("welcome_packages", 6, _("Velkomstpakker delt ut"), False),
    KeyParameter("in_situ_trainings", 7, _("Teamtreninger in situ"), False),
    KeyParameter(
        "supervision_share",
        8,
        _("Veiledning levert (timer / minstekrav)"),
        True,
        "t",
        _("Individuell veiledning i fullførte måneder mot minst 4 timer per måned med tjeneste."),
    ),
    KeyParameter("institution_blocks", 8, _("Institusjonsblokker avtalt"), False),
    KeyParameter("alis", 9, _("ALIS i kommunen"), True),
    KeyParameter("alis_ready", 9, _("ALIS klare for spesialistgodkjenning"), True),
    KeyParameter("student_placements", 9, _("Studentpraksiser og sommerjobber"), False),
)
HAND_KEYS: frozenset[str] = frozenset(p.key for p in KEY_PARAMETERS if not p.computed)


def parameters_of(activity_number: int) -> tuple[KeyParameter, ...]:
    """The key parameters that belong to an activity."""
    return tuple(p for p in KEY_PARAMETERS if p.activity == activity_number)


# --------------------------------------------------------------------------- months


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, second: date) -> int:
    """Whole calendar months from ``first``'s month to ``second``'s month."""
    return (second.year - first.year) * 12 + (second.month - first.month)


# --------------------------------------------------------------------------- rollover


def next_due(due: date, interval_months: int, completed_on: date) -> date | None:
    """When a recurring task comes round again after the occurrence due in ``due``'s month was
    completed on ``completed_on``.

    The rhythm is kept: the next occurrence is due ``interval_months`` after ``due`` (a
    presentation due every November stays in November however early or late it was done). When
    that month is not after the month of completion (the task was done very late), whole
    intervals are added until it is, so that the new occurrence is never born overdue. ``None``
    for a one-off task (``interval_months`` 0). See docs/adr/0064-cycle-task-rollover.md.
    """
    if interval_months < 0:
        raise ValueError(f"interval_months must be 0 or more, not {interval_months}")
    if interval_months == 0:
        return None
    steps = 1
    behind = months_between(due, completed_on)
    if behind >= interval_months:
        steps = behind // interval_months + 1
    return add_months(due, steps * interval_months)


def task_state(due: date, status: str, today: date) -> TaskState:
    """Where an occurrence stands on ``today``: ``done``/``skipped`` as recorded; an open one
    (planned or in progress) is ``overdue`` after its month, ``due`` in it, else ``upcoming``."""
    if status == "done":
        return "done"
    if status == "skipped":
        return "skipped"
    months = months_between(today, due)
    if months < 0:
        return "overdue"
    if months == 0:
        return "due"
    return "upcoming"


# --------------------------------------------------------------------------- self-assessment


@dataclass(frozen=True)
class AssessmentRow:
    """One item's scores over the years, and the change from the previous assessed year."""

    code: str
    name: str
    scores: tuple[int | None, ...]  # in the order of ``years``
    changes: tuple[int | None, ...]  # change from the previous assessed year; None if none

    @property
    def latest(self) -> int | None:
        for score in reversed(self.scores):
            if score is not None:
                return score
        return None

    @property
    def overall_change(self) -> int | None:
        """Last assessed score minus the first assessed score (None with fewer than two)."""
        assessed = [s for s in self.scores if s is not None]
        return assessed[-1] - assessed[0] if len(assessed) >= 2 else None


def check_score(score: int | None) -> int | None:
    """A valid score (1–5) or None (not assessed); ``ValueError`` otherwise."""
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int):
        raise ValueError(f"score must be an integer from {SCALE_MIN} to {SCALE_MAX}")
    if not SCALE_MIN <= score <= SCALE_MAX:
        raise ValueError(f"score must be from {SCALE_MIN} to {SCALE_MAX}, not {score}")
    return score


def assessment_rows(
    years: Sequence[int], scores: Mapping[tuple[int, str], int | None]
) -> list[AssessmentRow]:
    """The items (activities, then criteria) × ``years`` (ascending), each cell the score or
    None, with the change from the item's previous assessed year."""
    ordered = sorted(set(years))
    rows: list[AssessmentRow] = []
    for code, name in ITEMS:
        values = tuple(check_score(scores.get((year, code))) for year in ordered)
        changes: list[int | None] = []
        previous: int | None = None
        for value in values:
            if value is None:
                changes.append(None)
                continue
            changes.append(None if previous is None else value - previous)
            previous = value
        rows.append(AssessmentRow(code, name, values, tuple(changes)))
    return rows


def mean_score(values: Sequence[int | None]) -> float | None:
    """The mean of the assessed scores, None when nothing is assessed."""
    assessed = [v for v in values if v is not None]
    return sum(assessed) / len(assessed) if assessed else None
