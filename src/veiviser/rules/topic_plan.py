"""A suggested five-year topic plan for individual supervision (veiledning).

ALIS and veiledere asked for a template of topics: which learning goals to take up in which
month so that the supervision covers the whole catalogue over the training. The suggestion:

- every goal of the plan appears exactly once, spread evenly over the months (goal i of n goes
  to month ``i * months // n``), so no month has more than ``ceil(n / months)`` goals;
- the themes take turns (round robin in catalogue order), so a month mixes themes and each
  theme runs through the whole training instead of being done in one block;
- within a theme the catalogue order is kept.

``status`` then compares the plan with what has happened: a goal is *discussed* once a session
lists it as a topic, *approved* once the leader approved it; a past month whose goals were
neither is *behind*. Pure, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "DEFAULT_MONTHS",
    "MonthStatus",
    "PlannedMonth",
    "TopicGoal",
    "status",
    "suggest",
]

DEFAULT_MONTHS = 60  # five years of training


@dataclass(frozen=True, slots=True)
class TopicGoal:
    code: str
    theme: str = ""


@dataclass(frozen=True, slots=True)
class PlannedMonth:
    index: int  # 0-based month of training
    month: dt.date  # the first day of the calendar month
    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MonthStatus:
    planned: PlannedMonth
    discussed: tuple[str, ...]
    approved: tuple[str, ...]
    open: tuple[str, ...]  # neither discussed nor approved
    past: bool  # the month has ended
    current: bool

    @property
    def behind(self) -> bool:
        return self.past and bool(self.open)


def _add_months(first: dt.date, months: int) -> dt.date:
    total = first.year * 12 + first.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def _round_robin(goals: Sequence[TopicGoal]) -> list[TopicGoal]:
    themes: dict[str, list[TopicGoal]] = {}
    for goal in goals:
        themes.setdefault(goal.theme, []).append(goal)
    queues = list(themes.values())
    ordered: list[TopicGoal] = []
    depth = 0
    while len(ordered) < len(goals):
        for queue in queues:
            if depth < len(queue):
                ordered.append(queue[depth])
        depth += 1
    return ordered


def suggest(
    goals: Sequence[TopicGoal], start: dt.date, months: int = DEFAULT_MONTHS
) -> list[PlannedMonth]:
    """The suggested plan: one entry per month from ``start``'s month, ``months`` long."""
    if months < 1:
        raise ValueError("months must be at least 1")
    codes = [g.code for g in goals]
    if len(set(codes)) != len(codes):
        raise ValueError("goal codes must be unique")
    first = start.replace(day=1)
    ordered = _round_robin(goals)
    buckets: list[list[str]] = [[] for _ in range(months)]
    n = len(ordered)
    for i, goal in enumerate(ordered):
        buckets[i * months // n].append(goal.code)
    return [
        PlannedMonth(index=i, month=_add_months(first, i), codes=tuple(bucket))
        for i, bucket in enumerate(buckets)
    ]


def status(
    plan: Sequence[PlannedMonth],
    discussed: Iterable[str],
    approved: Iterable[str],
    today: dt.date,
) -> list[MonthStatus]:
    """Each planned month with what has become of its goals by ``today``."""
    talked = set(discussed)
    done = set(approved)
    this_month = today.replace(day=1)
    rows = []
    for planned in plan:
        rows.append(
            MonthStatus(
                planned=planned,
                discussed=tuple(c for c in planned.codes if c in talked),
                approved=tuple(c for c in planned.codes if c in done),
                open=tuple(c for c in planned.codes if c not in talked and c not in done),
                past=planned.month < this_month,
                current=planned.month == this_month,
            )
        )
    return rows
