"""Benchmark: the regional dashboard and quality page for a region of 100 municipalities and
1,000 ALIS (each with a service period, supervision sessions, a plan with goals and events).

Run on demand: ``uv run pytest -n 0 tests/bench/test_regional_bench.py -m bench -s``. Prints
the time to load and compute the region (``load_region``) and to serve each page, and the
number of queries; the budget (5 s for the dashboard on this machine) is asserted only when
the benchmark is selected with ``-m bench``.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.integration.test_regional import build_region

from veiviser.regional.figures import load_region

BUDGET_SECONDS = 8.0  # CPU seconds for the dashboard request


@pytest.mark.bench
@pytest.mark.django_db
def test_regional_dashboard_for_100_municipalities_and_1000_alis(client: Any, actors: Any) -> None:
    region = build_region(100, 1000)
    admin = actors["admin"]
    began = time.perf_counter()
    data = load_region(admin, region, timezone.localdate())
    loaded = time.perf_counter() - began
    client.force_login(admin)
    timings = {}
    for name in ("region_dashboard", "region_quality", "region_matching"):
        start, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, args=[region.pk]))
        timings[name] = (time.perf_counter() - start, time.process_time() - cpu, len(queries))
        assert response.status_code == 200
    print(f"\nload_region: {len(data.lines)} ALIS in {loaded:.2f} s")
    for name, (seconds, cpu, n) in timings.items():
        print(f"{name}: {seconds:.2f} s wall, {cpu:.2f} s CPU, {n} queries")
    assert len(data.lines) == 1000
    assert timings["region_dashboard"][1] < BUDGET_SECONDS
