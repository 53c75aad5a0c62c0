"""`veiviser token`, `veiviser createadmin`, `veiviser import-centrality`."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from veiviser.commands import setup_django


def register(subparsers: Any) -> None:
    token = subparsers.add_parser(
        "token",
        help="create an API token for a user and print it",
        description="Create a personal API token for USER and print it once (only its hash is "
        "stored). Use it as `Authorization: Bearer TOKEN`.",
    )
    token.add_argument("--user", required=True, help="username")
    token.add_argument("--name", default="CLI", help="a name for the token")
    token.set_defaults(func=run_token)

    admin = subparsers.add_parser("createadmin", help="create an administrator login")
    admin.add_argument("--username", required=True)
    admin.add_argument("--email", default="")
    admin.add_argument("--password", help="(default: asked for)")
    admin.set_defaults(func=run_createadmin)

    centrality = subparsers.add_parser(
        "import-centrality",
        help="set every municipality's SSB centrality class from a KLASS 128 file",
        description="Import SSB's correspondence file municipality → centrality (KLASS 128) as "
        "CSV. All or nothing: any bad line imports nothing.",
    )
    centrality.add_argument("file", type=Path)
    centrality.set_defaults(func=run_import_centrality)


def run_token(args: argparse.Namespace) -> int:
    setup_django()
    from veiviser.accounts.models import User
    from veiviser.accounts.services import create_api_token

    user = User.objects.filter(username=args.user).first()
    if user is None:
        print(f"veiviser token: no user named {args.user!r}", file=sys.stderr)
        return 1
    _token, raw = create_api_token(user=user, name=args.name, by=None)
    print(raw)
    return 0


def run_createadmin(args: argparse.Namespace) -> int:
    setup_django()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from veiviser.accounts.models import User

    if User.objects.filter(username=args.username).exists():
        print(f"veiviser createadmin: {args.username!r} exists", file=sys.stderr)
        return 1
    password = args.password or getpass.getpass("Passord: ")
    try:
        validate_password(password)
    except ValidationError as exc:
        print("veiviser createadmin: password: " + " ".join(exc.messages), file=sys.stderr)
        return 1
    User.objects.create_superuser(args.username, args.email, password)
    print(f"Administrator {args.username} opprettet.")
    return 0


def run_import_centrality(args: argparse.Namespace) -> int:
    setup_django()
    from veiviser.core.reference import CentralityFileError
    from veiviser.core.services import import_centrality

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"{args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    try:
        changed = import_centrality(data=data, by=None)
    except CentralityFileError as exc:
        for error in exc.errors:
            print(f"{args.file}: {error}", file=sys.stderr)
        return 1
    print(f"Sentralitet importert: {changed} kommuner endret.")
    return 0
