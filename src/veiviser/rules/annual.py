"""The annual status report's calendar and the reminders' dates (pure rules, no Django).

A municipality reports on calendar year ``Y`` by 1 March of ``Y + 1`` (as ALIS-Nord's yearly
survey to its municipalities: status, turnover and economics, answer due 1 March). The
"current" reporting year on a day is the calendar year before it: the report on a year can
only be complete once the year has ended. Leaders are reminded from 1 February until the
report is submitted, once before the deadline and once when it has passed.

The monthly supervision check looks at the previous calendar month and is raised from the
``SUPERVISION_CHECK_DAY`` of the month after it, so that sessions held at the end of the month
can be recorded first. See docs/adr/0072-annual-report.md and docs/adr/0073-reminders.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

DEADLINE_MONTH = 3
DEADLINE_DAY = 1
REMIND_FROM_MONTH = 2
FIRST_YEAR = 2017  # the first year of ALIS-Vest's positions
SUPERVISION_CHECK_DAY = 3
STAGES: tuple[str, ...] = ("1", "2", "3", "4", "5+")

DeadlineState = Literal["not_yet", "due", "overdue"]


def reporting_year(today: date) -> int:
    """The year a report written on ``today`` is about: the calendar year before it."""
    return today.year - 1


def deadline(year: int) -> date:
    """The day the report on ``year`` is due (1 March of the next year)."""
    return date(year + 1, DEADLINE_MONTH, DEADLINE_DAY)


def reminder_start(year: int) -> date:
    """The first day leaders are reminded of the report on ``year`` (1 February)."""
    return date(year + 1, REMIND_FROM_MONTH, 1)


def deadline_state(year: int, today: date, *, submitted: bool) -> DeadlineState:
    """``not_yet`` before the reminders start or once submitted, ``due`` from 1 February to
    the deadline (inclusive), ``overdue`` after it (until the year after it ends)."""
    if submitted or today < reminder_start(year) or today.year > year + 1:
        return "not_yet"
    return "due" if today <= deadline(year) else "overdue"


def valid_year(year: int, today: date) -> bool:
    """Years a report may be opened for: from ``FIRST_YEAR`` to the running year."""
    return FIRST_YEAR <= year <= today.year


def year_bounds(year: int) -> tuple[date, date]:
    """First and last day of ``year``."""
    return date(year, 1, 1), date(year, 12, 31)


def previous_month(today: date) -> date:
    """The first day of the calendar month before ``today``'s."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_end(first: date) -> date:
    """The last day of the month that starts on ``first``."""
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)


def supervision_check_month(today: date) -> date | None:
    """The month whose supervision is checked on ``today`` (the previous one), or ``None``
    before ``SUPERVISION_CHECK_DAY`` (sessions of the last days are still being recorded)."""
    if today.day < SUPERVISION_CHECK_DAY:
        return None
    return previous_month(today)


def training_stage(training_start: date, at: date) -> str | None:
    """The training year (1, 2, 3, 4 or 5+) an ALIS who started on ``training_start`` is in on
    ``at``; ``None`` before the start."""
    if at < training_start:
        return None
    years = at.year - training_start.year
    if (at.month, at.day) < (training_start.month, training_start.day):
        years -= 1
    return STAGES[min(years, len(STAGES) - 1)]


def stage_counts(starts: Iterable[date], at: date) -> dict[str, int]:
    """ALIS per training year on ``at`` (every stage present, zero when empty)."""
    counts = dict.fromkeys(STAGES, 0)
    for start in starts:
        stage = training_stage(start, at)
        if stage is not None:
            counts[stage] += 1
    return counts
