"""`veiviser demo`, `veiviser serve`, `veiviser migrate`, `veiviser manage`."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from veiviser.commands import setup_django


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="set up the embedded demo (SQLite, reference data, demo world) and serve it",
        description=(
            "Migrate the database (default: SQLite in ./var), load the 357 municipalities, "
            "create the fictitious demo world, print one login per role and serve on "
            "http://127.0.0.1:8000. Safe to run again: the demo world is created once."
        ),
    )
    demo.add_argument("--no-serve", action="store_true", help="set up and exit")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--host", default="127.0.0.1")
    demo.set_defaults(func=run_demo)

    serve = subparsers.add_parser(
        "serve",
        help="serve an existing database with gunicorn",
        description="Serve Veiviser with the gunicorn WSGI server (migrate first).",
    )
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    serve.set_defaults(func=run_serve)

    migrate = subparsers.add_parser(
        "migrate", help="create or upgrade the database tables and load the reference data"
    )
    migrate.set_defaults(func=run_migrate)

    manage = subparsers.add_parser(
        "manage",
        help="run a Django management command (e.g. `veiviser manage check --deploy`)",
        add_help=False,
    )
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=run_manage)


def migrate_and_load(verbosity: int = 0) -> None:
    from django.core.management import call_command

    from veiviser.core.services import load_reference_data

    call_command("migrate", interactive=False, verbosity=verbosity)
    load_reference_data()


def run_migrate(args: argparse.Namespace) -> int:
    setup_django()
    migrate_and_load(verbosity=1)
    print("Databasen er klar.")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    setup_django()
    from veiviser.demo.world import DEMO_PASSWORD, build_demo_world

    migrate_and_load()
    logins = build_demo_world()
    print("\nVeiviser demo – fiktive personer, ingen ekte data.\n")
    print(f"{'Rolle':<34} {'Brukernavn':<14} Passord")
    for role, username in logins:
        print(f"{role:<34} {username:<14} {DEMO_PASSWORD}")
    if args.no_serve:
        return 0
    print(f"\nÅpne http://{args.host}:{args.port}/ i nettleseren. Ctrl+C stopper.\n")
    return serve(args.host, args.port, workers=2)


def pending_migrations() -> list[str]:
    """The migrations not yet applied to the database (``app.name``), in plan order."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    targets = executor.loader.graph.leaf_nodes()
    return [f"{m.app_label}.{m.name}" for m, _backwards in executor.migration_plan(targets)]


def run_serve(args: argparse.Namespace) -> int:
    setup_django()
    pending = pending_migrations()
    if pending:
        # serving an old schema would answer 500 on the first page that reads a new column
        print(
            f"Databasen må oppgraderes før Veiviser kan startes: kjør `veiviser migrate`.\n"
            f"{len(pending)} migrering(er) mangler: {', '.join(pending[:5])}"
            + (" …" if len(pending) > 5 else ""),
            file=sys.stderr,
        )
        return 2
    return serve(args.host, args.port, workers=args.workers)


def serve(host: str, port: int, *, workers: int) -> int:
    from gunicorn.app.base import BaseApplication

    from veiviser.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", 4)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)
            self.cfg.set("forwarded_allow_ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"))

        def load(self) -> Any:
            return application

    Server().run()
    return 0


def run_manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["veiviser manage", *args.args])
    return 0
