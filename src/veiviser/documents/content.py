"""What each document says: plain JSON-ready data for the Typst templates.

Dates are written as the documents print them (22.11.2026), numbers with a decimal comma.
Labels go through gettext, in bokmål unless the user reads nynorsk (docs/adr/0045-document-
language-and-layout.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from veiviser.accounts.models import Role, RoleAssignment
from veiviser.core.models import Municipality
from veiviser.documents.certificate import FULL_TIME_HOURS_PER_WEEK, Certificate
from veiviser.documents.models import (
    PLACEHOLDER,
    SECTIONS,
    MunicipalTrainingPlan,
    placeholders_in,
)
from veiviser.rules.readiness import Verdict
from veiviser.training.models import (
    Arena,
    CatalogueGoal,
    CourseKind,
    GoalKind,
    LeaveKind,
    Trainee,
)
from veiviser.training.presenters import requirement_rows, steps_in_words

BULLET = re.compile(r"^\s*[-•*]\s+")


# --- formatting -------------------------------------------------------------------------------


def fmt_date(day: dt.date | None, empty: str = "") -> str:
    return f"{day:%d.%m.%Y}" if day is not None else empty


def fmt_num(value: float | Decimal | None, decimals: int = 2) -> str:
    if value is None:
        return ""
    return f"{float(value):.{decimals}f}".replace(".", ",").replace("-", "−")


def fmt_percent(value: float | Decimal) -> str:
    number = float(value)
    text = f"{number:.0f}" if number == int(number) else fmt_num(number, 1)
    return f"{text} %"


def blocks(text: str) -> list[dict[str, Any]]:
    """A text as paragraphs and bullet lists: lines starting with "- " (or "•") form a list,
    other lines a paragraph, a blank line ends either."""
    out: list[dict[str, Any]] = []
    para: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if para:
            out.append({"kind": "p", "lines": list(para)})
            para.clear()
        if items:
            out.append({"kind": "list", "items": list(items)})
            items.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            flush()
        elif BULLET.match(line):
            if para:
                out.append({"kind": "p", "lines": list(para)})
                para.clear()
            items.append(BULLET.sub("", line, count=1))
        elif items and raw[:1].isspace():
            items[-1] += " " + line.strip()  # a wrapped bullet continues
        else:
            if items:
                out.append({"kind": "list", "items": list(items)})
                items.clear()
            para.append(line.strip())
    flush()
    return out


def municipality_data(municipality: Municipality) -> dict[str, Any]:
    registered = ""
    if municipality.registered_institution:
        registered = _("Registrert utdanningsvirksomhet")
        if municipality.registered_at:
            registered += " " + _("fra %(date)s") % {"date": fmt_date(municipality.registered_at)}
    parts = [_("Kommunenummer %(number)s") % {"number": municipality.number}]
    parts += [x for x in (municipality.county, registered) if x]
    return {
        "name": municipality.name,
        "number": municipality.number,
        "heading": _("%(name)s kommune") % {"name": municipality.name},
        "subline": " · ".join(parts),
    }


def leader_name(municipality: Municipality, user: Any, on: dt.date) -> str:
    """The leader who signs: the user if they lead the municipality, else its first active
    leader, else empty (a blank line to sign)."""
    assignments = (
        RoleAssignment.objects.active(on)
        .filter(role=Role.LEADER, municipality=municipality)
        .select_related("user__person")
        .order_by("id")
    )
    chosen = None
    for assignment in assignments:
        if assignment.user_id == getattr(user, "pk", None):
            chosen = assignment
            break
        chosen = chosen or assignment
    if chosen is None:
        return ""
    return chosen.user.get_full_name() or chosen.user.username


# --- the municipality's general training plan ----------------------------------------------


def municipal_plan_data(
    *,
    municipality: Municipality,
    content: dict[str, str],
    plan: MunicipalTrainingPlan | None,
    is_current: bool,
    offices: Iterable[Any],
    today: dt.date,
) -> dict[str, Any]:
    left = placeholders_in(content)
    if plan is None:
        status = _("Mal – ikke lagret")
    elif not is_current:
        status = _("Tidligere versjon – erstattet")
    elif left:
        status = _("Utkast – %(n)s felt er ikke fylt ut") % {"n": len(left)}
    else:
        status = _("Gjeldende versjon")
    facts = [
        [_("Kommune"), f"{municipality.name} ({municipality.number})"],
        [_("Versjon"), str(plan.version) if plan else _("ingen (mal)")],
        [_("Lagret"), fmt_date(plan.created_at.date()) if plan else "–"],
        [
            _("Gjelder fra"),
            fmt_date(plan.valid_from or plan.created_at.date()) if plan else "–",
        ],
        [_("Status"), status],
    ]
    if municipality.registered_institution:
        facts.insert(
            1,
            [
                _("Utdanningsvirksomhet"),
                _("Registrert hos Helsedirektoratet %(date)s")
                % {"date": fmt_date(municipality.registered_at, "")},
            ],
        )
    contact = [
        [_("Ansvarlig for planen"), content.get("responsible_name") or "–"],
        [_("Stilling"), content.get("responsible_title") or "–"],
        [_("E-post"), content.get("contact_email") or "–"],
        [_("Telefon"), content.get("contact_phone") or "–"],
    ]
    return {
        "kind": "municipal_plan",
        "title": _("Generell utdanningsplan"),
        "subtitle": _(
            "Spesialistutdanning i allmennmedisin (ALIS) – kommunens plan som "
            "registrert utdanningsvirksomhet"
        ),
        "municipality": municipality_data(municipality),
        "date": fmt_date(today),
        "version": plan.version if plan else None,
        "status": status,
        "draft": plan is None or bool(left),
        "historic": plan is not None and not is_current,
        "placeholders": len(left),
        "placeholder_pattern": PLACEHOLDER.pattern,
        "facts": facts,
        "arenas_heading": _("Læringsarenaer"),
        "sections": [
            {"number": s.number, "title": str(s.title), "blocks": blocks(content.get(s.field, ""))}
            for s in SECTIONS
        ],
        "offices": [{"name": o.name, "address": o.address or ""} for o in offices],
        "contact_heading": _("Ansvarlig og kontakt"),
        "contact": contact,
        "change_note": plan.change_note if plan else "",
        "labels": {
            "draft_note": _("Teksten i [hakeparentes] er malfelt som kommunen skal fylle ut."),
            "template_note": _(
                "Dette er Veivisers forslag til plan. Kommunen tilpasser "
                "teksten og lagrer planen før den sendes."
            ),
            "historic_note": _("Denne versjonen er erstattet av en nyere versjon."),
            "version": _("Versjon"),
            "change": _("Endret i denne versjonen"),
            "adopted": _("Planen er vedtatt av kommunen"),
            "place_date": _("Sted og dato"),
            "sign": _("Underskrift, kommunal helseleder"),
            "date": _("Dato"),
            "page": _("Side"),
            "of": _("av"),
            "generated": _("Laget i Veiviser %(date)s") % {"date": fmt_date(today)},
        },
    }


# --- the ALIS's individual training plan ---------------------------------------------------


def _period_status(start: dt.date, end: dt.date | None, today: dt.date) -> str:
    if start > today:
        return _("planlagt")
    if end is None or end >= today:
        return _("pågår")
    return _("gjennomført")


def _requirement_status(status: str) -> str:
    return {
        "met": _("Oppfylt"),
        "not_met": _("Ikke oppfylt"),
        "recommended": _("Anbefalt"),
        "info": _("Til orientering"),
    }.get(status, status)


def training_plan_data(
    *, trainee: Trainee, verdict: Verdict, mentors: Iterable[Any], today: dt.date
) -> dict[str, Any]:
    person = trainee.person
    plan = getattr(trainee, "plan", None)
    arena_label = dict(Arena.choices)
    leave_label = dict(LeaveKind.choices)
    facts = [
        [_("Lege"), person.full_name],
        [_("HPR-nummer"), person.hpr_number or "–"],
        [
            _("Kommune (utdanningsvirksomhet)"),
            f"{trainee.municipality.name} ({trainee.municipality.number})",
        ],
        [_("Legekontor"), trainee.office.name if trainee.office else "–"],
        [_("Ordning"), str(trainee.get_scheme_display())],
        [_("Start spesialisering (del 3)"), fmt_date(trainee.training_start)],
    ]
    if trainee.converted:
        facts.append([_("Overgang til ny ordning"), fmt_date(trainee.converted)])
    facts.append([_("Regelsett"), trainee.ruleset])
    if plan is not None:
        facts.append([_("Målkatalog"), plan.catalogue.name])
    mentor_rows = [
        {
            "role": str(m.get_kind_display()).capitalize(),
            "name": m.mentor.full_name,
            "from": fmt_date(m.started),
            "to": fmt_date(m.ended, "–"),
            "note": _("interkommunal avtale") if m.inter_municipal else "",
        }
        for m in mentors
    ]
    service = [
        {
            "from": fmt_date(p.start),
            "to": fmt_date(p.end, "–"),
            "arena": str(arena_label.get(p.arena, p.arena)),
            "place": ", ".join(x for x in (p.setting, p.employer) if x) or "–",
            "municipality": p.municipality.name if p.municipality else "–",
            "percent": fmt_percent(p.percent),
            "status": _period_status(p.start, p.end, today),
            "planned": p.start > today,
        }
        for p in sorted(trainee.service_periods.all(), key=lambda p: (p.start, p.pk))
    ]
    leave = [
        {
            "from": fmt_date(p.start),
            "to": fmt_date(p.end, "–"),
            "kind": str(leave_label.get(p.kind, p.kind)),
            "percent": fmt_percent(p.percent),
        }
        for p in trainee.leave_periods.all()
    ]
    readiness: dict[str, Any]
    if verdict.ready is None:
        readiness = {
            "ready": None,
            "text": _(
                "Legen følger gammel ordning. Regelsettet ALIS-2019 gir ingen vurdering; "
                "søknad etter gammel ordning innen 31.12.2026."
            ),
            "rows": [],
            "steps": [],
            "projected": "",
        }
    else:
        projected = verdict.projected_general_practice_complete
        readiness = {
            "ready": verdict.ready,
            "text": _("Klar til å søke om godkjenning som spesialist")
            if verdict.ready
            else _("Ikke klar til å søke ennå"),
            "rows": [
                {
                    "label": row.label,
                    "status": row.status,
                    "status_text": _requirement_status(row.status),
                    "numbers": _course_numbers(row.details) if row.id == "courses" else row.numbers,
                }
                for row in requirement_rows(verdict)
            ],
            "steps": steps_in_words(verdict),
            "projected": fmt_date(projected)
            if projected
            else _("ikke beregnet (ingen pågående eller planlagt tjeneste som teller)"),
        }
    readiness["as_of"] = fmt_date(verdict.as_of)
    readiness["ruleset"] = verdict.ruleset
    return {
        "kind": "training_plan",
        "title": _("Individuell utdanningsplan"),
        "subtitle": _("Spesialistutdanning i allmennmedisin (ALIS)"),
        "municipality": municipality_data(trainee.municipality),
        "date": fmt_date(today),
        "doctor": person.full_name,
        "facts": facts,
        "mentors": mentor_rows,
        "service": service,
        "leave": leave,
        "readiness": readiness,
        "goals": goal_groups(trainee),
        "labels": _training_plan_labels(today),
    }


def _course_numbers(details: dict[str, Any]) -> str:
    """The missing recommended courses by name (the verdict lists them by key)."""
    missing = details.get("missing") or []
    if not missing:
        return ""
    names = dict(CourseKind.choices)
    names["emnekurs"] = _("emnekurs i minst 6 emner")
    return _("mangler: %(m)s") % {"m": ", ".join(str(names.get(k, k)) for k in missing)}


def _training_plan_labels(today: dt.date) -> dict[str, str]:
    return {
        "mentors": _("Veiledere og supervisører"),
        "role": _("Rolle"),
        "name": _("Navn"),
        "from": _("Fra"),
        "to": _("Til"),
        "note": _("Merknad"),
        "no_mentors": _("Ingen veileder eller supervisør er oppnevnt."),
        "service": _("Tjeneste – gjennomført og planlagt"),
        "arena": _("Læringsarena"),
        "place": _("Tjenestested"),
        "municipality": _("Kommune"),
        "percent": _("Stilling"),
        "status": _("Status"),
        "no_service": _("Ingen tjeneste er registrert."),
        "leave": _("Permisjoner"),
        "kind": _("Type"),
        "readiness": _("Status for spesialistgodkjenning"),
        "requirement": _("Krav"),
        "numbers": _("Tall"),
        "projected": _("Antatt ferdig med allmennmedisinsk tjeneste"),
        "as_of": _("Vurdert per"),
        "ruleset": _("Regelsett"),
        "steps": _("Neste steg"),
        "goals": _("Læringsmål"),
        "code": _("Kode"),
        "goal": _("Læringsmål"),
        "no_goals": _("Planen har ingen læringsmål ennå."),
        "date": _("Dato"),
        "page": _("Side"),
        "of": _("av"),
        "generated": _("Laget i Veiviser %(date)s") % {"date": fmt_date(today)},
    }


def goal_groups(trainee: Trainee) -> list[dict[str, Any]]:
    """The plan's goals grouped ALM, FKM, each with a count per status and every goal's row."""
    plan = getattr(trainee, "plan", None)
    if plan is None:
        return []
    goals = list(plan.goals.all())
    catalogue = CatalogueGoal.objects.in_bulk([g.goal_id for g in goals])
    groups: dict[str, dict[str, Any]] = {}
    for kind, label in GoalKind.choices:
        groups[kind] = {"kind": kind, "title": str(label), "rows": [], "counts": {}}
    for goal in goals:
        cg = catalogue.get(goal.goal_id)
        kind = (
            cg.kind if cg is not None else ("fkm" if goal.code.upper().startswith("FKM") else "alm")
        )
        group = groups.setdefault(kind, {"kind": kind, "title": kind, "rows": [], "counts": {}})
        status = str(goal.get_status_display())
        group["rows"].append(
            {
                "code": goal.code,
                "title": (cg.title or cg.theme) if cg is not None else "",
                "status": status,
                "state": goal.status,
            }
        )
        group["counts"][status] = group["counts"].get(status, 0) + 1
    out = []
    for group in groups.values():
        if not group["rows"]:
            continue
        approved = sum(1 for row in group["rows"] if row["state"] == "approved")
        group["summary"] = _("%(a)s av %(t)s godkjent") % {
            "a": approved,
            "t": len(group["rows"]),
        }
        group["counts"] = [[k, v] for k, v in group["counts"].items()]
        group["has_titles"] = any(row["title"] for row in group["rows"])
        out.append(group)
    return out


# --- the service certificate ----------------------------------------------------------------


def certificate_data(
    *,
    trainee: Trainee,
    municipality: Municipality,
    certificate: Certificate,
    signer: str,
    today: dt.date,
) -> dict[str, Any]:
    arena_label = {
        "open_practice": _("Åpen uselektert allmennpraksis"),
        "other_gp": _("Annen allmennmedisinsk tjeneste"),
    }
    rows = []
    any_missing = any_recorded_hours = False
    for row in certificate.rows:
        p = row.period
        any_missing |= row.municipality_missing
        any_recorded_hours |= row.hours_recorded
        rows.append(
            {
                "from": fmt_date(row.start),
                "to": fmt_date(row.end) if row.end else _("pågår"),
                "place": ", ".join(x for x in (p.setting, p.employer) if x) or "–",
                "arena": arena_label.get(row.arena, row.arena),
                "percent": fmt_percent(row.percent),
                "hours_open": fmt_num(row.hours_open_practice, 1),
                "hours_other": fmt_num(row.hours_other_gp, 1),
                "months": fmt_num(row.months),
                "mark": "*" if row.municipality_missing else "",
            }
        )
    leave_label = dict(LeaveKind.choices)
    person = trainee.person
    notes = [
        _(
            "Måneder 100 %% tjeneste er regnet etter regelsett %(ruleset)s: hver dag teller sin "
            "stillingsandel delt på antall dager i måneden, permisjon trekkes fra, og dager der "
            "legens samlede tjeneste er under 50 %% teller ikke."
        )
        % {"ruleset": trainee.ruleset},
        _("Timer per uke er %(h)s × stillingsprosent / 100 når ikke annet er registrert.")
        % {"h": fmt_num(FULL_TIME_HOURS_PER_WEEK, 1)},
        _("Institusjonstjeneste attesteres av institusjonen og er ikke med i denne attesten."),
    ]
    if any_missing:
        notes.append(
            _(
                "* Perioden er registrert uten kommune og er tatt med fordi "
                "%(name)s er legens nåværende kommune. Kontroller før underskrift."
            )
            % {"name": municipality.name}
        )
    if abs(certificate.rows_sum - certificate.total_months) > 0.005:
        notes.append(
            _(
                "Summen er regnet for alle periodene samlet; perioder som overlapper med mer enn "
                "100 % til sammen er skalert ned til 100 %."
            )
        )
    return {
        "kind": "service_certificate",
        "title": _("Attest for allmennmedisinsk virksomhet"),
        "subtitle": _("Bekreftelse på tjeneste i spesialistutdanningen i allmennmedisin"),
        "municipality": municipality_data(municipality),
        "date": fmt_date(today),
        "facts": [
            [_("Lege"), person.full_name],
            [_("HPR-nummer"), person.hpr_number or "–"],
            [_("Utstedt av"), f"{municipality.name} kommune ({municipality.number})"],
            [_("Tjeneste per"), fmt_date(certificate.as_of)],
        ],
        "intro": _(
            "%(municipality)s kommune bekrefter at %(name)s har hatt allmennmedisinsk "
            "tjeneste i kommunen som vist nedenfor."
        )
        % {"municipality": municipality.name, "name": person.full_name},
        "rows": rows,
        "totals": {
            "open": fmt_num(certificate.open_practice_months),
            "other": fmt_num(certificate.other_gp_months),
            "total": fmt_num(certificate.total_months),
        },
        "leave": [
            {
                "from": fmt_date(lp.start),
                "to": fmt_date(lp.end, _("pågår")),
                "kind": str(leave_label.get(lp.kind, lp.kind)),
                "percent": fmt_percent(lp.percent),
            }
            for lp in certificate.leave
        ],
        "notes": notes,
        "signer": signer,
        "place": municipality.name,
        "labels": {
            "periods": _("Tjenesteperioder"),
            "from": _("Fra"),
            "to": _("Til"),
            "place": _("Arbeidssted"),
            "arena": _("Læringsarena"),
            "percent": _("Stilling"),
            "hours_per_week": _("Timer per uke"),
            "hours_open": _("Åpen praksis"),
            "hours_other": _("Annen allm.med."),
            "months": _("Måneder 100 %"),
            "no_rows": _("Ingen allmennmedisinsk tjeneste i kommunen er registrert."),
            "sum": _("Sum"),
            "sum_open": _("Åpen uselektert allmennpraksis"),
            "sum_other": _("Annen allmennmedisinsk tjeneste"),
            "sum_total": _("Allmennmedisinsk tjeneste i alt"),
            "months_unit": _("måneder 100 % tjeneste"),
            "leave": _("Permisjoner i perioden (trukket fra)"),
            "kind": _("Type"),
            "notes": _("Slik er tallene regnet"),
            "sign": _("Underskrift"),
            "place_date": _("Sted og dato"),
            "signer_role": _("Kommunal helseleder"),
            "stamp": _("Stempel"),
            "date": _("Dato"),
            "page": _("Side"),
            "of": _("av"),
            "generated": _("Laget i Veiviser %(date)s") % {"date": fmt_date(today)},
        },
    }
