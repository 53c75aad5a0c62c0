"""Demo agreements, an example rate table and one archived claim (fictitious people).

- The rate table holds the example figures of shared/spec/grants.md (fastlege: 300 000 kr a
  year, 100 000 kr supplement in centrality class 6, valid 2024–2025), marked as examples and
  entered by the demo administrator: they are not Helsedirektoratet's rates.
- Lærdal: the demo ALIS's agreement, changed once (version 2).
- Bergen: four agreements: signed mid-month and changed once, a 60 % position, one on the old
  scheme (no grant) and one not signed yet.
- One archived claim for Lærdal, 01.09.2024–31.05.2025 (the spec's example period).

Centrality classes are set for Lærdal (6) and Bergen (1) when the demo world has none.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from veiviser.accounts.models import User
from veiviser.agreements.forms import template_terms
from veiviser.agreements.models import Agreement, GrantRate
from veiviser.agreements.services import add_version, archive_claim, create_agreement, save_rate
from veiviser.core.models import Municipality
from veiviser.training.models import Trainee

EXAMPLE_SOURCE = "Eksempel fra spesifikasjonen (ikke offisielle satser)"


def _terms(**changes: Any) -> dict[str, Any]:
    terms = template_terms(today=changes.get("start", date(2024, 1, 1)))
    terms.update(changes)
    return terms


def _plan(*steps: tuple[date, int]) -> list[dict[str, Any]]:
    return [{"from": day.isoformat(), "cap": cap} for day, cap in steps]


@transaction.atomic
def build_demo() -> None:
    if Agreement.objects.exists() or GrantRate.objects.exists():
        return
    admin = User.objects.get(username="admin")
    leader_laerdal = User.objects.get(username="leder.laerdal")
    leader_bergen = User.objects.get(username="leder.bergen")
    coordinator_bergen = User.objects.get(username="koord.bergen")
    laerdal = Municipality.objects.get(number="4642")
    bergen = Municipality.objects.get(number="4601")
    for municipality, centrality in ((laerdal, 6), (bergen, 1)):
        if municipality.centrality is None:
            municipality.centrality = centrality
            municipality.save(update_fields=["centrality"])

    save_rate(
        rate=GrantRate(
            doctor_type="gp",
            valid_from=date(2024, 1, 1),
            valid_to=date(2025, 12, 31),
            annual_rate=Decimal(300000),
            centrality6_supplement=Decimal(100000),
            is_example=True,
            source=EXAMPLE_SOURCE,
        ),
        by=admin,
    )

    # Lærdal: the demo ALIS (training since 01.09.2022).
    alis = Trainee.objects.get(person__user__username="alis")
    start = date(2022, 9, 1)
    agreement = create_agreement(
        municipality=laerdal,
        trainee=alis,
        terms=_terms(
            start=start,
            signed=date(2022, 8, 22),
            position_percent=Decimal(100),
            list_cap_plan=_plan((start, 500), (date(2023, 9, 1), 800), (date(2024, 9, 1), 1000)),
            binding_months=24,
            other_terms="Kommunen dekker bolig de første seks månedene.",
        ),
        by=leader_laerdal,
    )
    add_version(
        agreement=agreement,
        terms=_terms(
            start=start,
            signed=date(2022, 8, 22),
            position_percent=Decimal(100),
            list_cap_plan=_plan((start, 500), (date(2023, 9, 1), 700), (date(2025, 3, 1), 900)),
            extra_supervision_hours=Decimal(2),
            binding_months=24,
            other_terms="Kommunen dekker bolig de første seks månedene.",
        ),
        change_note="Langsommere opptrapping av listen og 2 timer ekstra veiledning per måned "
        "etter årssamtalen.",
        by=leader_laerdal,
    )

    # Bergen: the first four ALIS.
    bergen_alis = list(
        Trainee.objects.filter(municipality=bergen).order_by("training_start", "pk")[:4]
    )
    plans: list[tuple[dict[str, Any], dict[str, Any] | None]] = [
        (
            {
                "start": date(2024, 10, 15),
                "signed": date(2024, 10, 15),
                "list_cap_plan": _plan((date(2024, 10, 15), 600), (date(2025, 10, 1), 1000)),
            },
            {"salary_model": "salaried_bonus"},
        ),
        (
            {
                "start": date(2023, 9, 1),
                "signed": date(2023, 8, 25),
                "position_percent": Decimal(60),
                "list_cap_plan": _plan((date(2023, 9, 1), 400)),
            },
            None,
        ),
        (
            {
                "start": date(2019, 9, 1),
                "signed": date(2019, 8, 15),
                "end": date(2025, 3, 31),
                "scheme": "old",
                "salary_model": "self_employed",
                "list_cap_plan": _plan((date(2019, 9, 1), 1200)),
            },
            None,
        ),
        (
            {
                "start": date(2026, 3, 1),
                "signed": None,
                "list_cap_plan": _plan((date(2026, 3, 1), 500)),
            },
            None,
        ),
    ]
    for trainee, (first, change) in zip(bergen_alis, plans, strict=False):
        terms = _terms(**first)
        made = create_agreement(
            municipality=bergen, trainee=trainee, terms=terms, by=coordinator_bergen
        )
        if change:
            add_version(
                agreement=made,
                terms={**terms, **change},
                change_note="Ny lønnsmodell (fastlønn med bonus) fra neste lønnskjøring.",
                by=leader_bergen,
            )

    archive_claim(
        municipality=laerdal,
        period_from=date(2024, 9, 1),
        period_to=date(2025, 5, 31),
        note="Demo: beregnet med eksempelsatser.",
        by=leader_laerdal,
    )
