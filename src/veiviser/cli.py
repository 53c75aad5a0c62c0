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

# The core commands in the order --help lists them; any other module in veiviser.commands
# that defines ``register`` follows in alphabetical order.
CORE_COMMAND_MODULES = [
    "veiviser.commands.server",
    "veiviser.commands.accounts",
    "veiviser.commands.training",
    "veiviser.commands.catalogue",
    "veiviser.commands.readiness",
    "veiviser.commands.grant",
    "veiviser.commands.report",
]


def command_modules() -> list[str]:
    import pkgutil

    import veiviser.commands

    others = sorted(
        f"veiviser.commands.{info.name}"
        for info in pkgutil.iter_modules(veiviser.commands.__path__)
        if f"veiviser.commands.{info.name}" not in CORE_COMMAND_MODULES
    )
    return CORE_COMMAND_MODULES + others


COMMAND_MODULES = command_modules()  # listing the package imports none of its modules


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="veiviser",
        description="Veiviser: ALIS training, GP recruitment and retention for municipalities.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "register"):
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
