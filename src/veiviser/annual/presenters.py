"""The annual report as sections of labelled values and tables: one description that the page,
the XLSX workbook and the PDF all show, so the three never disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from veiviser.annual.figures import AnnualFigures
from veiviser.annual.models import AnnualReport
from veiviser.rules.annual import STAGES
from veiviser.rules.grant_worksheet import format_kroner
from veiviser.workforce.figures import Distribution

HIDDEN = object()  # a small group: shown as "færre enn 5"


@dataclass
class Cell:
    value: Any  # int, Decimal, float, str, None (nothing known) or HIDDEN
    kind: str = "int"  # int, kr, decimal, percent, days, text

    @property
    def numeric(self) -> bool:
        return self.kind != "text"

    @property
    def hidden(self) -> bool:
        return self.value is HIDDEN

    def text(self) -> str:
        return format_cell(self)


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[tuple[str, list[Cell]]]


@dataclass
class Section:
    key: str
    title: str
    rows: list[tuple[str, Cell]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""


def format_number(value: int | float | Decimal, decimals: int = 0) -> str:
    text = f"{float(value):,.{decimals}f}" if decimals else f"{round(value):,}"
    return text.replace(",", " ").replace(".", ",")


def format_cell(cell: Cell) -> str:
    value = cell.value
    if value is HIDDEN:
        return _("færre enn 5")
    if value is None or value == "":
        return "–"
    if cell.kind == "kr":
        return f"{format_kroner(Decimal(value))} kr"
    if cell.kind == "decimal":
        return format_number(value, 1)
    if cell.kind == "percent":
        return f"{format_number(value)} %"
    if cell.kind == "days":
        return _("%(n)s dager") % {"n": format_number(value)}
    if cell.kind == "int":
        return format_number(value)
    return str(value)


def _distribution_table(caption: str, dist: Distribution, label: str) -> Table | None:
    if not dist.shown:
        return None
    rows = [(c.label, [Cell(HIDDEN if c.hidden else c.value)]) for c in dist.cells if c.value != 0]
    return Table(caption, [label, _("Antall")], rows)


def sections(figures: AnnualFigures, report: AnnualReport | None) -> list[Section]:
    f = figures
    at = f.at.strftime("%d.%m.%Y")
    positions = Section(
        "positions",
        _("Stillinger"),
        tables=[
            Table(
                _("Stillinger per %(date)s") % {"date": at},
                [_("Type"), _("Stillinger"), _("Bemannet"), _("Ubemannet"), _("Med vikar")],
                [
                    (
                        r.label,
                        [Cell(r.positions), Cell(r.staffed), Cell(r.vacant), Cell(r.locum_served)],
                    )
                    for r in [*f.kinds, f.total]
                ],
            )
        ],
        rows=[
            *((_("Driftsform: %(form)s") % {"form": label}, Cell(n)) for label, n in f.forms),
            (_("Fastlegehjemler med registrert liste"), Cell(f.list_sizes.positions)),
            (_("Listepasienter i alt"), Cell(f.list_sizes.patients)),
            (_("Gjennomsnittlig listelengde"), Cell(f.list_sizes.average)),
            (_("Listetak i alt"), Cell(f.list_sizes.cap or None)),
        ],
    )
    staffing = Section(
        "staffing",
        _("Bemanning"),
        tables=[
            Table(
                _("Stillingsmåneder i %(year)s") % {"year": f.year},
                [_("Type"), _("Stillingsmåneder"), _("Ubemannede måneder"), _("Vikarmåneder")],
                [
                    (
                        r.label,
                        [Cell(r.position_months), Cell(r.vacant_months), Cell(r.locum_months)],
                    )
                    for r in [*f.kinds, f.total]
                ],
            )
        ],
        rows=[
            (_("Innehavere i løpet av året"), Cell(f.holders)),
            (_("Stillinger med samme innehaver hele året"), Cell(f.same_holder_throughout)),
            (_("Stillinger med skifte av innehaver"), Cell(f.positions_with_change)),
            (_("Stillinger som ikke var bemannet"), Cell(f.never_staffed)),
            (_("Median tid fra ledig til besatt"), Cell(f.median_days_to_fill, "days")),
            (_("Utlysninger"), Cell(f.postings)),
            (_("Søkere"), Cell(f.applicants)),
            (_("Kvalifiserte søkere"), Cell(f.qualified_applicants)),
            (_("Ansatt etter utlysning"), Cell(f.hired)),
        ],
    )
    t = f.turnover
    turnover = Section(
        "turnover",
        _("Turnover"),
        rows=[
            (_("Innehavere som sluttet i året"), Cell(t.leavers if t.leavers_shown else HIDDEN)),
            (
                _("Sluttintervjuer"),
                Cell(t.interviews if t.interviews == 0 or t.interviews >= 5 else HIDDEN),
            ),
        ],
        tables=[
            table
            for table in (
                _distribution_table(_("Sluttårsak"), t.end_reasons, _("Årsak")),
                _distribution_table(_("Arbeid etterpå"), t.next_work, _("Arbeid")),
                _distribution_table(
                    _("Årsaker oppgitt i sluttintervju (flere mulig)"),
                    t.exit_reasons,
                    _("Årsak"),
                ),
            )
            if table is not None
        ],
        note=_("Grupper med færre enn 5 personer vises ikke, slik at ingen kan kjennes igjen."),
    )
    s = f.supervision
    alis = Section(
        "alis",
        _("ALIS"),
        rows=[
            (_("ALIS i kommunen"), Cell(f.alis)),
            *(
                (_("I utdanningsår %(n)s") % {"n": stage}, Cell(f.stages.get(stage, 0)))
                for stage in STAGES
            ),
            (_("ALIS med veiledning vurdert"), Cell(s.alis_checked)),
            (_("Måneder vurdert"), Cell(s.months_checked)),
            (_("Måneder med under 4 timer veiledning"), Cell(s.months_under)),
            (_("ALIS med minst én måned under 4 timer"), Cell(s.alis_with_shortfall)),
            (_("Andel måneder med nok veiledning"), Cell(s.share_ok, "percent")),
        ],
    )
    e = f.economics
    economics = Section("economics", _("Økonomi"))
    if e.available:
        economics.rows = [
            *((label, Cell(amount, "kr")) for label, amount in e.categories),
            (_("Kostnader i alt"), Cell(e.total, "kr")),
            (_("Herav utdanningskostnader"), Cell(e.education, "kr")),
            (_("Mottatt tilskudd"), Cell(e.grant, "kr")),
            (_("ALIS med registrerte kostnader"), Cell(e.alis_with_costs)),
        ]
    else:
        economics.note = _("Fylles ut: kostnadene er ikke registrert i Veiviser.")
    r = report
    economics.rows += [
        (
            _("Oppgitt av kommunen: lønn/honorar til veileder og supervisør"),
            Cell(r.cost_supervision if r else None, "kr"),
        ),
        (
            _("Oppgitt av kommunen: kurs, reise og opphold"),
            Cell(r.cost_courses if r else None, "kr"),
        ),
        (_("Oppgitt av kommunen: vikarutgifter"), Cell(r.cost_locums if r else None, "kr")),
        (_("Oppgitt av kommunen: mottatt tilskudd"), Cell(r.grant_received if r else None, "kr")),
    ]
    own = Section(
        "own",
        _("Kommunens egne opplysninger"),
        rows=[
            (_("ALIS-stillinger planlagt neste år"), Cell(r.planned_alis_positions if r else None)),
            (
                _("Tid til administrasjon av ALIS (timer per måned)"),
                Cell(r.admin_hours_per_month if r else None, "decimal"),
            ),
        ],
        texts=[
            (_("Rekrutteringstiltak"), r.recruitment_measures if r else ""),
            (_("Tiltak for å beholde legene"), r.retention_measures if r else ""),
            (_("Planer for neste år"), r.plans if r else ""),
            (_("Kommentarer"), r.comments if r else ""),
        ],
    )
    return [positions, staffing, turnover, alis, economics, own]
