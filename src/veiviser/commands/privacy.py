"""`veiviser privacy export|erase|purge` (docs/privacy.md, docs/operations.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from veiviser.commands import setup_django


def register(subparsers: Any) -> None:
    privacy = subparsers.add_parser(
        "privacy",
        help="export or pseudonymise what is held about a person; purge after retention",
        description="Personvern: innsyn (export), sletting/pseudonymisering (erase) og "
        "sletting etter lagringstid (purge). See docs/privacy.md.",
    )
    sub = privacy.add_subparsers(dest="privacy_command", metavar="ACTION")

    export = sub.add_parser(
        "export", help="everything held about a person as JSON (innsyn, GDPR art. 15)"
    )
    export.add_argument("--person", type=int, required=True, help="the person's id")
    export.add_argument("--output", type=Path, help="file (default: standard output)")
    export.set_defaults(func=run_export)

    erase = sub.add_parser(
        "erase",
        help="pseudonymise a person: names, e-mail, HPR number and free text replaced",
        description="Pseudonymise a person (GDPR art. 17 as far as the archive rules allow): "
        "name, e-mail, phone, HPR number, login and free-text notes are replaced or removed; "
        "training events, service periods and coded data are kept under the pseudonym. "
        "Recorded in the audit log.",
    )
    erase.add_argument("--person", type=int, required=True, help="the person's id")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.set_defaults(func=run_erase)

    purge = sub.add_parser(
        "purge",
        help="pseudonymise people inactive past the retention period; delete spent data",
        description="People with no activity for VEIVISER_RETENTION_YEARS (default 10) years "
        "are pseudonymised; revoked API tokens, used or expired recommendation links, old "
        "login failures, expired sessions and old sent reminders are deleted.",
    )
    purge.add_argument("--dry-run", action="store_true", help="only show what would be done")
    purge.set_defaults(func=run_purge)
    privacy.set_defaults(func=lambda _args: (privacy.print_help(), 2)[1])


def _person(pk: int) -> Any:
    from veiviser.core.models import Person

    person = Person.objects.filter(pk=pk).first()
    if person is None:
        print(f"veiviser privacy: no person with id {pk}", file=sys.stderr)
    return person


def run_export(args: argparse.Namespace) -> int:
    setup_django()
    from veiviser.audit.models import AuditEvent
    from veiviser.audit.services import record
    from veiviser.core.privacy import export_person

    person = _person(args.person)
    if person is None:
        return 1
    text = json.dumps(export_person(person), indent=2, ensure_ascii=False)
    record(
        actor=None,
        action=AuditEvent.Action.EXPORT,
        instance=person,
        summary="Innsyn: alle opplysninger om personen eksportert (CLI)",
    )
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
        print(f"Skrevet til {args.output}.")
    else:
        print(text)
    return 0


def run_erase(args: argparse.Namespace) -> int:
    setup_django()
    from veiviser.core.privacy import erase_person, is_erased

    person = _person(args.person)
    if person is None:
        return 1
    if is_erased(person):
        print(f"Person {person.pk} er allerede pseudonymisert.")
        return 0
    if not args.yes:
        answer = input(f"Pseudonymisere {person.full_name} (id {person.pk})? Skriv ja: ")
        if answer.strip().lower() != "ja":
            print("Avbrutt.")
            return 1
    report = erase_person(person=person, by=None)
    print(f"Person {person.pk} pseudonymisert. Endret:")
    for label, count in sorted(report.changed.items()):
        print(f"  {label:<32} {count}")
    if report.files_deleted:
        print(f"  filer slettet: {report.files_deleted}")
    return 0


def run_purge(args: argparse.Namespace) -> int:
    setup_django()
    from veiviser.core.privacy import plan_purge, purge, retention_years

    plan = plan_purge() if args.dry_run else purge(by=None)
    verb = "Ville" if args.dry_run else "Har"
    print(f"Lagringstid {retention_years()} år (uten aktivitet siden før {plan.cutoff:%d.%m.%Y}).")
    print(f"{verb} pseudonymisert {len(plan.people)} personer.")
    for label, count in sorted(plan.deletions.items()):
        print(f"{verb} slettet {count} × {label}")
    if plan.audit_events_past_retention:
        print(
            f"{plan.audit_events_past_retention} hendelser i revisjonsloggen er eldre enn "
            "lagringstiden; loggen kan ikke endres av applikasjonen (se docs/operations.md)."
        )
    return 0
