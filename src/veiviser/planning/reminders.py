"""Due items of the locum plan: the leaders' and coordinators' locum warnings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from veiviser.accounts.scope import scope_for
from veiviser.planning.queries import locum_warnings
from veiviser.reminders.registry import DueItem
from veiviser.rules.locum_planning import add_months


def due_items(user: Any, today: date) -> list[DueItem]:
    """One item per institution period without a fully arranged locum in the municipalities
    the user leads or coordinates; danger when it starts within a month (or is running)."""
    ids = scope_for(user).managed_municipality_ids
    if not ids:
        return []
    soon = add_months(today, 1)
    items = []
    for w in locum_warnings(ids, today):
        items.append(
            DueItem(
                key=f"locum:{w.municipality_id}:{w.position_label}:{w.doctor_label}:"
                f"{w.start.isoformat()}",
                kind="locum",
                title=_("Vikar mangler for %(who)s (institusjonstjeneste fra %(start)s)")
                % {"who": w.doctor_label, "start": w.start.strftime("%d.%m.%Y")},
                url=w.url,
                due=w.start,
                severity="danger" if w.start <= soon else "warning",
                detail=_("%(office)s, %(name)s: mangler inntil %(gap)s årsverk.")
                % {
                    "office": w.office_name,
                    "name": w.municipality_name,
                    "gap": f"{w.gap_fte:.2f}".replace(".", ","),
                },
            )
        )
    return items
