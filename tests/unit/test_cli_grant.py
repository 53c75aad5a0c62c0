"""`veiviser grant FILE.json` through `veiviser.cli.main`, output captured with capsys."""

from __future__ import annotations

import copy
import json
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from veiviser import cli

SPEC_EXAMPLE: dict[str, Any] = {
    "rates": [
        {
            "valid_from": "2024-01-01",
            "valid_to": "2025-12-31",
            "doctor_type": "gp",
            "annual_rate": 300000,
            "centrality6_supplement": 100000,
        }
    ],
    "municipality": {"number": "4643", "centrality": 6},
    "period": {"from": "2024-09-01", "to": "2025-05-31"},
    "agreements": [
        {
            "doctor": "d-81f3",
            "doctor_type": "gp",
            "signed": "2024-10-15",
            "ends": None,
            "position_share": 1.0,
            "scheme": "new",
            "locum_agency": False,
        }
    ],
}


def write(tmp_path: Path, data: object, name: str = "claim.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_prints_the_claim_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["grant", write(tmp_path, SPEC_EXAMPLE)]) == 0
    out, err = capsys.readouterr()
    # Nov 2024 – May 2025 = 7 whole months × 400 000 / 12 = 233 333.33… → 233 333.
    assert json.loads(out) == {
        "municipality": "4643",
        "period": {"from": "2024-09-01", "to": "2025-05-31"},
        "total": 233333,
        "agreements": [
            {
                "doctor": "d-81f3",
                "eligible": True,
                "reason": None,
                "whole_months": 7,
                "position_share": 1.0,
                "amount": 233333,
            }
        ],
    }
    assert out.startswith('{\n  "municipality": "4643"')  # indent=2
    assert err == ""


def test_invalid_file_lists_paths_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy.deepcopy(SPEC_EXAMPLE)
    data["agreements"][0]["position_share"] = 2
    data["municipality"]["centrality"] = 0
    assert cli.main(["grant", write(tmp_path, data)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "$.municipality.centrality: must be an integer 1–6 (SSB sentralitet) or null",
        "$.agreements[0].position_share: must be between 0 and 1",
    ]


def test_broken_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    assert cli.main(["grant", str(path)]) == 1
    assert capsys.readouterr().err.startswith("$: invalid JSON at line 1")


def test_missing_rate_names_month_and_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy.deepcopy(SPEC_EXAMPLE)
    data["rates"][0]["valid_to"] = "2024-12-31"
    assert cli.main(["grant", write(tmp_path, data)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "2025-01" in err
    assert "'gp'" in err


def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["grant", str(tmp_path / "nope.json")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_unknown_centrality_warns_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy.deepcopy(SPEC_EXAMPLE)
    data["municipality"]["centrality"] = None
    assert cli.main(["grant", write(tmp_path, data)]) == 0
    out, err = capsys.readouterr()
    # No supplement: 7 × 300 000 / 12 = 175 000.
    assert json.loads(out)["total"] == 175000
    assert "centrality class is unknown" in err


def test_writes_the_worksheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlsx = tmp_path / "grunnlag.xlsx"
    argv = ["grant", write(tmp_path, SPEC_EXAMPLE), "--xlsx", str(xlsx)]
    assert cli.main([*argv, "--municipality-name", "Vik"]) == 0
    capsys.readouterr()
    workbook = load_workbook(BytesIO(xlsx.read_bytes()))
    assert workbook["Søknadsgrunnlag"]["B2"].value == "Vik (4643)"
