"""The demo world: the ALIS-Vest municipalities of the research and two ALIS-Nord ones, with
offices, positions, ALIS at different stages, veiledere and leaders. Every person is fictitious
and marked so (``Person.fictitious``); names are drawn from common Norwegian names."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.db import transaction

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
from veiviser.training.models import MentorKind, Mentorship, Trainee

DEMO_PASSWORD = "veiviser-demo"  # noqa: S105 - the published demo password

GIVEN = [
    "Kari",
    "Ola",
    "Ingrid",
    "Lars",
    "Sigrid",
    "Erik",
    "Marte",
    "Anders",
    "Silje",
    "Jonas",
    "Hanne",
    "Magnus",
    "Ida",
    "Håkon",
    "Nora",
    "Sindre",
    "Thea",
    "Eirik",
    "Maren",
    "Torbjørn",
    "Solveig",
    "Øystein",
    "Astrid",
    "Vegard",
    "Ragnhild",
    "Kristian",
    "Live",
    "Bjørn",
    "Tuva",
    "Aslak",
    "Guro",
    "Halvard",
    "Eli",
    "Amir",
    "Fatima",
    "Jakub",
    "Anna",
    "Mikkel",
]
FAMILY = [
    "Nordmann",
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Haugen",
    "Berg",
    "Dahl",
    "Lie",
    "Lund",
    "Moen",
    "Solberg",
    "Bakken",
    "Strand",
    "Rønning",
    "Eide",
    "Vik",
    "Fjeld",
    "Myklebust",
    "Aasen",
    "Sæther",
    "Hauge",
    "Brekke",
    "Tveit",
    "Nygård",
    "Lunde",
    "Sandvik",
    "Kvamme",
]


@dataclass(frozen=True)
class DemoMunicipality:
    number: str
    offices: tuple[str, ...]
    gp_positions: int
    alis_positions: int
    programme: str
    registered: date | None


DEMO_MUNICIPALITIES = [
    DemoMunicipality(
        "4601",
        ("Sentrum legesenter", "Åsane legesenter", "Fana legekontor", "Loddefjord legesenter"),
        14,
        6,
        "ALIS-Vest del 2",
        date(2019, 9, 1),
    ),
    DemoMunicipality("4634", ("Masfjorden legekontor",), 2, 1, "ALIS-Vest del 1", date(2019, 6, 1)),
    DemoMunicipality("4629", ("Modalen legekontor",), 1, 1, "ALIS-Vest del 1", date(2020, 1, 15)),
    DemoMunicipality("4635", ("Gulen legekontor",), 3, 1, "ALIS-Vest del 1", date(2019, 6, 1)),
    DemoMunicipality("4637", ("Hyllestad legekontor",), 2, 1, "ALIS-Vest del 1", date(2019, 6, 1)),
    DemoMunicipality("4642", ("Lærdal legekontor",), 3, 1, "ALIS-Vest del 1", date(2019, 5, 2)),
    DemoMunicipality("4643", ("Årdal legekontor",), 4, 1, "ALIS-Vest del 1", date(2019, 5, 2)),
    DemoMunicipality(
        "4618",
        ("Odda legekontor", "Kinsarvik legekontor"),
        6,
        1,
        "ALIS-Vest del 1",
        date(2019, 8, 20),
    ),
    DemoMunicipality("4614", ("Stord legesenter",), 9, 2, "ALIS-Vest del 2", date(2019, 9, 1)),
    DemoMunicipality("4613", ("Bømlo legekontor",), 6, 2, "ALIS-Vest del 2", date(2019, 9, 1)),
    DemoMunicipality(
        "4624", ("Os legesenter", "Fusa legekontor"), 8, 2, "ALIS-Vest del 2", date(2020, 2, 1)
    ),
    DemoMunicipality("4622", ("Kvam legesenter",), 5, 1, "ALIS-Vest del 2", None),
    DemoMunicipality("1837", ("Meløy legekontor",), 4, 2, "ALIS-Nord", date(2019, 10, 1)),
    DemoMunicipality(
        "1804", ("Bodø legesenter", "Saltstraumen legekontor"), 12, 4, "ALIS-Nord", date(2019, 9, 1)
    ),
]

# (label printed by `veiviser demo`, username, role, municipality or region)
DEMO_LOGINS = [
    ("Administrator", "admin", Role.ADMIN, None),
    ("Nasjonal lesetilgang", "nasjonal", Role.NATIONAL, None),
    ("Regionalt ALIS-kontor Vest", "alisvest", Role.REGIONAL, "ALIS Vest (Bergen)"),
    ("Regionalt ALIS-kontor Nord", "alisnord", Role.REGIONAL, "ALIS Nord (Bodø)"),
    ("Kommunal leder, Lærdal", "leder.laerdal", Role.LEADER, "4642"),
    ("Kommunal leder, Bergen", "leder.bergen", Role.LEADER, "4601"),
    ("ALIS-koordinator, Bergen", "koord.bergen", Role.COORDINATOR, "4601"),
    ("Veileder (Lærdal og Årdal)", "veileder", Role.VEILEDER, "4642"),
    ("Supervisør, Lærdal", "supervisor", Role.SUPERVISOR, "4642"),
    ("ALIS, Lærdal", "alis", Role.ALIS, "4642"),
]


class Names:
    def __init__(self, seed: int = 2019):
        self.rng = random.Random(seed)
        self.used: set[tuple[str, str]] = set()

    def next(self) -> tuple[str, str]:
        while True:
            pair = (self.rng.choice(GIVEN), self.rng.choice(FAMILY))
            if pair not in self.used:
                self.used.add(pair)
                return pair


def demo_exists() -> bool:
    return User.objects.filter(username="admin", person__fictitious=True).exists() or (
        Person.objects.filter(fictitious=True).exists()
    )


# Each app that adds to the demo world has a ``demo`` module with ``build_demo() -> None``;
# they run in this order, after the organisation, people and training records exist.
DEMO_EXTENSIONS = [
    "veiviser.workforce.demo",
    "veiviser.documents.demo",
    "veiviser.agreements.demo",
    "veiviser.planning.demo",
    "veiviser.cycle.demo",
    "veiviser.regional.demo",
    "veiviser.reminders.demo",
]


def build_demo_extensions() -> None:
    import importlib

    for name in DEMO_EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # the app adds nothing to the demo world
            raise
        module.build_demo()


@transaction.atomic
def build_demo_world() -> list[tuple[str, str]]:
    """Create the demo world once; return the (role label, username) logins."""
    logins = [(label, username) for label, username, _role, _where in DEMO_LOGINS]
    if demo_exists():
        return logins
    names = Names()
    rng = random.Random(42)
    by_number = {
        m.number: m
        for m in Municipality.objects.filter(number__in=[d.number for d in DEMO_MUNICIPALITIES])
    }
    doctors_by_municipality: dict[str, list[Person]] = {}
    for demo in DEMO_MUNICIPALITIES:
        municipality = by_number[demo.number]
        if demo.registered:
            municipality.registered_institution = True
            municipality.registered_at = demo.registered
            municipality.save(update_fields=["registered_institution", "registered_at"])
        offices = [
            Office.objects.create(
                municipality=municipality, name=name, address=f"{name.split()[0]}vegen 1"
            )
            for name in demo.offices
        ]
        doctors: list[Person] = []
        for i in range(demo.gp_positions):
            given, family = names.next()
            office = offices[i % len(offices)]
            created = date(2008 + rng.randrange(0, 10), 1 + rng.randrange(12), 1)
            Position.objects.create(
                municipality=municipality,
                office=office,
                external_id=f"H{demo.number}-{i + 1:02d}",
                kind=PositionKind.GP,
                form=rng.choice(
                    [
                        EmploymentForm.SELF_EMPLOYED,
                        EmploymentForm.SELF_EMPLOYED,
                        EmploymentForm.SALARIED,
                        EmploymentForm.SALARIED_BONUS,
                    ]
                ),
                list_size=rng.randrange(600, 1400),
                list_cap=rng.choice([800, 1000, 1200, 1500]),
                created=created,
            )
            doctors.append(
                Person.objects.create(
                    given_name=given,
                    family_name=family,
                    is_doctor=True,
                    is_specialist_gp=rng.random() < 0.7,
                    fictitious=True,
                    home_municipality=municipality,
                    email=f"{given}.{family}@demo.invalid".lower()
                    .replace("ø", "o")
                    .replace("å", "a")
                    .replace("æ", "ae"),
                )
            )
        for i in range(demo.alis_positions):
            Position.objects.create(
                municipality=municipality,
                office=offices[i % len(offices)],
                external_id=f"A{demo.number}-{i + 1:02d}",
                kind=PositionKind.ALIS,
                form=EmploymentForm.SALARIED,
                programme=demo.programme,
                list_size=rng.randrange(300, 900),
                list_cap=1000,
                created=date(2019 + rng.randrange(0, 3), 9, 1),
            )
        Position.objects.create(
            municipality=municipality,
            office=offices[0],
            external_id=f"K{demo.number}-01",
            kind=PositionKind.MUNICIPAL,
            form=EmploymentForm.SALARIED,
            created=date(2015, 1, 1),
        )
        doctors_by_municipality[demo.number] = doctors

    people: dict[str, Person] = {}
    for _label, username, role, where in DEMO_LOGINS:
        given, family = names.next()
        municipality = by_number.get(where or "")
        person = Person.objects.create(
            given_name=given,
            family_name=family,
            fictitious=True,
            is_doctor=role in (Role.VEILEDER, Role.SUPERVISOR, Role.ALIS),
            is_specialist_gp=role in (Role.VEILEDER, Role.SUPERVISOR),
            home_municipality=municipality,
            email=f"{username}@demo.invalid",
        )
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=given,
            last_name=family,
            email=person.email,
            person=person,
            is_superuser=(role == Role.ADMIN),
            is_staff=(role == Role.ADMIN),
        )
        region = RegionalOffice.objects.get(name=where) if role == Role.REGIONAL else None
        RoleAssignment.objects.create(
            user=user, role=role, municipality=municipality, regional_office=region
        )
        people[username] = person
    # The veileder also serves Årdal (inter-municipal).
    veileder_user = User.objects.get(username="veileder")
    RoleAssignment.objects.create(
        user=veileder_user, role=Role.VEILEDER, municipality=by_number["4643"]
    )

    # ALIS at different stages across the municipalities.
    starts = [
        date(2019, 9, 1),
        date(2020, 9, 1),
        date(2021, 9, 1),
        date(2022, 3, 1),
        date(2023, 9, 1),
        date(2024, 9, 1),
        date(2025, 9, 1),
        date(2026, 3, 1),
    ]
    alis_person = people["alis"]
    Trainee.objects.create(
        person=alis_person,
        municipality=by_number["4642"],
        office=Office.objects.get(municipality=by_number["4642"]),
        training_start=date(2022, 9, 1),
    )
    trainee_count = 0
    for demo in DEMO_MUNICIPALITIES:
        municipality = by_number[demo.number]
        offices = list(municipality.offices.all())
        for i in range(demo.alis_positions):
            if demo.number == "4642":
                continue
            given, family = names.next()
            person = Person.objects.create(
                given_name=given,
                family_name=family,
                is_doctor=True,
                fictitious=True,
                home_municipality=municipality,
            )
            trainee = Trainee.objects.create(
                person=person,
                municipality=municipality,
                office=offices[i % len(offices)],
                training_start=starts[(trainee_count + i) % len(starts)],
            )
            trainee_count += 1
            mentors = doctors_by_municipality[demo.number]
            if mentors and demo.number != "4629":  # Modalen: no veileder yet
                Mentorship.objects.create(
                    trainee=trainee,
                    mentor=mentors[i % len(mentors)],
                    kind=MentorKind.VEILEDER,
                    started=trainee.training_start,
                )
            if len(mentors) > 1:
                Mentorship.objects.create(
                    trainee=trainee,
                    mentor=mentors[(i + 1) % len(mentors)],
                    kind=MentorKind.SUPERVISOR,
                    started=trainee.training_start,
                )
    lardal_alis = Trainee.objects.get(person=alis_person)
    Mentorship.objects.create(
        trainee=lardal_alis,
        mentor=people["veileder"],
        kind=MentorKind.VEILEDER,
        started=date(2022, 9, 1),
    )
    Mentorship.objects.create(
        trainee=lardal_alis,
        mentor=people["supervisor"],
        kind=MentorKind.SUPERVISOR,
        started=date(2022, 9, 1),
    )
    ardal_alis = Trainee.objects.filter(municipality=by_number["4643"]).first()
    if ardal_alis:
        ardal_alis.mentorships.filter(kind=MentorKind.VEILEDER).delete()
        Mentorship.objects.create(
            trainee=ardal_alis,
            mentor=people["veileder"],
            kind=MentorKind.VEILEDER,
            started=ardal_alis.training_start,
            inter_municipal=True,
        )
    from veiviser.demo.training import build_demo_training

    build_demo_training()
    build_demo_extensions()
    record(
        actor=None,
        action=AuditEvent.Action.IMPORT,
        object_type="demo",
        summary="Demoverden opprettet (fiktive personer)",
    )
    return logins
