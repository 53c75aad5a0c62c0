"""Migrations keep the data: migrate an app back, add rows, migrate forward, nothing lost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_audit_rows_survive_the_append_only_migration() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0001_initial")])
    old_apps = executor.loader.project_state([("audit", "0001_initial")]).apps
    event = old_apps.get_model("audit", "AuditEvent")
    event.objects.create(action="view", object_type="migration-test", summary="før")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from veiviser.audit.models import AuditEvent

    assert AuditEvent.objects.filter(object_type="migration-test", summary="før").count() == 1
    fresh = MigrationExecutor(connection)
    assert not fresh.migration_plan(fresh.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_populated_training_record_survives_the_newest_training_migrations() -> None:
    """Back to the training app's first two migrations (before transfers), an ALIS with a
    service period, then forward: the record is intact and the new table works."""
    import datetime as dt

    from veiviser.core.services import load_reference_data

    load_reference_data()  # a transactional test before may have flushed it
    before = [("training", "0002_catalogue_cataloguegoal_cataloguemapping_course_and_more")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    municipality = old.get_model("core", "Municipality").objects.get(number="4642")
    person = old.get_model("core", "Person").objects.create(
        given_name="Migra", family_name="Sjonsen"
    )
    trainee = old.get_model("training", "Trainee").objects.create(
        person=person, municipality=municipality, training_start=dt.date(2024, 1, 1)
    )
    old.get_model("training", "ServicePeriod").objects.create(
        trainee=trainee, start=dt.date(2024, 1, 1), percent=100, arena="open_practice"
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from veiviser.core.models import Municipality
    from veiviser.training.models import ServicePeriod, Trainee, Transfer

    moved = Trainee.objects.get(person__family_name="Sjonsen")
    assert ServicePeriod.objects.filter(trainee=moved).count() == 1
    Transfer.objects.create(
        trainee=moved,
        from_municipality=moved.municipality,
        to_municipality=Municipality.objects.get(number="4601"),
        effective=dt.date(2026, 12, 1),
    )
    fresh = MigrationExecutor(connection)
    assert not fresh.migration_plan(fresh.loader.graph.leaf_nodes())
