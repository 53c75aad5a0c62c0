"""Turning a readiness verdict into what the progress page shows: requirement rows with the
numbers behind them, next steps in words, and the month-by-month map of the training."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from veiviser.rules.readiness import Verdict, next_steps
from veiviser.rules.supervision import monthly_compliance
from veiviser.rules.training import TrainingRecord

REQUIREMENT_LABELS = {
    "open_practice": _("Åpen uselektert allmennpraksis"),
    "general_practice": _("Allmennmedisinsk tjeneste i alt"),
    "other_gp": _("Annen allmennmedisinsk tjeneste"),
    "institution": _("Institusjonstjeneste"),
    "supervision": _("Individuell veiledning"),
    "group_supervision": _("Gruppeveiledning"),
    "group_supervision_diploma": _("Diplom for gruppeveiledning"),
    "learning_goals": _("Læringsmål"),
    "courses": _("Kurs (anbefalt)"),
    "registered_institution_share": _("Tjeneste i registrert utdanningsvirksomhet"),
}

NEXT_STEP_TEXT = {
    "old_scheme_no_verdict": _(
        "Legen følger gammel ordning: søk etter gammel ordning innen 31.12.2026."
    ),
    "open_practice_missing": _(
        "Mer tjeneste i åpen uselektert allmennpraksis trengs (minst 24 måneder)."
    ),
    "general_practice_missing": _("Mer allmennmedisinsk tjeneste trengs (minst 54 måneder)."),
    "other_gp_over_cap": _("Annen allmennmedisinsk tjeneste over 30 måneder teller ikke."),
    "institution_missing": _(
        "Institusjonstjeneste mangler (minst 6 måneder) – planlegg den og vikar i tide."
    ),
    "supervision_hours_missing": _("Et fullført utdanningsår har for få veiledningstimer."),
    "supervision_below_monthly_minimum": _("Noen måneder har under 4 timer veiledning."),
    "group_supervision_missing": _(
        "Gruppeveiledning mangler (2 år, 120 timer, minst 1 år i åpen praksis)."
    ),
    "group_supervision_diploma_missing": _("Diplom for gruppeveiledning er ikke registrert."),
    "plan_missing": _("Individuell utdanningsplan med læringsmål mangler."),
    "learning_goals_missing": _("Læringsmål gjenstår å få godkjent."),
    "learning_goals_invalid": _(
        "Noen godkjenninger mangler anbefaling fra veileder eller supervisør."
    ),
    "courses_recommended": _("Anbefalte kurs gjenstår."),
    "registered_institution_share_low": _(
        "Under halvparten av tjenesten er hos en registrert utdanningsvirksomhet. Kontroller "
        "at kommunen er registrert hos Helsedirektoratet og at tjenesteperiodene er merket riktig."
    ),
}


@dataclass(frozen=True)
class RequirementRow:
    id: str
    label: str
    met: bool
    severity: str
    numbers: str
    details: dict[str, Any]

    @property
    def status(self) -> str:
        if self.met:
            return "met"
        return (
            "not_met"
            if self.severity == "blocking"
            else ("recommended" if self.severity == "recommended" else "info")
        )


def _n(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def _numbers(rid: str, d: dict[str, Any]) -> str:
    if rid in ("open_practice", "general_practice", "institution"):
        return f"{_n(d.get('months'))} / {d.get('required')} " + str(_("måneder"))
    if rid == "other_gp":
        return str(
            _("%(counted)s måneder teller (registrert %(recorded)s, maks %(max)s)")
            % {
                "counted": _n(d.get("months")),
                "recorded": _n(d.get("recorded")),
                "max": d.get("max_counted"),
            }
        )
    if rid == "supervision":
        years = d.get("years") or []
        # a completed year without service requires no hours: it is not "met", just empty
        done = [y for y in years if y.get("met") is not None and (y.get("required") or 0) > 0]
        if not done:
            return str(_("ingen fullført utdanningsår med tjeneste ennå"))
        return str(
            _("%(met)s av %(n)s fullførte år oppfylt")
            % {"met": sum(1 for y in done if y.get("met")), "n": len(done)}
        )
    if rid == "group_supervision":
        return str(
            _("%(m)s måneder, %(h)s timer, %(o)s måneder i åpen praksis")
            % {
                "m": _n(d.get("months")),
                "h": _n(d.get("hours")),
                "o": _n(d.get("open_practice_months")),
            }
        )
    if rid == "learning_goals":
        return str(_("%(a)s av %(t)s godkjent") % {"a": d.get("approved"), "t": d.get("total")})
    if rid == "courses":
        missing = d.get("missing") or []
        # By name, as in the PDFs (the verdict lists the course kinds by key).
        from veiviser.training.models import CourseKind

        names = {key: str(label) for key, label in CourseKind.choices}
        names["emnekurs"] = str(_("emnekurs i minst 6 emner"))
        shown = ", ".join(names.get(k, k) for k in missing)
        return str(_("mangler: %(m)s") % {"m": shown}) if missing else ""
    if rid == "registered_institution_share":
        share = d.get("share")
        return f"{round(float(share) * 100)} %" if isinstance(share, int | float) else ""
    return ""


def requirement_rows(verdict: Verdict) -> list[RequirementRow]:
    rows = []
    for req in verdict.requirements:
        details = dict(req.details)
        met, severity = req.met, req.severity
        if req.id == "supervision" and not any(
            y.get("met") is not None and (y.get("required") or 0) > 0
            for y in details.get("years") or []
        ):
            met, severity = False, "info"  # nothing to judge yet: not shown as fulfilled
        rows.append(
            RequirementRow(
                req.id,
                str(REQUIREMENT_LABELS.get(req.id, req.id)),
                met,
                severity,
                _numbers(req.id, details),
                details,
            )
        )
    return rows


def steps_in_words(verdict: Verdict) -> list[str]:
    """The next steps in words; the months under the supervision minimum are named (the
    latest three, and how many in all), so the ALIS and veileder know which ones."""
    words = []
    for key in next_steps(verdict):
        text = str(NEXT_STEP_TEXT.get(key, key))
        months = verdict.supervision.months_under_minimum if verdict.supervision else ()
        if key == "supervision_below_monthly_minimum" and months:
            latest = ", ".join(f"{m[5:7]}.{m[:4]}" for m in months[-3:])
            text = ngettext(
                "Under 4 timer veiledning i %(count)d måned: %(months)s.",
                "Under 4 timer veiledning i %(count)d måneder, sist %(months)s.",
                len(months),
            ) % {"months": latest, "count": len(months)}
        words.append(text)
    return words


@dataclass(frozen=True)
class MonthCell:
    month: str
    status: str  # open_practice, other_gp, institution, leave, none, future
    label: str
    supervision_ok: bool | None


def month_map(verdict: Verdict, record: TrainingRecord) -> list[tuple[int, list[MonthCell]]]:
    """Year rows of twelve months: the arena with the most FTE that month, leave when leave
    dominates, and whether the month met the supervision minimum."""
    if verdict.service is None:
        return []
    months = {m.month: m for m in verdict.service.months}
    compliance = {}
    if verdict.supervision is not None:
        compliance = {
            c.month: c
            for c in monthly_compliance(
                record.supervision, verdict.service, verdict.supervision.start, verdict.as_of
            )
        }
    if not months:
        return []
    first_year = int(min(months)[:4])
    last_year = max(int(max(months)[:4]), verdict.as_of.year)
    rows = []
    for year in range(first_year, last_year + 1):
        cells = []
        for month in range(1, 13):
            key = f"{year:04d}-{month:02d}"
            m = months.get(key)
            c = compliance.get(key)
            ok = c.ok if c is not None and c.complete and c.required else None
            if m is None:
                status = "future" if key > verdict.as_of.strftime("%Y-%m") else "none"
                cells.append(MonthCell(key, status, "", ok))
                continue
            shares = {
                "open_practice": m.open_practice,
                "other_gp": m.other_gp,
                "institution": m.institution,
            }
            arena, value = max(shares.items(), key=lambda kv: kv[1])
            if m.leave > value:
                status = "leave"
            elif value <= 0:
                status = "none"
            else:
                status = arena
            label = f"{round(value * 100)} %" if status not in ("none", "leave") else ""
            cells.append(MonthCell(key, status, label, ok))
        rows.append((year, cells))
    return rows
