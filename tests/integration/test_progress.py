"""The progress page, the ALIS list, and the portable progress file end to end: an ALIS who
changes municipality loses nothing, and importing twice doubles nothing."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veiviser.audit.models import AuditEvent
from veiviser.cli import main
from veiviser.rules.progress_file import parse
from veiviser.training.models import GoalEvent, ServicePeriod, SupervisionSession, Trainee
from veiviser.training.progress import export_progress, import_progress

pytestmark = pytest.mark.django_db

DOCUMENT: dict[str, Any] = {
    "format": "veiviser.progress/1",
    "exported_at": "2026-11-22T10:15:00+01:00",
    "ruleset": "ALIS-2019",
    "doctor": {
        "id": "d-81f3",
        "name": "Kari Nordmann",
        "hpr": "1234567",
        "scheme": "new",
        "training_start": "2021-09-01",
        "converted": None,
    },
    "service": [
        {
            "from": "2021-09-01",
            "to": None,
            "percent": 100,
            "arena": "open_practice",
            "setting": "fastlege",
            "municipality": "4643",
            "registered_institution": True,
        }
    ],
    "leave": [{"from": "2023-02-01", "to": "2023-11-30", "percent": 100, "kind": "parental"}],
    "supervision": [
        {"date": "2021-09-14", "hours": 1.5, "veileder": "v-22"},
        {"date": "2021-09-14", "hours": 1.5, "veileder": "v-22"},
        {"date": "2021-10-12", "hours": 2, "veileder": "v-22"},
    ],
    "group_supervision": [
        {
            "from": "2021-10-01",
            "to": "2023-09-30",
            "hours": 120,
            "group": "Bergen 3",
            "diploma": True,
        }
    ],
    "courses": [
        {
            "kind": "grunnkurs_a",
            "title": "Allmennlegen og allmennpraksis",
            "hours": 30,
            "completed": "2022-03-04",
        }
    ],
    "plan": {
        "catalogue": "ALM-2019+FKM-2019",
        "goals": [
            {
                "code": "ALM-055",
                "events": [
                    {
                        "at": "2024-05-02T09:00:00+02:00",
                        "action": "submitted",
                        "by": "d-81f3",
                        "role": "alis",
                    },
                    {
                        "at": "2024-05-03T12:00:00+02:00",
                        "action": "recommended",
                        "by": "v-22",
                        "role": "veileder",
                    },
                    {
                        "at": "2024-05-06T08:30:00+02:00",
                        "action": "recommended",
                        "by": "s-07",
                        "role": "supervisor",
                    },
                    {
                        "at": "2024-05-10T14:00:00+02:00",
                        "action": "approved",
                        "by": "l-03",
                        "role": "leader",
                        "comment": "Godkjent etter samtale med veileder",
                    },
                ],
            },
            {"code": "ALM-012", "events": []},
        ],
    },
}


def _import(actors: Any, document: dict[str, Any] = DOCUMENT, municipality: Any = None) -> Trainee:
    return import_progress(
        data=parse(copy.deepcopy(document)),
        municipality=municipality or actors.laerdal,
        by=actors["leader"],
    )


def test_importing_a_file_creates_the_alis_with_everything_in_it(actors):
    trainee = _import(actors)
    assert trainee.person.full_name == "Kari Nordmann"
    assert trainee.external_id == "d-81f3"
    assert trainee.service_periods.get().municipality.number == "4643"
    assert trainee.supervision_sessions.count() == 3
    goal = trainee.plan.goals.get(code="ALM-055")
    assert goal.status == "approved"
    assert goal.events.count() == 4
    assert AuditEvent.objects.filter(action="import", object_id=str(trainee.pk)).exists()


def test_importing_the_same_file_twice_doubles_nothing(actors):
    first = _import(actors)
    counts = (
        ServicePeriod.objects.count(),
        SupervisionSession.objects.count(),
        GoalEvent.objects.count(),
    )
    second = _import(actors)
    assert second.pk == first.pk
    assert (
        ServicePeriod.objects.count(),
        SupervisionSession.objects.count(),
        GoalEvent.objects.count(),
    ) == counts


def test_a_newer_export_updates_instead_of_adding(actors):
    _import(actors)
    newer = copy.deepcopy(DOCUMENT)
    newer["service"][0]["to"] = "2026-06-30"
    newer["supervision"].append({"date": "2026-01-10", "hours": 4, "veileder": "v-22"})
    trainee = _import(actors, newer)
    assert trainee.service_periods.get().end == date(2026, 6, 30)
    assert trainee.supervision_sessions.count() == 4


def test_an_alis_who_changes_municipality_loses_nothing(actors, capsys):
    trainee = _import(actors)
    exported = export_progress(trainee=trainee, by=actors["leader"])
    verdict_before = json.loads(json.dumps(_verdict(trainee)))
    moved = import_progress(data=parse(exported), municipality=actors.bergen, by=actors["admin"])
    assert moved.pk == trainee.pk and moved.municipality == actors.bergen
    assert _verdict(moved) == verdict_before
    assert export_progress(trainee=moved, by=actors["admin"])["plan"] == exported["plan"]


def _verdict(trainee: Trainee) -> dict[str, Any]:
    from veiviser.rules.readiness import verdict_to_dict
    from veiviser.training.records import verdict_of, with_records

    fresh = with_records(Trainee.objects.filter(pk=trainee.pk)).get()
    return verdict_to_dict(verdict_of(fresh, date(2026, 11, 22)))


def test_the_exported_file_gives_the_same_verdict_on_the_command_line(actors, tmp_path, capsys):
    trainee = _import(actors)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(export_progress(trainee=trainee, by=actors["leader"])))
    assert main(["readiness", str(path), "--as-of", "2026-11-22"]) == 0
    assert json.loads(capsys.readouterr().out) == _verdict(trainee)


def test_an_invalid_file_imports_nothing_and_names_the_json_path(client, actors):
    bad = copy.deepcopy(DOCUMENT)
    bad["service"][0]["percent"] = 120
    bad["plan"]["goals"][1]["code"] = "ALM-999"
    client.force_login(actors["leader"])
    response = client.post(
        reverse("progress_import"),
        {
            "municipality": actors.laerdal.pk,
            "file": _upload(bad),
        },
    )
    assert response.status_code == 400
    assert any(e.startswith("$.service[0].percent") for e in response.context["errors"])
    assert not Trainee.objects.filter(external_id="d-81f3").exists()
    unknown_goal = copy.deepcopy(DOCUMENT)
    unknown_goal["plan"]["goals"][1]["code"] = "ALM-999"
    response = client.post(
        reverse("progress_import"),
        {"municipality": actors.laerdal.pk, "file": _upload(unknown_goal)},
    )
    assert response.status_code == 400
    assert response.context["errors"] == [
        "$.plan.goals[1].code: 'ALM-999' is not a goal of catalogue ALM-2019+FKM-2019"
    ]
    assert not Trainee.objects.filter(external_id="d-81f3").exists()


def _upload(document: dict[str, Any]) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("p.json", json.dumps(document).encode(), "application/json")


def test_the_api_import_reports_paths_inside_the_file(client, actors):
    bad = copy.deepcopy(DOCUMENT)
    bad["leave"][0]["kind"] = "holiday"
    client.force_login(actors["leader"])
    response = client.post(
        "/api/progress", {"municipality": "4642", "file": bad}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "$.file.leave[0].kind"
    ok = client.post(
        "/api/progress", {"municipality": "4642", "file": DOCUMENT}, content_type="application/json"
    )
    assert ok.status_code == 201
    trainee_id = ok.json()["id"]
    readiness = client.get(f"/api/trainees/{trainee_id}/readiness?as_of=2026-11-22").json()
    assert readiness["doctor"] == "d-81f3"
    assert readiness["ready"] is False
    assert {r["id"] for r in readiness["requirements"]} >= {"open_practice", "learning_goals"}


def test_the_progress_page_shows_each_requirement_with_its_numbers(client, actors):
    trainee = _import(actors)
    client.force_login(actors["leader"])
    page = client.get(reverse("trainee_detail", args=[trainee.pk])).content.decode()
    assert "Åpen uselektert allmennpraksis" in page
    assert "Institusjonstjeneste mangler" in page
    assert "1 av 2 godkjent" in page
    assert AuditEvent.objects.filter(action="view", object_id=str(trainee.pk)).exists()


def test_the_alis_list_uses_a_fixed_number_of_queries(client, actors):
    client.force_login(actors["leader"])
    _import(actors)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("trainee_list")).status_code == 200
        return len(queries)

    before = count()
    for i in range(5):
        doc = copy.deepcopy(DOCUMENT)
        doc["doctor"] = {**doc["doctor"], "id": f"d-{i}", "hpr": f"765432{i}", "name": f"A {i}"}
        _import(actors, doc)
    assert count() == before
