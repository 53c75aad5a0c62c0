"""The locum plan (/vikarplan/), the costs (/kostnader/) and their API endpoints.

Readers are the oversight roles (Lærdal's leader and coordinator, the regional office of its
region, national and administrators); ALIS, veileder, supervisor and users without a role get
403; the foreign leader and the foreign regional office 404 for Lærdal. Writes: Lærdal's leader
and coordinator and the administrator; regional and national 403. The region page: the region's
own office, national and administrators; another region's office 404; everyone else 403.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from tests.permissions import Case

NOT_READERS = dict.fromkeys(("alis", "veileder", "supervisor", "norole"), 403)
OWN_READERS = {
    **NOT_READERS,
    **dict.fromkeys(("leader", "coordinator", "regional", "national", "admin"), 200),
    "foreign_leader": 404,
    "foreign_regional": 404,
}
OWN_MANAGERS = {
    **OWN_READERS,
    "regional": 403,
    "national": 403,
}
OWN_MANAGERS_POST = {**OWN_MANAGERS, **dict.fromkeys(("leader", "coordinator", "admin"), 302)}
REGION = {
    **dict.fromkeys(
        ("alis", "veileder", "supervisor", "norole", "leader", "coordinator", "foreign_leader"),
        403,
    ),
    **dict.fromkeys(("regional", "national", "admin"), 200),
    "foreign_regional": 404,
}


def _position(a):
    from veiviser.core.models import Position

    position, _ = Position.objects.get_or_create(
        municipality=a.laerdal,
        external_id="PLAN-1",
        defaults={"kind": "alis", "created": date(2019, 1, 1), "office": a.office},
    )
    return position


def _absence(a):
    from veiviser.planning.models import PlannedAbsence

    absence, _ = PlannedAbsence.objects.get_or_create(
        municipality=a.laerdal,
        position=_position(a),
        person=a["alis"].person,
        kind="course",
        start=date(2030, 3, 1),
        end=date(2030, 3, 5),
    )
    return absence


def _entry(a):
    from veiviser.planning.models import CostEntry

    entry, _ = CostEntry.objects.get_or_create(
        municipality=a.laerdal,
        trainee=a.trainee,
        year=2025,
        category="veileder_pay",
        defaults={"amount": Decimal(50000)},
    )
    return entry


def _page(name, expect, url, **kwargs):
    return Case(name, url, expect, default=403, **kwargs)


CASES = [
    _page("locum_plan", OWN_READERS, lambda a: reverse("locum_plan", args=["4642"])),
    _page("absence_create", OWN_MANAGERS, lambda a: reverse("absence_create", args=["4642"])),
    _page("absence_edit", OWN_MANAGERS, lambda a: reverse("absence_edit", args=[_absence(a).pk])),
    _page(
        "absence_delete",
        OWN_MANAGERS_POST,
        lambda a: reverse("absence_delete", args=[_absence(a).pk]),
        method="post",
    ),
    _page("locum_create", OWN_MANAGERS, lambda a: reverse("locum_create", args=["4642"])),
    _page("cost_overview", OWN_READERS, lambda a: reverse("cost_overview", args=["4642"])),
    _page("cost_entry_create", OWN_MANAGERS, lambda a: reverse("cost_entry_create", args=["4642"])),
    _page(
        "cost_entry_edit", OWN_MANAGERS, lambda a: reverse("cost_entry_edit", args=[_entry(a).pk])
    ),
    _page(
        "cost_entry_delete",
        OWN_MANAGERS_POST,
        lambda a: reverse("cost_entry_delete", args=[_entry(a).pk]),
        method="post",
    ),
    _page(
        "grant_received_edit",
        OWN_MANAGERS,
        lambda a: reverse("grant_received_edit", args=["4642"]),
    ),
    _page("cost_import", OWN_MANAGERS, lambda a: reverse("cost_import", args=["4642"])),
    _page(
        "cost_region",
        REGION,
        lambda a: reverse("cost_region", args=[a.laerdal.regional_office_id]),
    ),
    Case(
        "api:planning_locum_need",
        lambda a: "/api/planning/locum-need/4642",
        OWN_READERS,
        default=403,
        api=True,
    ),
    Case(
        "api:planning_costs",
        lambda a: "/api/planning/costs/4642?year=2025",
        OWN_READERS,
        default=403,
        api=True,
    ),
]
