"""The `veiviser` command line: one entry point, one module per command group.

Each module in ``veiviser.commands`` exposes ``register(subparsers)`` which adds its
sub-command(s) and sets ``func`` (a callable taking the parsed ``argparse.Namespace`` and
returning the exit code). Commands that need the database call ``veiviser.commands.setup_django()``
first; file-only commands (readiness, grant, report on CSV files) never touch a database.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMAND_MODULES = [
    "veiviser.commands.server",
    "veiviser.commands.accounts",
    "veiviser.commands.training",
    "veiviser.commands.catalogue",
    "veiviser.commands.readiness",
    "veiviser.commands.grant",
    "veiviser.commands.report",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="veiviser",
        description="Veiviser: ALIS training, GP recruitment and retention for municipalities.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
