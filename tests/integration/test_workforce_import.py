"""positions.csv and occupancies.csv into the database and out again: all or nothing, errors
with file, line and column, idempotent re-imports, and `veiviser report` giving the same figures
from the database as from the exported files."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from veiviser.audit.models import AuditEvent
from veiviser.cli import main
from veiviser.core.models import Person, Position
from veiviser.rules.workforce_csv import WorkforceCsvInvalid, parse_files
from veiviser.workforce.models import ExitInterview, Occupancy, PersonAlias
from veiviser.workforce.services import export_workforce_csv, import_workforce_csv

pytestmark = pytest.mark.django_db

POSITIONS = """position_id,municipality,office,kind,form,programme,created,closed
H1,4642,Lærdal legekontor,gp,self_employed,,2012-01-01,
H2,4642,Lærdal legekontor,gp,salaried,,2014-05-01,
A1,4642,Lærdal legekontor,alis,salaried,ALIS-Vest del 1,2019-09-01,
K1,4642,Borgund legekontor,municipal,salaried,,2015-01-01,2022-01-01
"""
OCCUPANCIES = """position_id,person_id,role,start,end,end_reason,next_work
H1,d1,holder,2012-01-01,2018-06-30,resigned,hospital
H1,v1,locum,2018-07-01,2018-12-31,,
H1,d2,holder,2019-01-01,,,
H2,d3,holder,2014-05-01,,,
A1,d4,holder,2019-09-01,2021-08-31,resigned,general_practice
A1,v1,locum,2021-09-01,2022-02-28,,
A1,d5,holder,2022-03-01,,,
K1,d4,holder,2021-09-01,2021-12-31,moved,general_practice
"""


def run_import(
    actors: Any,
    positions: str = POSITIONS,
    occupancies: str = OCCUPANCIES,
    *,
    by: str = "leader",
    municipality: Any = "own",
) -> Any:
    return import_workforce_csv(
        municipality_or_none=actors.laerdal if municipality == "own" else municipality,
        positions_text=positions,
        occupancies_text=occupancies,
        by=actors[by],
    )


def test_an_import_creates_positions_people_and_their_history(actors):
    result = run_import(actors)
    assert (result.positions_created, result.occupancies_created, result.persons_created) == (
        4,
        8,
        6,
    )
    assert result.offices_created == 1  # Borgund; Lærdal legekontor exists (actors.office)
    h1 = Position.objects.get(municipality=actors.laerdal, external_id="H1")
    assert h1.office == actors.office and h1.form == "self_employed"
    rows = list(h1.occupancies.order_by("start").values_list("role", "end_reason"))
    assert rows == [("holder", "resigned"), ("locum", ""), ("holder", "")]
    alias = PersonAlias.objects.get(source="csv:4642", alias="d4")
    assert alias.person.occupancies.count() == 2  # the same doctor in A1 and K1
    assert alias.person.home_municipality == actors.laerdal
    assert AuditEvent.objects.filter(action="import", municipality_id=actors.laerdal.pk).exists()


def test_importing_the_same_files_again_changes_nothing(actors):
    run_import(actors)
    again = run_import(actors)
    assert again.to_dict() == {
        "positions_created": 0,
        "positions_updated": 0,
        "occupancies_created": 0,
        "occupancies_updated": 0,
        "occupancies_removed": 0,
        "persons_created": 0,
        "offices_created": 0,
    }
    assert (
        Occupancy.objects.count() == 8
        and Person.objects.filter(given_name="Pseudonym").count() == 6
    )


def test_the_file_is_the_whole_history_of_the_positions_it_names(actors):
    run_import(actors)
    changed = OCCUPANCIES.replace(
        "H2,d3,holder,2014-05-01,,,", "H2,d3,holder,2014-05-01,2020-12-31,retired,other"
    )
    changed = changed.replace("A1,v1,locum,2021-09-01,2022-02-28,,\n", "")
    result = run_import(actors, occupancies=changed)
    assert (result.occupancies_updated, result.occupancies_removed) == (1, 1)
    h2 = Occupancy.objects.get(position__external_id="H2")
    assert (h2.end, h2.end_reason) == (date(2020, 12, 31), "retired")


def test_an_import_with_any_error_imports_nothing(actors):
    bad = OCCUPANCIES.replace(
        "H1,v1,locum,2018-07-01,2018-12-31", "H1,v1,locum,2018-07-01,2018-06-01"
    )
    bad = bad.replace("H2,d3,holder", "H2,d3,holdr")
    with pytest.raises(WorkforceCsvInvalid) as error:
        run_import(actors, occupancies=bad)
    assert [str(e) for e in error.value.errors] == [
        "occupancies.csv:3:end: end (2018-06-01) is before start (2018-07-01)",
        "occupancies.csv:5:role: 'holdr' is not one of: holder, locum",
    ]
    assert not Position.objects.filter(external_id="H1").exists()
    assert not Occupancy.objects.exists() and not PersonAlias.objects.exists()


def test_overlapping_holder_rows_are_refused_with_both_lines(actors):
    bad = OCCUPANCIES.replace("H1,d2,holder,2019-01-01", "H1,d2,holder,2018-06-30")
    with pytest.raises(WorkforceCsvInvalid) as error:
        run_import(actors, occupancies=bad)
    (problem,) = error.value.errors
    assert (problem.file, problem.line, problem.column) == ("occupancies.csv", 4, "start")
    assert "line 2" in problem.message


def test_positions_of_another_municipality_are_refused_with_line_and_column(actors):
    bergen = POSITIONS.replace("H2,4642,", "H2,4601,").replace("K1,4642", "K1,9999")
    with pytest.raises(WorkforceCsvInvalid) as error:
        run_import(actors, positions=bergen)
    assert [str(e) for e in error.value.errors] == [
        "positions.csv:3:municipality: importen gjelder 4642 Lærdal, ikke 4601 Bergen",
        "positions.csv:5:municipality: ukjent kommunenummer",
    ]
    with pytest.raises(WorkforceCsvInvalid) as error:
        run_import(actors, positions=bergen.replace("9999", "4642"), municipality=None, by="leader")
    assert [str(e) for e in error.value.errors] == [
        "positions.csv:3:municipality: du kan ikke endre stillinger i 4601 Bergen"
    ]
    assert not Position.objects.exists()


def test_a_row_with_an_exit_interview_is_not_removed_silently(actors):
    run_import(actors)
    ended = Occupancy.objects.get(position__external_id="H1", end_reason="resigned")
    ExitInterview.objects.create(occupancy=ended, held_on=date(2018, 6, 1), reasons=["family"])
    without = OCCUPANCIES.replace("H1,d1,holder,2012-01-01,2018-06-30,resigned,hospital\n", "")
    with pytest.raises(WorkforceCsvInvalid) as error:
        run_import(actors, occupancies=without)
    (problem,) = error.value.errors
    assert (problem.file, problem.line, problem.column) == ("positions.csv", 2, "position_id")
    assert "sluttintervju" in problem.message
    assert Occupancy.objects.filter(pk=ended.pk).exists()


def test_the_import_page_lists_the_errors_as_file_line_column(client, actors):
    client.force_login(actors["leader"])
    bad = OCCUPANCIES.replace("2018-12-31,,", "2018-13-31,,")
    response = client.post(
        reverse("workforce_import"),
        {
            "municipality": actors.laerdal.pk,
            "positions": SimpleUploadedFile("p.csv", POSITIONS.encode()),
            "occupancies": SimpleUploadedFile("o.csv", bad.encode()),
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "occupancies.csv:3:end: not a date &#x27;2018-13-31&#x27;" in text
    assert "ingenting er lagret" in text
    assert not Position.objects.exists()


def test_the_import_page_refuses_a_file_that_is_not_utf8(client, actors):
    client.force_login(actors["leader"])
    response = client.post(
        reverse("workforce_import"),
        {
            "municipality": actors.laerdal.pk,
            "positions": SimpleUploadedFile("p.csv", POSITIONS.encode("latin-1")),
            "occupancies": SimpleUploadedFile("o.csv", OCCUPANCIES.encode()),
        },
    )
    assert response.status_code == 400
    assert "positions.csv:2: filen er ikke UTF-8-tekst" in response.content.decode()


def test_the_import_page_needs_both_files(client, actors):
    client.force_login(actors["leader"])
    response = client.post(
        reverse("workforce_import"),
        {
            "municipality": actors.laerdal.pk,
            "positions": SimpleUploadedFile("p.csv", POSITIONS.encode()),
        },
    )
    assert response.status_code == 400
    assert "occupancies" in response.context["form"].errors


def test_the_import_page_imports_and_says_what_changed(client, actors):
    client.force_login(actors["coordinator"])
    response = client.post(
        reverse("workforce_import"),
        {
            "municipality": actors.laerdal.pk,
            "positions": SimpleUploadedFile("p.csv", POSITIONS.encode()),
            "occupancies": SimpleUploadedFile("o.csv", OCCUPANCIES.encode("utf-8-sig")),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Importert: 4 nye og 0 endrede stillinger" in response.content.decode()


# --------------------------------------------------------------------------- export


def test_the_export_reads_back_and_re_imports_to_the_same_people(actors, client):
    run_import(actors)
    client.force_login(actors["leader"])
    positions = client.get(reverse("workforce_export_positions")).content.decode()
    occupancies = client.get(reverse("workforce_export_occupancies")).content.decode()
    parsed_positions, parsed_rows = parse_files(positions, occupancies)
    assert len(parsed_positions) == 4 and len(parsed_rows) == 8
    assert all(r.person_id.startswith("vv-") for r in parsed_rows)
    people = Person.objects.count()
    again = run_import(actors, positions, occupancies)
    assert again.persons_created == 0 and again.occupancies_created == 0
    assert Person.objects.count() == people


def test_the_export_is_scoped_and_filtered(actors, client):
    run_import(actors)
    client.force_login(actors["foreign_leader"])
    text = client.get(reverse("workforce_export_positions")).content.decode()
    assert text.splitlines() == [
        "position_id,municipality,office,kind,form,programme,created,closed"
    ]
    client.force_login(actors["regional"])
    text = client.get(reverse("workforce_export_positions"), {"type": "alis"}).content.decode()
    assert [line.split(",")[0] for line in text.splitlines()[1:]] == ["A1"]


def test_the_same_external_id_in_two_municipalities_is_kept_apart(actors):
    run_import(actors)
    Position.objects.create(
        municipality=actors.bergen, external_id="H1", kind="gp", created=date(2010, 1, 1)
    )
    positions, _occupancies = export_workforce_csv(
        position_qs=Position.objects.all(), by=actors["admin"]
    )
    ids = [line.split(",")[0] for line in positions.splitlines()[1:]]
    assert "4601:H1" in ids and "4642:H1" in ids
    result = import_workforce_csv(
        municipality_or_none=None,
        positions_text=positions,
        occupancies_text=_occupancies,
        by=actors["admin"],
    )
    assert result.positions_created == 0 and result.occupancies_created == 0


def report(capsys: Any, *args: str) -> dict[str, Any]:
    assert main(["report", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_report_stability_from_the_database_equals_the_exported_files(actors, capsys, tmp_path):
    run_import(actors)
    # A former Lærdal ALIS now holds a position in Bergen: "still in general practice".
    d4 = PersonAlias.objects.get(alias="d4").person
    bergen = Position.objects.create(
        municipality=actors.bergen, external_id="B7", kind="gp", created=date(2020, 1, 1)
    )
    Occupancy.objects.create(position=bergen, person=d4, role="holder", start=date(2022, 1, 1))
    Occupancy.objects.filter(person=d4, end__isnull=False).update(next_work="unknown")
    positions, occupancies = export_workforce_csv(
        position_qs=Position.objects.all(), by=actors["admin"]
    )
    (tmp_path / "positions.csv").write_text(positions)
    (tmp_path / "occupancies.csv").write_text(occupancies)
    files = [
        "--positions",
        str(tmp_path / "positions.csv"),
        "--occupancies",
        str(tmp_path / "occupancies.csv"),
    ]
    for selection in (
        [],
        ["--municipality", "4642"],
        ["--programme", "alis-vest del 1"],
        ["--kind", "gp"],
    ):
        period = ["stability", "--from", "2017-01-01", "--to", "2023-06-30", *selection]
        from_db = report(capsys, *period)
        assert from_db == report(capsys, *period, *files)
        at = ["positions", "--at", "2021-10-01", *selection]
        assert report(capsys, *at) == report(capsys, *at, *files)
    lærdal = report(
        capsys, "stability", "--from", "2017-01-01", "--to", "2023-06-30", "--municipality", "4642"
    )
    # d1 left for a hospital; d2, d3 and d5 hold Lærdal positions; d4 holds one in Bergen.
    assert lærdal["holders"] == 5 and lærdal["in_general_practice_at_end"] == 4


# --------------------------------------------------------------------------- demo


def test_the_demo_history_is_valid_and_built_once(db):
    from veiviser.accounts.models import User
    from veiviser.demo.world import build_demo_world
    from veiviser.workforce.demo import build_demo_history

    build_demo_world()  # calls build_demo_history() once the lead has added the line
    build_demo_history()
    created = Occupancy.objects.filter(source="demo").count()
    assert created > 300
    assert build_demo_history() == 0
    positions, occupancies = export_workforce_csv(
        position_qs=Position.objects.all(), by=User.objects.get(username="admin")
    )
    _parsed, rows = parse_files(positions, occupancies)  # no overlapping holders, no bad dates
    assert len(rows) == Occupancy.objects.count() == created
    assert ExitInterview.objects.exists()
    assert not Person.objects.filter(occupancies__source="demo", fictitious=False).exists()
