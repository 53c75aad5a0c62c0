"""`veiviser seed`: the synthetic dataset (small scale), its markings and its refusals."""

from __future__ import annotations

import pytest

from veiviser.accounts.models import User
from veiviser.core.models import Person
from veiviser.demo.national import SeedRefused, seed
from veiviser.training.models import GoalEvent, SupervisionSession, Trainee
from veiviser.workforce.models import Occupancy

pytestmark = pytest.mark.django_db


def test_small_seed_makes_fictitious_people_with_history_and_records() -> None:
    report = seed(scale="small")
    assert report.counts["core.Position"] == 48
    assert Trainee.objects.count() == 16
    assert not Person.objects.filter(fictitious=False).exists()
    assert Occupancy.objects.filter(source="demo").count() >= 48
    assert SupervisionSession.objects.exists() and GoalEvent.objects.exists()
    # Every ALIS is the current holder of a position, with a veileder and a supervisor.
    trainee = Trainee.objects.first()
    assert trainee.person.occupancies.filter(end__isnull=True).exists()
    assert {m.kind for m in trainee.mentorships.all()} == {"veileder", "supervisor"}
    # Logins share one password hash and have their role.
    leader = User.objects.get(username="n.leder.4601")
    assert leader.check_password("veiviser-demo")
    assert leader.role_assignments.get().role == "leader"
    assert User.objects.get(username="n.admin").is_superuser


def test_seed_refuses_a_database_with_real_people_unless_forced() -> None:
    Person.objects.create(given_name="Ekte", family_name="Person")
    with pytest.raises(SeedRefused, match="real"):
        seed(scale="small")
    assert not Trainee.objects.exists()
    seed(scale="small", force=True)
    assert Trainee.objects.count() == 16


def test_seed_runs_once() -> None:
    seed(scale="small")
    with pytest.raises(SeedRefused, match="exists"):
        seed(scale="small")


def test_seed_command(capsys: pytest.CaptureFixture[str]) -> None:
    from veiviser.cli import main

    Person.objects.create(given_name="Ekte", family_name="Person")
    assert main(["seed", "--scale", "small"]) == 1
    assert "--force" in capsys.readouterr().err
