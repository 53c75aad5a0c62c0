"""What the figures, timeline and exit-interview pages show, computed from the rules.

Small groups: no count below ``SMALL_GROUP`` (5) is ever shown on the aggregate pages
(docs/adr/0053-small-groups-in-exit-interviews-and-stay-surveys.md). In a distribution whose
counts add up to a shown total, a second cell is hidden when only one would be, so that the
hidden one cannot be worked out by subtraction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from statistics import mean
from typing import Any

from django.utils.translation import gettext as _

from veiviser.rules.agreement_duration import (
    DurationEstimate,
    agreement_duration,
    agreement_rows,
    by_group,
)
from veiviser.rules.workforce import PositionFilter, PositionsFigures, WorkforceData
from veiviser.rules.workforce_months import DependenceFigures, monthly_dependence
from veiviser.rules.workforce_timeline import TimelineTableRow, run_text
from veiviser.workforce.loader import Loaded

SMALL_GROUP = 5


# --------------------------------------------------------------------------- small groups


@dataclass(frozen=True)
class Count:
    """One cell of an aggregate table; ``value`` None means hidden (a small group)."""

    key: str
    label: str
    value: int | None

    @property
    def hidden(self) -> bool:
        return self.value is None


def protect(
    items: Iterable[tuple[str, str, int]], *, exclusive: bool, limit: int = SMALL_GROUP
) -> list[Count]:
    """Hide every count from 1 to ``limit - 1``.

    ``exclusive``: the counts add up to a total that is shown (each person in one cell), so
    when exactly one cell is hidden the next smallest non-zero cell is hidden too.
    """
    items = list(items)
    hidden = {key for key, _label, n in items if 0 < n < limit}
    if exclusive and len(hidden) == 1:
        rest = sorted((n, key) for key, _label, n in items if n > 0 and key not in hidden)
        if rest:
            hidden.add(rest[0][1])
    return [Count(key, label, None if key in hidden else n) for key, label, n in items]


# --------------------------------------------------------------------------- figures page


@dataclass
class MunicipalityDuration:
    number: str
    name: str
    estimate: DurationEstimate


@dataclass
class Figures:
    """Everything the figures page shows, from one load of the rows."""

    at: date
    start: date
    end: date
    by_municipality: list[tuple[str, str, PositionsFigures]]
    total: PositionsFigures
    stability: dict[str, Any]
    other_positions: int
    duration: DurationEstimate
    duration_groups: list[MunicipalityDuration]
    dependence: DependenceFigures
    names: dict[str, str] = field(default_factory=dict)

    @property
    def dependence_rows(self) -> list[dict[str, Any]]:
        rows = []
        for item in self.dependence.municipalities:
            summary = item.to_dict()
            summary["name"] = self.names.get(item.municipality, item.municipality)
            rows.append(summary)
        return rows

    @property
    def dependence_details(self) -> list[tuple[str, Any]]:
        return [
            (self.names.get(m.municipality, m.municipality), m)
            for m in self.dependence.municipalities
        ]


def compute_figures(
    loaded: Loaded,
    *,
    at: date,
    start: date,
    end: date,
    data_until: date,
    names: Mapping[str, str],
) -> Figures:
    """Positions at a date, stability and agreement duration over the period, and locum
    dependence per municipality and month, all for the filter S of ``loaded``."""
    data = WorkforceData(loaded.positions, loaded.occupancies)
    chosen: PositionFilter = loaded.filter
    per = data.positions_by_municipality(at, chosen)
    stability = data.stability(start, end, chosen)
    as_of = min(end, data_until)
    rows = agreement_rows(loaded.positions, loaded.occupancies, chosen)
    groups = by_group(rows, lambda r: r.municipality, as_of)
    return Figures(
        at=at,
        start=start,
        end=end,
        by_municipality=[(n, names.get(n, n), f) for n, f in per.items()],
        total=data.positions_at(at, chosen),
        stability=stability.to_dict(),
        other_positions=(
            stability.positions
            - stability.same_holder_throughout
            - stability.positions_with_change
            - stability.never_staffed
        ),
        duration=agreement_duration(loaded.positions, loaded.occupancies, as_of, chosen),
        duration_groups=[
            MunicipalityDuration(str(k), names.get(str(k), str(k)), v) for k, v in groups.items()
        ],
        dependence=monthly_dependence(
            loaded.positions, loaded.occupancies, start, end, chosen, data_until=data_until
        ),
        names=dict(names),
    )


# --------------------------------------------------------------------------- survival chart


def survival_svg(
    curve: Sequence[tuple[float, float]],
    median: float | None,
    *,
    title: str,
    description: str,
    id_prefix: str = "survival",
    width: int = 640,
    height: int = 300,
) -> str:
    """The Kaplan–Meier curve as an accessible SVG step chart (years → share still in post)."""
    left, right, top, bottom = 52, 16, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    longest = max((t for t, _s in curve), default=1.0)
    years = max(1, int(longest) + (0 if longest == int(longest) else 1))

    def x(t: float) -> float:
        return left + plot_w * t / years

    def y(s: float) -> float:
        return top + plot_h * (1 - s)

    p = escape(id_prefix, quote=True)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{p}-title {p}-desc" '
        'font-family="Inter, system-ui, sans-serif" font-size="11" fill="#1a1a1a" '
        'class="vv-chart">',
        f'<title id="{p}-title">{escape(title)}</title>',
        f'<desc id="{p}-desc">{escape(description)}</desc>',
    ]
    grid = ['<g stroke="#d0d0d0">']
    for share in (0, 0.25, 0.5, 0.75, 1):
        grid.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(share):.1f}" y2="{y(share):.1f}"/>'
        )
        grid.append(
            f'<text x="{left - 6}" y="{y(share) + 4:.1f}" text-anchor="end" stroke="none">'
            f"{int(share * 100)} %</text>"
        )
    step = 1 if years <= 12 else 2 if years <= 24 else 5
    for year in range(0, years + 1, step):
        grid.append(
            f'<line x1="{x(year):.1f}" x2="{x(year):.1f}" y1="{top + plot_h}" '
            f'y2="{top + plot_h + 4}"/>'
        )
        grid.append(
            f'<text x="{x(year):.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'stroke="none">{year}</text>'
        )
    grid.append("</g>")
    out += grid
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle">'
        f"{escape(_('År i avtalen'))}</text>"
    )
    out.append(
        f'<text x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">{escape(_("Fortsatt i avtalen"))}'
        "</text>"
    )
    if curve:
        points = [f"M{x(curve[0][0]):.1f},{y(curve[0][1]):.1f}"]
        previous = curve[0][1]
        for t, s in curve[1:]:
            points.append(f"H{x(t):.1f}")
            if s != previous:
                points.append(f"V{y(s):.1f}")
            previous = s
        points.append(f"H{x(longest):.1f}")
        out.append(f'<path d="{"".join(points)}" fill="none" stroke="#1e4b8f" stroke-width="2.5"/>')
    if median is not None:
        out.append(
            f'<line x1="{left}" x2="{x(median):.1f}" y1="{y(0.5):.1f}" y2="{y(0.5):.1f}" '
            'stroke="#b3590a" stroke-dasharray="5 3" stroke-width="1.5"/>'
        )
        out.append(
            f'<line x1="{x(median):.1f}" x2="{x(median):.1f}" y1="{y(0.5):.1f}" '
            f'y2="{top + plot_h}" stroke="#b3590a" stroke-dasharray="5 3" stroke-width="1.5"/>'
        )
        label = _("Median %(years)s år") % {"years": f"{median:.2f}".replace(".", ",")}
        out.append(
            f'<text x="{x(median) + 6:.1f}" y="{y(0.5) - 6:.1f}" fill="#8a4300" '
            f'font-weight="600">{escape(label)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def curve_table(curve: Sequence[tuple[float, float]]) -> list[tuple[str, str]]:
    """The chart's data table: years (two decimals) and the share still in post (percent)."""
    return [(f"{t:.2f}".replace(".", ","), f"{s * 100:.1f}".replace(".", ",")) for t, s in curve]


# --------------------------------------------------------------------------- exit interviews


@dataclass
class Distribution:
    """A protected aggregate: the number of people, whether it may be shown, and the cells."""

    total: int
    cells: list[Count]

    @property
    def shown(self) -> bool:
        return self.total >= SMALL_GROUP


def distribution(
    values: Iterable[str],
    choices: Sequence[tuple[str, Any]],
    *,
    total: int | None = None,
    exclusive: bool,
) -> Distribution:
    """Counts per choice (in the choices' order), protected; multi-valued when not exclusive."""
    counts = Counter(values)
    n = total if total is not None else sum(counts.values())
    if n < SMALL_GROUP:
        return Distribution(n, [])
    cells = protect(
        ((k, str(label), counts.get(k, 0)) for k, label in choices), exclusive=exclusive
    )
    return Distribution(n, cells)


@dataclass
class YearOfAnswers:
    year: int
    answers: int
    surveys: int
    intention: Distribution
    keeps: Distribution
    mean_intention: str | None
    mean_satisfaction: str | None

    @property
    def shown(self) -> bool:
        return self.answers >= SMALL_GROUP

    @property
    def key(self) -> str:
        return f"stay-{self.year}"


def _mean(values: Sequence[int]) -> str | None:
    if len(values) < SMALL_GROUP:
        return None
    return f"{mean(values):.1f}".replace(".", ",")


def stay_years(
    rows: Iterable[tuple[int, int, list[str], int, int | None]],
    intention_choices: Sequence[tuple[int, Any]],
    keep_choices: Sequence[tuple[str, Any]],
) -> list[YearOfAnswers]:
    """Stay-survey answers per year ((year, survey id, keeps, intention, satisfaction) rows)."""
    per_year: dict[int, list[tuple[int, list[str], int, int | None]]] = {}
    for year, survey, chosen, stay, satisfaction in rows:
        per_year.setdefault(year, []).append((survey, chosen, stay, satisfaction))
    result = []
    for year in sorted(per_year, reverse=True):
        answers = per_year[year]
        n = len(answers)
        intentions = distribution(
            (str(a[2]) for a in answers),
            [(str(k), label) for k, label in intention_choices],
            total=n,
            exclusive=True,
        )
        keeps = distribution(
            (k for a in answers for k in set(a[1])), keep_choices, total=n, exclusive=False
        )
        result.append(
            YearOfAnswers(
                year=year,
                answers=n,
                surveys=len({a[0] for a in answers}),
                intention=intentions,
                keeps=keeps,
                mean_intention=_mean([a[2] for a in answers]),
                mean_satisfaction=_mean([a[3] for a in answers if a[3] is not None]),
            )
        )
    return result


# --------------------------------------------------------------------------- timeline table


def timeline_labels() -> dict[str, str]:
    """The timeline's texts in the user's language (``rules.workforce_timeline.LABELS_NB``'s
    keys; the rules module is pure and Norwegian by default)."""
    return {
        "months": _("jan feb mar apr mai jun jul aug sep okt nov des"),
        "month_unit": _("mnd"),
        "holder": _("{n}. innehaver"),
        "holder_last": _("{n}. innehaver eller senere"),
        "locum": _("Vikar, ingen innehaver"),
        "holder_locum": _("Vikar for fraværende innehaver"),
        "vacant": _("Ledig"),
        "not_existing": _("Ikke opprettet"),
        "closed": _("Nedlagt"),
        "no_data": _("Mangler data"),
        "title": _("Stabilitet i stillingene, {start}–{end}"),
        "desc": _(
            "Tidslinje med én rad per stilling ({rows} stillinger) og én rute per måned "
            "({months} måneder). Fargen viser hvilken innehaver stillingen hadde (første, andre, "
            "tredje …); vikarmåneder er skravert, ledige måneder lysegrå og måneder uten data "
            "mørkegrå."
        ),
    }


def cell_width(matrix_months: int, longest_label: int, width: int = 1180) -> int:
    """Month cell width (px) so that a timeline fits the page: 4 to 10 px."""
    label = 12 + 7 * min(longest_label, 44)
    return max(4, min(10, (width - label) // max(1, matrix_months)))


def table_rows(table: Sequence[TimelineTableRow]) -> list[dict[str, Any]]:
    """The timeline's data table with the runs as text (months before creation left out)."""
    labels = timeline_labels()
    return [
        {
            "row": row,
            "place": " · ".join(row.label.split(" · ")[:-1]),
            "runs": [
                run_text(r, labels) for r in row.runs if r.state not in ("not_existing", "closed")
            ],
        }
        for row in table
    ]
