"""The readiness verdict (rules.md, "Readiness"; progress-file.md, "The verdict"): the example
file's verdict computed by hand, a ready doctor, the old scheme, goals, courses, projection."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from hypothesis import given, settings

from tests.unit.rules.test_progress_file import example
from tests.unit.rules.test_service_time import as_ofs, leaves, services
from veiviser.rules.progress_file import parse
from veiviser.rules.projection import project_completion
from veiviser.rules.readiness import missing_courses, next_steps, verdict, verdict_to_dict
from veiviser.rules.service_time import count_service
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

D = dt.date
TZ = dt.timezone(dt.timedelta(hours=1))


def months(first: str, last: str) -> list[str]:
    """Month labels from ``first`` to ``last`` inclusive ("YYYY-MM")."""
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


# --------------------------------------------------------------------------- the example file


def test_the_verdict_of_the_spec_example_as_of_22_november_2026() -> None:
    """Computed by hand from the example file (100 % open practice from 2021-09-01, parental
    leave 100 % 2023-02-01..2023-11-30, one 1.5 h session, a two-year group with diploma, one
    course, one validly approved goal):

    open practice: Sep 2021-Jan 2023 = 17 months; Feb-Nov 2023 leave = 0; Dec 2023-Oct 2026 =
    35 months; 1-22 Nov 2026 = 22/30 -> 52 + 0.7333 = 52.73 (>= 24, < 54).
    supervision years from 2021-09-01:
      1: 365 counting days -> 42.00 h required, 1.5 h;
      2: 2022-09-01..2023-08-31: Sep 2022-Jan 2023 = 30+31+30+31+31 = 153 days -> 42 x 153/365
         = 17.61;
      3: 2023-09-01..2024-08-31: 366 days - leave Sep-Nov 2023 (91) = 275 -> 42 x 275/366 =
         31.56;
      4, 5: 42.00; 6 (running, to 2027-08-31): 30+31+22 = 83 days -> 42 x 83/365 = 9.55.
    months under 4 h with service: every completed month with service (Sep 2021-Jan 2023,
    Dec 2023-Oct 2026); November 2026 is not complete.
    group: Oct 2021-Sep 2023 = 24 months; in open practice Oct 2021-Jan 2023 = 16 months.
    projection: 53.0 months at 30 Nov 2026, one more month -> 2026-12-31.
    """
    result = verdict(parse(example()), D(2026, 11, 22))
    assert verdict_to_dict(result) == {
        "doctor": "d-81f3",
        "ruleset": "ALIS-2019",
        "as_of": "2026-11-22",
        "ready": False,
        "requirements": [
            {
                "id": "open_practice",
                "met": True,
                "severity": "blocking",
                "months": 52.73,
                "required": 24,
            },
            {
                "id": "general_practice",
                "met": False,
                "severity": "blocking",
                "months": 52.73,
                "required": 54,
            },
            {
                "id": "other_gp",
                "met": True,
                "severity": "info",
                "months": 0.0,
                "max_counted": 30,
                "recorded": 0.0,
            },
            {
                "id": "institution",
                "met": False,
                "severity": "blocking",
                "months": 0.0,
                "required": 6,
            },
            {
                "id": "supervision",
                "met": False,
                "severity": "blocking",
                "years": [
                    {
                        "year": 1,
                        "from": "2021-09-01",
                        "to": "2022-08-31",
                        "hours": 1.5,
                        "required": 42.0,
                        "met": False,
                    },
                    {
                        "year": 2,
                        "from": "2022-09-01",
                        "to": "2023-08-31",
                        "hours": 0.0,
                        "required": 17.61,
                        "met": False,
                    },
                    {
                        "year": 3,
                        "from": "2023-09-01",
                        "to": "2024-08-31",
                        "hours": 0.0,
                        "required": 31.56,
                        "met": False,
                    },
                    {
                        "year": 4,
                        "from": "2024-09-01",
                        "to": "2025-08-31",
                        "hours": 0.0,
                        "required": 42.0,
                        "met": False,
                    },
                    {
                        "year": 5,
                        "from": "2025-09-01",
                        "to": "2026-08-31",
                        "hours": 0.0,
                        "required": 42.0,
                        "met": False,
                    },
                    {
                        "year": 6,
                        "from": "2026-09-01",
                        "to": "2027-08-31",
                        "hours": 0.0,
                        "required": 9.55,
                        "met": None,
                    },
                ],
                "months_under_minimum": months("2021-09", "2023-01") + months("2023-12", "2026-10"),
            },
            {
                "id": "group_supervision",
                "met": True,
                "severity": "blocking",
                "months": 24.0,
                "hours": 120,
                "open_practice_months": 16.0,
            },
            {"id": "group_supervision_diploma", "met": True, "severity": "blocking"},
            {
                "id": "learning_goals",
                "met": True,
                "severity": "blocking",
                "approved": 1,
                "total": 1,
                "missing": [],
                "invalid": [],
            },
            {
                "id": "courses",
                "met": False,
                "severity": "recommended",
                "missing": [
                    "grunnkurs_b",
                    "grunnkurs_c",
                    "grunnkurs_d",
                    "akuttmedisin",
                    "emnekurs",
                ],
            },
            {"id": "registered_institution_share", "met": True, "severity": "info", "share": 1.0},
        ],
        "projected_general_practice_complete": "2026-12-31",
    }
    assert next_steps(result) == [
        "general_practice_missing",
        "institution_missing",
        "supervision_hours_missing",
        "supervision_below_monthly_minimum",
        "courses_recommended",
    ]


def test_the_verdict_keys_are_in_the_order_of_the_spec() -> None:
    out = verdict_to_dict(verdict(parse(example()), D(2026, 11, 22)))
    assert list(out) == [
        "doctor",
        "ruleset",
        "as_of",
        "ready",
        "requirements",
        "projected_general_practice_complete",
    ]
    assert [r["id"] for r in out["requirements"]] == [  # type: ignore[index, union-attr]
        "open_practice",
        "general_practice",
        "other_gp",
        "institution",
        "supervision",
        "group_supervision",
        "group_supervision_diploma",
        "learning_goals",
        "courses",
        "registered_institution_share",
    ]
    json.dumps(out)  # JSON-ready


# --------------------------------------------------------------------------- a ready doctor


def ready_record() -> TrainingRecord:
    """Open practice 100 % 2019-09..2022-08 (36 months) and from 2023-03 (ongoing), a hospital
    2022-09..2023-02 (6 months), 4 h supervision every month, a two-year group with diploma in
    open practice, every course, three validly approved goals."""
    sessions = []
    year, month = 2019, 9
    while (year, month) <= (2025, 3):
        sessions.append(SupervisionSession(D(year, month, 12), 4.0, "v-1"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    chain = (
        GoalEvent(dt.datetime(2024, 3, 1, 9, tzinfo=TZ), "submitted", "d-1", "alis"),
        GoalEvent(dt.datetime(2024, 3, 2, 9, tzinfo=TZ), "recommended", "v-1", "veileder"),
        GoalEvent(dt.datetime(2024, 3, 3, 9, tzinfo=TZ), "recommended", "s-1", "supervisor"),
        GoalEvent(dt.datetime(2024, 3, 4, 9, tzinfo=TZ), "approved", "l-1", "leader"),
    )
    courses = [
        Course(kind, kind, 30, D(2021, 1, 1))  # type: ignore[arg-type]
        for kind in ("grunnkurs_a", "grunnkurs_b", "grunnkurs_c", "grunnkurs_d", "akuttmedisin")
    ] + [Course("emnekurs", f"Emne {i}", 15, D(2022, 1, 1)) for i in range(6)]
    return TrainingRecord(
        doctor=Doctor(id="d-1", scheme="new", training_start=D(2019, 9, 1)),
        service=(
            ServicePeriod(
                D(2019, 9, 1), D(2022, 8, 31), 100, "open_practice", registered_institution=True
            ),
            ServicePeriod(D(2022, 9, 1), D(2023, 2, 28), 100, "institution"),
            ServicePeriod(D(2023, 3, 1), None, 100, "open_practice", registered_institution=True),
        ),
        supervision=tuple(sessions),
        group_supervision=(GroupPeriod(D(2019, 10, 1), D(2021, 9, 30), 120, "A", True),),
        courses=tuple(courses),
        catalogue="ALM-2019+FKM-2019",
        goals=tuple(GoalRecord(code, chain) for code in ("ALM-001", "ALM-002", "FKM-01")),
    )


def test_a_doctor_meeting_every_blocking_requirement_is_ready() -> None:
    result = verdict(ready_record(), D(2025, 3, 31))
    assert result.ready is True
    assert all(r.met for r in result.requirements)
    assert next_steps(result) == []
    # Open practice 36 + 25 (Mar 2023 - Mar 2025) = 61 -> counted 54; general practice first
    # met when 36 + 18 = 54: 2024-08-31. Registered share 61 / (61 + 6).
    out = verdict_to_dict(result)
    assert out["projected_general_practice_complete"] == "2024-08-31"
    share = next(r for r in out["requirements"] if r["id"] == "registered_institution_share")  # type: ignore[index, union-attr]
    assert share["share"] == round(61 / 67, 2)  # type: ignore[index]


def test_one_unmet_blocking_requirement_makes_the_doctor_not_ready() -> None:
    record = ready_record()
    no_diploma = dataclasses.replace(
        record, group_supervision=(GroupPeriod(D(2019, 10, 1), D(2021, 9, 30), 120, "A", False),)
    )
    result = verdict(no_diploma, D(2025, 3, 31))
    assert result.ready is False
    assert next_steps(result) == ["group_supervision_diploma_missing"]


def test_missing_recommended_courses_never_block() -> None:
    result = verdict(dataclasses.replace(ready_record(), courses=()), D(2025, 3, 31))
    assert result.ready is True
    assert next_steps(result) == ["courses_recommended"]


def test_events_after_the_as_of_date_do_not_count() -> None:
    # The goals were approved on 2024-03-04: as of 2024-03-03 they are only recommended.
    result = verdict(ready_record(), D(2024, 3, 3))
    goals = result.requirement("learning_goals")
    assert goals is not None
    assert goals.get("missing") == ["ALM-001", "ALM-002", "FKM-01"]


# --------------------------------------------------------------------------- old scheme


def test_no_alis_2019_verdict_for_the_old_scheme() -> None:
    old = dataclasses.replace(
        ready_record(), doctor=Doctor(id="d-9", scheme="old", training_start=D(2016, 1, 1))
    )
    result = verdict(old, D(2025, 3, 31))
    assert verdict_to_dict(result) == {
        "doctor": "d-9",
        "ruleset": "ALIS-2019",
        "as_of": "2025-03-31",
        "ready": None,
        "requirements": [],
        "projected_general_practice_complete": None,
        "note": "old_scheme",
    }
    assert next_steps(result) == ["old_scheme_no_verdict"]


# --------------------------------------------------------------------------- learning goals


def test_missing_and_invalid_goals_are_listed_in_plan_order() -> None:
    record = ready_record()
    valid = record.goals[0].events
    invalid = tuple(e for e in valid if e.role != "supervisor")
    goals = (
        GoalRecord("FKM-02", ()),
        GoalRecord("ALM-003", invalid),
        GoalRecord("ALM-001", valid),
        GoalRecord("ALM-002", valid[:2]),
        GoalRecord("ALM-000", invalid),
    )
    result = verdict(dataclasses.replace(record, goals=goals), D(2025, 3, 31))
    out = result.requirement("learning_goals")
    assert out is not None
    assert (out.met, dict(out.details)) == (
        False,
        {
            "approved": 1,
            "total": 5,
            "missing": ["FKM-02", "ALM-002"],
            "invalid": ["ALM-003", "ALM-000"],
        },
    )
    assert "learning_goals_missing" in next_steps(result)
    assert "learning_goals_invalid" in next_steps(result)


def test_an_empty_plan_does_not_meet_the_learning_goals() -> None:
    result = verdict(dataclasses.replace(ready_record(), goals=()), D(2025, 3, 31))
    assert result.ready is False
    assert next_steps(result) == ["plan_missing"]


# --------------------------------------------------------------------------- courses


def test_emnekurs_need_six_different_subjects_of_at_least_15_hours() -> None:
    base = [Course("emnekurs", f"Emne {i}", 15, D(2022, 1, 1)) for i in range(5)]
    assert missing_courses(base, D(2023, 1, 1))[-1] == "emnekurs"
    same_subject = [*base, Course("emnekurs", "  emne 0 ", 20, D(2022, 1, 1))]
    assert "emnekurs" in missing_courses(same_subject, D(2023, 1, 1))
    too_short = [*base, Course("emnekurs", "Emne 5", 14.5, D(2022, 1, 1))]
    assert "emnekurs" in missing_courses(too_short, D(2023, 1, 1))
    later = [*base, Course("emnekurs", "Emne 5", 15, D(2023, 6, 1))]
    assert "emnekurs" in missing_courses(later, D(2023, 1, 1))
    assert "emnekurs" not in missing_courses(later, D(2023, 6, 1))


def test_a_planned_course_is_not_completed() -> None:
    courses = [Course("grunnkurs_a", "A", 30, None)]
    assert missing_courses(courses, D(2023, 1, 1))[0] == "grunnkurs_a"


def test_other_gp_beyond_its_cap_is_pointed_out() -> None:
    record = dataclasses.replace(
        ready_record(),
        service=(
            *ready_record().service,
            ServicePeriod(D(2010, 1, 1), D(2012, 12, 31), 100, "other_gp"),
        ),
    )
    result = verdict(record, D(2025, 3, 31))
    other = result.requirement("other_gp")
    assert other is not None
    assert (other.get("months"), other.get("recorded")) == (30.0, 36.0)
    assert "other_gp_over_cap" in next_steps(result)


# --------------------------------------------------------------------------- projection


def op(start: dt.date, end: dt.date | None, percent: float = 100) -> ServicePeriod:
    return ServicePeriod(start, end, percent, "open_practice")


@pytest.mark.parametrize(
    ("service", "leave", "as_of", "expected"),
    [
        # 54 months of 100 % from 2021-09-01: Sep 2021 + 54 months ends with February 2026.
        ([op(D(2021, 9, 1), None)], [], D(2021, 9, 1), D(2026, 2, 28)),
        # At 50 %: 108 months -> August 2030.
        ([op(D(2021, 9, 1), None, 50)], [], D(2021, 9, 1), D(2030, 8, 31)),
        # From the 15th: 16/30 + 53 months (Oct 2021-Feb 2026) = 53.533; 0.4667 x 31 = 14.47
        # days of March -> the 15th.
        ([op(D(2021, 9, 15), None)], [], D(2022, 1, 1), D(2026, 3, 15)),
        # Nothing ongoing and not enough recorded: never.
        ([op(D(2021, 9, 1), D(2023, 8, 31))], [], D(2024, 1, 1), None),
        # Already met: the day it was met.
        ([op(D(2015, 1, 1), D(2020, 12, 31))], [], D(2024, 1, 1), D(2019, 6, 30)),
        # A planned year of leave delays by a year: Jan 2024 + 54 + 12 months -> June 2029.
        (
            [op(D(2024, 1, 1), None)],
            [LeavePeriod(D(2025, 1, 1), D(2025, 12, 31), 100)],
            D(2024, 6, 1),
            D(2029, 6, 30),
        ),
        # Ongoing 100 % leave: never.
        ([op(D(2024, 1, 1), None)], [LeavePeriod(D(2024, 6, 1), None, 100)], D(2024, 6, 1), None),
        # 24 months open practice done; a planned other GP post at 50 % from 2020-01 adds the
        # 30 months other GP in 60 months -> December 2024.
        (
            [
                op(D(2018, 1, 1), D(2019, 12, 31)),
                ServicePeriod(D(2020, 1, 1), None, 50, "other_gp"),
            ],
            [],
            D(2019, 6, 1),
            D(2024, 12, 31),
        ),
        # Open practice stuck at 20 months: other GP can never make up the 24 months.
        (
            [
                op(D(2018, 1, 1), D(2019, 8, 31)),
                ServicePeriod(D(2019, 9, 1), None, 100, "other_gp"),
            ],
            [],
            D(2020, 1, 1),
            None,
        ),
    ],
)
def test_projected_completion(
    service: list[ServicePeriod], leave: list[LeavePeriod], as_of: dt.date, expected: dt.date | None
) -> None:
    assert project_completion(service, leave, as_of) == expected
    counted = count_service(service, leave, as_of)
    assert project_completion(service, leave, as_of, counted=counted) == expected


@settings(max_examples=80, deadline=None)
@given(services, leaves, as_ofs)
def test_the_projection_is_the_first_day_the_minimums_are_met(
    service: list[ServicePeriod], leave: list[LeavePeriod], as_of: dt.date
) -> None:
    projected = project_completion(service, leave, as_of)
    assert projected == project_completion(
        service, leave, as_of, counted=count_service(service, leave, as_of)
    )
    if projected is None:
        later = count_service(service, leave, as_of + dt.timedelta(days=365 * 60))
        assert not (later.open_practice_met and later.general_practice_met)
    else:
        on = count_service(service, leave, projected)
        before = count_service(service, leave, projected - dt.timedelta(days=1))
        assert on.open_practice_met and on.general_practice_met
        assert not (before.open_practice_met and before.general_practice_met)


@settings(max_examples=40, deadline=None)
@given(services, leaves, as_ofs)
def test_verdict_never_fails_and_ready_matches_the_blocking_requirements(
    service: list[ServicePeriod], leave: list[LeavePeriod], as_of: dt.date
) -> None:
    record = dataclasses.replace(ready_record(), service=tuple(service), leave=tuple(leave))
    result = verdict(record, as_of)
    blocking = [r.met for r in result.requirements if r.severity == "blocking"]
    assert result.ready == all(blocking)
    json.dumps(verdict_to_dict(result))
