"""`veiviser export-progress` and `veiviser import-progress`: the portable progress file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from veiviser.commands import setup_django


def register(subparsers: Any) -> None:
    export = subparsers.add_parser(
        "export-progress",
        help="write an ALIS's progress file (veiviser.progress/1)",
        description="Export an ALIS's training record as a veiviser.progress/1 JSON file.",
    )
    export.add_argument("--trainee", required=True, type=int, help="the ALIS's id in Veiviser")
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    export.set_defaults(func=run_export)

    imp = subparsers.add_parser(
        "import-progress",
        help="import a progress file into a municipality",
        description="Create or update an ALIS from a veiviser.progress/1 file. All or "
        "nothing: an invalid file imports nothing and every error names its JSON path. "
        "Importing the same file again changes nothing.",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--municipality", required=True, help="kommunenummer, e.g. 4642")
    imp.set_defaults(func=run_import)


def run_export(args: argparse.Namespace) -> int:
    setup_django()
    from veiviser.training.models import Trainee
    from veiviser.training.progress import export_progress

    trainee = Trainee.objects.filter(pk=args.trainee).first()
    if trainee is None:
        print(f"veiviser export-progress: no ALIS with id {args.trainee}", file=sys.stderr)
        return 1
    text = json.dumps(export_progress(trainee=trainee, by=None), ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


def run_import(args: argparse.Namespace) -> int:
    setup_django()
    from veiviser.core.models import Municipality
    from veiviser.rules.progress_file import ProgressFileInvalid, load_path
    from veiviser.training.progress import import_progress

    municipality = Municipality.objects.filter(number=args.municipality).first()
    if municipality is None:
        print(f"--municipality: unknown kommunenummer {args.municipality}", file=sys.stderr)
        return 1
    try:
        data = load_path(args.file)
        # The command line acts as the system and is audited as such.
        trainee = import_progress(data=data, municipality=municipality, by=None, system=True)
    except ProgressFileInvalid as exc:
        for error in exc.errors:
            print(f"{args.file}: {error}", file=sys.stderr)
        return 1
    print(f"Importert: ALIS {trainee.pk} ({trainee.person.full_name}) i {municipality.name}")
    return 0
