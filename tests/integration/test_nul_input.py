"""A NUL character (\\x00) in any input is refused with the field, path or line named, never a
server error: PostgreSQL cannot store NUL in text, so on PostgreSQL every one of these was a
500 waiting to happen (schemathesis found the first, in ``POST /api/progress``)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.integration.test_progress import DOCUMENT
from tests.integration.test_workforce_import import OCCUPANCIES, POSITIONS
from veiviser.core.models import Position
from veiviser.planning.models import CostEntry
from veiviser.training.models import Trainee

pytestmark = pytest.mark.django_db


def test_a_form_field_with_nul_is_refused_naming_the_field(client: Any, actors: Any) -> None:
    client.force_login(actors["leader"])
    url = reverse("cost_entry_create", args=["4642"])
    response = client.post(url, {"year": "2025", "category": "other\x00", "amount": "5"})
    assert response.status_code == 400
    assert "«category»" in response.content.decode()
    assert not CostEntry.objects.exists()


def test_a_query_parameter_with_nul_is_refused_naming_it(client: Any, actors: Any) -> None:
    client.force_login(actors["leader"])
    response = client.get(reverse("person_list"), {"q": "Ol\x00a"})
    assert response.status_code == 400
    assert "«q»" in response.content.decode()


def test_a_path_with_nul_is_refused(client: Any, actors: Any) -> None:
    client.force_login(actors["leader"])
    assert client.get("/kommuner/46\x0042/").status_code == 400


def test_the_api_refuses_nul_in_the_query_with_the_documented_422(client: Any, actors: Any) -> None:
    client.force_login(actors["leader"])
    response = client.get("/api/municipalities", {"region": "x\x00"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "query.region",
            "message": "contains a NUL character (\\u0000), which cannot be stored",
        }
    ]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"municipality": "46\x0042", "file": {}}, "body.municipality"),
        (
            {"municipality": "4642", "file": {"doctor": {"id": ["a", "b\x00"]}}},
            "body.file.doctor.id[1]",
        ),
        ({"municipality": "4642", "file": {"x\x00": 1}}, "body.file"),
    ],
)
def test_the_api_refuses_nul_in_a_json_body_naming_the_path(
    client: Any, actors: Any, body: dict[str, Any], path: str
) -> None:
    client.force_login(actors["leader"])
    response = client.post("/api/progress", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == path


def test_a_cookie_with_nul_is_ignored_not_a_server_error(client: Any, actors: Any) -> None:
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    response = client.get(reverse("home"))
    assert response.status_code == 302  # not logged in: to the login page


def test_a_progress_file_with_nul_names_the_json_path(client: Any, actors: Any) -> None:
    bad = copy.deepcopy(DOCUMENT)
    bad["doctor"]["name"] = "Kari\x00 Nordmann"
    client.force_login(actors["leader"])
    file = SimpleUploadedFile("p.json", json.dumps(bad).encode(), "application/json")
    response = client.post(
        reverse("progress_import"), {"municipality": actors.laerdal.pk, "file": file}
    )
    assert response.status_code == 400
    assert any(e.startswith("$.doctor.name") for e in response.context["errors"])
    assert not Trainee.objects.filter(external_id=DOCUMENT["doctor"]["id"]).exists()


def test_a_workforce_csv_with_nul_names_the_line(client: Any, actors: Any) -> None:
    client.force_login(actors["leader"])
    bad = POSITIONS.replace("Borgund legekontor", "Borgund\x00legekontor")
    response = client.post(
        reverse("workforce_import"),
        {
            "municipality": actors.laerdal.pk,
            "positions": SimpleUploadedFile("p.csv", bad.encode()),
            "occupancies": SimpleUploadedFile("o.csv", OCCUPANCIES.encode()),
        },
    )
    assert response.status_code == 400
    assert "positions.csv:5" in response.content.decode()
    assert not Position.objects.exists()


def test_a_cost_csv_with_nul_names_the_line(client: Any, actors: Any) -> None:
    client.force_login(actors["leader"])
    text = (
        f"alis;year;category;amount;education;note\nvv-{actors.trainee.pk};2025;other;5;;a\x00b\n"
    )
    file = SimpleUploadedFile("kostnader.csv", text.encode(), content_type="text/csv")
    response = client.post(reverse("cost_import", args=["4642"]), {"file": file})
    assert response.status_code == 400
    assert "linje 2, kolonne «note»" in response.content.decode()
    assert not CostEntry.objects.exists()
