"""Privacy: export of everything held about a person, pseudonymisation, retention purge, and
the append-only audit log."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection

from veiviser.accounts.models import LoginFailure, User
from veiviser.audit.models import AppendOnlyError, AuditEvent
from veiviser.core.models import Person
from veiviser.core.privacy import (
    erase_person,
    export_person,
    is_erased,
    person_paths,
    plan_purge,
    purge,
)
from veiviser.training.models import GoalEvent, SupervisionSession, Trainee
from veiviser.workforce.models import Occupancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> None:
    from veiviser.demo.world import build_demo_world

    build_demo_world()


def test_paths_to_a_person_are_found_by_introspection() -> None:
    found = {(p.model._meta.label, p.lookup) for p in person_paths()}
    assert ("training.GoalEvent", "plan_goal__plan__trainee__person") in found
    assert ("training.GoalEvent", "actor") in found
    assert ("workforce.ExitInterview", "occupancy__person") in found
    assert ("accounts.RoleAssignment", "user") in found


def test_export_holds_the_training_record_workforce_and_audit_events(world: None) -> None:
    person = User.objects.get(username="alis").person
    data = export_person(person)
    json.dumps(data)  # JSON-ready
    assert data["person"]["family_name"] == person.family_name
    labels = set(data["data"])
    assert {
        "accounts.User",
        "accounts.RoleAssignment",
        "training.Trainee",
        "training.ServicePeriod",
        "training.SupervisionSession",
        "training.PlanGoal",
        "training.GoalEvent",
        "workforce.Occupancy",
    } <= labels
    assert "password" not in data["data"]["accounts.User"][0]
    audit = data["data"].get("audit.AuditEvent", [])
    assert any(e["object_type"] == "training.TrainingPlan" for e in audit)


def test_erase_pseudonymises_and_keeps_the_training_events(world: None) -> None:
    user = User.objects.get(username="alis")
    person = user.person
    trainee = Trainee.objects.get(person=person)
    SupervisionSession.objects.filter(trainee=trainee).update(minutes="Snakket om familien")
    events = GoalEvent.objects.filter(plan_goal__plan__trainee=trainee).count()
    old_name = person.full_name
    report = erase_person(person=person, by=None)
    person.refresh_from_db()
    user.refresh_from_db()
    assert is_erased(person) and person.email == "" and person.hpr_number is None
    assert old_name not in person.full_name
    assert user.username.startswith("slettet-") and not user.is_active
    assert not user.has_usable_password()
    assert not SupervisionSession.objects.filter(trainee=trainee, minutes__contains="familien")
    assert GoalEvent.objects.filter(plan_goal__plan__trainee=trainee).count() == events
    assert trainee.service_periods.exists()
    assert report.changed["core.Person"] == 1
    event = AuditEvent.objects.filter(object_type="core.Person", object_id=str(person.pk)).first()
    assert event is not None and "pseudonymisert" in event.summary
    assert old_name not in json.dumps(event.after)


def test_erase_replaces_the_name_in_rows_made_by_the_person(world: None) -> None:
    veileder = User.objects.get(username="veileder")
    trainee = Trainee.objects.filter(mentorships__mentor=veileder.person).first()
    goal = trainee.plan.goals.first()
    name = veileder.person.full_name
    GoalEvent.objects.create(
        plan_goal=goal,
        at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        action="recommended",
        role="veileder",
        actor=veileder,
        actor_ref="x",
        actor_name=name,
        comment="Godt arbeid",
        import_key="privacy-test",
    )
    erase_person(person=veileder.person, by=None)
    event = GoalEvent.objects.get(import_key="privacy-test")
    assert name not in event.actor_name and event.comment == "Godt arbeid"


def test_purge_pseudonymises_inactive_people_and_deletes_spent_rows(
    world: None, settings: object
) -> None:
    old = Person.objects.create(given_name="Gammel", family_name="Vikar", fictitious=True)
    position = Occupancy.objects.first().position
    Occupancy.objects.create(
        position=position,
        person=old,
        role="locum",
        start=dt.date(2001, 1, 1),
        end=dt.date(2001, 3, 1),
    )
    LoginFailure.objects.create(username="x", at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    plan = plan_purge()
    assert old.pk in plan.people
    assert User.objects.get(username="alis").person_id not in plan.people
    assert plan.deletions["accounts.LoginFailure"] == 1
    purge(by=None)
    old.refresh_from_db()
    assert is_erased(old)
    assert not LoginFailure.objects.exists()
    assert AuditEvent.objects.filter(object_type="privacy.purge").exists()


def test_privacy_commands(world: None, capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    from veiviser.cli import main

    person = User.objects.get(username="alis").person
    out = tmp_path / "innsyn.json"
    assert main(["privacy", "export", "--person", str(person.pk), "--output", str(out)]) == 0
    assert json.loads(out.read_text())["person"]["id"] == person.pk
    assert main(["privacy", "purge", "--dry-run"]) == 0
    assert "Lagringstid 10 år" in capsys.readouterr().out
    assert main(["privacy", "erase", "--person", str(person.pk), "--yes"]) == 0
    assert main(["privacy", "export", "--person", "999999"]) == 1


def test_the_audit_log_cannot_be_changed_or_deleted() -> None:
    event = AuditEvent.objects.create(action="view", object_type="x")
    event.summary = "endret"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="endret")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete_below_the_application() -> None:
    from django.db import DatabaseError, transaction

    event = AuditEvent.objects.create(action="view", object_type="x")
    for sql in (
        "UPDATE audit_auditevent SET summary = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
