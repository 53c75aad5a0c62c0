"""Annual reports in the demo world: last year's report sent in by Bergen, a draft in Årdal,
and none yet in Lærdal (so its leader sees the deadline among the due items)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from veiviser.annual.models import AnnualReport, ReportStatus
from veiviser.core.models import Municipality
from veiviser.rules.annual import deadline, reporting_year


def build_demo() -> None:
    year = reporting_year(timezone.localdate())
    municipalities = {m.number: m for m in Municipality.objects.filter(number__in=["4601", "4643"])}
    bergen, aardal = municipalities.get("4601"), municipalities.get("4643")
    if bergen is not None:
        submitted = timezone.make_aware(
            dt.datetime.combine(deadline(year) - dt.timedelta(days=5), dt.time(14, 0))
        )
        AnnualReport.objects.update_or_create(
            municipality=bergen,
            year=year,
            defaults={
                "status": ReportStatus.SUBMITTED,
                "submitted_at": min(submitted, timezone.now()),
                "recruitment_measures": (
                    "Fastlønnede ALIS-stillinger med veiledning i arbeidstiden.\n"
                    "- Utlysning på nasjonale nettsider\n- Hospitering for medisinstudenter"
                ),
                "retention_measures": "Kollegaveiledning og faste fagdager for fastlegene.",
                "plans": "To nye ALIS-stillinger ved legevakten.",
                "planned_alis_positions": 2,
                "admin_hours_per_month": 12,
            },
        )
    if aardal is not None:
        AnnualReport.objects.update_or_create(
            municipality=aardal,
            year=year,
            defaults={"recruitment_measures": "Samarbeid med Lærdal om veiledning."},
        )
