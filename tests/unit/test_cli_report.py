"""`veiviser report positions|stability|timeline` through `veiviser.cli.main`, in file mode."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from veiviser import cli
from veiviser.rules.workforce import Occupancy, Position

POSITIONS = """\
position_id,municipality,office,kind,form,programme,created,closed
A,4601,Sentrum,alis,salaried,ALIS-Vest del 1,2017-07-01,
B,4601,,alis,salaried,ALIS-Vest del 1,2017-07-01,2021-01-01
C,1860,,gp,self_employed,,2018-03-15,
D,4602,,alis,salaried,ALIS-Vest del 1,2018-01-01,
"""
OCCUPANCIES = """\
position_id,person_id,role,start,end,end_reason,next_work
A,p1,holder,2017-08-01,2019-06-30,resigned,hospital
A,L1,locum,2019-07-01,2019-08-31,,
A,p2,holder,2019-09-01,,,
B,p3,holder,2017-07-01,2020-12-31,moved,general_practice
B,L2,locum,2018-01-01,2018-06-30,,
C,p3,holder,2021-02-01,,,
"""


@pytest.fixture(autouse=True)
def only_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register only this command group, so other groups' imports cannot affect these tests."""
    monkeypatch.setattr(cli, "COMMAND_MODULES", ["veiviser.commands.report"])


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    (tmp_path / "positions.csv").write_text(POSITIONS, encoding="utf-8")
    (tmp_path / "occupancies.csv").write_text(OCCUPANCIES, encoding="utf-8")
    return [
        "--positions",
        str(tmp_path / "positions.csv"),
        "--occupancies",
        str(tmp_path / "occupancies.csv"),
    ]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["report", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_positions_json_is_exactly_the_spec_shape(capsys: Any, files: list[str]) -> None:
    # 2019-08-01: A between p1 and p2 with locum L1; B held by p3; C (created 2018) and D empty
    code, out, _ = run(capsys, "positions", "--at", "2019-08-01", "--json", *files)
    assert code == 0
    assert out == (
        '{"at": "2019-08-01", "positions": 4, "staffed": 1, "vacant": 3, "locum_served": 1}\n'
    )


def test_stability_json_for_a_programme(capsys: Any, files: list[str]) -> None:
    # ALIS-Vest del 1 = A, B, D. A: p1 then p2 (change); B: p3 only, gone with the position
    # at the end; D never staffed. p1 resigned; p2 holds A; p3 holds gp C at the end.
    argv = ["stability", "--from", "2017-07-01", "--to", "2022-08-31", "--json", *files]
    code, out, _ = run(capsys, *argv, "--programme", "ALIS-Vest del 1")
    assert code == 0
    assert list(json.loads(out).items()) == [
        ("from", "2017-07-01"),
        ("to", "2022-08-31"),
        ("positions", 3),
        ("holders", 3),
        ("same_holder_throughout", 0),
        ("positions_with_change", 1),
        ("never_staffed", 1),
        ("resigned", 1),
        ("staffed_at_end", 1),
        ("in_general_practice_at_end", 2),
        ("first_staffed_year", {}),
    ]
    code, out, _ = run(capsys, *argv, "--municipality", "1860", "--kind", "gp")
    figures = json.loads(out)
    assert (figures["same_holder_throughout"], figures["first_staffed_year"]) == (1, {"2021": 1})


def test_text_output_is_a_norwegian_table(capsys: Any, files: list[str]) -> None:
    code, out, _ = run(capsys, "positions", "--at", "2022-08-31", *files)
    assert code == 0
    assert out.splitlines()[0] == "Stillinger per 2022-08-31"
    assert "Kommune" in out and "Betjent av vikar" in out
    assert any(line.startswith("4601 Bergen") for line in out.splitlines())
    assert out.splitlines()[-1].split() == ["Totalt", "3", "2", "1", "0"]
    code, out, _ = run(capsys, "stability", "--from", "2017-07-01", "--to", "2022-08-31", *files)
    assert "Samme innehaver hele veien" in out and "Aldri bemannet" in out


def test_timeline_writes_svg_and_png(capsys: Any, files: list[str], tmp_path: Path) -> None:
    svg, png = tmp_path / "t.svg", tmp_path / "t.png"
    span = ["--from", "2017-07-01", "--to", "2022-08-31"]
    code, out, _ = run(capsys, "timeline", *span, "--out", str(svg), *files)
    assert code == 0
    assert svg.read_text(encoding="utf-8").startswith("<svg")
    assert "4 stillinger" in out
    code, out, _ = run(capsys, "timeline", *span, "--out", str(png), "--json", *files)
    assert code == 0 and png.read_bytes().startswith(b"\x89PNG")
    assert [r["position_id"] for r in json.loads(out)["rows"]] == ["C", "A", "B", "D"]
    code, _, err = run(capsys, "timeline", *span, "--out", str(tmp_path / "t.pdf"), *files)
    assert code == 2 and ".svg or .png" in err


def test_csv_errors_are_listed_with_file_line_and_column(
    capsys: Any, files: list[str], tmp_path: Path
) -> None:
    (tmp_path / "occupancies.csv").write_text(
        OCCUPANCIES + "D,p9,holder,2020-01-01,2019-01-01,,\nZ,p9,chief,2020-01-01,,,\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "positions", "--at", "2020-01-01", *files)
    assert code == 1 and out == ""
    assert err.splitlines()[:3] == [
        "occupancies.csv:8:end: end (2019-01-01) is before start (2020-01-01)",
        "occupancies.csv:9:position_id: position_id 'Z' is not in positions.csv",
        "occupancies.csv:9:role: 'chief' is not one of: holder, locum",
    ]


def test_file_options_come_in_pairs_and_dates_are_checked(
    capsys: Any, files: list[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "positions", "--at", "2020-01-01", *files[:2])
    assert code == 2 and "both --positions and --occupancies" in err
    with pytest.raises(SystemExit) as exit_:
        cli.main(["report", "positions", "--at", "1.1.2020", *files])
    assert exit_.value.code == 2
    missing = ["--positions", str(tmp_path / "nope.csv"), *files[2:]]
    code, _, err = run(capsys, "positions", "--at", "2020-01-01", *missing)
    assert code == 1 and "cannot read" in err


def test_database_mode_without_the_app_says_what_to_do(
    capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "veiviser.workforce.loader", None)  # import fails
    code, _, err = run(capsys, "positions", "--at", "2020-01-01")
    assert code == 2
    assert "the database mode needs the Veiviser app; use --positions/--occupancies" in err


def test_database_mode_uses_the_loader(capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    loader = types.ModuleType("veiviser.workforce.loader")
    seen: list[Any] = []

    def load_from_database(args: Any) -> tuple[list[Position], list[Occupancy]]:
        seen.append(args.municipality)
        from datetime import date

        position = Position("X", "4601", None, "gp", "unknown", None, date(2020, 1, 1))
        return [position], [Occupancy("X", "a", "holder", date(2020, 1, 1))]

    loader.load_from_database = load_from_database  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "veiviser.workforce.loader", loader)
    code, out, _ = run(
        capsys, "positions", "--at", "2020-06-01", "--json", "--municipality", "4601"
    )
    assert code == 0 and json.loads(out)["staffed"] == 1
    assert seen == [["4601"]]


def test_file_mode_never_imports_django(files: list[str], tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from veiviser import cli\n"
        "cli.COMMAND_MODULES = ['veiviser.commands.report']\n"
        f"code = cli.main(['report', 'stability', '--from', '2017-07-01', '--to', '2022-08-31', "
        f"'--json', *{files!r}])\n"
        f"code += cli.main(['report', 'timeline', '--from', '2017-07-01', '--to', '2022-08-31', "
        f"'--out', {str(tmp_path / 't.svg')!r}, *{files!r}])\n"
        "assert code == 0, code\n"
        "assert 'django' not in sys.modules, 'django was imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
