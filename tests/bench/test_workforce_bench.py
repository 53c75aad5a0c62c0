"""Benchmark: stability figures for a national installation and a 100-position SVG timeline.

5,000 positions with ten years of monthly history, about 3 holders and 5 locum rows each
(docs/design "Scale"). Run on demand:
``uv run pytest -p no:django tests/bench/test_workforce_bench.py -m bench -s``.
Budgets: stability figures under 1 s, the SVG timeline of 100 positions under 1 s.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

import pytest

from veiviser.rules.workforce import Occupancy, Position, WorkforceData, stability
from veiviser.rules.workforce_months import monthly_dependence
from veiviser.rules.workforce_timeline import build_timeline, render_svg

START, END = date(2014, 1, 1), date(2023, 12, 31)
MUNICIPALITIES = [f"{n:04d}" for n in range(301, 301 + 357)]


def synthetic(n: int, seed: int = 2024) -> tuple[list[Position], list[Occupancy]]:
    """``n`` positions over ten years: holders one after another, locums in the gaps/absences."""
    rng = random.Random(seed)
    span = (END - START).days
    positions: list[Position] = []
    rows: list[Occupancy] = []
    for i in range(n):
        pid = f"P{i:05d}"
        created = (
            START - timedelta(days=rng.randint(0, 3000))
            if rng.random() < 0.8
            else (START + timedelta(days=rng.randint(0, span // 2)))
        )
        closed = (
            START + timedelta(days=rng.randint(span // 2, span)) if rng.random() < 0.1 else None
        )
        kind = rng.choice(["gp", "gp", "gp", "alis", "municipal"])
        positions.append(
            Position(pid, rng.choice(MUNICIPALITIES), None, kind, "unknown", None, created, closed)  # type: ignore[arg-type]
        )
        cursor = max(created, START - timedelta(days=1500))
        while cursor <= END:  # holders one after another, ~3 per position in the ten years
            start = cursor + timedelta(days=rng.randint(0, 180))
            end = start + timedelta(days=rng.randint(500, 2400))
            ongoing = end > END
            rows.append(
                Occupancy(
                    pid,
                    f"d{rng.randint(0, 9000)}",
                    "holder",
                    start,
                    None if ongoing else end,
                    None if ongoing else rng.choice(["resigned", "moved", "retired", "other"]),
                    None if ongoing else rng.choice(["general_practice", "hospital", "unknown"]),
                )
            )
            cursor = end + timedelta(days=1)
        for _ in range(5):
            start = START + timedelta(days=rng.randint(0, span))
            rows.append(
                Occupancy(
                    pid,
                    f"l{rng.randint(0, 500)}",
                    "locum",
                    start,
                    start + timedelta(days=rng.randint(14, 120)),
                )
            )
    return positions, rows


def _selected(request: pytest.FixtureRequest) -> bool:
    return "bench" in (request.config.getoption("-m") or "")


@pytest.mark.bench
def test_stability_figures_for_5000_positions(request: pytest.FixtureRequest) -> None:
    n = 5000 if _selected(request) else 500
    positions, rows = synthetic(n)
    began = time.perf_counter()
    data = WorkforceData(positions, rows)
    indexed = time.perf_counter()
    figures = data.stability(date(2017, 7, 1), date(2022, 8, 31))
    at = data.positions_at(date(2022, 8, 31))
    elapsed = time.perf_counter() - began
    plain = time.perf_counter()
    assert stability(positions, rows, date(2017, 7, 1), date(2022, 8, 31)) == figures
    plain_elapsed = time.perf_counter() - plain
    monthly = time.perf_counter()
    dependence = monthly_dependence(positions, rows, START, END)
    monthly_elapsed = time.perf_counter() - monthly
    print(
        f"\n{n} positions, {len(rows)} occupancy rows: index {indexed - began:.3f} s, "
        f"index + stability + positions_at {elapsed:.3f} s, stability() {plain_elapsed:.3f} s, "
        f"monthly_dependence over 120 months {monthly_elapsed:.3f} s"
    )
    print(figures.to_dict())
    print(at.to_dict())
    print(dependence.totals)
    assert figures.positions > 0 and at.staffed + at.vacant == at.positions
    if _selected(request):
        assert elapsed < 1.0
        assert plain_elapsed < 1.0


@pytest.mark.bench
def test_svg_timeline_for_100_positions_over_ten_years() -> None:
    positions, rows = synthetic(100, seed=7)
    began = time.perf_counter()
    matrix = build_timeline(positions, rows, START, END, data_until=date(2023, 6, 30))
    svg = render_svg(matrix)
    elapsed = time.perf_counter() - began
    print(
        f"\nSVG timeline: {len(matrix.rows)} positions × {len(matrix.months)} months in "
        f"{elapsed:.3f} s, {len(svg) / 1024:.0f} KiB"
    )
    assert len(matrix.rows) == 100 and len(matrix.months) == 120
    assert elapsed < 1.0
