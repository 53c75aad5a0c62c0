"""Entering the parts of an ALIS's training record: service, leave, supervision sessions, group
supervision and courses, as their writers and readers meet them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veiviser.audit.models import AuditEvent
from veiviser.training.models import (
    Course,
    GroupSupervision,
    LeavePeriod,
    ServicePeriod,
    SupervisionSession,
)
from veiviser.training.services import create_plan

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def url(name: str, actors: Any, *args: Any) -> str:
    return reverse(name, args=[actors.trainee.pk, *args])


# part: (model, a writer, valid POST, an edit POST, (field, value after the edit))
PARTS = {
    "service": (
        ServicePeriod,
        "coordinator",
        {"start": "2022-09-01", "percent": "100", "arena": "open_practice"},
        {"start": "2022-09-01", "end": "2023-08-31", "percent": "80", "arena": "other_gp"},
        ("percent", Decimal("80")),
    ),
    "leave": (
        LeavePeriod,
        "leader",
        {"start": "2023-01-01", "end": "2023-03-31", "percent": "100", "kind": "parental"},
        {"start": "2023-01-01", "end": "2023-03-31", "percent": "50", "kind": "parental"},
        ("percent", Decimal("50")),
    ),
    "session": (
        SupervisionSession,
        "veileder",
        {"date": "2023-02-01", "hours": "1.5", "minutes": "Vi snakket om KOLS."},
        {"date": "2023-02-01", "hours": "2", "minutes": "Vi snakket om KOLS."},
        ("hours", Decimal("2")),
    ),
    "group": (
        GroupSupervision,
        "alis",
        {"start": "2023-01-01", "hours": "20", "group": "Sogn"},
        {"start": "2023-01-01", "hours": "40", "group": "Sogn"},
        ("hours", Decimal("40")),
    ),
    "course": (
        Course,
        "alis",
        {"kind": "grunnkurs_a", "hours": "30", "completed": "2023-04-01"},
        {"kind": "emnekurs", "title": "Hud", "hours": "15"},
        ("title", "Hud"),
    ),
}


@pytest.mark.parametrize("part", PARTS)
def test_each_part_is_added_edited_and_deleted_by_its_writer_and_audited(client, actors, part):
    model, writer, valid, edit, (field, value) = PARTS[part]
    client.force_login(actors[writer])
    page = client.get(url(f"{part}_list", actors))
    assert page.status_code == 200 and page.context["form"] is not None

    added = client.post(url(f"{part}_list", actors), valid)
    assert added.status_code == 302
    item = model.objects.get(trainee=actors.trainee)
    created = AuditEvent.objects.get(object_type=model._meta.label, action="create")
    assert created.actor == actors[writer] and created.object_id == str(item.pk)
    assert created.municipality_id == actors.laerdal.pk

    assert client.get(url(f"{part}_edit", actors, item.pk)).status_code == 200
    assert client.post(url(f"{part}_edit", actors, item.pk), edit).status_code == 302
    item.refresh_from_db()
    assert getattr(item, field) == value
    assert AuditEvent.objects.filter(object_type=model._meta.label, action="update").exists()

    confirm = client.get(url(f"{part}_delete", actors, item.pk))
    assert confirm.status_code == 200 and "Slett" in confirm.content.decode()
    assert client.post(url(f"{part}_delete", actors, item.pk)).status_code == 302
    assert not model.objects.filter(pk=item.pk).exists()
    deleted = AuditEvent.objects.get(object_type=model._meta.label, action="delete")
    assert deleted.before["id"] == item.pk and deleted.actor == actors[writer]


@pytest.mark.parametrize(
    ("part", "data", "field"),
    [
        (
            "service",
            {
                "start": "2023-05-01",
                "end": "2023-04-30",
                "percent": "100",
                "arena": "open_practice",
            },
            "end",
        ),
        ("service", {"start": "2023-05-01", "percent": "120", "arena": "open_practice"}, "percent"),
        ("service", {"start": "2023-05-01", "percent": "0", "arena": "open_practice"}, "percent"),
        ("service", {"start": "2023-05-01", "percent": "100", "arena": "space"}, "arena"),
        (
            "leave",
            {"start": "2023-05-01", "end": "2023-04-01", "percent": "100", "kind": "sick"},
            "end",
        ),
        ("leave", {"start": "2023-05-01", "percent": "101", "kind": "sick"}, "percent"),
        ("session", {"date": "2023-05-01", "hours": "0"}, "hours"),
        ("session", {"date": "2023-05-01", "hours": "25"}, "hours"),
        ("session", {"date": "2999-01-01", "hours": "1"}, "date"),
        ("group", {"start": "2023-05-01", "end": "2023-01-01", "hours": "10"}, "end"),
        ("group", {"start": "2023-05-01", "hours": "-1"}, "hours"),
        ("course", {"kind": "emnekurs", "hours": "15"}, "title"),
        ("course", {"kind": "grunnkurs_b", "hours": "0"}, "hours"),
        ("course", {"kind": "grunnkurs_b", "completed": "2999-01-01"}, "completed"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
    client, actors, part, data, field
):
    model = PARTS[part][0]
    client.force_login(actors["admin"])
    response = client.post(url(f"{part}_list", actors), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert "ds-error-summary" in html and f'href="#id_{field}"' in html
    assert not model.objects.exists()
    assert not AuditEvent.objects.filter(object_type=model._meta.label).exists()


def test_the_period_messages_are_in_bokmal_and_name_the_field(client, actors):
    client.force_login(actors["leader"])
    response = client.post(
        url("service_list", actors),
        {"start": "2023-05-01", "end": "2023-04-30", "percent": "120", "arena": "other_gp"},
    )
    errors = response.context["form"].errors
    assert errors["end"] == ["Til-dato kan ikke være før fra-dato."]
    assert errors["percent"] == ["Stillingsprosenten må være over 0 og høyst 100."]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.exe", b"MZ\x90\x00"),  # not an allowed type
        ("virus.pdf", b"MZ\x90\x00"),  # an allowed name, but not a PDF inside
        ("stor.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)),  # over 5 MB
    ],
)
def test_an_upload_that_is_not_a_small_pdf_png_or_jpeg_is_refused(
    client, actors, media_root, name, content
):
    client.force_login(actors["alis"])
    course = client.post(
        url("course_list", actors),
        {"kind": "grunnkurs_a", "certificate": SimpleUploadedFile(name, content)},
    )
    assert course.status_code == 400 and "certificate" in course.context["form"].errors
    group = client.post(
        url("group_list", actors),
        {"start": "2023-01-01", "hours": "10", "diploma_file": SimpleUploadedFile(name, content)},
    )
    assert group.status_code == 400 and "diploma_file" in group.context["form"].errors
    assert not Course.objects.exists() and not GroupSupervision.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*"))


def test_a_certificate_is_stored_privately_and_served_only_to_readers_of_the_record(
    client, actors, media_root, django_capture_on_commit_callbacks
):
    client.force_login(actors["alis"])
    response = client.post(
        url("course_list", actors),
        {
            "kind": "grunnkurs_a",
            "completed": "2023-04-01",
            "certificate": SimpleUploadedFile("Kursbevis Ola Nordmann.pdf", PDF),
        },
    )
    assert response.status_code == 302
    course = Course.objects.get()
    assert course.certificate.name.startswith("certificates/")
    assert "Nordmann" not in course.certificate.name  # stored under a random name
    download = url("course_certificate", actors, course.pk)
    listing = client.get(url("course_list", actors)).content.decode()
    assert download in listing and "/media/" not in listing

    client.force_login(actors["regional"])
    served = client.get(download)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == PDF
    assert "no-store" in served["Cache-Control"]
    assert AuditEvent.objects.filter(action="view", summary__icontains="kursbevis").exists()
    for outsider in ("foreign_leader", "foreign_regional", "norole"):
        client.force_login(actors[outsider])
        assert client.get(download).status_code == 404

    client.force_login(actors["alis"])
    with django_capture_on_commit_callbacks(execute=True):  # the file goes after the commit
        client.post(url("course_delete", actors, course.pk))
    assert not any(p.is_file() for p in media_root.rglob("*"))


def test_a_diploma_upload_marks_the_diploma_received_and_a_new_file_replaces_the_old(
    client, actors, media_root, django_capture_on_commit_callbacks
):
    client.force_login(actors["alis"])
    client.post(
        url("group_list", actors),
        {
            "start": "2023-01-01",
            "hours": "120",
            "group": "Sogn",
            "diploma_file": SimpleUploadedFile("diplom.png", PNG),
        },
    )
    group = GroupSupervision.objects.get()
    assert group.diploma and group.diploma_file.name.endswith(".png")
    first = group.diploma_file.name
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes after the commit
        client.post(
            url("group_edit", actors, group.pk),
            {
                "start": "2023-01-01",
                "hours": "120",
                "group": "Sogn",
                "diploma": "on",
                "diploma_file": SimpleUploadedFile("diplom.pdf", PDF),
            },
        )
    group.refresh_from_db()
    assert group.diploma_file.name.endswith(".pdf")
    assert not (media_root / first).exists() and (media_root / group.diploma_file.name).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("group_edit", actors, group.pk),
            {
                "start": "2023-01-01",
                "hours": "120",
                "group": "Sogn",
                "diploma": "on",
                "remove_file": "on",
            },
        )
    group.refresh_from_db()
    assert not group.diploma_file and group.diploma
    assert not any(p.is_file() for p in media_root.rglob("*"))


PREPARATION = "Forberedelse: jeg vil snakke om arbeidsmengde"
MINUTES = "Referat: vi avtalte at hun tar kortere lister"


@pytest.fixture
def private_session(actors: Any) -> SupervisionSession:
    return SupervisionSession.objects.create(
        trainee=actors.trainee,
        date=date(2023, 3, 1),
        hours=2,
        veileder=actors["veileder"].person,
        preparation=PREPARATION,
        minutes=MINUTES,
    )


@pytest.mark.parametrize(
    "actor", ["leader", "coordinator", "supervisor", "regional", "national", "admin"]
)
def test_preparation_and_minutes_are_hidden_from_everyone_but_the_alis_and_veileder(
    client, actors, private_session, actor
):
    client.force_login(actors[actor])
    pages = [client.get(url("session_list", actors))]
    if actor in ("leader", "coordinator", "admin"):  # they may edit and delete the session
        pages.append(client.get(url("session_edit", actors, private_session.pk)))
        pages.append(client.get(url("session_delete", actors, private_session.pk)))
    assert "01.03.2023" in pages[0].content.decode()  # the session itself is listed
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        for text in (
            "arbeidsmengde",
            "kortere lister",
            'name="preparation"',
            'name="minutes"',
            ">Referat<",
        ):
            assert text not in html, f"{actor} sees {text!r}"
        form = page.context.get("form")
        if form is not None:
            assert "preparation" not in form.fields and "minutes" not in form.fields


@pytest.mark.parametrize("actor", ["alis", "veileder"])
def test_the_alis_and_the_veileder_see_and_write_the_private_notes(
    client, actors, private_session, actor
):
    client.force_login(actors[actor])
    assert "kortere lister" in client.get(url("session_list", actors)).content.decode()
    edit = client.get(url("session_edit", actors, private_session.pk)).content.decode()
    assert "arbeidsmengde" in edit and "kortere lister" in edit
    client.post(
        url("session_edit", actors, private_session.pk),
        {"date": "2023-03-01", "hours": "2", "preparation": PREPARATION, "minutes": "Nytt"},
    )
    private_session.refresh_from_db()
    assert private_session.minutes == "Nytt"


def test_a_leader_who_edits_a_session_leaves_the_private_notes_as_they_were(
    client, actors, private_session
):
    client.force_login(actors["leader"])
    response = client.post(
        url("session_edit", actors, private_session.pk),
        {"date": "2023-03-01", "hours": "3", "preparation": "", "minutes": "overskrevet"},
    )
    assert response.status_code == 302
    private_session.refresh_from_db()
    assert private_session.hours == 3
    assert (private_session.preparation, private_session.minutes) == (PREPARATION, MINUTES)


def test_the_audit_log_does_not_show_the_leader_the_private_notes(client, actors, private_session):
    from veiviser.audit.models import AuditEvent

    client.force_login(actors["alis"])
    response = client.post(
        url("session_edit", actors, private_session.pk),
        {"date": "2023-03-01", "hours": "2", "preparation": "", "minutes": "Hemmelig nytt"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(object_type__icontains="supervision").latest("pk")
    assert event.after["minutes"] == "[skjult]" and event.after["preparation"] == ""
    assert event.before["preparation"] == "[skjult]"
    client.force_login(actors["leader"])
    log = client.get(reverse("audit_list")).content.decode()
    assert "Hemmelig nytt" not in log and "kortere lister" not in log
    delete = client.post(url("session_delete", actors, private_session.pk))
    assert delete.status_code in (302, 403)
    assert "Hemmelig nytt" not in str(AuditEvent.objects.latest("pk").before)


def test_a_session_gets_the_veileder_and_topics_only_from_the_plan(client, actors):
    from veiviser.training.models import CatalogueGoal

    plan = create_plan(trainee=actors.trainee, by=actors["leader"])
    goal = plan.goals.order_by("order").first().goal
    client.force_login(actors["alis"])
    page = client.get(url("session_list", actors)).content.decode()
    assert goal.code in page
    other = CatalogueGoal.objects.create(
        catalogue=goal.catalogue, code="X-99", kind="alm", title="Ikke i planen", order=999
    )
    bad = client.post(
        url("session_list", actors), {"date": "2023-03-01", "hours": "1", "topics": [other.pk]}
    )
    assert bad.status_code == 400 and "topics" in bad.context["form"].errors
    ok = client.post(
        url("session_list", actors), {"date": "2023-03-01", "hours": "1", "topics": [goal.pk]}
    )
    assert ok.status_code == 302
    session = SupervisionSession.objects.get()
    assert list(session.topics.all()) == [goal]
    assert session.veileder == actors["veileder"].person


def test_a_service_period_defaults_to_the_trainees_municipality_and_its_registration(
    client, actors
):
    actors.laerdal.registered_institution = True
    actors.laerdal.save()
    client.force_login(actors["leader"])
    form = client.get(url("service_list", actors)).context["form"]
    assert form["municipality"].value() == actors.laerdal.pk
    base = {"start": "2022-09-01", "percent": "100", "arena": "open_practice"}
    client.post(url("service_list", actors), {**base, "municipality": actors.laerdal.pk})
    client.post(url("service_list", actors), {**base, "municipality": actors.bergen.pk})
    client.post(
        url("service_list", actors),
        {**base, "municipality": actors.bergen.pk, "registered_institution": "yes"},
    )
    assert [p.registered_institution for p in ServicePeriod.objects.order_by("id")] == [
        True,
        False,
        True,
    ]


def test_readers_who_may_not_write_see_no_form_and_no_edit_links(client, actors):
    ServicePeriod.objects.create(
        trainee=actors.trainee, start=date(2022, 9, 1), percent=100, arena="open_practice"
    )
    client.force_login(actors["alis"])
    page = client.get(url("service_list", actors))
    assert page.status_code == 200 and page.context["form"] is None
    html = page.content.decode()
    assert "01.09.2022" in html and "Endre" not in html and "/slett/" not in html


def test_an_htmx_delete_answers_with_the_updated_table(client, actors):
    keep = LeavePeriod.objects.create(
        trainee=actors.trainee, start=date(2023, 1, 1), end=date(2023, 1, 31), kind="sick"
    )
    gone = LeavePeriod.objects.create(
        trainee=actors.trainee, start=date(2024, 2, 1), end=date(2024, 2, 29), kind="other"
    )
    client.force_login(actors["leader"])
    response = client.post(url("leave_delete", actors, gone.pk), headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="record-table"')
    assert "01.01.2023" in html and "01.02.2024" not in html and 'role="status"' in html
    assert list(LeavePeriod.objects.all()) == [keep]


def _fill(actors: Any, n: int, goals: list[Any]) -> None:
    from veiviser.core.models import Municipality

    t = actors.trainee
    municipality = Municipality.objects.get(number="4642")
    for i in range(n):
        ServicePeriod.objects.create(
            trainee=t,
            start=date(2020 + i, 1, 1),
            percent=50,
            arena="other_gp",
            municipality=municipality,
        )
        LeavePeriod.objects.create(trainee=t, start=date(2020 + i, 6, 1), kind="sick")
        session = SupervisionSession.objects.create(
            trainee=t, date=date(2020 + i, 2, 1), hours=1, minutes="m"
        )
        session.topics.set(goals[i : i + 2])
        GroupSupervision.objects.create(trainee=t, start=date(2020 + i, 1, 1), hours=5)
        Course.objects.create(trainee=t, kind="emnekurs", title=f"Kurs {i}", hours=15)


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("actor", ["admin", "veileder"])
def test_list_pages_make_the_same_number_of_queries_however_many_items(client, actors, part, actor):
    plan = create_plan(trainee=actors.trainee, by=actors["leader"])
    goals = [g.goal for g in plan.goals.order_by("order")[:10]]
    client.force_login(actors[actor])
    counts = []
    for n in (1, 6):
        _fill(actors, n, goals)
        client.get(url(f"{part}_list", actors))  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url(f"{part}_list", actors))
        assert response.status_code == 200
        assert len(response.context["items"]) == (1 if n == 1 else 7)
        counts.append(len(ctx))
    assert counts[0] == counts[1], f"{part}: {counts}"


def test_the_topic_plan_suggests_every_goal_once_and_shows_what_sessions_took_up(
    client, actors, django_assert_max_num_queries
):
    from veiviser.training.models import PlanGoal

    plan = create_plan(trainee=actors.trainee, by=actors["leader"])
    goals = list(plan.goals.order_by("order"))
    session = SupervisionSession.objects.create(
        trainee=actors.trainee, date=date(2022, 10, 3), hours=2
    )
    session.topics.add(goals[0].goal)
    PlanGoal.objects.filter(pk=goals[1].pk).update(status="approved")
    client.force_login(actors["veileder"])
    with django_assert_max_num_queries(30):
        response = client.get(url("topic_plan", actors))
    assert response.status_code == 200
    months = response.context["months"]
    assert len(months) == 60
    planned = [g["code"] for m in months for g in m["goals"]]
    assert sorted(planned) == sorted(g.code for g in goals)
    states = {g["code"]: g["state"] for m in months for g in m["goals"]}
    assert states[goals[0].code] == "discussed" and states[goals[1].code] == "approved"
    assert response.context["behind"] > 0  # the demo ALIS started in 2022: months have passed
    assert url("topic_plan", actors) in client.get(url("session_list", actors)).content.decode()


def test_an_alis_without_veileder_is_flagged_on_the_alis_page(client, actors):
    from veiviser.training.models import Mentorship

    client.force_login(actors["leader"])
    page = client.get(reverse("trainee_detail", args=[actors.trainee.pk])).content.decode()
    assert "Ingen veileder er oppnevnt. En ALIS" not in page
    Mentorship.objects.filter(trainee=actors.trainee, kind="veileder").update(
        ended=date(2023, 1, 1)
    )
    page = client.get(reverse("trainee_detail", args=[actors.trainee.pk])).content.decode()
    assert "Ingen veileder er oppnevnt. En ALIS" in page
    assert reverse("mentor_add", args=[actors.trainee.pk]) in page
    client.force_login(actors["regional"])
    page = client.get(reverse("trainee_detail", args=[actors.trainee.pk])).content.decode()
    assert reverse("region_matching", args=[actors.laerdal.regional_office_id]) in page
