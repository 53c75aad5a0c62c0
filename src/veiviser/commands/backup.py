"""`veiviser backup FILE` and `veiviser restore FILE` (docs/operations.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from veiviser.commands import setup_django


def register(subparsers: Any) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="write every table and uploaded file into one archive (.tar.gz)",
        description=(
            "Write the whole installation into FILE (.tar.gz): every table of every app as JSON "
            "lines in dependency order, every file under MEDIA_ROOT, and a manifest with the "
            "version, applied migrations, counts and SHA-256 checksums. Works on SQLite and "
            "PostgreSQL; restore into either."
        ),
    )
    backup.add_argument("file", type=Path)
    backup.add_argument("--quiet", action="store_true")
    backup.set_defaults(func=run_backup)

    restore = subparsers.add_parser(
        "restore",
        help="load a backup archive into an empty database",
        description=(
            "Create the tables (migrate, without reference data) and load FILE made by "
            "`veiviser backup` into them. Refused unless every table is empty. All or nothing: "
            "checksums are verified first and every table's count after loading."
        ),
    )
    restore.add_argument("file", type=Path)
    restore.add_argument("--quiet", action="store_true")
    restore.set_defaults(func=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    setup_django()
    from veiviser.core.backup import backup

    say = None if args.quiet else (lambda msg: print(f"  {msg}", flush=True))
    manifest = backup(args.file, progress=say)
    rows = sum(t["count"] for t in manifest["tables"])
    print(
        f"Sikkerhetskopi skrevet til {args.file}: {rows} rader i {len(manifest['tables'])} "
        f"tabeller, {len(manifest['media'])} filer "
        f"({args.file.stat().st_size / 1024 / 1024:.1f} MB)."
    )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    from veiviser.core.backup import BackupError, read_manifest, restore

    try:
        read_manifest(args.file)
    except (BackupError, FileNotFoundError) as exc:
        print(f"veiviser restore: {exc}", file=sys.stderr)
        return 1
    call_command("migrate", interactive=False, verbosity=0)
    say = None if args.quiet else (lambda msg: print(f"  {msg}", flush=True))
    try:
        report = restore(args.file, progress=say)
    except BackupError as exc:
        print(f"veiviser restore: {exc}", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"veiviser restore: warning: {warning}", file=sys.stderr)
    print(
        f"Gjenopprettet {sum(report.counts.values())} rader i {len(report.counts)} tabeller og "
        f"{report.media_files} filer fra {args.file}; antall kontrollert."
    )
    return 0
