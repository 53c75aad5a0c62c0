"""A believable, fictitious history for the demo world's positions (docs/adr/0055-demo-history.md).

``build_demo_history()`` gives the positions made by ``veiviser.demo.world.build_demo_world``
holders and locums from their creation (about 2015 for most of what the pages show) to now:

- Bergen and Bodø: GPs who stay ten years or more, handovers without a gap;
- Odda, Stord, Bømlo, Bjørnafjorden, Kvam: a few changes, short vacancies;
- Modalen, Masfjorden, Gulen, Hyllestad, Lærdal, Årdal, Meløy: GPs who stay a year or three,
  long locum periods between them, a few positions vacant now;
- ALIS positions (ALIS-Vest del 1/2 and ALIS-Nord, from 2019) in the pattern of Fafo 2023:02:
  some with the same ALIS throughout, some with a change, a few ALIS who resigned, most still in
  general practice (several former ALIS become fastleger in a neighbouring municipality);
- postings (Bergen: 72 applicants for two ALIS posts; Lærdal: 4; ordinary GP posts in small
  municipalities often none), exit interviews with coded reasons, and stay-survey rounds (2024).

The current holders are the demo world's own doctors and ALIS; everyone else is a new
fictitious person (``Person.fictitious``). Seeded and anchored on a fixed date, so the history
is the same every time. Safe to call again: it does nothing when the history exists.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record
from veiviser.core.models import Municipality, Person, Position
from veiviser.workforce.models import (
    ExitInterview,
    Occupancy,
    Posting,
    Source,
    StaySurvey,
    StaySurveyAnswer,
)

ANCHOR = date(2026, 10, 1)  # histories are generated up to here; ongoing rows go on after it
STABLE = {"4601", "1804"}
MEDIUM = {"4618", "4614", "4613", "4624", "4622"}
SMALL = {"4629", "4634", "4635", "4637", "4642", "4643", "1837"}
# GP positions without a holder now: served by a locum, or vacant.
VACANT_NOW = {"H4629-01": "locum", "H4635-03": "locum", "H1837-04": "vacant"}
# Stay-survey rounds in 2024: municipality → number of answers.
STAY_SURVEYS = {"4601": 12, "4618": 6, "4643": 4, "4642": 3}

GIVEN = [
    "Ane",
    "Arne",
    "Berit",
    "Dag",
    "Einar",
    "Elin",
    "Frode",
    "Gunn",
    "Hilde",
    "Ivar",
    "Jorunn",
    "Knut",
    "Linn",
    "Morten",
    "Nina",
    "Odd",
    "Per",
    "Randi",
    "Stian",
    "Tone",
    "Trond",
    "Unni",
    "Vidar",
    "Wenche",
    "Yngve",
    "Åse",
    "Marius",
    "Julie",
    "Sara",
    "Henrik",
    "Emil",
    "Ingvild",
    "Petter",
    "Karoline",
    "Farid",
    "Leila",
    "Tomasz",
    "Agnieszka",
    "Johan",
    "Sofie",
]
FAMILY = [
    "Aune",
    "Bjørke",
    "Dale",
    "Eikrem",
    "Fossheim",
    "Grov",
    "Hatlestad",
    "Indrebø",
    "Jacobsen",
    "Kleppe",
    "Lothe",
    "Mjelde",
    "Nesse",
    "Ommedal",
    "Rykkje",
    "Skaar",
    "Tjugen",
    "Ulvestad",
    "Vågen",
    "Øvrebø",
    "Aarskog",
    "Bruvik",
    "Digranes",
    "Fjeldstad",
    "Gjerde",
    "Hovland",
    "Instanes",
    "Kalland",
    "Leirvåg",
    "Myking",
    "Nordanger",
    "Opheim",
    "Rasmussen",
    "Sletten",
]
EXIT_WEIGHTS = {
    "workload": 3,
    "place_of_residence": 3,
    "family": 3,
    "office_organisation": 2,
    "salary": 1,
    "supervision": 1,
    "not_wanting_general_practice": 1,
    "other": 1,
}
EXIT_NOTES = [
    "Ønsket å flytte nærmere familien.",
    "Opplevde vaktbelastningen som for tung over tid.",
    "Savnet kolleger å drøfte pasienter med.",
    "Fikk tilbud om stilling i sykehus.",
    "Partner fikk ikke relevant arbeid i kommunen.",
    "Ønsket fastlønn framfor næringsdrift.",
    "",
]
STAY_NOTES = [
    "Godt kollegamiljø og faste fagdager.",
    "Naturen og fritiden her er grunnen til at vi ble.",
    "Vaktordningen er blitt bedre etter sammenslåingen av vaktområdet.",
    "Ønsker mer forutsigbar sykehustjeneste for ALIS.",
    "",
]


@dataclass
class Row:
    position: Position
    person: Person
    role: str
    start: date
    end: date | None = None
    end_reason: str = ""
    next_work: str = ""


@dataclass
class History:
    rng: random.Random
    anchor: date
    names: set[tuple[str, str]]
    rows: list[Row] = field(default_factory=list)
    postings: list[Posting] = field(default_factory=list)
    locum_pool: list[Person] = field(default_factory=list)
    former_alis: list[tuple[Person, date]] = field(default_factory=list)

    def person(self, municipality: Municipality | None, *, doctor: bool = True) -> Person:
        while True:
            pair = (self.rng.choice(GIVEN), self.rng.choice(FAMILY))
            if pair not in self.names:
                self.names.add(pair)
                break
        return Person.objects.create(
            given_name=pair[0],
            family_name=pair[1],
            is_doctor=doctor,
            is_specialist_gp=self.rng.random() < 0.5,
            fictitious=True,
            home_municipality=municipality,
        )

    def locum(self) -> Person:
        """A vikar from the pool: the same few come back, now and then a new one."""
        if len(self.locum_pool) < 6 or self.rng.random() < 0.25:
            self.locum_pool.append(self.person(None))
        return self.rng.choice(self.locum_pool)


def _profile(number: str) -> str:
    if number in STABLE:
        return "stable"
    if number in MEDIUM:
        return "medium"
    return "small"


def _tenure_days(rng: random.Random, profile: str, kind: str) -> int:
    if kind == "alis":
        return int(365 * rng.uniform(0.8, 2.6))
    if profile == "stable":
        years = rng.uniform(7, 16)
    elif profile == "medium":
        years = rng.uniform(3, 10)
    else:
        roll = rng.random()
        years = (
            rng.uniform(0.7, 2.5)
            if roll < 0.6
            else rng.uniform(2.5, 5)
            if roll < 0.9
            else rng.uniform(6, 12)
        )
    return int(365 * years)


def _gap_days(rng: random.Random, profile: str) -> int:
    if profile == "stable":
        return rng.choice([0, 0, 0, 14, 30, 60])
    if profile == "medium":
        return rng.choice([0, 30, 60, 90, 150])
    return rng.randint(45, 330)


def _end_reason(rng: random.Random, profile: str, days: int) -> tuple[str, str]:
    if profile == "stable" and days > 3650 and rng.random() < 0.6:
        return "retired", "other"
    roll = rng.random()
    reason = "resigned" if roll < 0.55 else "moved" if roll < 0.88 else "other"
    if reason == "moved":
        return reason, "general_practice" if rng.random() < 0.8 else "unknown"
    work = rng.choices(["general_practice", "hospital", "other", "unknown"], [45, 35, 10, 10])[0]
    return reason, work


def _cover_gap(h: History, position: Position, start: date, end: date, profile: str) -> None:
    """Locums over a vacancy [start, end] (inclusive), in chunks, with some uncovered weeks."""
    if (end - start).days < 20 or (profile == "stable" and h.rng.random() < 0.7):
        return
    cursor = start + timedelta(days=h.rng.randint(0, 14))
    while cursor <= end:
        stop = min(cursor + timedelta(days=h.rng.randint(21, 120)), end)
        if h.rng.random() < 0.85:
            h.rows.append(Row(position, h.locum(), "locum", cursor, stop))
        cursor = stop + timedelta(days=1 + h.rng.choice([0, 0, 0, 7, 14, 30]))


def _posting(h: History, position: Position, vacancy: date, filled: date | None) -> None:
    """An advertisement before a vacancy that starts after 2016."""
    if vacancy < date(2016, 1, 1):
        return
    rng = h.rng
    published = vacancy - timedelta(days=rng.randint(20, 90))
    profile = _profile(position.municipality.number)
    if position.kind == "alis":
        applicants = rng.randint(5, 20) if profile == "stable" else rng.randint(1, 5)
    elif profile == "stable":
        applicants = rng.randint(6, 25)
    elif profile == "medium":
        applicants = rng.randint(1, 8)
    else:
        applicants = rng.choice([0, 0, 0, 1, 1, 2, 3])
    deadline = published + timedelta(days=rng.randint(21, 35))
    hired = int(applicants > 0 and filled is not None and (filled - deadline).days < 365)
    h.postings.append(
        Posting(
            position=position,
            published=published,
            deadline=deadline,
            applicants=applicants,
            qualified_applicants=max(0, applicants - rng.randint(0, 2)) if applicants else 0,
            hired=hired,
            note="" if applicants else "Ingen søkere.",
        )
    )


def _earlier(
    h: History, position: Position, first_known: date, profile: str, *, pool: bool = True
) -> None:
    """Holders before ``first_known`` back to the position's creation, with the gaps."""
    created = position.created
    cursor = first_known
    municipality = position.municipality
    while True:
        gap = _gap_days(h.rng, profile)
        previous_end = cursor - timedelta(days=gap + 1)
        if previous_end < created + timedelta(days=30):
            if (cursor - created).days > 1:  # vacant from creation until the next holder
                _cover_gap(h, position, created, cursor - timedelta(days=1), profile)
                _posting(h, position, created, cursor)
            return
        previous_start = previous_end - timedelta(days=_tenure_days(h.rng, profile, position.kind))
        if previous_start - created < timedelta(days=60):
            previous_start = created
        person = None
        if pool and position.kind == "gp" and profile != "stable":
            ready = [(p, d) for p, d in h.former_alis if d + timedelta(days=14) <= previous_start]
            if ready and h.rng.random() < 0.6:
                person, available = ready[0]
                h.former_alis.remove((person, available))
        person = person or h.person(municipality)
        reason, work = _end_reason(h.rng, profile, (previous_end - previous_start).days)
        h.rows.append(Row(position, person, "holder", previous_start, previous_end, reason, work))
        if gap:
            _cover_gap(
                h, position, previous_end + timedelta(days=1), cursor - timedelta(days=1), profile
            )
        _posting(h, position, previous_end + timedelta(days=1), cursor)
        _leave(h, position, previous_start, previous_end, profile)
        if previous_start == created:
            return
        cursor = previous_start


def _leave(h: History, position: Position, start: date, end: date, profile: str) -> None:
    """Now and then a long absence (parental leave, sykehusår) covered by a locum."""
    days = (end - start).days
    chance = {"stable": 0.25, "medium": 0.3, "small": 0.2}[profile]
    if days < 3 * 365 or h.rng.random() >= chance:
        return
    away = start + timedelta(days=h.rng.randint(180, days - 400))
    h.rows.append(
        Row(position, h.locum(), "locum", away, away + timedelta(days=h.rng.randint(180, 330)))
    )


def _current_start(h: History, position: Position, profile: str) -> date:
    tenure = _tenure_days(h.rng, profile, position.kind)
    if profile == "small":
        tenure = min(tenure, int(365 * h.rng.uniform(0.5, 4.5)))
    start = max(position.created, h.anchor - timedelta(days=tenure))
    if start - position.created < timedelta(days=60):
        start = position.created
    return start


def _gp_history(h: History, position: Position, holder: Person) -> None:
    profile = _profile(position.municipality.number)
    vacant = VACANT_NOW.get(position.external_id)
    if vacant:
        left = h.anchor - timedelta(days=h.rng.randint(120, 420))
        start = max(position.created, left - timedelta(days=int(365 * h.rng.uniform(1, 3))))
        h.rows.append(Row(position, holder, "holder", start, left, "resigned", "hospital"))
        first_vacant = left + timedelta(days=1)
        _posting(h, position, first_vacant, None)
        h.postings.append(
            Posting(
                position=position,
                published=h.anchor - timedelta(days=40),
                deadline=h.anchor - timedelta(days=10),
                applicants=0,
                qualified_applicants=0,
                hired=0,
                note="Ingen søkere; lyses ut på nytt.",
            )
        )
        if vacant == "locum":
            _cover_gap(h, position, first_vacant, h.anchor - timedelta(days=60), profile)
            h.rows.append(Row(position, h.locum(), "locum", h.anchor - timedelta(days=45), None))
        else:
            _cover_gap(h, position, first_vacant, first_vacant + timedelta(days=120), profile)
        _earlier(h, position, start, profile)
        return
    start = _current_start(h, position, profile)
    h.rows.append(Row(position, holder, "holder", start))
    _leave(h, position, start, h.anchor, profile)
    _earlier(h, position, start, profile)


def _alis_history(
    h: History, position: Position, trainee_person: Person | None, trainee_start: date | None
) -> None:
    """ALIS-Vest/ALIS-Nord from 2019: same ALIS throughout, or earlier ALIS who left."""
    profile = _profile(position.municipality.number)
    created = position.created
    start = trainee_start if trainee_start and trainee_start > created else created
    if start - created < timedelta(days=60):
        start = created
    holder = trainee_person or h.person(position.municipality)
    h.rows.append(Row(position, holder, "holder", start))
    cursor = start
    while cursor - created > timedelta(days=120):
        gap = h.rng.randint(60, 240) if profile != "stable" else h.rng.randint(0, 60)
        previous_end = cursor - timedelta(days=gap + 1)
        room = (previous_end - created).days
        if room < 200:
            if (cursor - created).days > 1:
                _cover_gap(h, position, created, cursor - timedelta(days=1), profile)
                _posting(h, position, created, cursor)
            break
        previous_start = created
        if room > 3 * 365 and h.rng.random() < 0.5:  # two earlier ALIS
            previous_start = previous_end - timedelta(days=h.rng.randint(300, room - 400))
        person = h.person(position.municipality)
        completed = (previous_end - previous_start).days >= 4 * 365
        if completed:
            reason, work = "completed", "general_practice"
        else:
            reason = "resigned"
            work = h.rng.choices(["general_practice", "hospital", "other"], [55, 35, 10])[0]
        h.rows.append(Row(position, person, "holder", previous_start, previous_end, reason, work))
        if work == "general_practice":
            h.former_alis.append((person, previous_end))
        _cover_gap(
            h, position, previous_end + timedelta(days=1), cursor - timedelta(days=1), profile
        )
        _posting(h, position, previous_end + timedelta(days=1), cursor)
        cursor = previous_start


def _municipal_history(h: History, position: Position) -> None:
    profile = _profile(position.municipality.number)
    start = _current_start(h, position, profile)
    h.rows.append(Row(position, h.person(position.municipality), "holder", start))
    _earlier(h, position, start, profile, pool=False)


def _exit_interviews(h: History, saved: list[Occupancy]) -> list[ExitInterview]:
    interviews: list[ExitInterview] = []
    per_municipality: dict[str, int] = {}
    reasons, weights = list(EXIT_WEIGHTS), list(EXIT_WEIGHTS.values())
    for occupancy in saved:
        number = occupancy.position.municipality.number
        if (
            occupancy.role != "holder"
            or occupancy.end is None
            or occupancy.end < date(2019, 1, 1)
            or occupancy.end_reason not in ("resigned", "moved", "other")
            or number in STABLE
            or h.rng.random() > 0.75
        ):
            continue
        if number == "4642" and per_municipality.get(number, 0) >= 3:
            continue  # Lærdal stays below 5: the aggregate page must hide it
        per_municipality[number] = per_municipality.get(number, 0) + 1
        chosen = set(h.rng.choices(reasons, weights, k=h.rng.randint(1, 3)))
        if occupancy.next_work == "hospital" and h.rng.random() < 0.5:
            chosen.add("not_wanting_general_practice")
        if occupancy.position.kind != "alis":
            chosen.discard("supervision")
        chosen = chosen or {"workload"}
        interviews.append(
            ExitInterview(
                occupancy=occupancy,
                held_on=occupancy.end - timedelta(days=h.rng.randint(0, 20)),
                reasons=[r for r in EXIT_WEIGHTS if r in chosen],
                interviewed_by=h.rng.choice(["Kommuneoverlege", "Enhetsleder helse"]),
                comment=h.rng.choice(EXIT_NOTES),
            )
        )
    return interviews


def _stay_surveys(h: History, saved: list[Occupancy]) -> int:
    day = date(2024, 5, 15)
    count = 0
    for number, wanted in STAY_SURVEYS.items():
        municipality = Municipality.objects.get(number=number)
        holders = []
        for o in saved:
            if (
                o.role == "holder"
                and o.position.municipality_id == municipality.pk
                and o.covers(day)
                and o.person not in holders
            ):
                holders.append(o.person)
        survey = StaySurvey.objects.create(
            municipality=municipality, year=2024, note="Spørreskjema på papir, mai 2024."
        )
        stable = _profile(number) == "stable"
        for person in holders[:wanted]:
            keeps = set(
                h.rng.choices(
                    [
                        "colleagues",
                        "place",
                        "family",
                        "development",
                        "workload",
                        "leadership",
                        "salary",
                    ],
                    [4, 3, 3, 2, 2, 1, 1],
                    k=h.rng.randint(1, 3),
                )
            )
            StaySurveyAnswer.objects.create(
                survey=survey,
                respondent=person,
                answered_on=day + timedelta(days=h.rng.randint(0, 20)),
                keeps=sorted(keeps),
                intention_to_stay=h.rng.choice([4, 5, 5, 3] if stable else [2, 3, 4, 5, 3]),
                satisfaction=h.rng.choice([4, 5, 4, 3] if stable else [3, 4, 2, 4, 5]),
                comment=h.rng.choice(STAY_NOTES),
            )
            count += 1
    return count


def history_exists() -> bool:
    return Occupancy.objects.filter(source=Source.DEMO).exists()


@transaction.atomic
def build_demo_history(seed: int = 2015) -> int:
    """Create the demo positions' history once; return the number of rows created."""
    from veiviser.demo.world import DEMO_MUNICIPALITIES
    from veiviser.training.models import Trainee

    if history_exists():
        return 0
    numbers = [d.number for d in DEMO_MUNICIPALITIES]
    positions = list(
        Position.objects.filter(municipality__number__in=numbers)
        .select_related("municipality")
        .order_by("municipality__number", "external_id")
    )
    if not positions:
        return 0
    h = History(
        rng=random.Random(seed),
        anchor=min(ANCHOR, timezone.localdate()),
        names=set(Person.objects.values_list("given_name", "family_name")),
    )
    by_municipality: dict[str, list[Position]] = {}
    for position in positions:
        by_municipality.setdefault(position.municipality.number, []).append(position)
    logins = {
        u: Person.objects.filter(user__username=u).first() for u in ("veileder", "supervisor")
    }
    # ALIS first: former ALIS who stay in general practice may become GPs elsewhere.
    for number in numbers:
        alis = [p for p in by_municipality.get(number, []) if p.kind == "alis"]
        trainees = list(
            Trainee.objects.filter(municipality__number=number)
            .select_related("person")
            .order_by("pk")
        )
        for i, position in enumerate(alis):
            trainee = trainees[i] if i < len(trainees) else None
            _alis_history(
                h,
                position,
                trainee.person if trainee else None,
                trainee.training_start if trainee else None,
            )
    for number in numbers:
        municipality_positions = by_municipality.get(number, [])
        doctors = list(
            Person.objects.filter(
                home_municipality__number=number,
                is_doctor=True,
                fictitious=True,
                user__isnull=True,
                trainee__isnull=True,
                occupancies__isnull=True,
            )
            .exclude(pk__in=[r.person.pk for r in h.rows])
            .order_by("pk")
        )
        gp = [p for p in municipality_positions if p.kind == "gp"]
        for i, position in enumerate(gp):
            holder = doctors[i] if i < len(doctors) else h.person(position.municipality)
            if number == "4642" and i < 2 and logins["veileder" if i == 0 else "supervisor"]:
                # Lærdal: the veileder and the supervisor hold the first two hjemler now; the
                # demo doctors of those positions held them before.
                current = logins["veileder" if i == 0 else "supervisor"]
                assert current is not None
                start = date(2021 + i, 3 if i == 0 else 8, 1)
                h.rows.append(Row(position, current, "holder", start))
                left = start - timedelta(days=h.rng.randint(90, 200))
                previous = max(position.created, left - timedelta(days=int(365 * 2.5)))
                h.rows.append(
                    Row(position, holder, "holder", previous, left, "moved", "general_practice")
                )
                _cover_gap(
                    h, position, left + timedelta(days=1), start - timedelta(days=1), "small"
                )
                _posting(h, position, left + timedelta(days=1), start)
                _earlier(h, position, previous, "small")
                continue
            _gp_history(h, position, holder)
        for position in municipality_positions:
            if position.kind == "municipal":
                _municipal_history(h, position)
    # The Bergen posting of the research: 72 applicants for two ALIS posts.
    bergen_alis = sorted(
        (p for p in by_municipality.get("4601", []) if p.kind == "alis"),
        key=lambda p: (p.created, p.external_id),
    )
    if bergen_alis:
        first = bergen_alis[0]
        h.postings.append(
            Posting(
                position=first,
                published=first.created - timedelta(days=150),
                deadline=first.created - timedelta(days=120),
                positions_advertised=2,
                applicants=72,
                qualified_applicants=58,
                hired=2,
                note="To ALIS-stillinger, ALIS-Vest del 2.",
            )
        )
    laerdal_alis = [p for p in by_municipality.get("4642", []) if p.kind == "alis"]
    if laerdal_alis:
        h.postings = [p for p in h.postings if p.position.pk != laerdal_alis[0].pk]
        h.postings.append(
            Posting(
                position=laerdal_alis[0],
                published=date(2022, 4, 20),
                deadline=date(2022, 5, 20),
                applicants=4,
                qualified_applicants=3,
                hired=1,
                note="ALIS-Vest del 1.",
            )
        )
    rows = sorted(h.rows, key=lambda r: (r.position.pk, r.role, r.start))
    saved = Occupancy.objects.bulk_create(
        [
            Occupancy(
                position=r.position,
                person=r.person,
                role=r.role,
                start=r.start,
                end=r.end,
                end_reason=r.end_reason if r.end else "",
                next_work=r.next_work if r.end else "",
                source=Source.DEMO,
            )
            for r in rows
        ]
    )
    Posting.objects.bulk_create(
        sorted(h.postings, key=lambda p: (p.position.pk, p.published)), batch_size=500
    )
    ExitInterview.objects.bulk_create(_exit_interviews(h, saved))
    answers = _stay_surveys(h, saved)
    record(
        actor=None,
        action=AuditEvent.Action.IMPORT,
        object_type="demo",
        summary=(
            f"Demohistorikk for stillinger: {len(saved)} perioder, {len(h.postings)} "
            f"utlysninger, {answers} svar på trivselsundersøkelser (fiktive personer)"
        ),
    )
    return len(saved)


def build_demo() -> None:
    """The demo world's hook (``veiviser.demo.world.DEMO_EXTENSIONS``)."""
    build_demo_history()
