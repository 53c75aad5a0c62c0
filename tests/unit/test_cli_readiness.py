"""``veiviser readiness FILE [--as-of] [--ruleset]``: prints the verdict, exits 0 ready or not,
exits 1 with every error as ``$.path: message`` for an unreadable or invalid file."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.unit.rules.test_progress_file import EXAMPLE_JSON, example
from veiviser import cli


@pytest.fixture(autouse=True)
def _only_present_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other command modules may not exist yet in a partial checkout; ours must work alone."""
    present = [name for name in cli.COMMAND_MODULES if importlib.util.find_spec(name) is not None]
    assert "veiviser.commands.readiness" in present
    monkeypatch.setattr(cli, "COMMAND_MODULES", present)


def write(tmp_path: Path, document: Any, name: str = "progress.json") -> str:
    path = tmp_path / name
    path.write_text(
        document if isinstance(document, str) else json.dumps(document), encoding="utf-8"
    )
    return str(path)


def test_prints_the_verdict_and_exits_0_when_not_ready(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["readiness", write(tmp_path, EXAMPLE_JSON), "--as-of", "2026-11-22"])
    out, err = capsys.readouterr()
    assert code == 0
    assert err == ""
    verdict = json.loads(out)
    assert (verdict["doctor"], verdict["as_of"], verdict["ready"]) == (
        "d-81f3",
        "2026-11-22",
        False,
    )
    assert verdict["projected_general_practice_complete"] == "2026-12-31"
    assert out.startswith('{\n  "doctor": "d-81f3",\n  "ruleset": "ALIS-2019",')


def test_keeps_non_ascii_text_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = example()
    doc["doctor"]["id"] = "lege-ø"
    code = cli.main(["readiness", write(tmp_path, doc), "--as-of", "2026-11-22"])
    assert code == 0
    assert '"doctor": "lege-ø"' in capsys.readouterr().out


def test_every_error_of_an_invalid_file_on_stderr_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = example()
    doc["service"][0]["percent"] = 120
    doc["doctor"]["hpr"] = "12"
    code = cli.main(["readiness", write(tmp_path, doc)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        "$.doctor.hpr: must be 7–9 digits",
        "$.service[0].percent: must be between 0 and 100, not 120",
    ]


def test_invalid_json_exits_1_with_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["readiness", write(tmp_path, '{"format": "veiviser.progress/1",\n}')])
    assert code == 1
    assert capsys.readouterr().err.startswith("$: invalid JSON at line 2, column 1:")


def test_a_missing_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["readiness", str(tmp_path / "none.json")])
    assert code == 1
    assert "cannot read" in capsys.readouterr().err


def test_an_unknown_ruleset_in_the_file_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = example()
    doc["ruleset"] = "ALIS-2031"
    code = cli.main(["readiness", write(tmp_path, doc)])
    assert code == 1
    assert capsys.readouterr().err.startswith("$.ruleset: unknown ruleset 'ALIS-2031'")


def test_the_ruleset_option_overrides_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = example()
    doc["ruleset"] = "ALIS-2031"
    code = cli.main(
        ["readiness", write(tmp_path, doc), "--ruleset", "ALIS-2019", "--as-of", "2026-11-22"]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out)["ruleset"] == "ALIS-2019"


@pytest.mark.parametrize(
    "option", [["--ruleset", "ALIS-1999"], ["--as-of", "22.11.2026"], ["--as-of", "20261122"]]
)
def test_bad_options_are_usage_errors(tmp_path: Path, option: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        cli.main(["readiness", write(tmp_path, EXAMPLE_JSON), *option])
    assert raised.value.code == 2


def test_as_of_defaults_to_today_in_oslo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dt.datetime.now(ZoneInfo("Europe/Oslo")).date()
    code = cli.main(["readiness", write(tmp_path, EXAMPLE_JSON)])
    after = dt.datetime.now(ZoneInfo("Europe/Oslo")).date()
    assert code == 0
    assert json.loads(capsys.readouterr().out)["as_of"] in {before.isoformat(), after.isoformat()}


def test_old_scheme_gives_no_verdict_but_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = example()
    doc["doctor"]["scheme"] = "old"
    code = cli.main(["readiness", write(tmp_path, doc), "--as-of", "2026-11-22"])
    verdict = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (verdict["ready"], verdict["requirements"], verdict["note"]) == (None, [], "old_scheme")


def test_the_command_module_does_not_import_django() -> None:
    import subprocess
    import sys

    script = (
        "import sys, veiviser.commands.readiness, veiviser.rules.readiness, "
        "veiviser.rules.progress_file; print('django' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
