"""The privacy tools in the browser (administrators): the access-request export, the
pseudonymisation of one person and the retention purge, with the audit log."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veiviser.accounts.models import LoginFailure
from veiviser.audit.models import AuditEvent
from veiviser.core.models import Person
from veiviser.core.privacy import is_erased
from veiviser.training.models import SupervisionSession

pytestmark = pytest.mark.django_db


def _minutes(actors: Any, text: str = "Snakket om familien") -> SupervisionSession:
    return SupervisionSession.objects.create(
        trainee=actors.trainee,
        date=dt.date(2023, 1, 10),
        hours=Decimal("1.5"),
        veileder=actors["veileder"].person,
        minutes=text,
    )


def test_the_administrator_downloads_everything_held_about_a_person(client, actors):
    _minutes(actors)
    person = actors.trainee.person
    client.force_login(actors["admin"])
    before = AuditEvent.objects.filter(action="export").count()
    response = client.get(reverse("privacy_export", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"personvern-person-{person.pk}-" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["format"] == "veiviser-privacy-export/1"
    assert data["person"]["id"] == person.pk
    assert data["person"]["family_name"] == person.family_name
    assert {"training.Trainee", "training.SupervisionSession", "accounts.User"} <= set(data["data"])
    assert data["data"]["training.SupervisionSession"][0]["minutes"] == "Snakket om familien"
    assert "password" not in data["data"]["accounts.User"][0]
    events = AuditEvent.objects.filter(action="export")
    assert events.count() == before + 1
    event = events.latest("pk")
    assert event.object_type == "core.Person" and event.object_id == str(person.pk)
    assert event.actor_id == actors["admin"].pk
    assert "Innsyn" in event.summary


def test_an_unknown_person_is_404_for_the_administrator(client, actors):
    client.force_login(actors["admin"])
    missing = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    assert client.get(reverse("privacy_export", args=[missing])).status_code == 404
    assert client.get(reverse("privacy_erase", args=[missing])).status_code == 404
    assert client.post(reverse("privacy_erase", args=[missing]), {}).status_code == 404


def test_the_erase_page_shows_what_happens_per_kind(client, actors):
    _minutes(actors)
    person = actors.trainee.person
    client.force_login(actors["admin"])
    response = client.get(reverse("privacy_erase", args=[person.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "training.SupervisionSession" in text and "I opplysninger om personen fjernes" in text
    assert "training.Trainee" in text and "spesialistgodkjenningen" in text
    assert f"Slettet Person {person.pk}" in text
    assert "Jeg har kontrollert at sletting er tillatt etter arkivreglene" in text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "confirm"),
        ({"family_name": "Testesen"}, "confirm"),
        ({"confirm": "on"}, "family_name"),
        ({"confirm": "on", "family_name": "Feilnavn"}, "family_name"),
    ],
)
def test_erase_without_confirmation_is_refused_and_changes_nothing(client, actors, data, field):
    session = _minutes(actors)
    person = actors.trainee.person
    name = person.full_name
    events = AuditEvent.objects.count()
    client.force_login(actors["admin"])
    response = client.post(reverse("privacy_erase", args=[person.pk]), data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    person.refresh_from_db()
    session.refresh_from_db()
    assert person.full_name == name and not is_erased(person)
    assert session.minutes == "Snakket om familien"
    assert AuditEvent.objects.count() == events


def test_erase_with_confirmation_pseudonymises_and_is_audited(client, actors):
    session = _minutes(actors)
    person = actors.trainee.person
    old_name = person.full_name
    client.force_login(actors["admin"])
    response = client.post(
        reverse("privacy_erase", args=[person.pk]),
        {"confirm": "on", "family_name": " testesen "},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[person.pk])
    person.refresh_from_db()
    session.refresh_from_db()
    assert is_erased(person)
    assert person.given_name == "Slettet" and person.family_name == f"Person {person.pk}"
    assert old_name not in person.full_name
    assert "familien" not in session.minutes
    event = AuditEvent.objects.filter(object_type="core.Person", object_id=str(person.pk)).latest(
        "pk"
    )
    assert "pseudonymisert" in event.summary
    assert event.actor_id == actors["admin"].pk
    assert old_name not in json.dumps(event.after)
    # The user of the person can no longer log in; a second erasure is refused politely.
    actors["alis"].refresh_from_db()
    assert not actors["alis"].is_active
    page = client.get(reverse("privacy_erase", args=[person.pk]))
    assert page.status_code == 200 and "allerede pseudonymisert" in page.content.decode()
    again = client.post(
        reverse("privacy_erase", args=[person.pk]),
        {"confirm": "on", "family_name": person.family_name},
    )
    assert again.status_code == 302
    assert (
        AuditEvent.objects.filter(
            object_type="core.Person", object_id=str(person.pk), summary__contains="pseudonym"
        ).count()
        == 1
    )


def test_the_purge_page_shows_the_plan_and_runs_only_when_confirmed(client, actors):
    old = Person.objects.create(given_name="Gammel", family_name="Vikar", fictitious=True)
    LoginFailure.objects.create(username="x", at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    client.force_login(actors["admin"])
    response = client.get(reverse("privacy_purge"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Lagringstiden er 10 år" in text
    assert "Gammel Vikar" in text
    assert "accounts.LoginFailure" in text
    assert "Jeg har kontrollert at sletting er tillatt etter arkivreglene" in text

    refused = client.post(reverse("privacy_purge"), {})
    assert refused.status_code == 400
    assert 'id="id_confirm_error"' in refused.content.decode()
    old.refresh_from_db()
    assert not is_erased(old) and LoginFailure.objects.exists()

    done = client.post(reverse("privacy_purge"), {"confirm": "on"})
    assert done.status_code == 302
    old.refresh_from_db()
    assert is_erased(old)
    assert not LoginFailure.objects.exists()
    event = AuditEvent.objects.get(object_type="privacy.purge")
    assert event.actor_id == actors["admin"].pk


def _queries(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_only_administrators_see_the_privacy_section_and_it_costs_no_query(client, actors):
    url = reverse("person_detail", args=[actors.trainee.person_id])
    client.force_login(actors["leader"])
    leader_before, text = _queries(client, url)
    assert "privacy-heading" not in text
    client.force_login(actors["admin"])
    admin_before, text = _queries(client, url)
    assert "privacy-heading" in text
    assert reverse("privacy_export", args=[actors.trainee.person_id]) in text
    assert reverse("privacy_erase", args=[actors.trainee.person_id]) in text
    # More data about the person changes neither page's query count.
    for i in range(5):
        _minutes(actors, f"Møte {i}")
    client.force_login(actors["leader"])
    assert _queries(client, url)[0] == leader_before
    client.force_login(actors["admin"])
    assert _queries(client, url)[0] == admin_before
