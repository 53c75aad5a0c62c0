"""The agreement and the claim summary as PDF (Typst, the machinery of docs/adr/0041).

The templates live in ``agreements/typst/`` and import the shared layout from
``documents/typst/common.typ``; the compiler's root is therefore the ``veiviser`` package, and
data comes in as one JSON string, never as markup.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import typst
from django.utils import timezone
from django.utils.translation import gettext as _

from veiviser.agreements.models import Agreement, AgreementVersion, GrantClaim
from veiviser.documents.content import blocks, fmt_date, fmt_percent, municipality_data
from veiviser.documents.pdf import BODY_FONT, PDF_STANDARD, DocumentError, font_paths
from veiviser.rules.grant_worksheet import format_kroner

TYPST_DIR = Path(__file__).resolve().with_name("typst")
ROOT = TYPST_DIR.parents[1]  # src/veiviser: common.typ is /documents/typst/common.typ


def render(template: str, data: dict[str, Any], *, at: dt.datetime | None = None) -> bytes:
    path = TYPST_DIR / template
    if path.parent != TYPST_DIR or not path.is_file():
        raise DocumentError(f"unknown document template {template!r}")
    payload = json.dumps({"font": BODY_FONT, **data}, ensure_ascii=False, default=str)
    try:
        result = typst.compile(
            str(path),
            root=str(ROOT),
            format="pdf",
            font_paths=list(font_paths()),
            ignore_system_fonts=True,
            sys_inputs={"data": payload},
            pdf_standards=PDF_STANDARD,
            timestamp=at.replace(microsecond=0) if at is not None else None,
        )
    except typst.TypstError as exc:  # pragma: no cover - a template bug
        raise DocumentError(str(exc)) from exc
    if not isinstance(result, bytes):  # pragma: no cover
        raise DocumentError("Typst returned no PDF")
    return result


def kroner(value: Decimal | int | str) -> str:
    return f"{format_kroner(Decimal(str(value)))} kr"


def yes_no(value: bool) -> str:
    return _("Ja") if value else _("Nei")


def _common_labels(today: dt.date) -> dict[str, str]:
    return {
        "date": _("Dato"),
        "page": _("Side"),
        "of": _("av"),
        "generated": _("Laget i Veiviser %(date)s") % {"date": fmt_date(today)},
    }


def agreement_data(
    agreement: Agreement, version: AgreementVersion, *, latest: int, today: dt.date
) -> dict[str, Any]:
    trainee = agreement.trainee
    person = trainee.person
    end = fmt_date(version.end) if version.end else _("Løpende (ingen sluttdato)")
    facts = [
        [_("ALIS"), person.full_name],
        [_("HPR-nummer"), person.hpr_number or "–"],
        [_("Kommune"), f"{agreement.municipality.name} ({agreement.municipality.number})"],
        [_("Legekontor"), trainee.office.name if trainee.office else "–"],
        [_("Avtalen gjelder"), f"{fmt_date(version.start)} – {end}"],
        [_("Signert"), fmt_date(version.signed) if version.signed else _("Ikke signert ennå")],
        [_("Versjon"), f"{version.number} ({_('laget')} {fmt_date(version.created_at.date())})"],
    ]
    steps = [[fmt_date(s["from"]), str(s["cap"])] for s in version.list_cap_steps]
    binding = (
        _("%(n)s måneder fra avtalens start.") % {"n": version.binding_months}
        if version.binding_months
        else _("Avtalen har ingen bindingstid.")
    )
    education = [
        [
            _("Kursavgifter til obligatoriske kurs dekkes av kommunen"),
            yes_no(version.course_costs_covered),
        ],
        [_("Reise og opphold til kurs dekkes av kommunen"), yes_no(version.travel_costs_covered)],
        [_("Permisjon med lønn til kurs"), yes_no(version.paid_leave_courses)],
        [
            _("Permisjon med lønn til veiledning og gruppeveiledning"),
            yes_no(version.paid_leave_supervision),
        ],
    ]
    notice = ""
    if version.number != latest:
        notice = _(
            "Dette er versjon %(n)s. Avtalen er senere endret; gjeldende versjon er %(latest)s."
        ) % {"n": version.number, "latest": latest}
    return {
        "title": _("ALIS-avtale"),
        "subtitle": _(
            "Avtale om spesialisering i allmennmedisin, etter Helsedirektoratets mal for "
            "ALIS-avtale"
        ),
        "date": fmt_date(today),
        "version": str(version.number),
        "municipality": municipality_data(agreement.municipality),
        "facts": facts,
        "notice": notice,
        "purpose": _(
            "Avtalen skal legge til rette for at legen gjennomfører spesialisering i "
            "allmennmedisin i kommunen, jf. spesialistforskriften. Kommunen er legens "
            "utdanningsvirksomhet og sørger for veiledning, supervisjon og læringsaktiviteter "
            "etter forskriften. Vilkårene under kommer i tillegg til forskriftens krav."
        ),
        "position": [
            [_("Lønnsmodell"), version.get_salary_model_display().capitalize()],
            [_("Stillingsandel"), fmt_percent(version.position_percent)],
            [_("Listetak ved start"), str(version.initial_list_cap or "–")],
        ],
        "list_steps": steps,
        "supervision": (
            _(
                "Kommunen gir %(h)s timer veiledning per måned utover forskriftens krav "
                "(minst 4 timer individuell veiledning per måned)."
            )
            % {"h": f"{version.extra_supervision_hours.normalize():f}".replace(".", ",")}
            if version.extra_supervision_hours
            else _(
                "Veiledning og supervisjon gis etter forskriftens krav (minst 4 timer "
                "individuell veiledning per måned); avtalen gir ikke timer utover det."
            )
        ),
        "education": education,
        "binding": binding,
        "grant": [
            [_("Legetype"), version.get_doctor_type_display().capitalize()],
            [_("Ordning"), version.get_scheme_display().capitalize()],
            [_("Tilknyttet vikarbyrå eller kommersiell aktør"), yes_no(version.locum_agency)],
        ],
        "other_terms": blocks(version.other_terms),
        "change_note": version.change_note,
        "place": agreement.municipality.name,
        "signer_municipality": _("For %(name)s kommune") % {"name": agreement.municipality.name},
        "signer_alis": person.full_name,
        "labels": {
            **_common_labels(today),
            "version": _("Versjon"),
            "purpose": _("1. Formål"),
            "position": _("2. Stilling, lønn og liste"),
            "list_steps": _("Planlagt opptrapping av listetak"),
            "from": _("Fra"),
            "cap": _("Listetak"),
            "supervision": _("3. Veiledning og supervisjon"),
            "education": _("4. Utdanningspakke"),
            "binding": _("5. Bindingstid"),
            "grant": _("6. Opplysninger til tilskuddsordningen"),
            "other_terms": _("7. Andre vilkår"),
            "no_other_terms": _("Ingen andre vilkår."),
            "change_note": _("Endret i denne versjonen"),
            "sign": _("Underskrifter"),
            "place_date": _("Sted og dato"),
        },
    }


def agreement_pdf(
    agreement: Agreement, version: AgreementVersion, *, latest: int, today: dt.date | None = None
) -> bytes:
    today = today or timezone.localdate()
    return render("agreement.typ", agreement_data(agreement, version, latest=latest, today=today))


def claim_data(claim: GrantClaim, *, today: dt.date) -> dict[str, Any]:
    result = claim.result
    rows = []
    for line in result["agreements"]:
        rows.append(
            [
                line["doctor"],
                line["doctor_type_text"],
                fmt_date(dt.date.fromisoformat(line["signed"])),
                fmt_date(dt.date.fromisoformat(line["ends"])) if line["ends"] else "–",
                fmt_percent(Decimal(str(line["position_share"])) * 100),
                str(line["whole_months"]),
                kroner(line["amount"]),
                yes_no(line["eligible"])
                + (f": {line['reason_text']}" if line["reason_text"] else ""),
            ]
        )
    rates = [
        [
            r["doctor_type_text"],
            fmt_date(dt.date.fromisoformat(r["valid_from"])),
            fmt_date(dt.date.fromisoformat(r["valid_to"])) if r["valid_to"] else _("løpende"),
            kroner(r["annual_rate"]),
            kroner(r["centrality6_supplement"]),
            (_("Ja") if r["used"] else _("Nei"))
            + (f" ({_('eksempel')})" if r["is_example"] else ""),
        ]
        for r in claim.rates
    ]
    notes = [
        _(
            "Beløp per avtale = (årssats + tillegg for sentralitetsklasse 6) × stillingsandel ÷ 12 "
            "for hver hele kalendermåned i avtaleperioden, rundet til hele kroner."
        ),
        _("Måneder før avtalen er signert gir ikke tilskudd."),
    ]
    if result.get("uses_example_rates"):
        notes.append(_("Kravet er beregnet med eksempelsatser, ikke Helsedirektoratets satser."))
    if claim.centrality is None:
        notes.append(_("Sentralitetsklassen er ukjent; tillegg for klasse 6 er ikke beregnet."))
    unsigned = [u["doctor"] for u in result.get("unsigned", [])]
    if unsigned:
        notes.append(
            _("Ikke med (avtalen er ikke signert): %(names)s.") % {"names": ", ".join(unsigned)}
        )
    archived = timezone.localtime(claim.created_at)
    return {
        "title": _("Tilskudd Nasjonal ALIS og veiledning"),
        "subtitle": _("Sammendrag av søknadsgrunnlaget"),
        "date": fmt_date(today),
        "municipality": municipality_data(claim.municipality),
        "facts": [
            [_("Periode"), f"{fmt_date(claim.period_from)} – {fmt_date(claim.period_to)}"],
            [_("Sentralitetsklasse (SSB)"), str(claim.centrality or _("ukjent"))],
            [_("Avtaler"), str(claim.agreement_count)],
            [_("Sum krav"), kroner(claim.total)],
            [
                _("Arkivert"),
                f"{fmt_date(archived.date())} {archived:%H:%M}"
                + (f", {claim.created_by_name}" if claim.created_by_name else ""),
            ],
        ],
        "rows": rows,
        "total": kroner(claim.total),
        "rates": rates,
        "notes": notes,
        "labels": {
            **_common_labels(today),
            "agreements": _("Avtaler"),
            "doctor": _("Lege"),
            "doctor_type": _("Legetype"),
            "signed": _("Signert"),
            "ends": _("Slutt"),
            "share": _("Andel"),
            "months": _("Hele mnd."),
            "amount": _("Beløp"),
            "eligible": _("Tilskudd"),
            "sum": _("Sum"),
            "no_rows": _("Kommunen har ingen signerte ALIS-avtaler i perioden."),
            "rates": _("Satser brukt (kopi av satstabellen)"),
            "valid_from": _("Gyldig fra"),
            "valid_to": _("Gyldig til"),
            "annual": _("Årssats"),
            "supplement": _("Tillegg kl. 6"),
            "used": _("Brukt"),
            "notes": _("Slik er kravet regnet"),
        },
    }


def claim_pdf(claim: GrantClaim, *, today: dt.date | None = None) -> bytes:
    today = today or timezone.localdate()
    return render("grant_claim.typ", claim_data(claim, today=today))
