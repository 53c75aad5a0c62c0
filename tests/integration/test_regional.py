"""The regional office's follow-up: the dashboard, the veileder pool and couplings (services
with audit, bad input), quality across municipalities, the API, and the query budget for a
region of 100 municipalities and 1,000 ALIS."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from veiviser.audit.models import AuditEvent
from veiviser.core.models import Municipality, Person, Position, RegionalOffice
from veiviser.regional.models import InterMunicipalArrangement, VeilederProfile
from veiviser.regional.services import connect, save_profile
from veiviser.training.models import (
    Catalogue,
    CatalogueGoal,
    GoalEvent,
    Mentorship,
    PlanGoal,
    ServicePeriod,
    SupervisionSession,
    Trainee,
    TrainingPlan,
)

pytestmark = pytest.mark.django_db


def doctor(municipality: Municipality, name: str = "Lege") -> Person:
    return Person.objects.create(
        given_name=name, family_name="Testesen", is_doctor=True, home_municipality=municipality
    )


def new_trainee(municipality: Municipality, name: str = "Ny") -> Trainee:
    return Trainee.objects.create(
        person=doctor(municipality, name),
        municipality=municipality,
        training_start=dt.date(2025, 9, 1),
    )


@pytest.fixture
def region(actors: Any) -> RegionalOffice:
    return actors.laerdal.regional_office


@pytest.fixture
def profile(actors: Any, region: RegionalOffice) -> VeilederProfile:
    """The veileder from Lærdal, in the pool, who may also serve Bergen."""
    profile = VeilederProfile.objects.create(
        region=region, person=actors["veileder"].person, approved_on=dt.date(2024, 1, 1), capacity=2
    )
    profile.municipalities.add(actors.bergen)
    return profile


# --------------------------------------------------------------------------- services


def test_a_coupling_creates_an_inter_municipal_mentorship_and_arrangement_with_audit(
    actors, profile
):
    trainee = new_trainee(actors.bergen)
    mentorship = connect(
        trainee=trainee,
        profile=profile,
        by=actors["regional"],
        starts=dt.date(2026, 1, 5),
        note="Video annenhver uke",
    )
    assert mentorship.kind == "veileder" and mentorship.inter_municipal
    assert mentorship.mentor == actors["veileder"].person
    arrangement = InterMunicipalArrangement.objects.get(mentorship=mentorship)
    assert (arrangement.host, arrangement.provider) == (actors.bergen, actors.laerdal)
    assert arrangement.starts == dt.date(2026, 1, 5) and arrangement.note == "Video annenhver uke"
    events = AuditEvent.objects.filter(actor=actors["regional"], action="create")
    assert set(events.values_list("object_type", flat=True)) == {
        "training.Mentorship",
        "regional.InterMunicipalArrangement",
    }


def test_a_coupling_within_the_veileders_own_municipality_records_no_arrangement(actors, profile):
    trainee = new_trainee(actors.laerdal)
    mentorship = connect(trainee=trainee, profile=profile, by=actors["admin"])
    assert not mentorship.inter_municipal
    assert not InterMunicipalArrangement.objects.exists()


def test_a_full_veileder_cannot_be_coupled(actors, profile):
    # The veileder follows the actors' ALIS already; capacity 2 leaves one place.
    connect(trainee=new_trainee(actors.bergen, "En"), profile=profile, by=actors["regional"])
    with pytest.raises(ValidationError) as exc:
        connect(trainee=new_trainee(actors.bergen, "To"), profile=profile, by=actors["regional"])
    assert "profile" in exc.value.message_dict
    assert Mentorship.objects.filter(mentor=profile.person).count() == 2


def test_an_alis_with_a_veileder_is_not_coupled_again(actors, profile):
    with pytest.raises(ValidationError) as exc:
        connect(trainee=actors.trainee, profile=profile, by=actors["regional"])
    assert "trainee" in exc.value.message_dict


def test_a_veileder_cannot_serve_a_municipality_outside_their_profile(actors, profile):
    masfjorden = Municipality.objects.get(number="4634")
    with pytest.raises(ValidationError):
        connect(trainee=new_trainee(masfjorden), profile=profile, by=actors["regional"])


def test_only_the_regions_office_and_administrators_couple(actors, profile):
    trainee = new_trainee(actors.bergen)
    for name in ("national", "foreign_regional", "leader"):
        with pytest.raises(PermissionDenied):
            connect(trainee=trainee, profile=profile, by=actors[name])
    assert not Mentorship.objects.filter(trainee=trainee).exists()


def test_save_profile_checks_the_person_and_municipalities_and_audits(actors, region):
    bodo = actors.bodo
    outsider = doctor(bodo, "Nord")
    with pytest.raises(ValidationError) as exc:
        save_profile(
            profile=VeilederProfile(
                region=region, person=outsider, approved_on=dt.date(2024, 1, 1), capacity=1
            ),
            municipalities=[bodo],
            by=actors["regional"],
        )
    assert set(exc.value.message_dict) == {"person", "municipalities"}
    saved = save_profile(
        profile=VeilederProfile(
            region=region, person=doctor(actors.bergen), approved_on=dt.date(2024, 1, 1), capacity=2
        ),
        municipalities=[actors.laerdal],
        by=actors["regional"],
    )
    assert saved.approved_by == actors["regional"]
    event = AuditEvent.objects.get(object_type="regional.VeilederProfile", action="create")
    assert event.after["municipalities"] == ["4642"]
    with pytest.raises(PermissionDenied):
        save_profile(profile=saved, municipalities=[], by=actors["national"])


# --------------------------------------------------------------------------- pages


def test_the_regional_user_is_sent_to_their_region(client, actors, region):
    client.force_login(actors["regional"])
    response = client.get(reverse("region_index"))
    assert response["Location"] == reverse("region_dashboard", args=[region.pk])


def test_national_readers_choose_a_region(client, actors, region):
    client.force_login(actors["national"])
    response = client.get(reverse("region_index"))
    assert response.status_code == 200
    assert reverse("region_dashboard", args=[region.pk]).encode() in response.content


def test_the_dashboard_lists_alis_without_veileder_and_unregistered_municipalities(
    client, actors, region
):
    lonely = new_trainee(actors.bergen, "Ensom")
    client.force_login(actors["regional"])
    response = client.get(reverse("region_dashboard", args=[region.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert reverse("trainee_detail", args=[lonely.pk]) in text
    assert 'data-figure="without_veileder">1<' in text
    assert reverse("municipality_detail", args=[actors.bergen.number]) in text
    data = response.context["d"]
    assert [line.trainee for line in data.without_veileder] == [lonely]
    assert actors.laerdal in data.unregistered  # not registered in the test data


def test_the_dashboard_shows_sign_offs_waiting_longer_than_the_chosen_weeks(client, actors, region):
    catalogue = Catalogue.objects.create(name="TEST")
    goal = CatalogueGoal.objects.create(catalogue=catalogue, code="ALM-1", kind="alm", order=1)
    plan = TrainingPlan.objects.create(trainee=actors.trainee, catalogue=catalogue)
    plan_goal = PlanGoal.objects.create(plan=plan, goal=goal, code="ALM-1", order=1)
    submitted = timezone.now() - dt.timedelta(days=24)
    GoalEvent.objects.create(
        plan_goal=plan_goal, at=submitted, action="submitted", role="alis", actor_ref="a"
    )
    client.force_login(actors["regional"])
    url = reverse("region_dashboard", args=[region.pk])
    assert client.get(url).context["d"].waiting == []  # default: four weeks
    waiting = client.get(url + "?uker=3").context["d"].waiting
    assert [line.trainee for line in waiting] == [actors.trainee]
    assert (
        reverse("goal_list", args=[actors.trainee.pk]).encode()
        in client.get(url + "?uker=3").content
    )


def test_alis_with_several_warnings_at_once_come_first(client, actors, region):
    catalogue = Catalogue.objects.create(name="TEST")
    goal = CatalogueGoal.objects.create(catalogue=catalogue, code="ALM-1", kind="alm", order=1)
    lonely = new_trainee(actors.bergen, "Ensom")
    submitted = timezone.now() - dt.timedelta(days=40)
    for trainee in (lonely, actors.trainee):  # both wait; only the lonely one lacks a veileder
        plan = TrainingPlan.objects.create(trainee=trainee, catalogue=catalogue)
        plan_goal = PlanGoal.objects.create(plan=plan, goal=goal, code="ALM-1", order=1)
        GoalEvent.objects.create(
            plan_goal=plan_goal, at=submitted, action="submitted", role="alis", actor_ref="a"
        )
    client.force_login(actors["regional"])
    response = client.get(reverse("region_dashboard", args=[region.pk]))
    follow_up = response.context["follow_up"]
    assert [(line.trainee, [str(x) for x in labels]) for line, labels in follow_up] == [
        (lonely, ["uten veileder", "godkjenninger venter"])
    ]
    text = response.content.decode()
    assert 'data-figure="follow_up">1<' in text
    assert "Følg opp først" in text
    api = client.get(f"/api/regional/{region.pk}/dashboard").json()
    assert api["alis_to_follow_up_first"] == 1
    bergen = next(m for m in api["municipalities"] if m["number"] == actors.bergen.number)
    assert bergen["alis_to_follow_up_first"] == 1


@pytest.mark.parametrize("value", ["0", "abc", "500"])
def test_a_bad_number_of_weeks_is_a_400_naming_the_field(client, actors, region, value):
    client.force_login(actors["regional"])
    response = client.get(reverse("region_dashboard", args=[region.pk]) + f"?uker={value}")
    assert response.status_code == 400
    assert "uker" in response.context["form"].errors


def test_adding_a_veileder_to_the_pool_through_the_form(client, actors, region):
    gp = doctor(actors.bergen, "Ny")
    client.force_login(actors["regional"])
    url = reverse("veileder_profile_create", args=[region.pk])
    response = client.post(
        url,
        {
            "person": gp.pk,
            "approved_on": "2026-01-10",
            "capacity": "2",
            "municipalities": [actors.laerdal.pk],
            "active": "on",
        },
    )
    assert response.status_code == 302
    profile = VeilederProfile.objects.get(person=gp)
    assert list(profile.municipalities.all()) == [actors.laerdal]
    pool = client.get(reverse("veileder_pool", args=[region.pk]))
    assert gp.full_name.encode() in pool.content


@pytest.mark.parametrize(
    "change, field",
    [
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "x"}, "capacity"),
        ({"approved_on": "31.02.2026"}, "approved_on"),
        ({"person": "999999"}, "person"),
    ],
)
def test_a_bad_profile_form_is_a_400_naming_the_field(client, actors, region, change, field):
    gp = doctor(actors.bergen)
    data = {"person": gp.pk, "approved_on": "2026-01-10", "capacity": "2", **change}
    client.force_login(actors["regional"])
    response = client.post(reverse("veileder_profile_create", args=[region.pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not VeilederProfile.objects.exists()


def test_the_same_veileder_cannot_be_added_twice(client, actors, region, profile):
    client.force_login(actors["regional"])
    response = client.post(
        reverse("veileder_profile_create", args=[region.pk]),
        {"person": profile.person_id, "approved_on": "2026-01-10", "capacity": "2"},
    )
    assert response.status_code == 400 and "person" in response.context["form"].errors


def test_the_matching_page_suggests_and_the_button_couples(client, actors, region, profile):
    lonely = new_trainee(actors.bergen, "Ensom")
    client.force_login(actors["regional"])
    page = client.get(reverse("region_matching", args=[region.pk]))
    [row] = page.context["rows"]
    assert row["trainee"] == lonely and row["proposed"] == profile.pk
    assert b"Koble" in page.content
    response = client.post(
        reverse("region_connect", args=[region.pk]), {"trainee": lonely.pk, "profile": profile.pk}
    )
    assert response.status_code == 302
    assert Mentorship.objects.get(trainee=lonely).inter_municipal
    assert client.get(reverse("region_matching", args=[region.pk])).context["rows"] == []


def test_national_readers_see_the_matching_page_without_buttons(client, actors, region, profile):
    new_trainee(actors.bergen)
    client.force_login(actors["national"])
    page = client.get(reverse("region_matching", args=[region.pk]))
    assert page.status_code == 200 and b'name="profile"' not in page.content


def test_coupling_an_alis_with_a_veileder_already_is_a_400(client, actors, region, profile):
    client.force_login(actors["regional"])
    response = client.post(
        reverse("region_connect", args=[region.pk]),
        {"trainee": actors.trainee.pk, "profile": profile.pk},
    )
    # The ALIS with a veileder is no choice at all.
    assert response.status_code == 400 and "trainee" in response.context["form"].errors


def test_the_quality_page_shows_municipalities_without_names(client, actors, region):
    client.force_login(actors["regional"])
    response = client.get(reverse("region_quality", args=[region.pk]))
    assert response.status_code == 200
    [(municipality, row)] = response.context["rows"]
    assert municipality == actors.laerdal and row.small_group and row.alis == 1
    assert actors["alis"].person.full_name.encode() not in response.content
    assert b"liten gruppe" in response.content


def test_the_api_gives_counts_per_municipality(client, actors, region):
    new_trainee(actors.bergen)
    client.force_login(actors["regional"])
    data = client.get(f"/api/regional/{region.pk}/dashboard?weeks=2").json()
    assert data["weeks"] == 2 and data["alis"] == 2 and data["without_veileder"] == 1
    bergen = next(m for m in data["municipalities"] if m["number"] == "4601")
    assert bergen["without_veileder"] == 1 and bergen["alis"] == 1
    quality = client.get(f"/api/regional/{region.pk}/quality").json()
    assert {m["number"] for m in quality["municipalities"]} == {"4601", "4642"}
    assert "Testesen" not in str(quality)


def test_the_api_refuses_bad_weeks_with_the_field(client, actors, region):
    client.force_login(actors["regional"])
    response = client.get(f"/api/regional/{region.pk}/dashboard?weeks=0")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.weeks"


# --------------------------------------------------------------------------- query budget


def build_region(municipalities: int, trainees: int) -> RegionalOffice:
    """A region of ``municipalities`` municipalities and ``trainees`` ALIS with records, goals,
    supervision, veiledere for every other ALIS, and positions (bulk_create)."""
    region = RegionalOffice.objects.create(
        code=f"test-{municipalities}", name=f"Test {municipalities}"
    )
    base = 9000 if municipalities > 10 else 9800
    ms = Municipality.objects.bulk_create(
        Municipality(
            number=f"{base + i:04d}",
            name=f"Kommune {i}",
            county_number="99",
            county="Testfylke",
            health_region="Helse Test",
            regional_office=region,
            registered_institution=i % 3 == 0,
        )
        for i in range(municipalities)
    )
    people = Person.objects.bulk_create(
        Person(
            given_name=f"A{i}",
            family_name="Bulk",
            is_doctor=True,
            home_municipality=ms[i % len(ms)],
        )
        for i in range(trainees)
    )
    start = dt.date(2022, 1, 1)
    tr = Trainee.objects.bulk_create(
        Trainee(person=p, municipality=p.home_municipality, training_start=start) for p in people
    )
    ServicePeriod.objects.bulk_create(
        ServicePeriod(trainee=t, start=start, percent=Decimal(100), arena="open_practice")
        for t in tr
    )
    SupervisionSession.objects.bulk_create(
        SupervisionSession(trainee=t, date=dt.date(2025, m, 10), hours=Decimal(4))
        for t in tr
        for m in (3, 4)
    )
    Mentorship.objects.bulk_create(
        Mentorship(trainee=t, mentor=people[(i + 1) % len(people)], kind="veileder", started=start)
        for i, t in enumerate(tr)
        if i % 2 == 0
    )
    catalogue, _ = Catalogue.objects.get_or_create(name="BULK")
    goals = [
        CatalogueGoal.objects.get_or_create(catalogue=catalogue, code=f"G{i}", kind="alm", order=i)[
            0
        ]
        for i in range(2)
    ]
    plans = TrainingPlan.objects.bulk_create(
        TrainingPlan(trainee=t, catalogue=catalogue) for t in tr
    )
    plan_goals = PlanGoal.objects.bulk_create(
        PlanGoal(plan=p, goal=g, code=g.code, order=g.order) for p in plans for g in goals
    )
    when = timezone.now() - dt.timedelta(days=60)
    GoalEvent.objects.bulk_create(
        GoalEvent(
            plan_goal=pg, at=when, action="submitted", role="alis", actor_ref="x", import_key=k
        )
        for pg in plan_goals
        for k in ("1",)
    )
    Position.objects.bulk_create(
        Position(municipality=m, external_id=f"H{m.number}", kind="gp", created=dt.date(2015, 1, 1))
        for m in ms
    )
    return region


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_dashboard_quality_and_matching_pages_make_a_fixed_number_of_queries(client, actors):
    small = build_region(2, 3)
    large = build_region(100, 1000)
    client.force_login(actors["admin"])
    for name in ("region_dashboard", "region_quality", "region_matching", "veileder_pool"):
        few = _queries(client, reverse(name, args=[small.pk]))
        many = _queries(client, reverse(name, args=[large.pk]))
        assert few == many, f"{name}: {few} queries for 2 municipalities, {many} for 100"
    response = client.get(reverse("region_dashboard", args=[large.pk]))
    data = response.context["d"]
    assert len(data.lines) == 1000 and len(data.without_veileder) == 500
    assert len(data.waiting) == 1000
