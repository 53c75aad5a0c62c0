"""``veiviser grant FILE.json``: compute a grant claim from a file and print it as JSON.

File-only: no database, no Django. Exit codes: 0 printed; 1 the file is invalid (one
``$.path: message`` line per problem on stderr), the rate table cannot price a month (the
``GrantError`` message on stderr) or the file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from veiviser.rules.grant_file import GrantFileInvalid, load_grant_file
from veiviser.rules.grant_worksheet import build_worksheet
from veiviser.rules.grants import GrantError, claim_to_dict, compute_claim

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``grant`` sub-command to the ``veiviser`` parser."""
    parser = subparsers.add_parser(
        "grant",
        help="compute a Nasjonal ALIS og veiledning grant claim from a JSON file",
        description=(
            "Compute the claim for the national grant 'Nasjonal ALIS og veiledning' from FILE "
            "(rates, municipality, period and agreements) and print it as JSON."
        ),
    )
    parser.add_argument("file", metavar="FILE.json", help="the claim input file")
    parser.add_argument(
        "--xlsx",
        metavar="OUT.xlsx",
        help="also write the worksheet (søknadsgrunnlag) to this XLSX file",
    )
    parser.add_argument(
        "--municipality-name",
        metavar="NAME",
        help="municipality name for the worksheet (default: the kommunenummer)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Compute and print the claim; return the exit code."""
    try:
        inp = load_grant_file(args.file)
    except OSError as exc:
        print(f"veiviser grant: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except GrantFileInvalid as exc:
        for error in exc.errors:
            print(str(error), file=sys.stderr)
        return 1
    try:
        claim = compute_claim(inp)
    except GrantError as exc:
        print(f"veiviser grant: {exc}", file=sys.stderr)
        return 1
    if claim.centrality is None:
        print(
            "veiviser grant: warning: the municipality's centrality class is unknown; "
            "no class-6 supplement was applied",
            file=sys.stderr,
        )
    print(json.dumps(claim_to_dict(claim), indent=2, ensure_ascii=False))
    if args.xlsx:
        name = args.municipality_name or f"Kommune {claim.municipality_number}"
        try:
            Path(args.xlsx).write_bytes(build_worksheet(claim, name))
        except OSError as exc:
            print(f"veiviser grant: cannot write {args.xlsx}: {exc}", file=sys.stderr)
            return 1
    return 0
