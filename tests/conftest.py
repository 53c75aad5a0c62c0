"""Shared fixtures: the reference data once per test session, and a small world of users with
roles in two municipalities and two regions (see ``actors``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# No timing assertions in the suite (speed is measured by tests/bench): hypothesis's per-example
# deadline would fail a correct property on a loaded CI machine.
hypothesis_settings.register_profile(
    "veiviser", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("veiviser")

# Commands the tests start in a subprocess read this before their settings load.
os.environ.setdefault("VEIVISER_FAST_PASSWORD_HASHER", "1")


def pytest_configure(config: Any) -> None:
    """pytest-django has loaded the settings before this file is imported, so the test-only
    settings are applied here: a fast password hasher, and uploads in a temporary directory
    (never in ./var/media of the checkout)."""
    import tempfile

    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="veiviser-test-media-")


def pytest_unconfigure(config: Any) -> None:
    import shutil

    from django.conf import settings

    if "veiviser-test-media-" in str(settings.MEDIA_ROOT):
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from veiviser.core.services import load_reference_data

    with django_db_blocker.unblock():
        load_reference_data()


@dataclass
class Actors:
    """Users for the permission matrix. Lærdal (4642) is 'own' municipality, Bergen (4601) a
    foreign one in the same region, Bodø (1804) a municipality of another region."""

    users: dict[str, Any]
    laerdal: Any
    bergen: Any
    bodo: Any
    trainee: Any
    office: Any

    def __getitem__(self, name: str) -> Any:
        return self.users[name]


def make_user(
    username: str,
    role: str | None = None,
    *,
    municipality: Any = None,
    region: Any = None,
    doctor: bool = False,
) -> Any:
    from veiviser.accounts.models import RoleAssignment, User
    from veiviser.core.models import Person

    person = Person.objects.create(
        given_name=username.title(),
        family_name="Testesen",
        is_doctor=doctor,
        home_municipality=municipality,
    )
    user = User.objects.create_user(
        username=username, password="test-password-1", person=person, is_superuser=(role == "admin")
    )
    if role:
        RoleAssignment.objects.create(
            user=user, role=role, municipality=municipality, regional_office=region
        )
    return user


@pytest.fixture
def actors(db: Any) -> Actors:
    from veiviser.core.models import Municipality, Office
    from veiviser.training.models import Mentorship, Trainee

    laerdal = Municipality.objects.get(number="4642")
    bergen = Municipality.objects.get(number="4601")
    bodo = Municipality.objects.get(number="1804")
    users = {
        "alis": make_user("alis", "alis", municipality=laerdal, doctor=True),
        "veileder": make_user("veileder", "veileder", municipality=laerdal, doctor=True),
        "supervisor": make_user("supervisor", "supervisor", municipality=laerdal, doctor=True),
        "leader": make_user("leader", "leader", municipality=laerdal),
        "coordinator": make_user("coordinator", "coordinator", municipality=laerdal),
        "foreign_leader": make_user("foreign_leader", "leader", municipality=bergen),
        "regional": make_user("regional", "regional", region=laerdal.regional_office),
        "foreign_regional": make_user("foreign_regional", "regional", region=bodo.regional_office),
        "national": make_user("national", "national"),
        "admin": make_user("admin", "admin"),
        "norole": make_user("norole"),
    }
    office = Office.objects.create(municipality=laerdal, name="Lærdal legekontor")
    trainee = Trainee.objects.create(
        person=users["alis"].person,
        municipality=laerdal,
        office=office,
        training_start=date(2022, 9, 1),
    )
    Mentorship.objects.create(
        trainee=trainee, mentor=users["veileder"].person, kind="veileder", started=date(2022, 9, 1)
    )
    Mentorship.objects.create(
        trainee=trainee,
        mentor=users["supervisor"].person,
        kind="supervisor",
        started=date(2022, 9, 1),
    )
    return Actors(
        users=users, laerdal=laerdal, bergen=bergen, bodo=bodo, trainee=trainee, office=office
    )
