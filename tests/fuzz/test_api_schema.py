"""Schemathesis fuzzes every operation of /api/openapi.json against the Django WSGI app in-process
(no network): with an administrator's token (who sees everything) and without a token. No answer
may be a 5xx, and every answer must be documented in the schema (status code, content type,
body). Operations added later are picked up from the schema automatically.

Bounded: a few examples per operation (the whole file runs in well under a minute on 2 cores).
In CI (``CI`` set) the examples are derandomised so that a run is reproducible; locally each
run explores new ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

# Loading the schema makes one request to the app; it touches no database.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

FUZZ = settings(
    max_examples=8,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=list(HealthCheck),
    database=None,
)
# Not checked: positive_data_acceptance (a schema-valid request may still break a business rule,
# e.g. a period that ends before it starts: a documented 422) and negative_data_rejection
# (pydantic's lax parsing accepts e.g. ``at=0`` as a date; harmless and by design).
EXCLUDED = [positive_data_acceptance, negative_data_rejection]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The WSGI handler closes the database connection around each request (as in production);
    that would end the test's transaction on PostgreSQL. Django's own test client does this."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world(actors: Any) -> dict[str, Any]:
    """Some data for the answers to contain: a Lærdal position with a holder."""
    from veiviser.accounts.services import create_api_token
    from veiviser.core.models import Position
    from veiviser.workforce.models import Occupancy

    position = Position.objects.create(
        municipality=actors.laerdal, external_id="F-1", kind="gp", created=date(2015, 1, 1)
    )
    Occupancy.objects.create(
        position=position, person=actors["veileder"].person, role="holder", start=date(2020, 1, 1)
    )
    _token, raw = create_api_token(user=actors["admin"], name="fuzz", by=actors["admin"])
    return {"token": raw, "trainee_id": actors.trainee.pk, "number": actors.laerdal.number}


@schema.parametrize()
@FUZZ
def test_every_answer_to_an_administrator_is_documented(case: Any, world: dict[str, Any]) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world['token']}"}, excluded_checks=EXCLUDED
    )


@schema.parametrize()
@settings(FUZZ, max_examples=4)
def test_without_a_token_nothing_is_answered(case: Any, db: Any) -> None:
    response = case.call_and_validate(excluded_checks=EXCLUDED)
    assert not 200 <= response.status_code < 300, response.text[:200]


def test_answers_about_real_objects_are_documented(world: dict[str, Any]) -> None:
    """Random path parameters rarely hit an existing object: every GET operation whose path
    parameters are known here is also called on real ones, and must answer 200 as documented."""
    known = {"trainee_id": world["trainee_id"], "number": world["number"]}
    called = []
    for result in schema.get_all_operations():
        operation = result.ok()
        names = {p.name for p in operation.path_parameters}
        required_query = [p for p in operation.query if p.is_required]
        if operation.method.upper() != "GET" or not names <= known.keys() or required_query:
            continue
        case = operation.Case(path_parameters={name: known[name] for name in names})
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {world['token']}"}, excluded_checks=EXCLUDED
        )
        assert response.status_code == 200, (operation.label, response.text[:300])
        called.append(operation.label)
    assert "GET /api/trainees/{trainee_id}/readiness" in called


def test_a_body_that_is_not_json_is_a_documented_422(client: Any, world: dict[str, Any]) -> None:
    response = client.post(
        "/api/progress",
        data=b"\xff{",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world['token']}",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "body", "message": "the body is not valid JSON"}]


def test_a_limit_beyond_the_database_is_a_422_naming_the_field(
    client: Any, world: dict[str, Any]
) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world['token']}"}
    for query in ("limit=811465081697330817662976", "offset=99999999999999999999"):
        response = client.get(f"/api/workforce/occupancies?{query}", **auth)
        assert response.status_code == 422, response.content
        assert response.json()["errors"][0]["field"].endswith(query.split("=")[0])
