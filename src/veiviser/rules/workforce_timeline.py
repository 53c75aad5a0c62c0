"""The stability timeline: one row per position, one cell per month (Fafo 2023:02, fig. 2 and 3).

Each cell is the holder's ordinal in that position (1st, 2nd, 3rd … distinct holder, by first
start), a locum month, a vacant month, a month before the position was created or after it was
closed, or a month without data. The month rule is ``workforce_months.month_cells``
(docs/adr/0011); colours and accessibility are in docs/adr/0015-timeline-colours.md.

``render_svg`` builds the SVG by plain string joining (no dependency); ``render_png`` draws the
same picture with matplotlib's Agg canvas (imported on use). ``timeline_table`` gives the rows
of the data table shown beside the chart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import IO, Any

from veiviser.rules.workforce import Occupancy, Position, PositionFilter, WorkforceData
from veiviser.rules.workforce_months import (
    CellState,
    MonthCell,
    month_cells,
    month_range,
    next_month,
)

#: Sequential and colour-blind-safe (viridis from 0.2 to 1.0): 1st holder darkest, 6th+ yellow.
HOLDER_COLOURS = ("#414487", "#2e6f8e", "#1f958b", "#3bbb75", "#95d840", "#fde725")
LOCUM_COLOUR = "#fdb863"  # locum month without a holder (orange, outside the blue-green range)
LOCUM_HATCH = "#e66101"  # diagonal hatch: every month a locum serves, over any fill
VACANT_COLOUR = "#e0e0e0"  # light grey, outlined
VACANT_OUTLINE = "#767676"
NO_DATA_COLOUR = "#4d4d4d"  # dark grey, as in the Fafo figures
TEXT_COLOUR = "#1a1a1a"
MONTHS_NB = ("jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des")

#: Norwegian (bokmål) texts; pass ``labels=`` to translate (keys as here; ``months`` is the
#: twelve month abbreviations separated by spaces, ``month_unit`` the unit after a count).
LABELS_NB: dict[str, str] = {
    "months": " ".join(MONTHS_NB),
    "month_unit": "mnd",
    "holder": "{n}. innehaver",
    "holder_last": "{n}. innehaver eller senere",
    "locum": "Vikar, ingen innehaver",
    "holder_locum": "Vikar for fraværende innehaver",
    "vacant": "Ledig",
    "not_existing": "Ikke opprettet",
    "closed": "Nedlagt",
    "no_data": "Mangler data",
    "title": "Stabilitet i stillingene, {start}–{end}",
    "desc": (
        "Tidslinje med én rad per stilling ({rows} stillinger) og én rute per måned "
        "({months} måneder). Fargen viser hvilken innehaver stillingen hadde (første, andre, "
        "tredje …); vikarmåneder er skravert, ledige måneder lysegrå og måneder uten data "
        "mørkegrå."
    ),
}


@dataclass(frozen=True)
class TimelineRow:
    """One position's row: its cells, one per month of the matrix."""

    position_id: str
    municipality: str
    office: str | None
    label: str
    cells: tuple[MonthCell, ...]


@dataclass(frozen=True)
class TimelineMatrix:
    """Rows sorted by municipality then position_id; ``months`` are first days of months."""

    months: tuple[date, ...]
    rows: tuple[TimelineRow, ...]


@dataclass(frozen=True)
class TimelineRun:
    """Consecutive months of one row with the same cell."""

    state: CellState
    ordinal: int | None
    locum: bool
    first_month: date
    last_month: date
    months: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (months as ``YYYY-MM``)."""
        return {
            "state": self.state,
            "ordinal": self.ordinal,
            "locum": self.locum,
            "from": self.first_month.strftime("%Y-%m"),
            "to": self.last_month.strftime("%Y-%m"),
            "months": self.months,
        }


@dataclass(frozen=True)
class TimelineTableRow:
    """The data-table row beside the chart for one position."""

    position_id: str
    municipality: str
    office: str | None
    label: str
    holders: int
    holder_months: int
    locum_months: int
    vacant_months: int
    no_data_months: int
    runs: tuple[TimelineRun, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "position_id": self.position_id,
            "municipality": self.municipality,
            "office": self.office,
            "label": self.label,
            "holders": self.holders,
            "holder_months": self.holder_months,
            "locum_months": self.locum_months,
            "vacant_months": self.vacant_months,
            "no_data_months": self.no_data_months,
            "runs": [r.to_dict() for r in self.runs],
        }


def build_timeline(
    positions: Sequence[Position],
    occupancies: Sequence[Occupancy],
    start: date,
    end: date,
    filter: PositionFilter | None = None,
    *,
    data_from: date | None = None,
    data_until: date | None = None,
    municipality_names: Mapping[str, str] | None = None,
) -> TimelineMatrix:
    """The matrix for every position of the filter existing in the months of [start, end].

    Whole months are shown: from ``start``'s month to ``end``'s month. Days before
    ``data_from`` or after ``data_until`` (the latest date the data covers) count as no data.
    """
    if end < start:
        raise ValueError(f"the timeline ends ({end}) before it starts ({start})")
    data = WorkforceData(positions, occupancies)
    months = month_range(start, end)
    first, last = months[0], next_month(months[-1]) - timedelta(days=1)
    names = municipality_names or {}
    rows: list[TimelineRow] = []
    for position in data.select(filter):
        if not position.exists_during(first, last):
            continue
        cells = month_cells(data, position, months, data_from, data_until)
        place = names.get(position.municipality, position.municipality)
        parts = [place, *([position.office] if position.office else []), position.position_id]
        rows.append(
            TimelineRow(
                position.position_id,
                position.municipality,
                position.office,
                " · ".join(parts),
                tuple(cells),
            )
        )
    return TimelineMatrix(tuple(months), tuple(rows))


def runs(row: TimelineRow, months: Sequence[date]) -> list[TimelineRun]:
    """Merge a row's consecutive equal cells into runs."""
    result: list[TimelineRun] = []
    start = 0
    for i in range(1, len(row.cells) + 1):
        if i == len(row.cells) or row.cells[i] != row.cells[start]:
            cell = row.cells[start]
            result.append(
                TimelineRun(
                    cell.state, cell.ordinal, cell.locum, months[start], months[i - 1], i - start
                )
            )
            start = i
    return result


def timeline_table(matrix: TimelineMatrix) -> list[TimelineTableRow]:
    """One data-table row per timeline row: month counts per state and the runs."""
    table: list[TimelineTableRow] = []
    for row in matrix.rows:
        states = [c.state for c in row.cells]
        table.append(
            TimelineTableRow(
                position_id=row.position_id,
                municipality=row.municipality,
                office=row.office,
                label=row.label,
                holders=len({c.ordinal for c in row.cells if c.state == "holder"}),
                holder_months=states.count("holder"),
                locum_months=sum(1 for c in row.cells if c.locum),
                vacant_months=states.count("vacant") + states.count("locum"),
                no_data_months=states.count("no_data"),
                runs=tuple(runs(row, matrix.months)),
            )
        )
    return table


def cell_colour(cell: MonthCell) -> str | None:
    """The fill of a cell (None: nothing drawn, the position does not exist that month)."""
    if cell.state == "holder":
        return HOLDER_COLOURS[min(cell.ordinal or 1, len(HOLDER_COLOURS)) - 1]
    return {
        "locum": LOCUM_COLOUR,
        "vacant": VACANT_COLOUR,
        "no_data": NO_DATA_COLOUR,
    }.get(cell.state)


def legend_entries(labels: Mapping[str, str] = LABELS_NB) -> list[tuple[str, str | None, bool]]:
    """(text, fill, hatched) for each legend item, in the order drawn."""
    entries: list[tuple[str, str | None, bool]] = []
    for n, colour in enumerate(HOLDER_COLOURS, start=1):
        key = "holder_last" if n == len(HOLDER_COLOURS) else "holder"
        entries.append((labels[key].format(n=n), colour, False))
    entries += [
        (labels["holder_locum"], HOLDER_COLOURS[0], True),
        (labels["locum"], LOCUM_COLOUR, True),
        (labels["vacant"], VACANT_COLOUR, False),
        (f"{labels['not_existing']} / {labels['closed']}", None, False),
        (labels["no_data"], NO_DATA_COLOUR, False),
    ]
    return entries


def _short(label: str, limit: int = 44) -> str:
    """Row labels longer than ``limit`` characters are cut with an ellipsis (full in a title)."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def month_label(month: date, labels: Mapping[str, str] = LABELS_NB) -> str:
    """``jul 2017`` (in the language of ``labels``)."""
    names = labels.get("months", LABELS_NB["months"]).split()
    return f"{names[month.month - 1]} {month.year}"


def run_text(run: TimelineRun, labels: Mapping[str, str] = LABELS_NB) -> str:
    """A run in words, e.g. "2. innehaver, jul 2017–aug 2019 (26 mnd)"."""
    if run.state == "holder":
        what = labels["holder"].format(n=run.ordinal)
        if run.locum:
            what += ", " + labels["holder_locum"].lower()
    else:
        what = labels[run.state]
    first, last = month_label(run.first_month, labels), month_label(run.last_month, labels)
    span = first if first == last else f"{first}–{last}"
    return f"{what}, {span} ({run.months} {labels.get('month_unit', 'mnd')})"


def render_svg(
    matrix: TimelineMatrix,
    *,
    title: str | None = None,
    labels: Mapping[str, str] = LABELS_NB,
    id_prefix: str = "timeline",
    cell_width: int = 8,
    row_height: int = 16,
) -> str:
    """The timeline as an accessible SVG document (``role="img"``, title, desc, legend, axis)."""
    months, rows = matrix.months, matrix.rows
    label_width = 12 + 7 * max((len(_short(r.label)) for r in rows), default=10)
    top = 44
    chart_width = cell_width * len(months)
    legend = legend_entries(labels)
    legend_top = top + row_height * len(rows) + 16
    legend_width = 28 + 6 * max(len(text) for text, _, _ in legend)
    legend_columns = max(1, (label_width + chart_width) // legend_width)
    legend_rows = -(-len(legend) // legend_columns)
    width = max(label_width + chart_width, legend_width) + 16
    height = legend_top + 20 * legend_rows + 8
    start, end = (
        (month_label(months[0], labels), month_label(months[-1], labels)) if months else ("", "")
    )
    heading = title or labels["title"].format(start=start, end=end)
    desc = labels["desc"].format(rows=len(rows), months=len(months))
    p = escape(id_prefix, quote=True)
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{p}-title {p}-desc" '
        f'font-family="Inter, system-ui, sans-serif" font-size="11" fill="{TEXT_COLOUR}">',
        f'<title id="{p}-title">{escape(heading)}</title>',
        f'<desc id="{p}-desc">{escape(desc)}</desc>',
        f'<defs><pattern id="{p}-locum" width="4" height="4" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="4" '
        f'stroke="{LOCUM_HATCH}" stroke-width="2"/></pattern></defs>',
        f'<text x="0" y="14" font-size="13" font-weight="600">{escape(heading)}</text>',
    ]
    # month axis: a tick per month, a longer one and the year at each January
    axis = [f'<g class="axis" transform="translate({label_width},{top})" stroke="#767676">']
    for i, month in enumerate(months):
        x = i * cell_width
        tall = month.month == 1 or i == 0
        axis.append(f'<line x1="{x}" y1="{-8 if tall else -3}" x2="{x}" y2="0"/>')
        if tall:
            axis.append(f'<text x="{x + 2}" y="-10" stroke="none">{month.year}</text>')
    axis.append("</g>")
    out += axis
    # rows: label, then one rect per run, the hatch over locum runs
    out.append(f'<g class="rows" transform="translate(0,{top})">')
    for r, row in enumerate(rows):
        y = r * row_height
        h = row_height - 3
        out.append(
            f'<text x="{label_width - 6}" y="{y + h - 2}" text-anchor="end">'
            f"{escape(_short(row.label))}<title>{escape(row.label)}</title></text>"
        )
        for run in runs(row, months):
            index = months.index(run.first_month)
            x, w = label_width + index * cell_width, run.months * cell_width
            fill = cell_colour(MonthCell(run.state, run.ordinal, run.locum))
            if fill is not None:
                outline = f' stroke="{VACANT_OUTLINE}"' if run.state == "vacant" else ""
                text = run_text(run, labels)
                out.append(
                    f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"{outline}>'
                    f"<title>{escape(text)}</title></rect>"
                )
            if run.locum:
                out.append(
                    f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="url(#{p}-locum)"/>'
                )
    out.append("</g>")
    # legend
    out.append(f'<g class="legend" transform="translate(0,{legend_top})">')
    for i, (text, fill, hatched) in enumerate(legend):
        x, y = (i % legend_columns) * legend_width, (i // legend_columns) * 20
        swatch = fill or "#ffffff"
        out.append(
            f'<rect x="{x}" y="{y}" width="14" height="12" fill="{swatch}" '
            f'stroke="{VACANT_OUTLINE}"/>'
        )
        if hatched:
            out.append(f'<rect x="{x}" y="{y}" width="14" height="12" fill="url(#{p}-locum)"/>')
        out.append(f'<text x="{x + 20}" y="{y + 10}">{escape(text)}</text>')
    out.append("</g></svg>")
    return "\n".join(out)


def render_png(
    matrix: TimelineMatrix,
    out: str | Path | IO[bytes],
    *,
    title: str | None = None,
    labels: Mapping[str, str] = LABELS_NB,
    dpi: int = 120,
) -> None:
    """Draw the timeline to a PNG file or binary stream with matplotlib (Agg, no pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    months, rows = matrix.months, matrix.rows
    longest = max((len(r.label) for r in rows), default=10)
    width = min(40.0, 1.5 + 0.065 * longest + 0.09 * len(months))
    height = 1.8 + 0.22 * max(1, len(rows))
    figure = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for r, row in enumerate(rows):
        for run in runs(row, months):
            x = months.index(run.first_month)
            fill = cell_colour(MonthCell(run.state, run.ordinal, run.locum))
            if fill is not None:
                edge = VACANT_OUTLINE if run.state == "vacant" else "none"
                axes.broken_barh(
                    [(x, run.months)], (r - 0.4, 0.8), facecolors=fill, edgecolors=edge
                )
            if run.locum:
                axes.broken_barh(
                    [(x, run.months)],
                    (r - 0.4, 0.8),
                    facecolors="none",
                    edgecolors=LOCUM_HATCH,
                    hatch="////",
                    linewidth=0,
                )
    axes.set_yticks(range(len(rows)), [row.label for row in rows], fontsize=8)
    axes.set_ylim(len(rows) - 0.5, -0.5)
    januaries = [i for i, m in enumerate(months) if m.month == 1 or i == 0]
    axes.set_xticks(januaries, [str(months[i].year) for i in januaries], fontsize=8)
    axes.set_xlim(0, max(1, len(months)))
    axes.spines[["top", "right"]].set_visible(False)
    start, end = (
        (month_label(months[0], labels), month_label(months[-1], labels)) if months else ("", "")
    )
    axes.set_title(title or labels["title"].format(start=start, end=end), loc="left", fontsize=10)
    handles = [
        Patch(
            facecolor=fill or "white",
            edgecolor=LOCUM_HATCH if hatched else VACANT_OUTLINE,
            hatch="////" if hatched else None,
            label=text,
        )
        for text, fill, hatched in legend_entries(labels)
    ]
    axes.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7, frameon=False
    )
    figure.tight_layout()
    figure.savefig(out, format="png", metadata={"Software": None})
