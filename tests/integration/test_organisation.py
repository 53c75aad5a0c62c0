"""Organisation pages, services and the audit log, as users meet them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_user
from veiviser.audit.models import AppendOnlyError, AuditEvent
from veiviser.core.models import Municipality, Office, Person

pytestmark = pytest.mark.django_db


def test_a_leader_registers_the_municipality_and_the_change_is_audited(client, actors):
    client.force_login(actors["leader"])
    response = client.post(
        reverse("municipality_edit", args=["4642"]),
        {"registered_institution": "on", "registered_at": "2019-05-02"},
    )
    assert response.status_code == 302
    municipality = Municipality.objects.get(number="4642")
    assert municipality.registered_institution
    assert municipality.registered_at == date(2019, 5, 2)
    event = AuditEvent.objects.filter(object_type="core.Municipality", action="update").get()
    assert event.actor == actors["leader"]
    assert event.before["registered_institution"] is False
    assert event.after["registered_at"] == "2019-05-02"
    detail = client.get(reverse("municipality_detail", args=["4642"]))
    assert "02.05.2019" in detail.content.decode()


def test_a_registration_date_without_registration_is_refused_naming_the_field(client, actors):
    client.force_login(actors["leader"])
    response = client.post(
        reverse("municipality_edit", args=["4642"]), {"registered_at": "2019-05-02"}
    )
    assert response.status_code == 400
    assert "registered_at" in response.context["form"].errors
    assert not Municipality.objects.get(number="4642").registered_institution


def test_a_leader_cannot_set_centrality_but_an_administrator_can(client, actors):
    client.force_login(actors["leader"])
    client.post(reverse("municipality_edit", args=["4642"]), {"centrality": "6"})
    assert Municipality.objects.get(number="4642").centrality is None
    client.force_login(actors["admin"])
    bad = client.post(reverse("municipality_edit", args=["4642"]), {"centrality": "7"})
    assert bad.status_code == 400 and "centrality" in bad.context["form"].errors
    client.post(reverse("municipality_edit", args=["4642"]), {"centrality": "6"})
    assert Municipality.objects.get(number="4642").centrality == 6


KLASS_FILE = (
    '"sourceCode";"sourceName";"targetCode";"targetName"\n'
    '"4642";"Lærdal";"6";"Minst sentrale kommuner"\n'
    '"4601";"Bergen";"2";"Nest mest sentrale kommuner"\n'
).encode("cp1252")


def test_the_administrator_imports_centrality_from_ssb_klass(client, actors):
    client.force_login(actors["admin"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("klass128.csv", KLASS_FILE, content_type="text/csv")
    response = client.post(reverse("centrality_import"), {"file": upload})
    assert response.status_code == 302
    assert Municipality.objects.get(number="4642").centrality == 6
    assert Municipality.objects.get(number="4601").centrality == 2


def test_a_centrality_file_with_one_bad_line_imports_nothing(client, actors):
    client.force_login(actors["admin"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = KLASS_FILE + b'"9999";"Ukjent";"3";"x"\n"4643";"\xc5rdal";"9";"x"\n'
    response = client.post(
        reverse("centrality_import"), {"file": SimpleUploadedFile("k.csv", data)}
    )
    assert response.status_code == 400
    errors = response.context["errors"]
    assert any("linje 5" in e and "targetcode" in e for e in errors)
    assert Municipality.objects.get(number="4642").centrality is None


def test_an_unknown_municipality_in_the_centrality_file_imports_nothing(actors):
    from veiviser.core.reference import CentralityFileError
    from veiviser.core.services import import_centrality

    with pytest.raises(CentralityFileError) as exc:
        import_centrality(data=KLASS_FILE + b"9999;X;3;Y\n", by=actors["admin"])
    assert exc.value.errors == ["linje 4: kommunenummer 9999 finnes ikke"]
    assert Municipality.objects.get(number="4642").centrality is None


def test_two_offices_of_one_name_are_refused(client, actors):
    client.force_login(actors["coordinator"])
    response = client.post(
        reverse("office_create", args=["4642"]), {"name": "lærdal LEGEKONTOR", "address": ""}
    )
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    ok = client.post(reverse("office_create", args=["4642"]), {"name": "Borgund legekontor"})
    assert ok.status_code == 302
    assert Office.objects.filter(municipality=actors.laerdal).count() == 2


@pytest.mark.parametrize("hpr", ["12345", "12a4567", "1234567890"])
def test_a_bad_hpr_number_is_refused_naming_the_field(client, actors, hpr):
    client.force_login(actors["leader"])
    response = client.post(
        reverse("person_create"),
        {
            "given_name": "Per",
            "family_name": "Lege",
            "hpr_number": hpr,
            "home_municipality": actors.laerdal.pk,
        },
    )
    assert response.status_code == 400
    assert "hpr_number" in response.context["form"].errors
    assert not Person.objects.filter(given_name="Per").exists()


def test_a_leader_cannot_place_a_person_in_another_municipality(client, actors):
    client.force_login(actors["leader"])
    response = client.post(
        reverse("person_create"),
        {
            "given_name": "Per",
            "family_name": "Lege",
            "home_municipality": actors.bergen.pk,
        },
    )
    assert response.status_code == 400
    assert "home_municipality" in response.context["form"].errors


def test_audit_events_cannot_be_changed_or_deleted(actors):
    from veiviser.audit.services import record

    event = record(actor=actors["admin"], action="update", object_type="x", summary="s")
    event.summary = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(summary="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_changes_to_audit_events_below_the_application(actors):
    from django.db.utils import DatabaseError

    from veiviser.audit.services import record

    record(actor=actors["admin"], action="update", object_type="x")
    for statement in ("UPDATE audit_auditevent SET summary = 'x'", "DELETE FROM audit_auditevent"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)


def test_leaders_see_only_their_municipalitys_log(client, actors):
    from veiviser.audit.services import record

    record(
        actor=None,
        action="update",
        object_type="core.Office",
        municipality_id=actors.laerdal.pk,
        summary="i Lærdal",
    )
    record(
        actor=None,
        action="update",
        object_type="core.Office",
        municipality_id=actors.bergen.pk,
        summary="i Bergen",
    )
    client.force_login(actors["leader"])
    page = client.get(reverse("audit_list")).content.decode()
    assert "i Lærdal" in page and "i Bergen" not in page


def test_repeated_failed_logins_are_throttled(client, actors, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "leader", "password": "wrong"})
        assert response.status_code == 200
    blocked = client.post(reverse("login"), {"username": "leader", "password": "test-password-1"})
    assert blocked.status_code == 429
    assert "For mange" in blocked.content.decode()
    assert AuditEvent.objects.filter(action="login_failed").count() == 3


def test_a_successful_login_is_audited_and_lands_on_the_start_page(client, actors):
    response = client.post(reverse("login"), {"username": "leader", "password": "test-password-1"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditEvent.objects.filter(action="login", actor=actors["leader"]).exists()


def test_the_interface_is_bokmal_whatever_the_browser_asks_for(client, actors):
    client.force_login(actors["leader"])
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="nb"' in page.content.decode()


def test_healthz_touches_no_database(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/healthz").json() == {"status": "ok"}
    assert len(queries) == 0


def _count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_pages_use_a_fixed_number_of_queries(client, actors):
    client.force_login(actors["admin"])
    budgets = {}
    for url in (
        "/",
        reverse("municipality_list"),
        reverse("person_list"),
        reverse("regional_office_list"),
        reverse("audit_list"),
        reverse("municipality_detail", args=["4642"]),
    ):
        budgets[url] = _count_queries(client, url)
    # More data of every kind: the counts must not grow.
    for i in range(30):
        office = Office.objects.create(municipality=actors.laerdal, name=f"Kontor {i}")
        person = Person.objects.create(
            given_name=f"P{i}", family_name="X", home_municipality=actors.laerdal
        )
        from veiviser.audit.services import record
        from veiviser.training.models import Trainee

        Trainee.objects.create(
            person=person,
            municipality=actors.laerdal,
            office=office,
            training_start=date(2024, 1, 1),
        )
        record(actor=actors["admin"], action="update", instance=office, summary="x")
    for url, budget in budgets.items():
        assert _count_queries(client, url) == budget, url
    assert max(budgets.values()) <= 12


def test_a_municipality_new_to_alis_sees_its_first_steps_until_all_are_done(client, actors):
    from veiviser.core.models import Municipality

    vik = Municipality.objects.get(number="4640")
    leader = make_user("leder_vik", "leader", municipality=vik)
    client.force_login(leader)
    page = client.get(reverse("municipality_detail", args=["4640"]))
    steps = page.context["getting_started"]["steps"]
    assert [s["done"] for s in steps] == [False] * 6
    assert steps[1]["url"] == reverse("municipality_edit", args=["4640"])
    assert "Kom i gang med ALIS" in page.content.decode()
    # others who read the page (the regional office) do not get the checklist
    client.force_login(actors["regional"])
    assert (
        client.get(reverse("municipality_detail", args=["4640"])).context["getting_started"] is None
    )
    # Lærdal with a plan, registration, office and ALIS: those steps are ticked
    client.force_login(actors["leader"])
    Municipality.objects.filter(pk=actors.laerdal.pk).update(registered_institution=True)
    done = client.get(reverse("municipality_detail", args=["4642"])).context["getting_started"]
    assert [s["done"] for s in done["steps"]] == [False, True, True, True, False, False]


def test_a_leaders_own_municipality_page_is_min_kommune_in_the_menu(client, actors):
    client.force_login(actors["leader"])
    page = client.get(reverse("municipality_detail", args=["4642"]))
    active = [i["label"] for i in page.context["nav_items"] if i["active"]]
    assert active == ["Min kommune"]
    client.force_login(actors["regional"])
    page = client.get(reverse("municipality_detail", args=["4642"]))
    assert [i["label"] for i in page.context["nav_items"] if i["active"]] == ["Kommuner"]
