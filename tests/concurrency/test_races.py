"""Races between two requests at once, on PostgreSQL (issue 7): two threads with their own
database connections, lined up by a barrier, call the same service at the same moment.

- two leaders approve the same goal → exactly one approval (optimistic version on PlanGoal);
- the same progress file imported twice in parallel → one ALIS, no doubled periods or events
  (``import_progress`` takes a transaction-level advisory lock per doctor);
- two edits of one service period → the row ends as one of the two saves, never a mix, and the
  audit log chains them (the second change's "before" is the first one's "after").

SQLite serialises every writer on one database lock, so the races cannot happen there; the
tests run on PostgreSQL (CI runs the suite on both).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from tests.integration.test_progress import DOCUMENT

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need PostgreSQL: SQLite serialises all writers on one database lock",
    ),
]


@pytest.fixture(scope="module", autouse=True)
def _restore_reference_data(django_db_blocker: Any) -> Iterator[None]:
    """Transactional tests flush the database: put the session's reference data back after
    the module's last test, for the tests that run after us on this worker."""
    yield
    if connection.vendor == "postgresql":
        from veiviser.core.services import load_reference_data

        with django_db_blocker.unblock():
            load_reference_data()


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; each result is a value or the exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # reported to the test, which decides
            results[index] = exc
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: Any) -> None:
    """The reference data, again after the previous test's flush."""
    from veiviser.core.models import Municipality
    from veiviser.core.services import load_reference_data

    if not Municipality.objects.exists():
        load_reference_data()


@pytest.fixture
def world(transactional_db: Any, actors: Any) -> Any:
    """The shared actors (committed for real: the threads see them) and a second leader."""
    from tests.conftest import make_user

    actors.users["leader2"] = make_user("leader2", "leader", municipality=actors.laerdal)
    return actors


def test_two_leaders_approving_one_goal_at_once_make_one_approval(world: Any) -> None:
    from veiviser.training.goals import record_goal_event
    from veiviser.training.models import GoalEvent, PlanGoal
    from veiviser.training.services import create_plan

    create_plan(trainee=world.trainee, by=world["alis"])
    goal = PlanGoal.objects.get(plan__trainee=world.trainee, code="ALM-001")
    record_goal_event(plan_goal=goal, action="submitted", role="alis", by=world["alis"])
    record_goal_event(plan_goal=goal, action="recommended", role="veileder", by=world["veileder"])
    record_goal_event(
        plan_goal=goal, action="recommended", role="supervisor", by=world["supervisor"]
    )

    def approve(name: str) -> Callable[[], Any]:
        stale = PlanGoal.objects.select_related("plan__trainee").get(
            pk=goal.pk
        )  # both: same version

        return lambda: record_goal_event(
            plan_goal=stale, action="approved", role="leader", by=world[name]
        )

    results = at_once(approve("leader"), approve("leader2"))

    from django.core.exceptions import ValidationError

    assert sum(isinstance(r, GoalEvent) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert GoalEvent.objects.filter(plan_goal=goal, action="approved").count() == 1
    assert PlanGoal.objects.get(pk=goal.pk).status == "approved"


def test_the_same_progress_file_imported_twice_at_once_doubles_nothing(world: Any) -> None:
    from veiviser.rules.progress_file import parse
    from veiviser.training.models import (
        Course,
        GoalEvent,
        GroupSupervision,
        LeavePeriod,
        ServicePeriod,
        SupervisionSession,
        Trainee,
    )
    from veiviser.training.progress import import_progress
    from veiviser.training.services import ensure_default_catalogue

    ensure_default_catalogue()  # else creating it would line the two imports up by itself
    data = parse(copy.deepcopy(DOCUMENT))
    before = Trainee.objects.count()

    def run() -> Any:
        return import_progress(data=data, municipality=world.laerdal, by=world["leader"])

    results = at_once(run, run)
    assert all(isinstance(r, Trainee) for r in results), results
    assert results[0].pk == results[1].pk
    assert Trainee.objects.count() == before + 1
    trainee = results[0]
    counts = {
        model.__name__: model.objects.filter(trainee=trainee).count()
        for model in (ServicePeriod, LeavePeriod, SupervisionSession, GroupSupervision, Course)
    }
    assert counts == {
        "ServicePeriod": len(DOCUMENT["service"]),
        "LeavePeriod": len(DOCUMENT["leave"]),
        "SupervisionSession": len(DOCUMENT["supervision"]),
        "GroupSupervision": len(DOCUMENT["group_supervision"]),
        "Course": len(DOCUMENT["courses"]),
    }
    events = sum(len(g["events"]) for g in DOCUMENT["plan"]["goals"])
    assert GoalEvent.objects.filter(plan_goal__plan__trainee=trainee).count() == events


def test_two_edits_of_one_service_period_at_once_lose_nothing_silently(world: Any) -> None:
    from veiviser.audit.models import AuditEvent
    from veiviser.training.models import ServicePeriod
    from veiviser.training.services import save_item

    period = ServicePeriod.objects.create(
        trainee=world.trainee,
        start=date(2023, 1, 1),
        percent=Decimal("100.00"),
        arena="open_practice",
    )

    def edit(change: dict[str, Any]) -> Callable[[], Any]:
        item = ServicePeriod.objects.select_related("trainee").get(pk=period.pk)
        for field, value in change.items():
            setattr(item, field, value)
        return lambda: save_item(item=item, by=world["leader"])

    first = {"end": date(2023, 6, 30)}
    second = {"percent": Decimal("50.00"), "setting": "legevakt"}
    results = at_once(edit(first), edit(second))
    assert all(isinstance(r, ServicePeriod) for r in results), results

    saved = ServicePeriod.objects.get(pk=period.pk)
    state = {"end": saved.end, "percent": saved.percent, "setting": saved.setting}
    as_first = {"end": date(2023, 6, 30), "percent": Decimal(100), "setting": ""}
    as_second = {"end": None, "percent": Decimal(50), "setting": "legevakt"}
    assert state in (as_first, as_second)  # one whole save, never a mix of the two

    # Both changes are in the audit log, and chained: no change vanishes without a trace.
    updates = list(
        AuditEvent.objects.filter(action="update", object_type="training.ServicePeriod")
        .filter(object_id=str(period.pk))
        .order_by("id")
    )
    assert len(updates) == 2
    assert updates[1].before == updates[0].after
