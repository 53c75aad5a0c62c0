"""`veiviser seed`: a synthetic, fictitious dataset for load tests and benchmarks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from veiviser.commands import setup_django


def register(subparsers: Any) -> None:
    seed = subparsers.add_parser(
        "seed",
        help="fill the database with a synthetic national dataset (fictitious people)",
        description=(
            "Migrate, load the municipalities and create a synthetic dataset: --scale national "
            "gives about 5,000 positions with ten years of history, 3,000 ALIS with full "
            "training records, leaders and regional users (logins n.admin, n.nasjonal, "
            "n.region.1, n.leder.<kommunenr>, n.alis.1, n.veileder.1; password veiviser-demo). "
            "Every person is fictitious. Refused on a database with real people unless --force."
        ),
    )
    seed.add_argument("--scale", choices=["national", "small"], default="national")
    seed.add_argument(
        "--force", action="store_true", help="seed even if the database holds real people"
    )
    seed.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    seed.set_defaults(func=run_seed)


def run_seed(args: argparse.Namespace) -> int:
    setup_django()
    from django.db import connection

    from veiviser.commands.server import migrate_and_load
    from veiviser.demo.national import SeedRefused, seed

    migrate_and_load()
    try:
        report = seed(
            scale=args.scale,
            force=args.force,
            rng_seed=args.seed,
            progress=lambda step: print(f"  … {step}", flush=True),
        )
    except SeedRefused as exc:
        print(f"veiviser seed: {exc}", file=sys.stderr)
        return 1
    total = sum(report.counts.values())
    print(f"\nSyntetisk datasett ({report.scale}) – fiktive personer, ingen ekte data.")
    for label, count in sorted(report.counts.items()):
        print(f"  {label:<32} {count:>9}")
    print(f"  {'rader i alt':<32} {total:>9}")
    print(f"Tid: {report.seconds:.1f} s")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        path = Path(str(connection.settings_dict["NAME"]))
        if path.exists():
            print(f"Databasefil: {path} ({path.stat().st_size / 1024 / 1024:.0f} MB)")
    print("\nInnlogging (passord veiviser-demo):")
    for label, username in report.logins:
        print(f"  {label:<28} {username}")
    return 0
