"""ALIS agreements: a new agreement from the template, versions (immutable, listed, the latest
is current), the PDF of a version, who reads what, bad input on every form and the API, and
the list's query budget."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_user
from veiviser.agreements.forms import template_terms
from veiviser.agreements.models import Agreement, AgreementVersion
from veiviser.agreements.services import add_version, create_agreement
from veiviser.audit.models import AuditEvent
from veiviser.core.models import Person
from veiviser.training.models import Trainee

pytestmark = pytest.mark.django_db


def form_data(alis: Any = None, **changes: Any) -> dict[str, Any]:
    data = {
        "start": "2024-09-01",
        "end": "",
        "signed": "2024-08-20",
        "salary_model": "salaried",
        "position_percent": "100",
        "list_cap_plan": "01.09.2024 500\n01.09.2025 800",
        "extra_supervision_hours": "0",
        "course_costs_covered": "on",
        "travel_costs_covered": "on",
        "paid_leave_courses": "on",
        "paid_leave_supervision": "on",
        "binding_months": "",
        "doctor_type": "gp",
        "scheme": "new",
        "other_terms": "",
    }
    if alis is not None:
        data["trainee"] = str(alis.pk)
    data.update(changes)
    return data


def terms(**changes: Any) -> dict[str, Any]:
    t = template_terms(today=date(2024, 9, 1))
    t["signed"] = date(2024, 8, 20)
    t.update(changes)
    return t


def make_trainee(municipality: Any, name: str) -> Trainee:
    given, family = name.split()
    person = Person.objects.create(given_name=given, family_name=family, is_doctor=True)
    return Trainee.objects.create(
        person=person, municipality=municipality, training_start=date(2023, 9, 1)
    )


@pytest.fixture
def agreement(actors: Any) -> Agreement:
    return create_agreement(
        municipality=actors.laerdal, trainee=actors.trainee, terms=terms(), by=actors["leader"]
    )


# --------------------------------------------------------------------------- create


def test_a_new_agreement_form_is_prefilled_from_the_template(client, actors):
    client.force_login(actors["leader"])
    response = client.get(reverse("agreement_create", args=["4642"]) + f"?alis={actors.trainee.pk}")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["salary_model"] == "salaried"
    assert form.initial["position_percent"] == Decimal(100)
    assert form.initial["course_costs_covered"] is True
    assert form.initial["trainee"] == actors.trainee.pk
    assert "500" in form.initial["list_cap_plan"]


def test_a_leader_creates_an_agreement_as_version_one(client, actors):
    client.force_login(actors["leader"])
    response = client.post(
        reverse("agreement_create", args=["4642"]), form_data(actors.trainee, binding_months="24")
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(trainee=actors.trainee)
    assert response["Location"] == reverse("agreement_detail", args=[agreement.pk])
    version = agreement.versions.get()
    assert version.number == 1
    assert version.binding_months == 24
    assert version.list_cap_plan == [
        {"from": "2024-09-01", "cap": 500},
        {"from": "2025-09-01", "cap": 800},
    ]
    assert version.created_by == actors["leader"]
    assert AuditEvent.objects.filter(
        object_type="agreements.Agreement", object_id=str(agreement.pk), action="create"
    ).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": "2024-08-31"}, "end"),
        ({"position_percent": "0"}, "position_percent"),
        ({"position_percent": "100.5"}, "position_percent"),
        ({"position_percent": "abc"}, "position_percent"),
        ({"start": ""}, "start"),
        ({"start": "31.02.2024"}, "start"),
        ({"list_cap_plan": "01.09.2024 500\nneste år 800"}, "list_cap_plan"),
        ({"list_cap_plan": "01.09.2025 500\n01.09.2024 800"}, "list_cap_plan"),
        ({"list_cap_plan": "01.09.2024 0"}, "list_cap_plan"),
        ({"list_cap_plan": "01.08.2024 500"}, "list_cap_plan"),
        ({"extra_supervision_hours": "-1"}, "extra_supervision_hours"),
        ({"binding_months": "0"}, "binding_months"),
        ({"salary_model": "commission"}, "salary_model"),
        ({"doctor_type": "surgeon"}, "doctor_type"),
        ({"signed": "2025-01-01", "end": "2024-12-31"}, "signed"),
        ({"trainee": ""}, "trainee"),
    ],
)
def test_bad_input_on_the_new_agreement_form_names_the_field(client, actors, changes, field):
    client.force_login(actors["leader"])
    response = client.post(
        reverse("agreement_create", args=["4642"]), form_data(actors.trainee, **changes)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'href="#id_{field}"' in response.content.decode()
    assert not Agreement.objects.exists()


def test_an_alis_of_another_municipality_cannot_be_chosen(client, actors):
    other = make_trainee(actors.bergen, "Berit Bergen")
    client.force_login(actors["leader"])
    response = client.post(reverse("agreement_create", args=["4642"]), form_data(other))
    assert response.status_code == 400
    assert "trainee" in response.context["form"].errors


# --------------------------------------------------------------------------- versions


def test_a_change_makes_a_new_version_and_keeps_the_old_one(client, actors, agreement):
    client.force_login(actors["coordinator"])
    response = client.post(
        reverse("agreement_edit", args=[agreement.pk]),
        form_data(position_percent="80", change_note="Redusert stilling etter ønske fra legen."),
    )
    assert response.status_code == 302
    v1, v2 = agreement.versions.order_by("number")
    assert (v1.number, v1.position_percent) == (1, Decimal(100))
    assert (v2.number, v2.position_percent) == (2, Decimal(80))
    assert v2.change_note.startswith("Redusert")
    detail = client.get(reverse("agreement_detail", args=[agreement.pk]))
    assert detail.context["version"].number == 2
    assert [v.number for v in detail.context["versions"]] == [2, 1]
    old = client.get(reverse("agreement_detail", args=[agreement.pk]) + "?versjon=1")
    assert old.context["version"].position_percent == Decimal(100)
    assert "Gjeldende versjon er 2" in old.content.decode()
    assert (
        client.get(reverse("agreement_detail", args=[agreement.pk]) + "?versjon=9").status_code
        == 404
    )


def test_a_version_without_any_change_is_refused(client, actors, agreement):
    client.force_login(actors["leader"])
    data = form_data(
        change_note="Ingen endring egentlig.",
        list_cap_plan="01.09.2024 500\n01.09.2025 800\n01.09.2026 1000",
    )
    response = client.post(reverse("agreement_edit", args=[agreement.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert agreement.versions.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"change_note": ""}, "change_note"),
        ({"position_percent": "150", "change_note": "x"}, "position_percent"),
        ({"end": "2020-01-01", "change_note": "x"}, "end"),
    ],
)
def test_bad_input_on_the_new_version_form_names_the_field(
    client, actors, agreement, changes, field
):
    client.force_login(actors["leader"])
    response = client.post(reverse("agreement_edit", args=[agreement.pk]), form_data(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert agreement.versions.count() == 1


def test_a_saved_version_cannot_be_changed(agreement):
    version = agreement.versions.get()
    version.position_percent = Decimal(50)
    with pytest.raises(ValueError, match="immutable"):
        version.save()


def test_only_managers_add_versions(actors, agreement):
    from django.core.exceptions import PermissionDenied

    for who in ("alis", "veileder", "regional", "national", "foreign_leader"):
        with pytest.raises(PermissionDenied):
            add_version(
                agreement=agreement,
                terms=terms(position_percent=Decimal(50)),
                change_note="x",
                by=actors[who],
            )
    assert agreement.versions.count() == 1


# --------------------------------------------------------------------------- PDF


def test_every_version_downloads_as_a_pdf(client, actors, agreement):
    add_version(
        agreement=agreement,
        terms=terms(position_percent=Decimal(60), binding_months=12, other_terms="- Bolig\n- Bil"),
        change_note="Deltid",
        by=actors["leader"],
    )
    client.force_login(actors["alis"])
    for number in (1, 2):
        response = client.get(reverse("agreement_pdf", args=[agreement.pk, number]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    assert client.get(reverse("agreement_pdf", args=[agreement.pk, 3])).status_code == 404


# --------------------------------------------------------------------------- who reads what


def test_the_alis_and_the_veileder_see_their_own_agreement_only(client, actors, agreement):
    other = create_agreement(
        municipality=actors.laerdal,
        trainee=make_trainee(actors.laerdal, "Ola Annen"),
        terms=terms(),
        by=actors["leader"],
    )
    for who in ("alis", "veileder"):
        client.force_login(actors[who])
        response = client.get(reverse("trainee_agreement_list", args=[actors.trainee.pk]))
        assert response.status_code == 200
        assert [r["agreement"].pk for r in response.context["rows"]] == [agreement.pk]
        assert client.get(reverse("agreement_detail", args=[other.pk])).status_code == 404
        assert client.get(reverse("agreement_list", args=["4642"])).status_code == 403


def test_the_list_shows_the_current_version_of_each_agreement(client, actors, agreement):
    add_version(
        agreement=agreement,
        terms=terms(position_percent=Decimal(50)),
        change_note="x",
        by=actors["leader"],
    )
    client.force_login(actors["regional"])
    response = client.get(reverse("agreement_list", args=["4642"]))
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert row["current"].number == 2
    assert row["count"] == 2
    assert "50\u00a0%" in response.content.decode()
    assert "Ny avtale fra mal" not in response.content.decode()


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_agreement_list_makes_the_same_number_of_queries_as_data_grows(
    client, actors, agreement
):
    client.force_login(actors["leader"])
    url = reverse("agreement_list", args=["4642"])
    before = _queries(client, url)
    for i in range(6):
        made = create_agreement(
            municipality=actors.laerdal,
            trainee=make_trainee(actors.laerdal, f"Lege{i} Nummer{i}"),
            terms=terms(),
            by=actors["leader"],
        )
        add_version(
            agreement=made,
            terms=terms(position_percent=Decimal(70)),
            change_note="x",
            by=actors["leader"],
        )
    assert _queries(client, url) == before


def test_the_trainee_list_makes_the_same_number_of_queries_as_data_grows(client, actors, agreement):
    client.force_login(actors["alis"])
    url = reverse("trainee_agreement_list", args=[actors.trainee.pk])
    before = _queries(client, url)
    for _ in range(4):
        add_version(
            agreement=create_agreement(
                municipality=actors.laerdal,
                trainee=actors.trainee,
                terms=terms(),
                by=actors["leader"],
            ),
            terms=terms(position_percent=Decimal(40)),
            change_note="x",
            by=actors["leader"],
        )
    assert _queries(client, url) == before


# --------------------------------------------------------------------------- API


def test_the_api_lists_the_agreements_in_the_users_scope(client, actors, agreement):
    create_agreement(
        municipality=actors.bergen,
        trainee=make_trainee(actors.bergen, "Berit Bergen"),
        terms=terms(),
        by=actors["foreign_leader"],
    )
    client.force_login(actors["leader"])
    body = client.get("/api/agreements").json()
    assert [a["id"] for a in body["items"]] == [agreement.pk]
    assert body["items"][0]["current"]["position_percent"] in ("100.0", 100.0, "100")
    client.force_login(actors["national"])
    assert client.get("/api/agreements").json()["count"] == 2
    assert client.get("/api/agreements?municipality=4601").json()["count"] == 1
    client.force_login(actors["supervisor"])
    assert client.get("/api/agreements").json()["count"] == 0


def test_the_api_detail_lists_every_version(client, actors, agreement):
    add_version(
        agreement=agreement,
        terms=terms(position_percent=Decimal(50)),
        change_note="x",
        by=actors["leader"],
    )
    client.force_login(actors["veileder"])
    body = client.get(f"/api/agreements/{agreement.pk}").json()
    assert body["current_version"] == 2
    assert [v["number"] for v in body["versions"]] == [2, 1]
    assert client.get("/api/agreements/999999").status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("municipality=46", "municipality"),
        ("municipality=abcd", "municipality"),
        ("trainee=x", "trainee"),
    ],
)
def test_bad_api_filters_are_refused_naming_the_field(client, actors, query, field):
    client.force_login(actors["leader"])
    response = client.get(f"/api/agreements?{query}")
    assert response.status_code == 422
    assert any(field in e["field"] for e in response.json()["errors"])


def test_a_user_without_a_person_sees_no_agreements(client, actors, agreement):
    user = make_user("ingen")
    user.person = None
    user.save()
    client.force_login(user)
    assert client.get("/api/agreements").json()["count"] == 0
    assert AgreementVersion.objects.visible_to(user).count() == 0


def test_the_template_list_cap_steps_follow_the_agreement_start(client, actors):
    """Left as the template filled them in, the steps move with the start date; steps the
    leader wrote must begin on the start date."""
    from django.utils import timezone

    from veiviser.agreements.forms import plan_text, template_terms

    untouched = plan_text(template_terms(today=timezone.localdate())["list_cap_plan"])
    client.force_login(actors["leader"])
    response = client.post(
        reverse("agreement_create", args=["4642"]),
        form_data(actors.trainee, start="2024-09-01", list_cap_plan=untouched),
    )
    assert response.status_code == 302
    version = Agreement.objects.get(trainee=actors.trainee).versions.get()
    assert [s["from"] for s in version.list_cap_plan] == ["2024-09-01", "2025-09-01", "2026-09-01"]
    late = client.post(
        reverse("agreement_create", args=["4642"]),
        form_data(actors.trainee, start="2024-09-01", list_cap_plan="01.10.2024 500"),
    )
    assert late.status_code == 400 and "list_cap_plan" in late.context["form"].errors
