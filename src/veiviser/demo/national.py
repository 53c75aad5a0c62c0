"""A synthetic national dataset for load tests and benchmarks (docs/adr/0080-national-seed.md).

``seed(scale="national")`` fills a migrated database that holds the 357 municipalities with:

- about 5,000 positions (fastlegehjemler, ALIS and other municipal posts) spread unevenly over
  every municipality, each with up to ten years of history at month resolution (holders one
  after another, locums over the gaps: ``workforce.Occupancy`` rows, source "demo");
- about 3,000 ALIS with full training records: service periods, leave, individual supervision
  sessions (about two a month), group supervision, courses, the individual plan with every
  goal of the shipped catalogue and each goal's event history as far as the ALIS has come;
- a veileder and a supervisor for each ALIS, a leader for every municipality (a coordinator
  where there are many positions), a user for every regional ALIS office, one national reader
  and one administrator. Every login has the demo password.

Every person is fictitious and marked so (``Person.fictitious``, e-mail at ``seed.invalid``).
Rows are written with ``bulk_create`` in batches; one password hash is shared by all logins.
``scale="small"`` does the same for a handful of municipalities (tests).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from veiviser.accounts.models import Role, RoleAssignment, User
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record
from veiviser.core.models import (
    EmploymentForm,
    Municipality,
    Office,
    Person,
    Position,
    PositionKind,
    RegionalOffice,
)
from veiviser.demo.world import DEMO_PASSWORD, FAMILY, GIVEN
from veiviser.training.goals import event_key
from veiviser.training.models import (
    Course,
    GoalEvent,
    GroupSupervision,
    LeavePeriod,
    MentorKind,
    Mentorship,
    PlanGoal,
    ServicePeriod,
    SupervisionSession,
    Trainee,
    TrainingPlan,
)
from veiviser.training.services import ensure_default_catalogue
from veiviser.workforce.models import Occupancy, Source

BATCH = 2000
EMAIL_DOMAIN = "seed.invalid"
PREFIX = "n."  # every seeded username starts with this
OSLO = timezone.get_default_timezone()

M = TypeVar("M", bound=models.Model)


class SeedRefused(Exception):
    """The database holds real people, or the seed has run already."""


@dataclass(frozen=True)
class Scale:
    name: str
    municipalities: int | None  # None: all of them
    positions: int
    trainees: int
    years: int = 10


SCALES = {
    "national": Scale("national", None, 5000, 3000),
    "small": Scale("small", 8, 48, 16),
}


@dataclass
class SeedReport:
    scale: str
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)


def _bulk(model: type[M], objects: Iterable[M], report: SeedReport) -> list[M]:
    """bulk_create in batches; returns the saved objects (with primary keys)."""
    objects = list(objects)
    saved: list[M] = []
    for i in range(0, len(objects), BATCH):
        saved += model.objects.bulk_create(objects[i : i + BATCH])
    label = model._meta.label
    report.counts[label] = report.counts.get(label, 0) + len(saved)
    return saved


def _month(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    return dt.date(day.year + m // 12, m % 12 + 1, 1)


def already_seeded() -> bool:
    return User.objects.filter(username=f"{PREFIX}admin").exists()


def real_people() -> int:
    return Person.objects.filter(fictitious=False).count()


class _People:
    """Fictitious people, created in memory and saved in one bulk operation per batch."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pending: list[Person] = []
        self.serial = 0

    def new(self, municipality: Municipality | None, *, doctor: bool = True) -> Person:
        self.serial += 1
        given, family = self.rng.choice(GIVEN), self.rng.choice(FAMILY)
        person = Person(
            given_name=given,
            family_name=family,
            is_doctor=doctor,
            is_specialist_gp=doctor and self.rng.random() < 0.6,
            fictitious=True,
            home_municipality=municipality,
            email=f"person{self.serial}@{EMAIL_DOMAIN}",
        )
        self.pending.append(person)
        return person

    def flush(self, report: SeedReport) -> None:
        _bulk(Person, self.pending, report)
        self.pending = []


def _distribute(total: int, count: int, rng: random.Random) -> list[int]:
    """``total`` positions over ``count`` municipalities: at least two each, the rest uneven
    (a few large towns, many small municipalities)."""
    base = min(2, total // count)
    counts = [base] * count
    weights = [rng.paretovariate(1.1) for _ in range(count)]
    for i in rng.choices(range(count), weights, k=total - base * count):
        counts[i] += 1
    return counts


def seed(
    *,
    scale: str = "national",
    force: bool = False,
    rng_seed: int = 2026,
    today: dt.date | None = None,
    progress: Any = None,
) -> SeedReport:
    """Create the synthetic dataset. Refuses a database with real people unless ``force``."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}")
    size = SCALES[scale]
    if already_seeded():
        raise SeedRefused("the synthetic dataset exists already")
    if not force and real_people():
        raise SeedRefused(
            f"the database holds {real_people()} real (non-fictitious) people; use --force"
        )
    if not Municipality.objects.exists():
        raise SeedRefused("no municipalities: run `veiviser migrate` first")
    report = SeedReport(scale=scale)
    began = time.perf_counter()
    say = progress or (lambda _msg: None)
    with transaction.atomic():
        _seed(size, report, random.Random(rng_seed), today or timezone.localdate(), say)
    report.seconds = time.perf_counter() - began
    return report


def _seed(size: Scale, report: SeedReport, rng: random.Random, today: dt.date, say: Any) -> None:
    municipalities = list(Municipality.objects.order_by("number"))
    if size.municipalities is not None:
        # A deterministic handful across the country, Lærdal and Bergen included.
        chosen = {"4642", "4601"}
        step = max(1, len(municipalities) // size.municipalities)
        chosen |= {m.number for m in municipalities[::step][: size.municipalities - 2]}
        municipalities = [m for m in municipalities if m.number in chosen]
    history_from = dt.date(today.year - size.years, today.month, 1)
    people = _People(rng)
    Municipality.objects.filter(pk__in=[m.pk for m in municipalities]).update(
        registered_institution=True, registered_at=dt.date(2019, 3, 1)
    )

    # Offices and positions.
    say("stillinger")
    per_municipality = _distribute(size.positions, len(municipalities), rng)
    offices: list[Office] = []
    for municipality, n in zip(municipalities, per_municipality, strict=True):
        for k in range(max(1, n // 6)):
            offices.append(
                Office(
                    municipality=municipality,
                    name=f"{municipality.name} legesenter {k + 1} (fiktivt)",
                    address="Fiktiv veg 1",
                )
            )
    offices = _bulk(Office, offices, report)
    offices_of: dict[int, list[Office]] = {}
    for office in offices:
        offices_of.setdefault(office.municipality_id, []).append(office)
    positions: list[Position] = []
    for municipality, n in zip(municipalities, per_municipality, strict=True):
        for k in range(n):
            roll = rng.random()
            kind = (
                PositionKind.GP
                if roll < 0.82
                else PositionKind.ALIS
                if roll < 0.96
                else PositionKind.MUNICIPAL
            )
            created = (
                dt.date(rng.randint(1995, today.year - size.years), rng.randint(1, 12), 1)
                if rng.random() < 0.8
                else _month(history_from, rng.randint(1, 12 * size.years - 6))
            )
            positions.append(
                Position(
                    municipality=municipality,
                    office=rng.choice(offices_of[municipality.pk]),
                    external_id=f"N{municipality.number}-{k + 1:03d}",
                    kind=kind,
                    form=rng.choice(list(EmploymentForm.values)),
                    programme="ALIS (fiktiv)" if kind == PositionKind.ALIS else "",
                    list_size=rng.randrange(300, 1500),
                    list_cap=rng.choice([800, 1000, 1200, 1500]),
                    created=created,
                )
            )
    positions = _bulk(Position, positions, report)

    # ALIS: the current holders of a share of the positions, started within the last 7 years.
    say("ALIS")
    candidates = [p for p in positions if p.kind != PositionKind.MUNICIPAL]
    rng.shuffle(candidates)
    alis_positions = sorted(candidates[: size.trainees], key=lambda p: p.pk)
    alis_start = {
        p.pk: max(
            _month(p.created, 1),
            _month(today, -rng.randint(1, 84)),
        )
        for p in alis_positions
    }
    alis_person = {p.pk: people.new(p.municipality) for p in alis_positions}

    # Histories: holders one after another back to the position's creation or ten years ago,
    # locums over most gaps. Starts and ends on month boundaries.
    say("historikk")
    rows: list[tuple[Position, Person, str, dt.date, dt.date | None, str, str]] = []
    locums: list[Person] = []
    current_holder: dict[int, Person] = {}

    def locum() -> Person:
        if len(locums) < 20 or rng.random() < 0.05:
            locums.append(people.new(None))
        return rng.choice(locums)

    for position in positions:
        small = (
            position.municipality.centrality is not None and position.municipality.centrality >= 5
        )
        small = small or rng.random() < 0.3
        if position.pk in alis_person:
            start = alis_start[position.pk]
            holder = alis_person[position.pk]
        else:
            tenure = rng.randint(8, 60) if small else rng.randint(24, 180)
            start = max(_month(position.created, 0), _month(today, -tenure))
            holder = people.new(position.municipality)
        vacant_now = position.pk not in alis_person and small and rng.random() < 0.06
        if vacant_now:
            end = _month(today, -rng.randint(2, 10)) - dt.timedelta(days=1)
            if end > start:
                rows.append((position, holder, "holder", start, end, "resigned", "hospital"))
                rows.append((position, locum(), "locum", end + dt.timedelta(days=1), None, "", ""))
            else:
                rows.append((position, holder, "holder", start, None, "", ""))
        else:
            rows.append((position, holder, "holder", start, None, "", ""))
            current_holder[position.pk] = holder
        cursor = start
        floor = max(_month(position.created, 0), history_from)
        while cursor > floor:
            gap = rng.choice([0, 0, 1, 2, 3, 6]) if small else rng.choice([0, 0, 0, 1, 2])
            end = _month(cursor, -gap) - dt.timedelta(days=1)
            tenure = rng.randint(8, 40) if small else rng.randint(24, 150)
            begin = max(floor, _month(end, -tenure + 1))
            if end <= begin:
                break
            reason = rng.choice(["resigned", "resigned", "moved", "retired", "other"])
            work = rng.choice(["general_practice", "hospital", "other", "unknown"])
            rows.append(
                (position, people.new(position.municipality), "holder", begin, end, reason, work)
            )
            if gap and rng.random() < 0.85:
                rows.append(
                    (
                        position,
                        locum(),
                        "locum",
                        end + dt.timedelta(days=1),
                        _month(cursor, 0) - dt.timedelta(days=1),
                        "",
                        "",
                    )
                )
            if rng.random() < 0.15 and (end - begin).days > 400:  # an absence covered by a locum
                away = _month(begin, rng.randint(3, max(3, (end - begin).days // 31 - 3)))
                rows.append(
                    (
                        position,
                        locum(),
                        "locum",
                        away,
                        min(end, _month(away, rng.randint(2, 10)) - dt.timedelta(days=1)),
                        "",
                        "",
                    )
                )
            cursor = begin
    people.flush(report)
    _bulk(
        Occupancy,
        (
            Occupancy(
                position=p,
                person=person,
                role=role,
                start=start,
                end=end,
                end_reason=reason,
                next_work=work,
                source=Source.DEMO,
            )
            for p, person, role, start, end, reason, work in rows
        ),
        report,
    )

    # Veileder and supervisor of each ALIS: other current holders in the same municipality.
    say("veiledere")
    holders_by_municipality: dict[int, list[Person]] = {}
    for position in positions:
        person = current_holder.get(position.pk)
        if person is not None and position.pk not in alis_person:
            holders_by_municipality.setdefault(position.municipality_id, []).append(person)
    trainees: list[Trainee] = []
    for position in alis_positions:
        trainees.append(
            Trainee(
                person=alis_person[position.pk],
                municipality=position.municipality,
                office=position.office,
                training_start=alis_start[position.pk],
            )
        )
    trainees = _bulk(Trainee, trainees, report)
    mentorships: list[Mentorship] = []
    mentors: set[tuple[int, int]] = set()  # (person, municipality)
    fallback = [p for group in holders_by_municipality.values() for p in group]
    for trainee in trainees:
        pool = holders_by_municipality.get(trainee.municipality_id) or fallback
        veileder = rng.choice(pool)
        supervisor = rng.choice(pool)
        for kind, mentor in ((MentorKind.VEILEDER, veileder), (MentorKind.SUPERVISOR, supervisor)):
            mentorships.append(
                Mentorship(
                    trainee=trainee,
                    mentor=mentor,
                    kind=kind,
                    started=trainee.training_start,
                    inter_municipal=mentor.home_municipality_id != trainee.municipality_id,
                )
            )
            mentors.add((mentor.pk, trainee.municipality_id))
    _bulk(Mentorship, mentorships, report)

    say("utdanningsløp")
    _training_records(trainees, mentorships, report, rng, today)

    say("brukere")
    _logins(municipalities, positions, trainees, sorted(mentors), report, people)


def _training_records(
    trainees: Sequence[Trainee],
    mentorships: Sequence[Mentorship],
    report: SeedReport,
    rng: random.Random,
    today: dt.date,
) -> None:
    catalogue = ensure_default_catalogue()
    goals = list(catalogue.goals.order_by("order"))
    mentor_of = {(m.trainee_id, m.kind): m.mentor for m in mentorships}
    chunk = 200
    for i in range(0, len(trainees), chunk):
        part = trainees[i : i + chunk]
        service: list[ServicePeriod] = []
        leave: list[LeavePeriod] = []
        sessions: list[SupervisionSession] = []
        groups: list[GroupSupervision] = []
        courses: list[Course] = []
        for trainee in part:
            start = trainee.training_start
            months_in = (today.year - start.year) * 12 + today.month - start.month
            veileder = mentor_of[(trainee.pk, MentorKind.VEILEDER)]
            cursor = start
            if months_in > 40:
                inst = _month(start, 30)
                service += _gp(trainee, cursor, inst - dt.timedelta(days=1))
                service.append(
                    ServicePeriod(
                        trainee=trainee,
                        start=inst,
                        end=_month(inst, 6) - dt.timedelta(days=1),
                        percent=100,
                        arena="institution",
                        setting="sykehus",
                        employer="Fiktivt helseforetak HF",
                    )
                )
                cursor = _month(inst, 6)
            service += _gp(trainee, cursor, None)
            if rng.random() < 0.25 and months_in > 24:
                away = _month(start, rng.randint(6, months_in - 12))
                leave.append(
                    LeavePeriod(
                        trainee=trainee,
                        start=away,
                        end=_month(away, rng.randint(2, 10)) - dt.timedelta(days=1),
                        percent=100,
                        kind=rng.choice(["parental", "sick", "other"]),
                    )
                )
            day = start + dt.timedelta(days=10)
            while day <= today:
                if day.month != 7 and rng.random() > 0.08:
                    sessions.append(
                        SupervisionSession(
                            trainee=trainee,
                            date=day,
                            hours=Decimal(rng.choice(["1", "1.5", "2"])),
                            veileder=veileder,
                        )
                    )
                day += dt.timedelta(days=14)
            if months_in > 6:
                group_end = _month(start, 30) - dt.timedelta(days=1)
                done = group_end < today
                groups.append(
                    GroupSupervision(
                        trainee=trainee,
                        start=_month(start, 6),
                        end=group_end if done else None,
                        hours=Decimal(120 if done else 4 * (months_in - 6)),
                        group=f"Gruppe {trainee.municipality_id}-{start.year}",
                        group_leader="Fiktiv gruppeveileder",
                        diploma=done,
                    )
                )
            for k, kind in enumerate(
                ["grunnkurs_a", "grunnkurs_b", "grunnkurs_c", "akuttmedisin", "grunnkurs_d"]
            ):
                completed = _month(start, 4 + 9 * k)
                courses.append(
                    Course(
                        trainee=trainee,
                        kind=kind,
                        hours=Decimal(30),
                        title=kind.replace("_", " ").title(),
                        completed=completed if completed <= today else None,
                    )
                )
        for model, objects in (
            (ServicePeriod, service),
            (LeavePeriod, leave),
            (SupervisionSession, sessions),
            (GroupSupervision, groups),
            (Course, courses),
        ):
            _bulk(model, objects, report)
        plans = _bulk(
            TrainingPlan, (TrainingPlan(trainee=t, catalogue=catalogue) for t in part), report
        )
        plan_goals: list[PlanGoal] = []
        chains: list[list[tuple[str, str, str, dt.datetime]]] = []
        for trainee, plan in zip(part, plans, strict=True):
            months_in = (today.year - trainee.training_start.year) * 12 + (
                today.month - trainee.training_start.month
            )
            share = min(1.0, months_in / 54)
            approved = int(len(goals) * share)
            me = f"vv-{trainee.pk}"
            v = f"p-{mentor_of[(trainee.pk, MentorKind.VEILEDER)].pk}"
            s = f"p-{mentor_of[(trainee.pk, MentorKind.SUPERVISOR)].pk}"
            for k, goal in enumerate(goals):
                chain: list[tuple[str, str, str, dt.datetime]] = []
                if k < approved + 3:
                    when = dt.datetime.combine(
                        min(
                            trainee.training_start + dt.timedelta(days=int(20 * k * share) + 30),
                            today - dt.timedelta(days=7),
                        ),
                        dt.time(9),
                        OSLO,
                    )
                    steps = [("submitted", "alis", me)]
                    if k < approved + 2:
                        steps.append(("recommended", "veileder", v))
                    if k < approved + 1:
                        steps.append(("recommended", "supervisor", s))
                    if k < approved:
                        steps.append(("approved", "leader", "leder"))
                    chain = [
                        (a, r, ref, when + dt.timedelta(days=2 * n))
                        for n, (a, r, ref) in enumerate(steps)
                    ]
                status = {
                    0: "not_started",
                    1: "submitted",
                    2: "recommended",
                    3: "ready_for_decision",
                    4: "approved",
                }[len(chain)]
                plan_goals.append(
                    PlanGoal(
                        plan=plan,
                        goal=goal,
                        code=goal.code,
                        order=goal.order,
                        status=status,
                        status_since=chain[-1][3] if chain else None,
                        version=len(chain),
                    )
                )
                chains.append(chain)
        plan_goals = _bulk(PlanGoal, plan_goals, report)
        _bulk(
            GoalEvent,
            (
                GoalEvent(
                    plan_goal=pg,
                    at=at,
                    action=action,
                    role=role,
                    actor_ref=ref,
                    import_key=event_key(at, action, ref, role),
                )
                for pg, chain in zip(plan_goals, chains, strict=True)
                for action, role, ref, at in chain
            ),
            report,
        )


def _gp(trainee: Trainee, start: dt.date, end: dt.date | None) -> list[ServicePeriod]:
    """80 % on the GP list and 20 % at the out-of-hours service."""
    return [
        ServicePeriod(
            trainee=trainee,
            start=start,
            end=end,
            percent=percent,
            arena=arena,
            setting=setting,
            municipality_id=trainee.municipality_id,
            registered_institution=True,
        )
        for arena, percent, setting in (
            ("open_practice", 80, "fastlege"),
            ("other_gp", 20, "legevakt"),
        )
    ]


def _logins(
    municipalities: Sequence[Municipality],
    positions: Sequence[Position],
    trainees: Sequence[Trainee],
    mentors: Sequence[tuple[int, int]],
    report: SeedReport,
    people: _People,
) -> None:
    password = make_password(DEMO_PASSWORD)
    specs: list[tuple[str, Person, str, int | None, int | None]] = []
    count_of: dict[int, int] = {}
    for position in positions:
        count_of[position.municipality_id] = count_of.get(position.municipality_id, 0) + 1
    for municipality in municipalities:
        specs.append(
            (
                f"{PREFIX}leder.{municipality.number}",
                people.new(municipality, doctor=False),
                Role.LEADER,
                municipality.pk,
                None,
            )
        )
        if count_of.get(municipality.pk, 0) >= 20:
            specs.append(
                (
                    f"{PREFIX}koord.{municipality.number}",
                    people.new(municipality, doctor=False),
                    Role.COORDINATOR,
                    municipality.pk,
                    None,
                )
            )
    for k, region in enumerate(RegionalOffice.objects.order_by("name"), start=1):
        specs.append(
            (f"{PREFIX}region.{k}", people.new(None, doctor=False), Role.REGIONAL, None, region.pk)
        )
    specs.append((f"{PREFIX}nasjonal", people.new(None, doctor=False), Role.NATIONAL, None, None))
    specs.append((f"{PREFIX}admin", people.new(None, doctor=False), Role.ADMIN, None, None))
    people.flush(report)
    persons_by_pk = {t.person_id: t.person for t in trainees}
    for k, trainee in enumerate(trainees, start=1):
        specs.append(
            (
                f"{PREFIX}alis.{k}",
                persons_by_pk[trainee.person_id],
                Role.ALIS,
                trainee.municipality_id,
                None,
            )
        )
    seen: dict[int, int] = {}
    mentor_people = {p.pk: p for p in Person.objects.filter(pk__in={m for m, _ in mentors})}
    extra_roles: list[tuple[int, int]] = []
    for person_pk, municipality_pk in mentors:
        if person_pk in seen:
            extra_roles.append((person_pk, municipality_pk))
            continue
        seen[person_pk] = len(seen) + 1
        specs.append(
            (
                f"{PREFIX}veileder.{seen[person_pk]}",
                mentor_people[person_pk],
                Role.VEILEDER,
                municipality_pk,
                None,
            )
        )
    users = _bulk(
        User,
        (
            User(
                username=username,
                password=password,
                first_name=person.given_name,
                last_name=person.family_name,
                email=person.email,
                person=person,
                is_superuser=role == Role.ADMIN,
                is_staff=role == Role.ADMIN,
            )
            for username, person, role, _m, _r in specs
        ),
        report,
    )
    user_of_person = {u.person_id: u for u in users}
    assignments = [
        RoleAssignment(user=user, role=role, municipality_id=m, regional_office_id=r)
        for user, (_u, _p, role, m, r) in zip(users, specs, strict=True)
    ]
    assignments += [
        RoleAssignment(user=user_of_person[p], role=Role.VEILEDER, municipality_id=m)
        for p, m in extra_roles
    ]
    # A person may mentor twice in one municipality: one assignment each.
    unique: dict[tuple[int, str, int | None, int | None], RoleAssignment] = {}
    for a in assignments:
        unique.setdefault((a.user.pk, a.role, a.municipality_id, a.regional_office_id), a)
    _bulk(RoleAssignment, unique.values(), report)
    report.logins = [
        ("Administrator", f"{PREFIX}admin"),
        ("Nasjonal lesetilgang", f"{PREFIX}nasjonal"),
        ("Regionalt ALIS-kontor", f"{PREFIX}region.1"),
        ("Kommunal leder (Bergen)", f"{PREFIX}leder.4601"),
        ("ALIS", f"{PREFIX}alis.1"),
        ("Veileder", f"{PREFIX}veileder.1"),
    ]
    record(
        actor=None,
        action=AuditEvent.Action.IMPORT,
        object_type="demo",
        summary=f"Syntetisk nasjonalt datasett opprettet ({len(trainees)} ALIS, "
        f"{len(positions)} stillinger; fiktive personer)",
    )
