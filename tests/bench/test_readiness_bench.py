"""Benchmark: the readiness verdict for a national installation's ~3,000 ALIS.

Run on demand: ``uv run pytest -p no:django tests/bench -m bench -s``. The 2-second budget is
asserted only when the benchmark is selected explicitly with ``-m bench``; otherwise it runs on
a tenth of the doctors as a smoke test. The budget is checked on the process's CPU time, which
other jobs on a shared machine disturb far less than wall time; both are printed.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import sys
import time

import pytest

from veiviser.rules.readiness import verdict
from veiviser.rules.training import (
    Course,
    Doctor,
    GoalEvent,
    GoalRecord,
    GroupPeriod,
    LeavePeriod,
    ServicePeriod,
    SupervisionSession,
    TrainingRecord,
)

AS_OF = dt.date(2026, 11, 22)
OFFSET = dt.timezone(dt.timedelta(hours=1))
DOCTORS = 3_000
BUDGET_SECONDS = 2.0


def _day(start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=days)


def synthetic_record(rng: random.Random, number: int) -> TrainingRecord:
    """One ALIS with five years of data: several service periods (overlapping, so scaled),
    leave, ~50 supervision sessions a year, two group periods, courses and 112 goals with 4
    events each."""
    start = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))
    doctor_id = f"d-{number}"
    service = (
        ServicePeriod(start, _day(start, 729), 100, "open_practice", "fastlege", "4601", True),
        ServicePeriod(_day(start, 200), _day(start, 500), 20, "other_gp", "legevakt", "4601"),
        ServicePeriod(_day(start, 730), _day(start, 912), 100, "institution", "sykehus"),
        ServicePeriod(_day(start, 913), None, rng.choice((60, 80, 100)), "open_practice"),
        ServicePeriod(_day(start, 913), _day(start, 1400), 40, "other_gp", "sykehjem", "4601"),
        ServicePeriod(_day(start, 1000), _day(start, 1100), 10, "other"),
    )
    leave = (
        LeavePeriod(_day(start, 1200), _day(start, 1200 + rng.randrange(30, 300)), 100, "parental"),
        LeavePeriod(_day(start, 400), _day(start, 414), 50, "sick"),
    )
    sessions = tuple(
        SupervisionSession(_day(start, 7 * week + rng.randrange(0, 3)), rng.choice((1.0, 1.5)))
        for week in range(5 * 50)
        if _day(start, 7 * week) <= AS_OF
    )
    groups = (
        GroupPeriod(_day(start, 30), _day(start, 395), 60, "A"),
        GroupPeriod(_day(start, 396), _day(start, 760), 60, "A", diploma=True),
    )
    courses = tuple(
        Course(kind, f"Kurs {kind}", 30, _day(start, 100 * i))  # type: ignore[arg-type]
        for i, kind in enumerate(("grunnkurs_a", "grunnkurs_b", "grunnkurs_c", "akuttmedisin"))
    ) + tuple(Course("emnekurs", f"Emne {i}", 15, _day(start, 50 * i)) for i in range(5))
    goals = []
    for g in range(112):
        t = dt.datetime.combine(_day(start, 10 * g % 1500), dt.time(9), tzinfo=OFFSET)
        events = (
            GoalEvent(t, "submitted", doctor_id, "alis"),
            GoalEvent(t + dt.timedelta(days=1), "recommended", "v-1", "veileder"),
            GoalEvent(t + dt.timedelta(days=2), "recommended", "s-1", "supervisor"),
            GoalEvent(t + dt.timedelta(days=3), "approved", "l-1", "leader"),
        )
        goals.append(GoalRecord(f"ALM-{g:03d}", events))
    return TrainingRecord(
        doctor=Doctor(id=doctor_id, scheme="new", training_start=start),
        service=service,
        leave=leave,
        supervision=sessions,
        group_supervision=groups,
        courses=courses,
        catalogue="ALM-2019+FKM-2019",
        goals=tuple(goals),
    )


@pytest.mark.bench
def test_readiness_of_3000_alis_with_five_years_of_data_takes_under_2_seconds(
    request: pytest.FixtureRequest,
) -> None:
    markexpr = request.config.getoption("markexpr") or ""
    explicit = "bench" in markexpr and "not bench" not in markexpr
    count = DOCTORS if explicit else DOCTORS // 10
    rng = random.Random(2019)
    records = [synthetic_record(rng, n) for n in range(count)]
    gc.collect()
    wall_started, cpu_started = time.perf_counter(), time.process_time()
    verdicts = [verdict(record, AS_OF) for record in records]
    cpu = time.process_time() - cpu_started
    wall = time.perf_counter() - wall_started
    # Written past pytest's capture (and from an xdist worker) so that the figure is always seen.
    stream = sys.__stderr__ or sys.stderr
    stream.write(
        f"\nreadiness verdict for {count} ALIS: {wall:.3f} s wall, {cpu:.3f} s CPU "
        f"({1000 * cpu / count:.3f} ms CPU each)\n"
    )
    stream.flush()
    assert len(verdicts) == count
    assert all(v.ready is not None for v in verdicts)
    if explicit:
        assert cpu < BUDGET_SECONDS, f"{cpu:.2f} s CPU for {count} ALIS"
