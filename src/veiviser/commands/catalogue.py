"""``veiviser import-catalogue FILE --name NAME``: import a goal catalogue (XLSX or CSV).

Creates the catalogue NAME, or updates the texts of an existing one, all or nothing (see
``veiviser.training.catalogue_import``). Exit codes: 0 when imported; 1 when the file cannot be
read or has errors (each on stderr as ``FILE:row:column: message``, or ``FILE: message`` for
the whole file); 2 for a usage error (argparse).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from veiviser.commands import setup_django

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``import-catalogue`` sub-command to the ``veiviser`` parser."""
    parser = subparsers.add_parser(
        "import-catalogue",
        help="import learning goals (Helsedirektoratet's utdanningsplan, XLSX or CSV)",
        description=(
            "Import a goal catalogue from XLSX or CSV (columns code, theme, title, description, "
            "recommended activities, or Helsedirektoratet's Norwegian headers). Creates the "
            "catalogue NAME or updates the texts of an existing one; all or nothing."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="the spreadsheet (.xlsx or .csv)")
    parser.add_argument(
        "--name", required=True, metavar="NAME", help="catalogue name, e.g. ALM-2019+FKM-2019"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    setup_django()
    from veiviser.training.catalogue_import import CatalogueFileError, import_catalogue

    try:
        with open(args.file, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        print(f"{args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    try:
        result = import_catalogue(name=args.name, data=data, filename=args.file, by=None)
    except CatalogueFileError as exc:
        for error in exc.errors:
            print(error.for_cli(args.file), file=sys.stderr)
        return 1
    verb = "updated" if result.exists else "created"
    print(
        f"{result.name}: {verb}; {len(result.rows)} goals in the file, "
        f"{len(result.created)} new, {len(result.updated)} with changed text, "
        f"{len(result.removed)} removed, {len(result.kept)} kept (used by plans)"
    )
    return 0
