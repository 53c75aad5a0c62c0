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
