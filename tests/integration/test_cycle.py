"""The yearly cycle: starting from the template, tasks and their rollover, evidence, the
self-assessment and key parameters, the local project, comments, reminders and the API — with
the audit log, bad input and query budgets."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veiviser.audit.models import AuditEvent
from veiviser.cycle.models import (
    CycleComment,
    CycleTask,
    KeyParameterValue,
    ProjectEntry,
    SelfAssessment,
    TaskEvidence,
)
from veiviser.cycle.reminders import due_items
from veiviser.cycle.services import save_assessment, set_status, start_from_template
from veiviser.rules import recruit_retain as rr

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 16)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def frozen_today() -> Any:
    with time_machine.travel(datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))):
        yield


def task(actors: Any, **kwargs: Any) -> CycleTask:
    values = {
        "municipality": actors.laerdal,
        "activity": 5,
        "title": "Presenter legetjenesten for formannskapet",
        "responsible_role": "leader",
        "due": date(2026, 11, 1),
        "interval_months": 12,
        **kwargs,
    }
    return CycleTask.objects.create(**values)


def ws(number: str = "4642") -> str:
    return reverse("cycle_workspace", args=[number])


def queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


# --------------------------------------------------------------------------- template


def test_a_new_municipality_starts_from_the_template_choosing_what_to_keep(client, actors):
    client.force_login(actors["leader"])
    page = client.get(ws())
    assert "Start med malen" in page.content.decode()
    form = client.get(reverse("cycle_template", args=["4642"]))
    assert form.status_code == 200 and "folkehelseprofil" in form.content.decode()
    response = client.post(
        reverse("cycle_template", args=["4642"]),
        {"tasks": ["folkehelseprofil", "presentasjon-politikere", "in-situ-trening"]},
    )
    assert response.status_code == 302
    tasks = {t.template_key: t for t in CycleTask.objects.filter(municipality=actors.laerdal)}
    assert set(tasks) == {"folkehelseprofil", "presentasjon-politikere", "in-situ-trening"}
    assert tasks["folkehelseprofil"].due == date(2027, 3, 1)  # March has passed this year
    assert tasks["presentasjon-politikere"].due == date(2026, 11, 1)
    assert tasks["in-situ-trening"].due == date(2026, 12, 1) and (
        tasks["in-situ-trening"].interval_months == 1
    )
    assert tasks["folkehelseprofil"].responsible_text.startswith("Kommuneoverlege")
    assert AuditEvent.objects.filter(
        object_type="cycle.CycleTask", municipality_id=actors.laerdal.pk
    ).exists()
    # Taking the template again offers only what is left, and never duplicates.
    again = client.get(reverse("cycle_template", args=["4642"]))
    assert "Gå gjennom FHIs folkehelseprofil" not in again.content.decode()
    start_from_template(municipality=actors.laerdal, keys=["folkehelseprofil"], by=actors["leader"])
    assert CycleTask.objects.filter(template_key="folkehelseprofil").count() == 1


def test_the_template_refuses_an_empty_or_unknown_choice(client, actors):
    client.force_login(actors["coordinator"])
    url = reverse("cycle_template", args=["4642"])
    empty = client.post(url, {})
    assert empty.status_code == 400 and "tasks" in empty.context["form"].errors
    unknown = client.post(url, {"tasks": ["no-such-task"]})
    assert unknown.status_code == 400 and "tasks" in unknown.context["form"].errors
    assert not CycleTask.objects.exists()


# --------------------------------------------------------------------------- tasks


def test_a_task_is_created_with_a_month_and_a_responsible(client, actors):
    client.force_login(actors["leader"])
    url = reverse("cycle_task_create", args=["4642"])
    assert client.get(url + "?aktivitet=7").context["form"].initial["activity"] == 7
    response = client.post(
        url,
        {
            "activity": 7,
            "title": "Fagdag med teamtrening",
            "responsible_text": "Kommuneoverlege",
            "due": "2027-02",
            "interval_months": 12,
            "status": "planned",
        },
    )
    assert response.status_code == 302
    created = CycleTask.objects.get(title="Fagdag med teamtrening")
    assert created.due == date(2027, 2, 1)
    event = AuditEvent.objects.get(object_type="cycle.CycleTask", object_id=str(created.pk))
    assert event.action == "create" and event.after["title"] == "Fagdag med teamtrening"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": ""}, "title"),
        ({"due": "2026-13"}, "due"),
        ({"due": "november"}, "due"),
        ({"responsible_role": "", "responsible_text": ""}, "responsible_role"),
        ({"activity": 10}, "activity"),
        ({"interval_months": 5}, "interval_months"),
    ],
)
def test_a_bad_task_is_refused_by_field(client, actors, data, field):
    client.force_login(actors["leader"])
    values = {
        "activity": 5,
        "title": "Presentasjon",
        "responsible_role": "leader",
        "due": "2026-12",
        "interval_months": 12,
        "status": "planned",
        **data,
    }
    response = client.post(reverse("cycle_task_create", args=["4642"]), values)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not CycleTask.objects.exists()


def test_another_municipalitys_person_cannot_be_responsible(client, actors):
    from veiviser.core.models import Person

    berit = Person.objects.create(
        given_name="Berit", family_name="Berg", home_municipality=actors.bergen
    )
    client.force_login(actors["leader"])
    response = client.post(
        reverse("cycle_task_create", args=["4642"]),
        {
            "activity": 5,
            "title": "X",
            "responsible_person": berit.pk,
            "due": "2026-12",
            "interval_months": 12,
            "status": "planned",
        },
    )
    assert response.status_code == 400 and "responsible_person" in response.context["form"].errors


def test_completing_a_yearly_task_rolls_it_over_once(client, actors):
    t = task(actors)
    client.force_login(actors["leader"])
    url = reverse("cycle_task_status", args=["4642", t.pk])
    response = client.post(url, {"status": "done", "completed_on": "2026-11-12"})
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.status == "done" and t.completed_on == date(2026, 11, 12)
    series = list(CycleTask.objects.filter(series=t.series).order_by("due"))
    assert [s.due for s in series] == [date(2026, 11, 1), date(2027, 11, 1)]
    following = series[1]
    assert following.status == "planned" and following.title == t.title
    assert following.responsible_role == "leader"
    # Done again (e.g. a corrected date): the 2027 occurrence is kept, not doubled.
    client.post(url, {"status": "done", "completed_on": "2026-11-13"})
    assert CycleTask.objects.filter(series=t.series).count() == 2
    actions = list(
        AuditEvent.objects.filter(object_type="cycle.CycleTask").values_list("action", flat=True)
    )
    assert actions.count("create") == 1 and actions.count("update") == 2


def test_a_skipped_task_comes_back_and_a_one_off_does_not(actors):
    yearly = task(actors, due=date(2026, 3, 1))
    set_status(task=yearly, status="skipped", by=actors["coordinator"])
    assert CycleTask.objects.filter(series=yearly.series, due=date(2027, 3, 1)).exists()
    once = task(actors, interval_months=0, title="Opprett ny hjemmel")
    set_status(task=once, status="done", by=actors["leader"])
    assert CycleTask.objects.filter(series=once.series).count() == 1


def test_a_completion_date_in_the_future_or_an_unknown_status_is_refused(client, actors):
    t = task(actors)
    client.force_login(actors["leader"])
    url = reverse("cycle_task_status", args=["4642", t.pk])
    future = client.post(url, {"status": "done", "completed_on": "2026-12-24"})
    assert future.status_code == 400 and "completed_on" in future.context["status_form"].errors
    unknown = client.post(url, {"status": "finished"})
    assert unknown.status_code == 400 and "status" in unknown.context["status_form"].errors
    t.refresh_from_db()
    assert t.status == "planned" and CycleTask.objects.count() == 1


def test_services_check_the_writer(actors):
    t = task(actors)
    for actor in ("regional", "national", "foreign_leader", "veileder"):
        with pytest.raises(PermissionDenied):
            set_status(task=t, status="done", by=actors[actor])
    assert CycleTask.objects.count() == 1


def test_another_municipalitys_task_is_not_found_under_ours(client, actors):
    foreign = task(actors, municipality=actors.bergen)
    client.force_login(actors["leader"])
    assert client.get(reverse("cycle_task_detail", args=["4642", foreign.pk])).status_code == 404
    assert client.get(reverse("cycle_task_detail", args=["4601", foreign.pk])).status_code == 404


# --------------------------------------------------------------------------- evidence


def test_evidence_notes_links_and_files(client, actors):
    t = task(actors)
    client.force_login(actors["leader"])
    url = reverse("cycle_evidence_add", args=["4642", t.pk])
    assert client.post(url, {"text": "Presentert 12.11.", "link": "nrk.no/x"}).status_code == 302
    upload = SimpleUploadedFile("referat.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {"file": upload}).status_code == 302
    items = list(TaskEvidence.objects.filter(task=t).order_by("pk"))
    assert items[0].link == "https://nrk.no/x" and items[1].file.name.endswith(".pdf")
    download = client.get(reverse("cycle_evidence_file", args=["4642", t.pk, items[1].pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"
    client.force_login(actors["regional"])
    page = client.get(reverse("cycle_task_detail", args=["4642", t.pk]))
    assert "Presentert 12.11." in page.content.decode()
    assert AuditEvent.objects.filter(object_type="cycle.TaskEvidence").count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "text"),
        ({"file": ("program.exe", b"MZ\x90\x00")}, "file"),
        ({"file": ("referat.pdf", b"not a pdf at all")}, "file"),
        ({"link": "javascript:alert(1)"}, "link"),
    ],
)
def test_bad_evidence_is_refused_by_field(client, actors, data, field):
    t = task(actors)
    client.force_login(actors["leader"])
    if "file" in data:
        name, content = data["file"]
        data = {"file": SimpleUploadedFile(name, content)}
    response = client.post(reverse("cycle_evidence_add", args=["4642", t.pk]), data)
    assert response.status_code == 400
    assert field in response.context["evidence_form"].errors
    assert not TaskEvidence.objects.exists()


# --------------------------------------------------------------------------- assessment


def _assessment_post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for code, _name in rr.ITEMS:
        data[f"{code}_score"] = "3"
        data[f"{code}_comment"] = ""
    data.update(overrides)
    return data


def test_the_self_assessment_is_kept_year_by_year_and_shows_change(client, actors):
    client.force_login(actors["leader"])
    for year, score in ((2024, "2"), (2025, "3"), (2026, "4")):
        data = _assessment_post(a7_score=score, a7_comment=f"Teamtrening {year}", c5_score="")
        response = client.post(reverse("cycle_assessment_edit", args=["4642", year]), data)
        assert response.status_code == 302
    assert SelfAssessment.objects.filter(municipality=actors.laerdal).count() == 42
    assert SelfAssessment.objects.get(year=2026, item="c5").score is None
    page = client.get(reverse("cycle_assessment", args=["4642"]))
    assert page.context["years"] == [2024, 2025, 2026]
    a7 = next(r for r in page.context["table"] if r["row"].code == "a7")
    assert a7["row"].scores == (2, 3, 4) and a7["overall"]["text"] == "+2"
    assert a7["comment"] == "Teamtrening 2026"
    text = page.content.decode()
    assert "opp 1" in text and "ikke vurdert" in text
    # A new year starts from last year's scores.
    form = client.get(reverse("cycle_assessment_edit", args=["4642", 2027]))
    assert form.context["copied_from"] == 2026
    assert form.context["form"].fields["a7_score"].initial == "4"
    events = AuditEvent.objects.filter(object_type="cycle.SelfAssessment")
    assert events.count() == 3 and events.filter(action="create").count() == 3


def test_a_bad_score_or_year_is_refused(client, actors):
    client.force_login(actors["leader"])
    bad = client.post(
        reverse("cycle_assessment_edit", args=["4642", 2026]), _assessment_post(a3_score="7")
    )
    assert bad.status_code == 400 and "a3_score" in bad.context["form"].errors
    assert client.get(reverse("cycle_assessment_edit", args=["4642", 1999])).status_code == 404
    assert client.get(reverse("cycle_assessment_edit", args=["4642", 2031])).status_code == 404
    assert not SelfAssessment.objects.exists()
    with pytest.raises(Exception):  # noqa: B017 - ValidationError by item code
        save_assessment(
            municipality=actors.laerdal, year=2026, scores={"a1": (6, "")}, by=actors["leader"]
        )
    with pytest.raises(PermissionDenied):
        save_assessment(
            municipality=actors.laerdal, year=2026, scores={"a1": (3, "")}, by=actors["regional"]
        )


def test_key_parameters_are_entered_by_hand_beside_the_computed_ones(client, actors):
    client.force_login(actors["coordinator"])
    url = reverse("cycle_parameters_edit", args=["4642", 2026])
    negative = client.post(url, {"in_situ_trainings": "-1"})
    assert negative.status_code == 400 and "in_situ_trainings" in negative.context["form"].errors
    ok = client.post(url, {"in_situ_trainings": "10", "in_situ_trainings_comment": "Hver måned"})
    assert ok.status_code == 302
    value = KeyParameterValue.objects.get(key="in_situ_trainings")
    assert value.value == Decimal("10") and value.comment == "Hver måned"
    client.post(url, {"in_situ_trainings": ""})  # emptied: removed
    assert not KeyParameterValue.objects.exists()
    assert AuditEvent.objects.filter(object_type="cycle.KeyParameterValue").count() == 2


def test_computed_parameters_from_positions_postings_and_exit_interviews(client, actors):
    from veiviser.core.models import Person, Position
    from veiviser.workforce.models import ExitInterview, Occupancy, Posting

    def doctor(n: int) -> Person:
        return Person.objects.create(given_name=f"Lege{n}", family_name="Test", is_doctor=True)

    positions = [
        Position.objects.create(
            municipality=actors.laerdal, external_id=f"H{i}", kind="gp", created=date(2015, 1, 1)
        )
        for i in range(7)
    ]
    for i, p in enumerate(positions):
        first = Occupancy.objects.create(
            position=p,
            person=doctor(i),
            role="holder",
            start=date(2015, 1, 1),
            end=date(2026, 3, 31),
            end_reason="resigned",
        )
        ExitInterview.objects.create(
            occupancy=first, held_on=date(2026, 3, 20), reasons=["workload", "family"]
        )
        if i:
            Occupancy.objects.create(
                position=p, person=doctor(100 + i), role="holder", start=date(2026, 5, 1)
            )
    Occupancy.objects.create(
        position=positions[0], person=doctor(200), role="locum", start=date(2026, 4, 1)
    )
    Posting.objects.create(position=positions[0], published=date(2026, 4, 1), applicants=3)
    Posting.objects.create(position=positions[1], published=date(2026, 2, 1), applicants=6)
    client.force_login(actors["leader"])
    page = client.get(reverse("cycle_assessment", args=["4642"]))
    cells = page.context["parameters"].cells
    assert cells[("gp_positions", 2026)].text == "7"
    assert cells[("vacant", 2026)].text == "1" and cells[("locum_served", 2026)].text == "1"
    assert cells[("resignations", 2026)].text == "7"
    assert cells[("exit_interviews", 2026)].text == "7"
    assert "arbeidsbelastning (7)" in cells[("exit_interviews", 2026)].note
    assert cells[("applicants_per_posting", 2026)].text == "4,5"
    assert cells[("alis", 2026)].text == "1"


def test_exit_reasons_of_fewer_than_five_are_not_shown(client, actors):
    from veiviser.core.models import Person, Position
    from veiviser.workforce.models import ExitInterview, Occupancy

    p = Position.objects.create(
        municipality=actors.laerdal, external_id="H1", kind="gp", created=date(2015, 1, 1)
    )
    person = Person.objects.create(given_name="Eva", family_name="Test", is_doctor=True)
    o = Occupancy.objects.create(
        position=p, person=person, role="holder", start=date(2015, 1, 1), end=date(2026, 2, 1)
    )
    ExitInterview.objects.create(occupancy=o, held_on=date(2026, 2, 1), reasons=["salary"])
    client.force_login(actors["leader"])
    cell = (
        client.get(reverse("cycle_assessment", args=["4642"]))
        .context["parameters"]
        .cells[("exit_interviews", 2026)]
    )
    assert cell.text == "færre enn 5" and "lønn" not in cell.note and "minst 5" in cell.note
    cells = client.get(reverse("cycle_assessment", args=["4642"])).context["parameters"].cells
    assert cells[("resignations", 2026)].text in ("0", "færre enn 5")


# --------------------------------------------------------------------------- project, comments


def test_the_local_project_lists_goals_members_decisions_and_actions(client, actors):
    client.force_login(actors["leader"])
    url = reverse("cycle_project", args=["4642"])
    no_date = client.post(url, {"kind": "decision", "title": "Ny hjemmel vedtatt"})
    assert no_date.status_code == 400 and "on" in no_date.context["form"].errors
    assert (
        client.post(
            url, {"kind": "decision", "title": "Ny hjemmel vedtatt", "on": "2026-06-19"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url, {"kind": "member", "title": "Kommunedirektør", "responsible": "Leder"}
        ).status_code
        == 302
    )
    entry = ProjectEntry.objects.get(kind="member")
    edit = reverse("cycle_entry_edit", args=["4642", entry.pk])
    assert (
        client.post(
            edit,
            {
                "kind": "member",
                "title": "Kommunedirektør",
                "responsible": "Leder av styringsgruppen",
            },
        ).status_code
        == 302
    )
    page = client.get(url)
    text = page.content.decode()
    assert "Ny hjemmel vedtatt" in text and "19.06.2026" in text
    assert "Leder av styringsgruppen" in text
    assert AuditEvent.objects.filter(object_type="cycle.ProjectEntry").count() == 3
    client.force_login(actors["regional"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"kind": "goal", "title": "X"}).status_code == 403


def test_the_regional_office_comments_and_national_reads(client, actors):
    url = reverse("cycle_comment", args=["4642"])
    client.force_login(actors["regional"])
    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "Bra fremgang på teamtrening."}).status_code == 302
    comment = CycleComment.objects.get()
    assert comment.year == 2026 and comment.author == actors["regional"]
    client.force_login(actors["national"])
    assert "Bra fremgang" in client.get(ws()).content.decode()
    assert client.post(url, {"text": "Nasjonalt"}).status_code == 403
    assert AuditEvent.objects.filter(object_type="cycle.CycleComment").count() == 1


# --------------------------------------------------------------------------- workspace


def test_the_workspace_shows_the_nine_activities_and_each_tasks_state(client, actors):
    task(actors, title="Overdue oppgave", due=date(2026, 9, 1), activity=2)
    task(actors, title="Denne måneden", due=date(2026, 11, 1), activity=5)
    task(actors, title="Neste år", due=date(2027, 2, 1), activity=9, responsible_role="coordinator")
    done = task(actors, title="Ferdig", due=date(2026, 4, 1), activity=7)
    set_status(task=done, status="done", completed_on=date(2026, 4, 20), by=actors["leader"])
    old = task(
        actors, title="Gammel", due=date(2024, 4, 1), status="done", completed_on=date(2024, 4, 2)
    )
    client.force_login(actors["leader"])
    response = client.get(ws())
    assert response.status_code == 200
    text = response.content.decode()
    for activity in rr.ACTIVITIES:
        assert activity.name in text
    for criterion in rr.CRITERIA:
        assert criterion.name.split(" (")[0].split("«")[0].strip() in text
    rows = {
        r["task"].title: r
        for step in response.context["steps"]
        for a in step["activities"]
        for r in a["rows"]
    }
    states = {title: r["state"] for title, r in rows.items()}
    assert states["Overdue oppgave"] == "overdue" and states["Denne måneden"] == "due"
    assert states["Neste år"] == "upcoming" and states["Ferdig"] == "done"
    assert rows["Ferdig"]["next"] == date(2027, 4, 1)  # rolled over: one row, with the next
    assert old.title not in states  # done in an earlier year: history only
    assert response.context["counts"] == {"overdue": 1, "due": 1, "done": 1, "open": 4}
    assert "Overdue oppgave" in text and "Forfalt" in text
    assert response.context["months"][8]["status"] == "not_met"
    assert response.context["months"][3]["status"] == "met"


def test_the_workspace_makes_the_same_number_of_queries_as_tasks_and_years_grow(client, actors):
    client.force_login(actors["leader"])
    for i in range(2):
        task(actors, title=f"T{i}", due=date(2026, 1 + i, 1), activity=1 + i)
    save_assessment(
        municipality=actors.laerdal, year=2025, scores={"a1": (2, "")}, by=actors["leader"]
    )
    CycleComment.objects.create(municipality=actors.laerdal, year=2026, text="x")
    url = ws()
    queries(client, url)
    before = queries(client, url)
    for i in range(30):
        t = task(actors, title=f"U{i}", due=date(2026, 1 + i % 12, 1), activity=1 + i % 9)
        TaskEvidence.objects.create(task=t, text="notat")
    for year in (2022, 2023, 2024, 2026):
        save_assessment(
            municipality=actors.laerdal,
            year=year,
            scores={code: (3, "") for code, _n in rr.ITEMS},
            by=actors["leader"],
        )
    CycleComment.objects.create(municipality=actors.laerdal, year=2026, text="y")
    assert queries(client, url) == before


def test_the_assessment_page_makes_the_same_number_of_queries_as_years_grow(client, actors):
    client.force_login(actors["leader"])
    save_assessment(
        municipality=actors.laerdal, year=2025, scores={"a1": (2, "")}, by=actors["leader"]
    )
    url = reverse("cycle_assessment", args=["4642"])
    queries(client, url)
    before = queries(client, url)
    for year in (2021, 2022, 2023, 2024, 2026):
        save_assessment(
            municipality=actors.laerdal,
            year=year,
            scores={code: (3, "") for code, _n in rr.ITEMS},
            by=actors["leader"],
        )
        KeyParameterValue.objects.create(
            municipality=actors.laerdal, year=year, key="in_situ_trainings", value=4
        )
    assert queries(client, url) == before


def test_the_overview_lists_the_users_municipalities_in_fixed_queries(client, actors):
    client.force_login(actors["regional"])
    url = reverse("cycle_overview")
    queries(client, url)
    before = queries(client, url)
    for i in range(10):
        task(actors, title=f"O{i}", due=date(2026, 1, 1))
        task(actors, title=f"B{i}", due=date(2026, 1, 1), municipality=actors.bergen)
    assert queries(client, url) == before
    rows = {m.number: m for m in client.get(url).context["rows"]}
    assert rows["4642"].task_count == 10 and rows["4642"].overdue == 10
    assert "1804" not in rows  # another region
    client.force_login(actors["national"])
    numbers = {m.number for m in client.get(url).context["rows"]}
    assert numbers == {"4642", "4601"}  # national: the municipalities that have started


# --------------------------------------------------------------------------- reminders


def test_due_items_are_the_users_overdue_and_this_months_tasks(actors):
    overdue = task(actors, title="Forfalt", due=date(2026, 8, 1))
    this_month = task(actors, title="Nå", due=date(2026, 11, 1), responsible_role="coordinator")
    task(actors, title="Senere", due=date(2026, 12, 1))
    task(actors, title="Ferdig", due=date(2026, 2, 1), status="done", completed_on=date(2026, 2, 3))
    mine = task(
        actors,
        title="Min",
        due=date(2026, 10, 1),
        responsible_role="",
        responsible_person=actors["veileder"].person,
    )
    task(actors, title="Bergen", due=date(2026, 8, 1), municipality=actors.bergen)
    leader = due_items(actors["leader"], TODAY)
    assert [i.key for i in leader] == [f"cycle_task:{overdue.pk}"]
    assert leader[0].severity == "danger" and leader[0].kind == "cycle_task"
    assert leader[0].url == reverse("cycle_task_detail", args=["4642", overdue.pk])
    coordinator = due_items(actors["coordinator"], TODAY)
    assert [(i.key, i.severity) for i in coordinator] == [
        (f"cycle_task:{this_month.pk}", "warning")
    ]
    assert due_items(actors["veileder"], TODAY) == []  # not a reader of the cycle
    assert due_items(actors["foreign_leader"], TODAY) and all(
        "Bergen" in i.title for i in due_items(actors["foreign_leader"], TODAY)
    )
    assert due_items(actors["national"], TODAY) == []
    assert mine.pk not in {int(i.key.split(":")[1]) for i in due_items(actors["leader"], TODAY)}


# --------------------------------------------------------------------------- API


def test_the_api_lists_tasks_and_assessments(client, actors):
    t = task(actors, due=date(2026, 9, 1))
    set_status(task=t, status="done", completed_on=date(2026, 9, 3), by=actors["leader"])
    save_assessment(
        municipality=actors.laerdal, year=2026, scores={"a2": (4, "Bedre")}, by=actors["leader"]
    )
    client.force_login(actors["regional"])
    tasks = client.get("/api/cycle/4642/tasks").json()
    assert [(r["due"], r["state"]) for r in tasks] == [("2026-09", "done"), ("2027-09", "upcoming")]
    assert tasks[0]["step"] == "recruit" and tasks[0]["responsible"] == "kommunal leder"
    assert len(client.get("/api/cycle/4642/tasks?status=planned&year=2027").json()) == 1
    bad = client.get("/api/cycle/4642/tasks?status=finished")
    assert bad.status_code == 422 and "status" in bad.content.decode()
    assert client.get("/api/cycle/4642/tasks?year=abc").status_code == 422
    rows = client.get("/api/cycle/4642/assessments").json()
    assert rows == [
        {"year": 2026, "item": "a2", "name": dict(rr.ITEMS)["a2"], "score": 4, "comment": "Bedre"}
    ]
    assert client.get("/api/cycle/1804/tasks").status_code == 404
    assert client.get("/api/cycle/9999/assessments").status_code == 404


def test_a_monthly_task_is_one_row_with_its_count_of_the_year(client, actors):
    first = task(actors, title="Teamtrening", activity=7, interval_months=1, due=date(2026, 1, 1))
    current = first
    for month in range(1, 10):
        set_status(
            task=current, status="done", completed_on=date(2026, month, 10), by=actors["leader"]
        )
        current = CycleTask.objects.get(series=first.series, status="planned")
    client.force_login(actors["leader"])
    response = client.get(ws())
    rows = [r for step in response.context["steps"] for a in step["activities"] for r in a["rows"]]
    assert len(rows) == 1
    row = rows[0]
    assert row["task"].due == date(2026, 10, 1) and row["state"] == "overdue"
    assert row["done_this_year"] == 9
    assert "utført 9 ganger i år" in response.content.decode()


def test_template_task_titles_follow_the_language_until_changed(db):
    from django.utils import translation

    from veiviser.cycle.models import CycleTask
    from veiviser.rules.recruit_retain import TEMPLATE

    template = TEMPLATE[0]
    task = CycleTask(template_key=template.key, title=template.title)
    with translation.override("en"):
        assert task.shown_title != template.title
    with translation.override("nb"):
        assert task.shown_title == template.title
    task.title = "Vår egen tittel"
    with translation.override("en"):
        assert task.shown_title == "Vår egen tittel"
