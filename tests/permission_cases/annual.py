"""The annual report pages: one municipality's report (read by its leaders and coordinators,
the regional office of its region, national readers and administrators; written by the
leaders, coordinators and administrators), its XLSX and PDF, and the regional overview (the
region's own office, national readers and administrators)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tests.permissions import Case
from veiviser.rules.annual import reporting_year

NOT_OVERSIGHT = dict.fromkeys(("alis", "veileder", "supervisor"), 403)
OUTSIDE = dict.fromkeys(("norole", "foreign_leader", "foreign_regional"), 404)
READERS = dict.fromkeys(("leader", "coordinator", "regional", "national", "admin"), 200)
WRITERS = {
    **NOT_OVERSIGHT,
    **OUTSIDE,
    **dict.fromkeys(("leader", "coordinator", "admin"), 302),
    "regional": 403,
    "national": 403,
}


def _year() -> int:
    return reporting_year(timezone.localdate())


def _report(name: str):
    return lambda a: reverse(name, args=[a.laerdal.number, _year()])


CASES = [
    Case(
        "annual_report_current",
        lambda a: reverse("annual_report_current", args=[a.laerdal.number]),
        {**NOT_OVERSIGHT, **OUTSIDE, **dict.fromkeys(READERS, 302)},
    ),
    Case("annual_report", _report("annual_report"), {**NOT_OVERSIGHT, **OUTSIDE, **READERS}),
    Case(
        "annual_report",
        _report("annual_report"),
        WRITERS,
        method="post",
        data={"action": "save", "comments": "Test"},
    ),
    Case(
        "annual_report_xlsx", _report("annual_report_xlsx"), {**NOT_OVERSIGHT, **OUTSIDE, **READERS}
    ),
    Case(
        "annual_report_pdf", _report("annual_report_pdf"), {**NOT_OVERSIGHT, **OUTSIDE, **READERS}
    ),
    Case(
        "annual_report_region",
        lambda a: reverse("annual_report_region", args=[a.laerdal.regional_office_id]),
        {
            **dict.fromkeys(("regional", "national", "admin"), 200),
            **dict.fromkeys(
                ("leader", "coordinator", "foreign_leader", "alis", "veileder", "supervisor"), 403
            ),
            "norole": 404,
            "foreign_regional": 404,
        },
    ),
]
