"""The `veiviser` commands that use the database."""

from __future__ import annotations

import pytest

from veiviser.accounts.models import ApiToken, User
from veiviser.cli import main
from veiviser.core.models import Municipality, Person

pytestmark = pytest.mark.django_db


def test_demo_builds_a_fictitious_world_once_and_prints_a_login_per_role(capsys):
    assert main(["demo", "--no-serve"]) == 0
    out = capsys.readouterr().out
    for username in ("admin", "leder.laerdal", "veileder", "alis", "alisvest", "nasjonal"):
        assert username in out
    assert "veiviser-demo" in out
    people = Person.objects.count()
    assert people > 50
    assert not Person.objects.filter(fictitious=False).exists()
    assert Municipality.objects.count() == 357
    assert main(["demo", "--no-serve"]) == 0
    assert Person.objects.count() == people
    assert User.objects.get(username="leder.laerdal").check_password("veiviser-demo")


def test_token_prints_a_key_that_authenticates_against_the_api(capsys, client, actors):
    assert main(["token", "--user", "leader"]) == 0
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("vv_")
    assert ApiToken.objects.get().key_hash != raw
    response = client.get("/api/municipalities", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert [m["number"] for m in response.json()["items"]] == ["4642"]
    assert (
        client.get("/api/municipalities", HTTP_AUTHORIZATION="Bearer vv_wrong").status_code == 401
    )


def test_a_revoked_token_no_longer_works(client, actors):
    from veiviser.accounts.services import create_api_token, revoke_api_token

    token, raw = create_api_token(user=actors["leader"], name="x", by=actors["leader"])
    revoke_api_token(token=token, by=actors["leader"])
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_token_for_an_unknown_user_fails_clearly(capsys, db):
    assert main(["token", "--user", "nobody"]) == 1
    assert "no user named 'nobody'" in capsys.readouterr().err


def test_import_centrality_reports_line_and_column(tmp_path, capsys, db):
    path = tmp_path / "k.csv"
    path.write_text("kommunenummer,sentralitet\n4642,6\n4601,x\n", encoding="utf-8")
    assert main(["import-centrality", str(path)]) == 1
    assert "linje 3, kolonne sentralitet" in capsys.readouterr().err
    assert Municipality.objects.get(number="4642").centrality is None
    path.write_text("kommunenummer,sentralitet\n4642,6\n", encoding="utf-8")
    assert main(["import-centrality", str(path)]) == 0
    assert Municipality.objects.get(number="4642").centrality == 6


def test_api_input_errors_name_the_field(client, actors):
    client.force_login(actors["admin"])
    response = client.get("/api/municipalities?limit=many")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.limit"


def test_serve_refuses_a_database_that_needs_migrating(capsys, monkeypatch):
    from veiviser.commands import server

    served = []
    monkeypatch.setattr(server, "serve", lambda *a, **k: served.append(a) or 0)
    assert server.pending_migrations() == []  # the test database is up to date
    assert main(["serve"]) == 0 and served
    served.clear()
    monkeypatch.setattr(server, "pending_migrations", lambda: ["training.0004_transfer_scheduled"])
    assert main(["serve"]) == 2
    assert not served
    err = capsys.readouterr().err
    assert "veiviser migrate" in err and "training.0004_transfer_scheduled" in err
