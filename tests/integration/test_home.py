"""The start page: "Dine gjøremål" (the user's due items, most urgent first, with links), the
ALIS's link to their own record, the regional office's municipalities with ALIS first, the
annual report's status, and a query count that does not grow with the data."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veiviser.core.models import Municipality, Person
from veiviser.training.models import (
    GoalEvent,
    Mentorship,
    PlanGoal,
    ServicePeriod,
    SupervisionSession,
    Trainee,
)
from veiviser.training.records import doctor_ref
from veiviser.training.services import create_plan

pytestmark = pytest.mark.django_db

NOV_3 = datetime(2026, 11, 3, 9, tzinfo=ZoneInfo("Europe/Oslo"))
FEB_10 = datetime(2026, 2, 10, 9, tzinfo=ZoneInfo("Europe/Oslo"))


def add_trainee(municipality: Any, n: int, veileder: Any = None) -> Trainee:
    person = Person.objects.create(
        given_name=f"Ny{n}", family_name="Alis", is_doctor=True, home_municipality=municipality
    )
    trainee = Trainee.objects.create(
        person=person, municipality=municipality, training_start=date(2024, 1, 1)
    )
    ServicePeriod.objects.create(
        trainee=trainee, start=date(2024, 1, 1), percent=100, arena="open_practice"
    )
    SupervisionSession.objects.create(trainee=trainee, date=date(2026, 10, 3), hours=1)
    if veileder is not None:
        Mentorship.objects.create(
            trainee=trainee, mentor=veileder.person, kind="veileder", started=date(2024, 1, 1)
        )
    return trainee


@time_machine.travel(FEB_10, tick=False)
def test_the_leader_sees_the_annual_report_among_the_due_items(client, actors):
    client.force_login(actors["leader"])
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert "Dine gjøremål" in page.text
    assert "Send inn årsrapporten for 2025 for Lærdal" in page.text
    assert reverse("annual_report", args=["4642", 2025]) in page.text
    assert "Årsrapport 2025" in page.text and "Ikke påbegynt" in page.text


@time_machine.travel(NOV_3, tick=False)
def test_the_items_come_most_urgent_first(client, actors):
    ServicePeriod.objects.create(
        trainee=actors.trainee, start=date(2022, 9, 1), percent=100, arena="open_practice"
    )
    client.force_login(actors["leader"])
    items = client.get(reverse("home")).context["due_items"]
    # The overdue annual report (danger) before the supervision check (warning).
    assert [i.kind for i in items][:2] == ["annual_report", "supervision"]
    assert [i.severity for i in items][:2] == ["danger", "warning"]


@time_machine.travel(NOV_3, tick=False)
def test_the_alis_sees_a_link_to_their_own_record_and_nothing_due(client, actors):
    client.force_login(actors["alis"])
    page = client.get(reverse("home"))
    assert reverse("trainee_detail", args=[actors.trainee.pk]) in page.text
    assert "Ingenting venter på deg nå." in page.text


@time_machine.travel(NOV_3, tick=False)
def test_the_regional_office_sees_municipalities_with_alis_first(client, actors):
    region = actors.laerdal.regional_office
    other = Municipality.objects.filter(regional_office=region).exclude(pk=actors.laerdal.pk)
    last = other.order_by("-name").first()
    add_trainee(last, 1)
    add_trainee(last, 2)
    client.force_login(actors["regional"])
    page = client.get(reverse("home"))
    names = [m.name for m in page.context["municipalities"]]
    assert names[:2] == [last.name, actors.laerdal.name]
    assert reverse("annual_report_region", args=[region.pk]) in page.text
    assert reverse("region_dashboard", args=[region.pk]) in page.text


@time_machine.travel(NOV_3, tick=False)
def test_a_passed_report_deadline_is_told_as_passed(client, actors):
    client.force_login(actors["leader"])
    page = client.get(reverse("home")).content.decode()
    assert "Fristen for innsending var 01.03.2026." in page


@time_machine.travel(FEB_10, tick=False)
def test_a_coming_report_deadline_is_told_as_coming(client, actors):
    client.force_login(actors["leader"])
    page = client.get(reverse("home")).content.decode()
    assert "Frist for innsending: 01.03.2026." in page


def queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(captured)


def grow(actors: Any, n: int, start: int = 0) -> None:
    """More ALIS in Lærdal, each under the minimum last month with a submitted goal waiting for
    the veileder and one ready for the leader."""
    for i in range(start, start + n):
        trainee = add_trainee(actors.laerdal, i, veileder=actors["veileder"])
        create_plan(trainee=trainee, by=actors["leader"])
        goals = list(PlanGoal.objects.filter(plan__trainee=trainee).order_by("order")[:2])
        for goal, status in zip(goals, ("submitted", "ready_for_decision"), strict=True):
            GoalEvent.objects.create(
                plan_goal=goal,
                at=NOV_3,
                action="submitted",
                role="alis",
                actor_ref=doctor_ref(trainee),
                import_key=f"k{goal.pk}",
            )
            PlanGoal.objects.filter(pk=goal.pk).update(status=status, status_since=NOV_3)
        Mentorship.objects.create(
            trainee=trainee,
            mentor=actors["supervisor"].person,
            kind="supervisor",
            started=date(2024, 1, 1),
        )


@time_machine.travel(NOV_3, tick=False)
@pytest.mark.parametrize("who", ["leader", "veileder", "regional", "national", "alis"])
def test_the_start_page_makes_the_same_number_of_queries_as_data_grows(client, actors, who):
    client.force_login(actors[who])
    grow(actors, 1)
    before = queries(client)
    grow(actors, 5, start=1)
    assert queries(client) == before
    if who in ("leader", "veileder"):
        kinds = {i.kind for i in client.get(reverse("home")).context["due_items"]}
        assert {"supervision", "signoff"} <= kinds


def test_the_alis_start_page_says_what_is_missing_and_links_the_record(client, actors):
    from django.urls import reverse

    client.force_login(actors["alis"])
    page = client.get(reverse("home"))
    assert page.context["own_verdict"].ready is False
    assert page.context["own_missing"]  # a fresh ALIS misses service, goals, supervision …
    body = page.content.decode()
    assert "krav er ikke oppfylt ennå" in body
    for name in ("trainee_detail", "goal_list", "topic_plan"):
        assert reverse(name, args=[actors.trainee.pk]) in body


@time_machine.travel(NOV_3, tick=False)
def test_the_alis_start_page_tells_when_general_practice_will_be_complete(client, actors):
    ServicePeriod.objects.create(
        trainee=actors.trainee, start=date(2022, 9, 1), percent=100, arena="open_practice"
    )
    client.force_login(actors["alis"])
    page = client.get(reverse("home"))
    projected = page.context["own_verdict"].projected_general_practice_complete
    assert projected is not None
    assert f"oppfylt <strong>{projected:%d.%m.%Y}</strong>" in page.content.decode()


@time_machine.travel(NOV_3, tick=False)
def test_the_veileder_sees_each_alis_supervision_hours_by_month(client, actors):
    trainee = add_trainee(actors.laerdal, 7, veileder=actors["veileder"])
    SupervisionSession.objects.create(trainee=trainee, date=date(2026, 10, 20), hours=2.5)
    SupervisionSession.objects.create(trainee=trainee, date=date(2026, 11, 2), hours=2)
    SupervisionSession.objects.create(trainee=trainee, date=date(2026, 11, 9), hours=9)  # later
    client.force_login(actors["veileder"])
    rows = {t.pk: t for t in client.get(reverse("home")).context["mentored"]}
    row = rows[trainee.pk]
    assert (row.hours_last_month, row.hours_this_month) == (3.5, 2)
    assert row.last_session == date(2026, 11, 2)
    quiet = rows[actors.trainee.pk]  # no sessions at all
    assert (quiet.hours_last_month, quiet.hours_this_month, quiet.last_session) == (
        None,
        None,
        None,
    )
    page = client.get(reverse("home")).content.decode()
    assert "Ingen ennå – registrer" in page
    assert reverse("session_list", args=[trainee.pk]) in page


@time_machine.travel(NOV_3, tick=False)
def test_the_alis_is_told_which_months_lacked_supervision(client, actors):
    ServicePeriod.objects.create(
        trainee=actors.trainee, start=date(2026, 6, 1), percent=100, arena="open_practice"
    )
    for month in (6, 8, 10):  # July and September without
        SupervisionSession.objects.create(
            trainee=actors.trainee, date=date(2026, month, 10), hours=4
        )
    client.force_login(actors["alis"])
    page = client.get(reverse("trainee_detail", args=[actors.trainee.pk]))
    assert "Under 4 timer veiledning i 2 måneder, sist 07.2026, 09.2026." in page.context["steps"]
