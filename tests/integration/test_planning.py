"""The locum plan: the training record and hand-entered absences as need, locums recorded through
the workforce register as cover, warnings on a fixed date, bad input on the forms and the API,
the reminders, and query budgets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veiviser.audit.models import AuditEvent
from veiviser.core.models import Office, Person, Position
from veiviser.planning.models import LocumArrangement, PlannedAbsence
from veiviser.planning.queries import locum_plan, locum_warnings
from veiviser.planning.reminders import due_items
from veiviser.planning.services import arrange_locum
from veiviser.rules.workforce import WorkforceData
from veiviser.training.models import Course, LeavePeriod, ServicePeriod, Trainee
from veiviser.workforce.loader import load_for_user
from veiviser.workforce.models import Occupancy

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 15)


def alis_position(actors: Any, external_id: str = "A1", office: Any = None) -> Position:
    return Position.objects.create(
        municipality=actors.laerdal,
        office=office or actors.office,
        external_id=external_id,
        kind="alis",
        created=date(2019, 1, 1),
    )


def institution(trainee: Trainee, start: date, end: date, percent: int = 100) -> ServicePeriod:
    return ServicePeriod.objects.create(
        trainee=trainee,
        start=start,
        end=end,
        percent=percent,
        arena="institution",
        setting="sykehus",
        municipality=trainee.municipality,
    )


@pytest.fixture
def planned(actors: Any) -> dict[str, Any]:
    """The Lærdal ALIS holds A1 and has institution service January–March 2027 planned."""
    position = alis_position(actors)
    Occupancy.objects.create(
        position=position, person=actors.trainee.person, role="holder", start=date(2022, 9, 1)
    )
    period = institution(actors.trainee, date(2027, 1, 1), date(2027, 3, 31))
    return {"position": position, "period": period}


def office_months(result: Any, label: str) -> dict[str, Any]:
    office = next(o for o in result.offices if o.label == label)
    return {m.month.strftime("%Y-%m"): m for m in office.months}


# --------------------------------------------------------------------------- DB → rules


def test_an_institution_period_in_the_training_record_is_need_at_the_alis_office(
    actors: Any, planned: dict[str, Any]
) -> None:
    result = locum_plan(actors.laerdal, TODAY)
    assert len(result.months) == 24 and result.months[0] == date(2026, 11, 1)
    months = office_months(result, "Lærdal legekontor")
    assert months["2026-12"].needed == 0
    for month in ("2027-01", "2027-02", "2027-03"):
        assert months[month].needed == Decimal("1.0000")
        assert months[month].gap == Decimal("1.0000")
    assert months["2027-04"].needed == 0
    (row,) = result.offices[0].absences
    assert row.source == "record" and row.position_pk == planned["position"].pk
    assert row.doctor_label == actors.trainee.person.full_name


def test_an_alis_without_a_registered_position_still_shows_need(actors: Any) -> None:
    institution(actors.trainee, date(2027, 1, 1), date(2027, 1, 31), percent=50)
    months = office_months(locum_plan(actors.laerdal, TODAY), "Lærdal legekontor")
    assert months["2027-01"].needed == Decimal("0.5000")


def test_leave_and_dated_courses_from_the_record_count_as_absences(actors: Any) -> None:
    alis_position(actors)
    LeavePeriod.objects.create(
        trainee=actors.trainee,
        start=date(2027, 6, 1),
        end=date(2027, 6, 30),
        kind="parental",
        percent=100,
    )
    Course.objects.create(
        trainee=actors.trainee, kind="grunnkurs_b", hours=Decimal(30), completed=date(2027, 2, 4)
    )
    result = locum_plan(actors.laerdal, TODAY)
    kinds = {a.absence.kind.value: a for a in result.plan.absences}
    assert set(kinds) == {"parental_leave", "course"}
    assert kinds["course"].absence.start == date(2027, 2, 1)  # 30 h = 4 days ending on the 4th
    months = office_months(result, "Lærdal legekontor")
    assert months["2027-06"].needed == Decimal("1.0000")
    assert months["2027-02"].needed == Decimal("0.1429")  # 4 of 28 days


def test_recording_a_locum_removes_the_gap_and_is_a_locum_in_the_workforce_data(
    client: Any, actors: Any, planned: dict[str, Any]
) -> None:
    with time_machine.travel(TODAY):
        assert len(locum_warnings([actors.laerdal.pk], TODAY)) == 1
        client.force_login(actors["leader"])
        response = client.post(
            reverse("locum_create", args=["4642"]),
            {
                "position": planned["position"].pk,
                "given_name": "Vilde",
                "family_name": "Vikar",
                "start": "2027-01-01",
                "end": "2027-03-31",
                "percent": "100",
            },
        )
    assert response.status_code == 302
    occupancy = Occupancy.objects.get(position=planned["position"], role="locum")
    assert occupancy.person.full_name == "Vilde Vikar"
    assert (occupancy.start, occupancy.end) == (date(2027, 1, 1), date(2027, 3, 31))
    assert LocumArrangement.objects.get(occupancy=occupancy).percent == 100
    assert AuditEvent.objects.filter(object_type="workforce.occupancy").exists() or (
        AuditEvent.objects.filter(object_id=str(occupancy.pk)).exists()
    )
    assert locum_warnings([actors.laerdal.pk], TODAY) == []
    months = office_months(locum_plan(actors.laerdal, TODAY), "Lærdal legekontor")
    assert months["2027-02"].covered == Decimal("1.0000") and months["2027-02"].gap == 0
    # The workforce figures count the position as served by a locum in February.
    loaded = load_for_user(actors["leader"], municipality_ids=[actors.laerdal.pk])
    figures = WorkforceData(loaded.positions, loaded.occupancies).positions_at(
        date(2027, 2, 10), loaded.filter
    )
    assert figures.locum_served == 1


def test_a_locum_for_the_same_person_and_start_is_linked_not_duplicated(
    actors: Any, planned: dict[str, Any]
) -> None:
    person = Person.objects.create(given_name="Lars", family_name="Locum", is_doctor=True)
    existing = Occupancy.objects.create(
        position=planned["position"], person=person, role="locum", start=date(2027, 1, 1)
    )
    arrangement = arrange_locum(
        position=planned["position"],
        person=person,
        start=date(2027, 1, 1),
        end=date(2027, 2, 28),
        percent=Decimal(50),
        by=actors["coordinator"],
    )
    assert arrangement.occupancy_id == existing.pk
    assert Occupancy.objects.filter(role="locum").count() == 1
    existing.refresh_from_db()
    assert existing.end == date(2027, 2, 28)
    (warning,) = locum_warnings([actors.laerdal.pk], TODAY)
    assert warning.gap_fte == Decimal("1.0000")  # March is not covered at all
    assert warning.uncovered_months == (date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1))


# --------------------------------------------------------------------------- warnings


def test_warnings_on_a_fixed_date(actors: Any, planned: dict[str, Any]) -> None:
    # 15.11.2026 + 4 months = 15.03.2027: January is inside the lead window.
    (warning,) = locum_warnings([actors.laerdal.pk], TODAY)
    assert warning.municipality_name == "Lærdal" and warning.office_name == "Lærdal legekontor"
    assert (warning.start, warning.end) == (date(2027, 1, 1), date(2027, 3, 31))
    assert warning.gap_fte == Decimal("1.0000")
    assert warning.url == reverse("locum_plan", args=["4642"])
    # On 31.08.2026 the period is more than four months ahead: no warning yet.
    assert locum_warnings([actors.laerdal.pk], date(2026, 8, 31)) == []
    # While it runs, the remaining days still warn; after it, nothing.
    assert len(locum_warnings([actors.laerdal.pk], date(2027, 2, 20))) == 1
    assert locum_warnings([actors.laerdal.pk], date(2027, 4, 1)) == []
    # Other municipalities' ids see nothing of Lærdal's.
    assert locum_warnings([actors.bergen.pk], TODAY) == []
    assert locum_warnings([], TODAY) == []


def test_a_hand_entered_course_does_not_warn_but_shows_need(
    actors: Any, planned: dict[str, Any]
) -> None:
    PlannedAbsence.objects.create(
        municipality=actors.laerdal,
        position=planned["position"],
        person=actors.trainee.person,
        kind="course",
        start=date(2026, 12, 1),
        end=date(2026, 12, 31),
        percent=Decimal(50),
    )
    result = locum_plan(actors.laerdal, TODAY)
    assert office_months(result, "Lærdal legekontor")["2026-12"].needed == Decimal("0.5000")
    assert len(result.warnings) == 1  # still only the institution period


def test_the_page_shows_the_warning_and_the_month_table(
    client: Any, actors: Any, planned: dict[str, Any]
) -> None:
    client.force_login(actors["leader"])
    with time_machine.travel(TODAY):
        response = client.get(reverse("locum_plan", args=["4642"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="ds-alert" data-color="warning"' in html
    assert "vikar er ikke avtalt for hele perioden" in html
    assert "01.01.2027" in html and "31.03.2027" in html
    assert f"stilling={planned['position'].pk}" in html
    assert "<caption" in html and "1,00" in html and "01.2027" in html


def test_reminders_list_the_warnings_for_leaders_and_coordinators_only(
    actors: Any, planned: dict[str, Any]
) -> None:
    (item,) = due_items(actors["leader"], TODAY)
    assert item.kind == "locum" and item.url == reverse("locum_plan", args=["4642"])
    assert item.due == date(2027, 1, 1) and item.severity == "warning"
    assert actors.trainee.person.full_name in item.title
    assert due_items(actors["coordinator"], date(2026, 12, 15))[0].severity == "danger"
    assert due_items(actors["regional"], TODAY) == []
    assert due_items(actors["foreign_leader"], TODAY) == []
    assert due_items(actors["alis"], TODAY) == []


# --------------------------------------------------------------------------- forms


def test_an_absence_entered_by_hand_is_saved_with_the_audit_log(
    client: Any, actors: Any, planned: dict[str, Any]
) -> None:
    gp = Person.objects.create(
        given_name="Gro", family_name="Lege", is_doctor=True, home_municipality=actors.laerdal
    )
    client.force_login(actors["coordinator"])
    response = client.post(
        reverse("absence_create", args=["4642"]),
        {
            "person": gp.pk,
            "position": planned["position"].pk,
            "kind": "parental_leave",
            "start": "2027-05-01",
            "end": "2027-09-30",
            "percent": "100",
            "note": "",
        },
    )
    assert response.status_code == 302
    absence = PlannedAbsence.objects.get(person=gp)
    assert absence.municipality == actors.laerdal
    assert AuditEvent.objects.filter(action="create", object_id=str(absence.pk)).exists()
    response = client.post(reverse("absence_delete", args=[absence.pk]))
    assert response.status_code == 302 and not PlannedAbsence.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(absence.pk)).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end": "2027-04-30"}, "end"),
        ({"percent": "150"}, "percent"),
        ({"percent": "0"}, "percent"),
        ({"kind": "holiday"}, "kind"),
        ({"start": "31.02.2027"}, "start"),
        ({"position": "999999"}, "position"),
    ],
)
def test_bad_absence_input_rerenders_with_400_and_names_the_field(
    client: Any, actors: Any, planned: dict[str, Any], change: dict[str, str], field: str
) -> None:
    client.force_login(actors["leader"])
    data = {
        "person": actors.trainee.person.pk,
        "position": planned["position"].pk,
        "kind": "course",
        "start": "2027-05-01",
        "end": "2027-05-03",
        "percent": "100",
        **change,
    }
    response = client.post(reverse("absence_create", args=["4642"]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not PlannedAbsence.objects.exists()


def test_a_position_of_another_municipality_cannot_be_chosen(
    client: Any, actors: Any, planned: dict[str, Any]
) -> None:
    bergen = Position.objects.create(
        municipality=actors.bergen, external_id="B1", kind="gp", created=date(2015, 1, 1)
    )
    client.force_login(actors["leader"])
    response = client.post(
        reverse("locum_create", args=["4642"]),
        {
            "position": bergen.pk,
            "given_name": "A",
            "family_name": "B",
            "start": "2027-01-01",
            "end": "2027-01-31",
            "percent": "100",
        },
    )
    assert response.status_code == 400 and "position" in response.context["form"].errors
    assert not Occupancy.objects.filter(role="locum").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"given_name": ""}, "person"),
        ({"family_name": ""}, "family_name"),
        ({"end": "2026-12-01"}, "end"),
        ({"percent": "101"}, "percent"),
        ({"end": ""}, "end"),
    ],
)
def test_bad_locum_input_rerenders_with_400_and_names_the_field(
    client: Any, actors: Any, planned: dict[str, Any], change: dict[str, str], field: str
) -> None:
    client.force_login(actors["leader"])
    data = {
        "position": planned["position"].pk,
        "given_name": "Vilde",
        "family_name": "Vikar",
        "start": "2027-01-01",
        "end": "2027-03-31",
        "percent": "100",
        **change,
    }
    response = client.post(reverse("locum_create", args=["4642"]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Occupancy.objects.filter(role="locum").exists()


# --------------------------------------------------------------------------- API


def test_the_api_gives_need_per_office_and_month(
    client: Any, actors: Any, planned: dict[str, Any]
) -> None:
    client.force_login(actors["regional"])
    response = client.get("/api/planning/locum-need/4642?date=2026-11-15&months=6")
    assert response.status_code == 200
    data = response.json()
    assert data["municipality"] == "4642" and data["unit"] == "FTE"
    (office,) = data["offices"]
    months = {m["month"]: m for m in office["months"]}
    assert list(months) == ["2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04"]
    assert months["2027-01"] == {
        "month": "2027-01",
        "needed": "1.0000",
        "covered": "0.0000",
        "gap": "1.0000",
    }
    (warning,) = data["warnings"]
    assert warning["start"] == "2027-01-01" and warning["gap_fte"] == "1.0000"


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/api/planning/locum-need/4642?months=0", 422, "months"),
        ("/api/planning/locum-need/4642?months=x", 422, "months"),
        ("/api/planning/locum-need/4642?date=2026-13-01", 422, "date"),
        ("/api/planning/locum-need/9999", 404, None),
    ],
)
def test_bad_api_input_is_a_4xx_naming_the_parameter(
    client: Any, actors: Any, url: str, status: int, field: str | None
) -> None:
    client.force_login(actors["leader"])
    response = client.get(url)
    assert response.status_code == status
    if field:
        assert field in str(response.json())


# --------------------------------------------------------------------------- query budgets


def grow(actors: Any, n: int) -> None:
    """More ALIS with institution periods, hand-entered absences and locums in Lærdal."""
    for i in range(n):
        office = Office.objects.create(municipality=actors.laerdal, name=f"Kontor {i}")
        position = alis_position(actors, f"X{i}", office)
        person = Person.objects.create(given_name=f"Ny{i}", family_name="Alis", is_doctor=True)
        trainee = Trainee.objects.create(
            person=person,
            municipality=actors.laerdal,
            office=office,
            training_start=date(2023, 1, 1),
        )
        Occupancy.objects.create(
            position=position, person=person, role="holder", start=date(2023, 1, 1)
        )
        institution(trainee, date(2027, 2, 1), date(2027, 7, 31))
        LeavePeriod.objects.create(
            trainee=trainee, start=date(2027, 9, 1), end=date(2027, 9, 30), kind="other"
        )
        PlannedAbsence.objects.create(
            municipality=actors.laerdal,
            position=position,
            person=person,
            kind="other",
            start=date(2027, 10, 1),
            end=date(2027, 10, 5),
        )
        locum = Person.objects.create(given_name=f"V{i}", family_name="Vikar", is_doctor=True)
        occupancy = Occupancy.objects.create(
            position=position,
            person=locum,
            role="locum",
            start=date(2027, 2, 1),
            end=date(2027, 4, 30),
        )
        LocumArrangement.objects.create(
            occupancy=occupancy, municipality=actors.laerdal, percent=Decimal(80)
        )


def count_page(client: Any, url: str) -> int:
    with time_machine.travel(TODAY), CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_locum_plan_page_makes_the_same_number_of_queries_however_much_data(
    client: Any, actors: Any, planned: dict[str, Any]
) -> None:
    client.force_login(actors["leader"])
    url = reverse("locum_plan", args=["4642"])
    grow(actors, 1)
    few = count_page(client, url)
    _more(actors)
    assert count_page(client, url) == few


def _more(actors: Any) -> None:
    for i in range(10, 14):
        office = Office.objects.create(municipality=actors.laerdal, name=f"Kontor {i}")
        position = alis_position(actors, f"X{i}", office)
        person = Person.objects.create(given_name=f"Ny{i}", family_name="Alis", is_doctor=True)
        trainee = Trainee.objects.create(
            person=person,
            municipality=actors.laerdal,
            office=office,
            training_start=date(2023, 1, 1),
        )
        Occupancy.objects.create(
            position=position, person=person, role="holder", start=date(2023, 1, 1)
        )
        institution(trainee, date(2027, 2, 1), date(2027, 7, 31))
        PlannedAbsence.objects.create(
            municipality=actors.laerdal,
            position=position,
            person=person,
            kind="other",
            start=date(2027, 10, 1),
            end=date(2027, 10, 5),
        )


def test_locum_warnings_make_a_fixed_number_of_queries_for_any_number_of_municipalities(
    actors: Any, planned: dict[str, Any]
) -> None:
    with CaptureQueriesContext(connection) as one:
        assert len(locum_warnings([actors.laerdal.pk], TODAY)) == 1
    position = Position.objects.create(
        municipality=actors.bergen, external_id="BA", kind="alis", created=date(2019, 1, 1)
    )
    person = Person.objects.create(given_name="Berit", family_name="Alis", is_doctor=True)
    trainee = Trainee.objects.create(
        person=person, municipality=actors.bergen, training_start=date(2023, 1, 1)
    )
    Occupancy.objects.create(
        position=position, person=person, role="holder", start=date(2023, 1, 1)
    )
    institution(trainee, date(2027, 1, 15), date(2027, 6, 30))
    grow(actors, 2)
    ids = [actors.laerdal.pk, actors.bergen.pk, actors.bodo.pk]
    with CaptureQueriesContext(connection) as many:
        rows = locum_warnings(ids, TODAY)
    assert len(many.captured_queries) == len(one.captured_queries)
    assert {r.municipality_name for r in rows} == {"Lærdal", "Bergen"}
