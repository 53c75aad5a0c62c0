"""The key parameters per activity for a municipality and its assessed years: computed from what
Veiviser already holds (positions and their holders, postings, exit interviews, training
records) and, for the rest, the values entered by hand (``KeyParameterValue``).

A fixed number of queries however many positions, ALIS and years (the workforce rows in three,
postings and exit interviews in one each, the training records through ``with_records``).
Resignations and exit interviews from 1 to 4 are shown as "færre enn 5", and exit reasons only
when at least ``SMALL_GROUP`` (5) interviews were held that year (docs/adr/0053); counts of
positions are shown as on the workforce pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from veiviser.core.models import Municipality, Position
from veiviser.cycle.models import KeyParameterValue
from veiviser.rules import recruit_retain as rr
from veiviser.rules.agreement_duration import agreement_duration
from veiviser.rules.readiness import verdict
from veiviser.rules.ruleset import get_ruleset
from veiviser.rules.supervision import monthly_compliance
from veiviser.rules.workforce import PositionFilter, WorkforceData
from veiviser.workforce.figures import SMALL_GROUP, distribution
from veiviser.workforce.loader import rows_for
from veiviser.workforce.models import ExitInterview, ExitReason, Posting


def _num(value: float | Decimal, decimals: int = 1) -> str:
    text = f"{float(value):,.{decimals}f}".replace(",", " ").replace(".", ",")
    if decimals and text.endswith("," + "0" * decimals):
        text = text[: -(decimals + 1)]
    return text


def _count(n: int) -> str:
    """A count of people: 1 to 4 is shown as "færre enn 5" (docs/adr/0053)."""
    return _("færre enn %(n)s") % {"n": SMALL_GROUP} if 0 < n < SMALL_GROUP else str(n)


@dataclass
class Cell:
    """One parameter in one year: the text to show, and a note (hover/explanation)."""

    text: str
    note: str = ""
    hand: bool = False


@dataclass
class ParameterTable:
    """Key parameters × years, grouped by activity."""

    years: list[int]
    cells: dict[tuple[str, int], Cell] = field(default_factory=dict)

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for activity in rr.ACTIVITIES:
            params = rr.parameters_of(activity.number)
            out.append(
                {
                    "activity": activity,
                    "parameters": [
                        {
                            "parameter": p,
                            "cells": [self.cells.get((p.key, y)) for y in self.years],
                        }
                        for p in params
                    ],
                }
            )
        return out


def _year_end(year: int, today: date) -> date:
    return min(date(year, 12, 31), today)


def _workforce(municipality: Municipality, years: Sequence[int], today: date, table: Any) -> None:
    loaded = rows_for(Position.objects.filter(municipality=municipality))
    data = WorkforceData(loaded.positions, loaded.occupancies)
    gp = PositionFilter({municipality.number}, None, {"gp"})
    everyone = PositionFilter({municipality.number})
    for year in years:
        at = _year_end(year, today)
        if at < date(year, 1, 1):
            continue
        figures = data.positions_at(at, gp)
        if figures.positions:
            table[("gp_positions", year)] = Cell(str(figures.positions))
            table[("vacant", year)] = Cell(str(figures.vacant))
            table[("locum_served", year)] = Cell(str(figures.locum_served))
        estimate = agreement_duration(loaded.positions, loaded.occupancies, at, gp)
        if estimate.median_years is not None:
            table[("median_agreement", year)] = Cell(
                _num(estimate.median_years),
                ngettext("%(n)s avtale", "%(n)s avtaler", estimate.rows) % {"n": estimate.rows},
            )
        elif estimate.rows:
            table[("median_agreement", year)] = Cell(
                "–",
                _("For få avtaler (under 5)")
                if estimate.small_group
                else _("Over halvparten varer fortsatt"),
            )
        stability = data.stability(date(year, 1, 1), at, everyone)
        if stability.positions:
            table[("resignations", year)] = Cell(_count(stability.resigned))


def _exits(municipality: Municipality, years: Sequence[int], table: Any) -> None:
    per_year: dict[int, list[list[str]]] = defaultdict(list)
    rows = ExitInterview.objects.filter(
        occupancy__position__municipality=municipality, held_on__year__in=list(years)
    ).values_list("held_on__year", "reasons")
    for year, reasons in rows:
        per_year[year].append(list(reasons or []))
    for year, interviews in per_year.items():
        shown = distribution(
            (r for reasons in interviews for r in set(reasons)),
            ExitReason.choices,
            total=len(interviews),
            exclusive=False,
        )
        note = _("Årsakene vises når minst %(n)s intervjuer er holdt.") % {"n": SMALL_GROUP}
        if shown.shown:
            top = sorted(
                (c for c in shown.cells if c.value), key=lambda c: (-(c.value or 0), c.label)
            )[:3]
            note = _("Vanligste årsaker: %(reasons)s") % {
                "reasons": ", ".join(f"{c.label} ({c.value})" for c in top)
            }
        table[("exit_interviews", year)] = Cell(_count(len(interviews)), note)


def _postings(municipality: Municipality, years: Sequence[int], table: Any) -> None:
    per_year: dict[int, list[int]] = defaultdict(list)
    rows = Posting.objects.filter(
        position__municipality=municipality,
        published__year__in=list(years),
        applicants__isnull=False,
    ).values_list("published__year", "applicants", "positions_advertised")
    for year, applicants, advertised in rows:
        per_year[year].append(applicants / max(1, advertised))
    for year, values in per_year.items():
        table[("applicants_per_posting", year)] = Cell(
            _num(sum(values) / len(values)),
            ngettext("%(n)s utlysning", "%(n)s utlysninger", len(values)) % {"n": len(values)},
        )


def _training(municipality: Municipality, years: Sequence[int], today: date, table: Any) -> None:
    from veiviser.training.models import Trainee
    from veiviser.training.records import record_of, with_records

    trainees = list(with_records(Trainee.objects.filter(municipality=municipality)))
    if not trainees:
        return
    hours: dict[int, float] = defaultdict(float)
    required: dict[int, float] = defaultdict(float)
    for trainee in trainees:
        record = record_of(trainee)
        ruleset = get_ruleset(trainee.ruleset)
        latest = None
        for year in years:
            at = _year_end(year, today)
            if trainee.training_start > at:
                continue
            result = verdict(record, at, ruleset)
            table.setdefault(("alis", year), [0, 0])
            table[("alis", year)][0] += 1
            table[("alis", year)][1] += 1 if result.ready else 0
            latest = result
        if latest is None or latest.service is None or latest.supervision is None:
            continue
        months = monthly_compliance(
            record.supervision, latest.service, latest.supervision.start, latest.as_of, ruleset
        )
        for month in months:
            year = int(month.month[:4])
            if month.complete and year in years:
                hours[year] += month.hours
                required[year] += month.required
    for year in years:
        counts = table.pop(("alis", year), None)
        if counts is not None:
            table[("alis", year)] = Cell(str(counts[0]))
            table[("alis_ready", year)] = Cell(str(counts[1]))
        if required.get(year):
            share = hours[year] / required[year] * 100
            table[("supervision_share", year)] = Cell(
                f"{_num(hours[year], 0)} / {_num(required[year], 0)} t ({_num(share, 0)} %)"
            )


def parameter_table(
    municipality: Municipality, years: Sequence[int], today: date
) -> ParameterTable:
    """Every key parameter of the municipality for ``years`` (ascending)."""
    table = ParameterTable(sorted(set(years)))
    cells: dict[Any, Any] = {}
    if table.years:
        _workforce(municipality, table.years, today, cells)
        _exits(municipality, table.years, cells)
        _postings(municipality, table.years, cells)
        _training(municipality, table.years, today, cells)
    for row in KeyParameterValue.objects.filter(municipality=municipality, year__in=table.years):
        cells[(row.key, row.year)] = Cell(_num(row.value), row.comment, hand=True)
    table.cells = cells
    return table
