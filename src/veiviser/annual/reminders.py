"""Due items of the annual report (collected by ``veiviser.reminders.registry``): from 1
February the leaders of a municipality that has not submitted its report on last year are
reminded; once more, as overdue, after 1 March (docs/adr/0072-annual-report.md). A municipality
that in that year was neither a registered training institution nor had any ALIS is not
reminded."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from veiviser.accounts.scope import scope_for
from veiviser.annual.models import AnnualReport, ReportStatus
from veiviser.core.models import Municipality
from veiviser.reminders.registry import DueItem
from veiviser.rules import annual as rules
from veiviser.training.models import Trainee


def due_items(user: Any, today: date) -> list[DueItem]:
    scope = scope_for(user)
    if not scope.leader_municipality_ids:
        return []
    year = rules.reporting_year(today)
    if today < rules.reminder_start(year):
        return []
    submitted = set(
        AnnualReport.objects.filter(
            municipality_id__in=scope.leader_municipality_ids,
            year=year,
            status=ReportStatus.SUBMITTED,
        ).values_list("municipality_id", flat=True)
    )
    year_end = date(year, 12, 31)
    with_alis = set(
        Trainee.objects.filter(
            municipality_id__in=scope.leader_municipality_ids, training_start__lte=year_end
        ).values_list("municipality_id", flat=True)
    )
    items = []
    for municipality in Municipality.objects.filter(pk__in=scope.leader_municipality_ids).order_by(
        "name"
    ):
        registered = municipality.registered_institution and (
            municipality.registered_at is None or municipality.registered_at <= year_end
        )
        if not registered and municipality.pk not in with_alis:
            continue  # new to ALIS: there is nothing to report on that year
        state = rules.deadline_state(year, today, submitted=municipality.pk in submitted)
        if state == "not_yet":
            continue
        values = {"year": year, "name": municipality.name}
        overdue = state == "overdue"
        items.append(
            DueItem(
                key=f"annual_report:{municipality.number}:{year}" + (":overdue" if overdue else ""),
                kind="annual_report",
                title=(
                    _("Årsrapporten for %(year)s for %(name)s er ikke sendt inn (fristen er ute)")
                    if overdue
                    else _("Send inn årsrapporten for %(year)s for %(name)s")
                )
                % values,
                url=reverse("annual_report", args=[municipality.number, year]),
                due=rules.deadline(year),
                severity="danger" if overdue else "warning",
            )
        )
    return items
