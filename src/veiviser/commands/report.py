"""``veiviser report positions|stability|timeline``: the workforce stability figures.

With ``--positions FILE --occupancies FILE`` the reports read the two CSV files
(shared/spec/workforce-data.md, "Import format") and never import Django. Without them they ask
``veiviser.workforce.loader.load_from_database(args)`` for the rows (the Veiviser app).

Exit codes: 0 printed/written; 1 the CSV files are invalid (one ``file:line:column: message``
line per problem on stderr) or cannot be read/written; 2 wrong usage (bad date, missing file
option, unknown output type, database mode without the app).
"""

from __future__ import annotations

import argparse
import csv
import importlib
import io
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from veiviser.rules.workforce import (
    KINDS,
    Occupancy,
    Position,
    PositionFilter,
    PositionsFigures,
    WorkforceData,
)
from veiviser.rules.workforce_csv import WorkforceCsvInvalid, load_files

__all__ = ["register"]

DATABASE_MODE_MISSING = "the database mode needs the Veiviser app; use --positions/--occupancies"


def _date(value: str) -> date:
    """An ISO date argument (YYYY-MM-DD only)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"not a date {value!r}; write YYYY-MM-DD, e.g. 2022-08-31")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--municipality",
        metavar="K",
        action="append",
        help="kommunenummer (repeat, or separate with commas, for several)",
    )
    parser.add_argument("--programme", metavar="P", help="e.g. 'ALIS-Vest del 1'")
    parser.add_argument(
        "--kind", metavar="K", action="append", choices=KINDS, help="gp, alis or municipal"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--positions", metavar="FILE", help="positions.csv (file mode)")
    parser.add_argument("--occupancies", metavar="FILE", help="occupancies.csv (file mode)")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``report`` and its sub-commands to the ``veiviser`` parser."""
    report = subparsers.add_parser(
        "report",
        help="workforce figures: positions, stability, timeline",
        description="Positions, holders and locums: the stability figures of a set of positions.",
    )
    report.set_defaults(func=lambda _args: _usage(report))
    reports = report.add_subparsers(dest="report", metavar="REPORT")

    positions = reports.add_parser(
        "positions", help="positions, staffed, vacant and locum-served at a date"
    )
    positions.add_argument("--at", metavar="D", type=_date, required=True, help="the date")
    _common(positions)
    positions.set_defaults(func=run_positions)

    stability = reports.add_parser("stability", help="stability figures over a period")
    stability.add_argument("--from", dest="start", metavar="A", type=_date, required=True)
    stability.add_argument("--to", dest="end", metavar="B", type=_date, required=True)
    _common(stability)
    stability.set_defaults(func=run_stability)

    timeline = reports.add_parser("timeline", help="draw the month-by-month timeline")
    timeline.add_argument("--from", dest="start", metavar="A", type=_date, required=True)
    timeline.add_argument("--to", dest="end", metavar="B", type=_date, required=True)
    timeline.add_argument("--out", metavar="FILE", required=True, help="FILE.svg or FILE.png")
    timeline.add_argument(
        "--data-until", metavar="D", type=_date, help="last date the data covers (later: grey)"
    )
    _common(timeline)
    timeline.set_defaults(func=run_timeline)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


# --------------------------------------------------------------------------- loading


def _filter(args: argparse.Namespace) -> PositionFilter:
    municipalities = None
    if args.municipality:
        municipalities = {k.strip() for v in args.municipality for k in v.split(",") if k.strip()}
    kinds = set(args.kind) if args.kind else None
    return PositionFilter(municipalities, args.programme, kinds)


def _load(args: argparse.Namespace) -> tuple[list[Position], list[Occupancy]] | int:
    """The rows, or an exit code after printing why there are none."""
    if args.positions or args.occupancies:
        if not (args.positions and args.occupancies):
            print("veiviser report: give both --positions and --occupancies", file=sys.stderr)
            return 2
        try:
            return load_files(args.positions, args.occupancies)
        except OSError as exc:
            print(
                f"veiviser report: cannot read {exc.filename}: {exc.strerror or exc}",
                file=sys.stderr,
            )
            return 1
        except WorkforceCsvInvalid as exc:
            for error in exc.errors:
                print(str(error), file=sys.stderr)
            print(f"veiviser report: {len(exc.errors)} problem(s); nothing read", file=sys.stderr)
            return 1
    try:
        loader = importlib.import_module("veiviser.workforce.loader")
        load_from_database: Callable[[argparse.Namespace], Any] = loader.load_from_database
    except (ImportError, AttributeError):
        print(f"veiviser report: {DATABASE_MODE_MISSING}", file=sys.stderr)
        return 2
    positions, occupancies = load_from_database(args)
    return list(positions), list(occupancies)


def municipality_names() -> dict[str, str]:
    """Kommunenummer → name from the shipped list (empty when it cannot be read)."""
    try:
        text = (resources.files("veiviser.data") / "kommuner-2024.csv").read_text("utf-8-sig")
        return {row["kommunenummer"]: row["navn"] for row in csv.DictReader(io.StringIO(text))}
    except (OSError, KeyError, ModuleNotFoundError, csv.Error):
        return {}


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table: first column left-aligned, the others right-aligned."""
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        parts = [
            row[0].ljust(widths[0]),
            *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)),
        ]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _print_json(data: dict[str, Any]) -> None:
    print(json.dumps(data, ensure_ascii=False))


# --------------------------------------------------------------------------- reports


def run_positions(args: argparse.Namespace) -> int:
    """``report positions --at D``: the figures at a date (per municipality in text mode)."""
    loaded = _load(args)
    if isinstance(loaded, int):
        return loaded
    data = WorkforceData(*loaded)
    chosen = _filter(args)
    total = data.positions_at(args.at, chosen)
    if args.json:
        _print_json(total.to_dict())
        return 0
    names = municipality_names()

    def row(label: str, f: PositionsFigures) -> list[object]:
        return [label, f.positions, f.staffed, f.vacant, f.locum_served]

    rows = [
        row(f"{number} {names.get(number, '')}".strip(), figures)
        for number, figures in data.positions_by_municipality(args.at, chosen).items()
    ]
    rows.append(row("Totalt", total))
    print(f"Stillinger per {args.at.isoformat()}")
    print(_table(["Kommune", "Stillinger", "Bemannet", "Ledige", "Betjent av vikar"], rows))
    return 0


def run_stability(args: argparse.Namespace) -> int:
    """``report stability --from A --to B``: the period figures."""
    loaded = _load(args)
    if isinstance(loaded, int):
        return loaded
    if args.end < args.start:
        print("veiviser report: --to is before --from", file=sys.stderr)
        return 2
    figures = WorkforceData(*loaded).stability(args.start, args.end, _filter(args))
    if args.json:
        _print_json(figures.to_dict())
        return 0
    rows: list[list[object]] = [
        ["Stillinger i perioden", figures.positions],
        ["Ulike innehavere (ALIS/fastleger)", figures.holders],
        ["Samme innehaver hele veien", figures.same_holder_throughout],
        ["Stillinger med skifte av innehaver", figures.positions_with_change],
        ["Aldri bemannet", figures.never_staffed],
        ["Innehavere som sa opp", figures.resigned],
        [f"Bemannet {args.end.isoformat()}", figures.staffed_at_end],
        [f"I allmennpraksis {args.end.isoformat()}", figures.in_general_practice_at_end],
    ]
    print(f"Stabilitet {args.start.isoformat()} – {args.end.isoformat()}")
    print(_table(["", "Antall"], rows))
    if figures.first_staffed_year:
        print()
        print("Samme innehaver hele veien, etter året stillingen ble bemannet:")
        years = sorted(figures.first_staffed_year.items())
        print(_table(["År", "Stillinger"], [[year, n] for year, n in years]))
    return 0


def run_timeline(args: argparse.Namespace) -> int:
    """``report timeline --from A --to B --out FILE.svg|FILE.png``: draw the timeline."""
    out = Path(args.out)
    kind = out.suffix.lower()
    if kind not in (".svg", ".png"):
        print("veiviser report: --out must end in .svg or .png", file=sys.stderr)
        return 2
    if args.end < args.start:
        print("veiviser report: --to is before --from", file=sys.stderr)
        return 2
    loaded = _load(args)
    if isinstance(loaded, int):
        return loaded
    from veiviser.rules.workforce_timeline import (
        build_timeline,
        render_png,
        render_svg,
        timeline_table,
    )

    matrix = build_timeline(
        *loaded,
        args.start,
        args.end,
        _filter(args),
        data_until=args.data_until,
        municipality_names=municipality_names(),
    )
    try:
        if kind == ".svg":
            out.write_text(render_svg(matrix), encoding="utf-8")
        else:
            render_png(matrix, out)
    except OSError as exc:
        print(f"veiviser report: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    table = timeline_table(matrix)
    if args.json:
        _print_json(
            {
                "from": args.start.isoformat(),
                "to": args.end.isoformat(),
                "out": str(out),
                "months": len(matrix.months),
                "rows": [r.to_dict() for r in table],
            }
        )
        return 0
    print(f"Tidslinje skrevet til {out}: {len(matrix.rows)} stillinger, {len(matrix.months)} mnd")
    rows = [
        [r.label, r.holders, r.holder_months, r.locum_months, r.vacant_months, r.no_data_months]
        for r in table
    ]
    header = ["Stilling", "Innehavere", "Mnd bemannet", "Mnd vikar", "Mnd ledig", "Mnd uten data"]
    print(_table(header, rows))
    return 0
