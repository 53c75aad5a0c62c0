"""``veiviser readiness FILE.json [--as-of YYYY-MM-DD] [--ruleset NAME]``: judge a progress file.

File-only: no database, no Django. Prints the verdict JSON of ``progress-file.md``. Exit codes:
0 when a verdict was printed, ready or not; 1 when the file cannot be read or is not a valid
``veiviser.progress/1`` document (every problem on stderr as ``$.path: message``) or names a
ruleset this version does not know; 2 for a usage error (argparse).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any
from zoneinfo import ZoneInfo

from veiviser.rules.progress_file import ProgressFileInvalid, load_path
from veiviser.rules.readiness import verdict, verdict_to_dict
from veiviser.rules.ruleset import Ruleset, UnknownRuleset, get_ruleset

__all__ = ["register", "run"]

OSLO = ZoneInfo("Europe/Oslo")


def _date(value: str) -> dt.date:
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: {value!r}") from None


def _ruleset(value: str) -> Ruleset:
    try:
        return get_ruleset(value)
    except UnknownRuleset as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``readiness`` sub-command to the ``veiviser`` parser."""
    parser = subparsers.add_parser(
        "readiness",
        help="judge a progress file (veiviser.progress/1): is the ALIS ready to apply?",
        description=(
            "Read an ALIS's portable progress file and print the readiness verdict as JSON. "
            "Exits 0 whether or not the ALIS is ready, 1 if the file is unreadable or invalid."
        ),
    )
    parser.add_argument("file", metavar="FILE.json", help="the progress file")
    parser.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="judge as of this date (default: today in Europe/Oslo)",
    )
    parser.add_argument(
        "--ruleset",
        type=_ruleset,
        metavar="NAME",
        help="ruleset to judge by (default: the file's ruleset)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Judge the file and print the verdict; return the exit code."""
    try:
        record = load_path(args.file)
    except ProgressFileInvalid as exc:
        for error in exc.errors:
            print(str(error), file=sys.stderr)
        return 1
    ruleset: Ruleset | None = args.ruleset
    if ruleset is None:
        try:
            ruleset = get_ruleset(record.ruleset)
        except UnknownRuleset as exc:
            print(f"$.ruleset: {exc}", file=sys.stderr)
            return 1
    as_of: dt.date = args.as_of or dt.datetime.now(OSLO).date()
    result = verdict(record, as_of, ruleset)
    print(json.dumps(verdict_to_dict(result), indent=2, ensure_ascii=False))
    return 0
