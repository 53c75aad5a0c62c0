"""The suggested supervision topic plan (rules/topic_plan.py)."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veiviser.rules.topic_plan import TopicGoal, status, suggest

THEMES = ["profesjonalitet", "samfunnsoppdrag", "metode", "kommunikasjon", "medisinsk", "drift"]


def catalogue(n: int) -> list[TopicGoal]:
    return [TopicGoal(code=f"ALM-{i + 1:03d}", theme=THEMES[i * 6 // n]) for i in range(n)]


def test_the_88_clinical_and_24_common_goals_fit_two_a_month_over_five_years():
    goals = catalogue(88) + [TopicGoal(code=f"FKM-{i:03d}", theme="FKM") for i in range(1, 25)]
    plan = suggest(goals, dt.date(2022, 9, 15))
    assert len(plan) == 60
    assert plan[0].month == dt.date(2022, 9, 1) and plan[-1].month == dt.date(2027, 8, 1)
    assert {len(m.codes) for m in plan} == {1, 2}
    assert sorted(c for m in plan for c in m.codes) == sorted(g.code for g in goals)
    # themes take turns: the first month mixes themes, not two goals of one theme
    first_two = plan[0].codes + plan[1].codes
    themes = {g.code: g.theme for g in goals}
    assert len({themes[c] for c in first_two}) == len(first_two)


def test_within_a_theme_the_catalogue_order_is_kept():
    goals = catalogue(30)
    plan = suggest(goals, dt.date(2024, 1, 1), months=12)
    seen = [c for m in plan for c in m.codes]
    for theme in THEMES:
        codes = [g.code for g in goals if g.theme == theme]
        assert [c for c in seen if c in codes] == codes


def test_status_marks_past_months_with_open_goals_as_behind():
    plan = suggest(catalogue(4), dt.date(2026, 1, 1), months=4)
    rows = status(plan, discussed=["ALM-001"], approved=["ALM-003"], today=dt.date(2026, 3, 10))
    by_month = {r.planned.month: r for r in rows}
    jan, feb, mar, apr = (by_month[dt.date(2026, m, 1)] for m in (1, 2, 3, 4))
    assert jan.discussed == ("ALM-001",) and not jan.behind
    assert feb.open == feb.planned.codes and feb.behind
    assert mar.current and not mar.past and not mar.behind
    assert not apr.past


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="months"):
        suggest(catalogue(3), dt.date(2026, 1, 1), months=0)
    with pytest.raises(ValueError, match="unique"):
        suggest([TopicGoal("A"), TopicGoal("A")], dt.date(2026, 1, 1))


@given(
    n=st.integers(min_value=0, max_value=150),
    months=st.integers(min_value=1, max_value=72),
    themes=st.integers(min_value=1, max_value=8),
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)),
)
def test_every_goal_once_evenly_spread_over_consecutive_months(n, months, themes, start):
    goals = [TopicGoal(code=f"G{i}", theme=f"T{i % themes}") for i in range(n)]
    plan = suggest(goals, start, months)
    assert len(plan) == months
    assert sorted(c for m in plan for c in m.codes) == sorted(g.code for g in goals)
    if n:
        assert max(len(m.codes) for m in plan) <= math.ceil(n / months)
    for a, b in itertools.pairwise(plan):
        assert (b.month.year * 12 + b.month.month) - (a.month.year * 12 + a.month.month) == 1
