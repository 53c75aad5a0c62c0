"""The yearly cycle in the demo world: Lærdal started from the template at the beginning of last
year, Bergen at the beginning of this year. Recurring tasks were done month by month (and rolled
over); a few are left open so that they are overdue now, one is in progress this month. Both have
self-assessments for the last three years showing change, some hand-entered key parameters,
and Lærdal has a local project and a comment from ALIS Vest.

Anchored on today (overdue only means something relative to now), seeded, and written through
the services as the municipal leaders (so the audit log shows who did what). Nothing happens
when Lærdal already has tasks.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from veiviser.accounts.models import User
from veiviser.core.models import Municipality
from veiviser.cycle.models import CycleTask, ProjectEntry, TaskStatus
from veiviser.cycle.services import (
    add_comment,
    add_evidence,
    save_assessment,
    save_entry,
    save_parameters,
    set_status,
    start_from_template,
)
from veiviser.rules import recruit_retain as rr

EVIDENCE = {
    "folkehelseprofil": "Gjennomgått i helse- og omsorgsutvalget. Andelen eldre over 80 år øker; "
    "behovet for legetjeneste på sykehjem og hjemmebesøk vokser.",
    "sluttintervju": "Oppsummering av årets sluttintervjuer lagt fram for styringsgruppen.",
    "presentasjon-politikere": "Presentasjon for formannskapet: status for hjemlene, vikarbruk "
    "og ALIS-løpene.",
    "in-situ-trening": "Trening på legevakta med ambulanse og sykepleiere: hjertestans, fødsel.",
    "mote-legestudenter": "Julemiddag for medisinstudenter fra kommunen; lokalavisa var med.",
    "praksisplasser-studenter": "To studenter i praksis og én i sommerjobb på legekontoret.",
    "velkomstpakke": "Velkomstpakke med turkart, barnehageplass og kontaktperson i kommunen.",
}
LINKS = {"folkehelseprofil": "https://www.fhi.no/he/folkehelseprofiler/"}

# (item → score) per year; None = not assessed.
SCORES = {
    "4642": {
        -2: [2, 1, 1, 2, 2, 1, 1, 2, 3, 2, 2, 2, 1, None],
        -1: [3, 2, 3, 2, 3, 2, 3, 2, 4, 3, 3, 2, 3, 2],
        0: [3, 3, 4, 3, 4, 3, 4, 3, 4, 3, 3, 3, 4, 3],
    },
    "4601": {
        -2: [3, 3, 2, 3, 2, 2, 2, 3, 4, None, 3, 4, 1, 2],
        -1: [3, 3, 2, 4, 2, 2, 3, 3, 4, 3, 3, 4, 2, 2],
        0: [4, 3, 3, 4, 3, 2, 3, 4, 5, 3, 3, 4, 4, 3],
    },
}
COMMENTS = {
    "a3": "Sluttintervju innført; trivselsundersøkelse gjort.",
    "a7": "Månedlig teamtrening in situ siden i fjor.",
    "c4": "Årshjulet i Veiviser har navngitte ansvarlige for hver oppgave.",
}
HAND = {
    "4642": {
        "student_contacts": [1, 2, 3],
        "leadership_meetings": [1, 2, 2],
        "in_situ_trainings": [0, 9, 10],
        "welcome_packages": [0, 2, 1],
        "student_placements": [1, 2, 3],
        "population_without_gp": [310, 180, 0],
    },
    "4601": {"student_contacts": [4, 6, 8], "leadership_meetings": [2, 2, 3]},
}
PROJECT = [
    ("goal", "Ingen fastlegehjemmel ledig mer enn 6 måneder", "", None, False),
    ("goal", "Alle nye fastleger får tilbud om ALIS-avtale", "", None, False),
    ("member", "Kommunedirektør (leder)", "Kommunedirektør", None, False),
    ("member", "Kommuneoverlege", "Kommuneoverlege", None, False),
    ("member", "Representant for fastlegene", "Fastlege", None, False),
    ("member", "ALIS-koordinator", "ALIS-koordinator", None, False),
    ("decision", "Kommunestyret vedtok å opprette en ny fastlegehjemmel", "", -1, False),
    ("decision", "Formannskapet vedtok fastlønn som tilbud til nye fastleger", "", -2, False),
    ("action", "Opprette ny fastlegehjemmel og utlyse den", "Kommunal leder", -1, True),
    ("action", "Etablere månedlig akuttmedisinsk teamtrening in situ", "Kommuneoverlege", -1, True),
    ("action", "Slå sammen legekontorene til ett felles legesenter", "Kommunedirektør", 1, False),
]


def _play(
    municipality: Municipality,
    by: User,
    start: date,
    today: date,
    *,
    keep: list[str],
    leave_open: set[str],
    rng: random.Random,
) -> None:
    """Start from the template on ``start`` and work through the months up to ``today``."""
    start_from_template(municipality=municipality, keys=keep, by=by, today=start)
    this_month = rr.month_start(today)
    last_monthly = rr.add_months(this_month, -2)
    for _round in range(40):
        pending = list(
            CycleTask.objects.filter(
                municipality=municipality, status=TaskStatus.PLANNED, due__lt=this_month
            ).order_by("due", "pk")
        )
        progressed = False
        for task in pending:
            if task.due.year == today.year and task.template_key in leave_open:
                continue
            if task.interval_months == 1 and task.due > last_monthly:
                continue
            day = min(task.due + timedelta(days=rng.randint(5, 24)), today - timedelta(days=1))
            set_status(task=task, status=TaskStatus.DONE, completed_on=day, by=by)
            progressed = True
            text = EVIDENCE.get(task.template_key)
            if text and (task.due.year == today.year or rng.random() < 0.5):
                add_evidence(task=task, by=by, text=text, link=LINKS.get(task.template_key, ""))
        if not progressed:
            break
    current = CycleTask.objects.filter(
        municipality=municipality, status=TaskStatus.PLANNED, due=this_month
    ).first()
    if current is not None:
        set_status(task=current, status=TaskStatus.IN_PROGRESS, by=by)


def _assess(municipality: Municipality, by: User, today: date) -> None:
    for offset, values in SCORES[municipality.number].items():
        year = today.year + offset
        scores = {
            code: (score, COMMENTS.get(code, "") if offset == 0 else "")
            for (code, _name), score in zip(rr.ITEMS, values, strict=True)
        }
        save_assessment(municipality=municipality, year=year, scores=scores, by=by)
    for key, series in HAND.get(municipality.number, {}).items():
        for offset, value in zip((-2, -1, 0), series, strict=True):
            save_parameters(
                municipality=municipality,
                year=today.year + offset,
                values={key: (Decimal(value), "")},
                by=by,
            )


def _project(municipality: Municipality, by: User, today: date) -> None:
    for kind, title, responsible, years, done in PROJECT:
        on = None if years is None else date(today.year + years, 6, 19)
        entry = ProjectEntry(
            municipality=municipality,
            kind=kind,
            title=title,
            responsible=responsible,
            on=on,
            done=done,
        )
        save_entry(entry=entry, by=by)


@transaction.atomic
def build_demo() -> None:
    laerdal = Municipality.objects.filter(number="4642").first()
    bergen = Municipality.objects.filter(number="4601").first()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["leder.laerdal", "leder.bergen", "alisvest"])
    }
    if laerdal is None or bergen is None or len(users) < 3:
        return
    if CycleTask.objects.filter(municipality=laerdal).exists():
        return
    today = timezone.localdate()
    rng = random.Random(2016)
    every = [t.key for t in rr.TEMPLATE]
    _play(
        laerdal,
        users["leder.laerdal"],
        date(today.year - 1, 1, 10),
        today,
        keep=every,
        leave_open={"velkomstpakke", "gjennomgang-fastlegetjenesten"},
        rng=rng,
    )
    _play(
        bergen,
        users["leder.bergen"],
        date(today.year, 1, 5),
        today,
        keep=[k for k in every if k not in ("velkomstpakke", "in-situ-trening")],
        leave_open={"faste-motepunkter", "institusjonstjeneste"},
        rng=rng,
    )
    _assess(laerdal, users["leder.laerdal"], today)
    _assess(bergen, users["leder.bergen"], today)
    _project(laerdal, users["leder.laerdal"], today)
    add_comment(
        municipality=laerdal,
        year=today.year,
        text="Fint å se at teamtreningen in situ er blitt fast. Velkomstpakken kan dere "
        "gjerne dele med Årdal, som lager en tilsvarende.",
        by=users["alisvest"],
    )
