"""ALIS agreements, the grant's rate table and grant claims (pages and API).

Agreements in Lærdal: the oversight roles (Lærdal's leader and coordinator, the region's
office, national, administrator) read them; the ALIS and their veileder read their own; the
supervisor cannot see them (404), other members of Lærdal get 403 on the municipality's pages;
Bergen's leader and the other region 404. Writes: Lærdal's managers and the administrator.
Rates: every oversight role reads, only administrators write. Claims: oversight roles read,
managers archive.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from tests.permissions import ACTORS, Case

MEMBERS_403 = dict.fromkeys(("alis", "veileder", "supervisor"), 403)
OUTSIDERS_404 = dict.fromkeys(("norole", "foreign_leader", "foreign_regional"), 404)
OVERSIGHT = dict.fromkeys(("leader", "coordinator", "regional", "national", "admin"), 200)
MUNICIPALITY_READERS = {**MEMBERS_403, **OUTSIDERS_404, **OVERSIGHT}
MUNICIPALITY_MANAGERS = {
    **MUNICIPALITY_READERS,
    "regional": 403,
    "national": 403,
}
AGREEMENT_READERS = {
    **OUTSIDERS_404,
    **OVERSIGHT,
    "alis": 200,
    "veileder": 200,
    "supervisor": 404,
}
AGREEMENT_WRITERS = {
    **AGREEMENT_READERS,
    "alis": 403,
    "veileder": 403,
    "regional": 403,
    "national": 403,
}
RATE_READERS = {
    **dict.fromkeys(("alis", "veileder", "supervisor", "norole"), 403),
    **dict.fromkeys(
        (
            "leader",
            "coordinator",
            "foreign_leader",
            "regional",
            "foreign_regional",
            "national",
            "admin",
        ),
        200,
    ),
}
ADMIN_ONLY = {**{a: 403 for a in ACTORS if a != "anonymous"}, "admin": 200}
EVERYONE = {a: 200 for a in ACTORS if a != "anonymous"}


def _agreement(a):
    from veiviser.agreements.forms import template_terms
    from veiviser.agreements.models import Agreement, AgreementVersion

    agreement = Agreement.objects.filter(trainee=a.trainee).first()
    if agreement is None:
        agreement = Agreement.objects.create(trainee=a.trainee, municipality=a.laerdal)
        terms = template_terms(trainee=a.trainee, today=date(2024, 1, 1))
        terms["signed"] = date(2023, 12, 20)
        AgreementVersion.objects.create(agreement=agreement, number=1, **terms)
    return agreement


def _rate(a):
    from veiviser.agreements.models import GrantRate

    rate, _ = GrantRate.objects.get_or_create(
        doctor_type="gp",
        valid_from=date(2024, 1, 1),
        defaults={"annual_rate": Decimal(300000), "centrality6_supplement": Decimal(100000)},
    )
    return rate


def _claim(a):
    from veiviser.agreements.models import GrantClaim

    claim = GrantClaim.objects.filter(municipality=a.laerdal).first()
    if claim is None:
        claim = GrantClaim.objects.create(
            municipality=a.laerdal,
            period_from=date(2024, 1, 1),
            period_to=date(2024, 12, 31),
            total=0,
            result={
                "municipality": "4642",
                "period": {"from": "2024-01-01", "to": "2024-12-31"},
                "total": 0,
                "agreements": [],
                "warnings": [],
                "unsigned": [],
            },
            rates=[],
            xlsx=b"PK",
            pdf=b"%PDF-1.7",
        )
    return claim


def _page(name, expect, url, **kwargs):
    return Case(name, url, expect, default=404, **kwargs)


PERIOD = "?fra=2024-01-01&til=2024-12-31"

CASES = [
    _page(
        "agreement_list", MUNICIPALITY_READERS, lambda a: reverse("agreement_list", args=["4642"])
    ),
    _page(
        "trainee_agreement_list",
        {**AGREEMENT_READERS, "supervisor": 403},
        lambda a: reverse("trainee_agreement_list", args=[a.trainee.pk]),
    ),
    _page(
        "agreement_create",
        MUNICIPALITY_MANAGERS,
        lambda a: reverse("agreement_create", args=["4642"]),
    ),
    _page(
        "agreement_detail",
        AGREEMENT_READERS,
        lambda a: reverse("agreement_detail", args=[_agreement(a).pk]),
    ),
    _page(
        "agreement_edit",
        AGREEMENT_WRITERS,
        lambda a: reverse("agreement_edit", args=[_agreement(a).pk]),
    ),
    _page(
        "agreement_pdf",
        AGREEMENT_READERS,
        lambda a: reverse("agreement_pdf", args=[_agreement(a).pk, 1]),
    ),
    _page("rate_list", RATE_READERS, lambda a: reverse("rate_list")),
    _page("rate_create", ADMIN_ONLY, lambda a: reverse("rate_create")),
    _page("rate_edit", ADMIN_ONLY, lambda a: reverse("rate_edit", args=[_rate(a).pk])),
    _page(
        "rate_delete",
        {**ADMIN_ONLY, "admin": 302},
        lambda a: reverse("rate_delete", args=[_rate(a).pk]),
        method="post",
    ),
    _page(
        "grant_claim_list",
        MUNICIPALITY_READERS,
        lambda a: reverse("grant_claim_list", args=["4642"]),
    ),
    _page(
        "grant_claim_preview",
        MUNICIPALITY_READERS,
        lambda a: reverse("grant_claim_preview", args=["4642"]) + PERIOD,
    ),
    _page(
        "grant_claim_detail",
        MUNICIPALITY_READERS,
        lambda a: reverse("grant_claim_detail", args=[_claim(a).pk]),
    ),
    _page(
        "grant_claim_xlsx",
        MUNICIPALITY_READERS,
        lambda a: reverse("grant_claim_xlsx", args=[_claim(a).pk]),
    ),
    _page(
        "grant_claim_pdf",
        MUNICIPALITY_READERS,
        lambda a: reverse("grant_claim_pdf", args=[_claim(a).pk]),
    ),
    # Archiving (POST) is the managers' only.
    Case(
        "grant_claim_preview",
        lambda a: reverse("grant_claim_preview", args=["4642"]),
        {**MUNICIPALITY_MANAGERS, "leader": 302, "coordinator": 302, "admin": 302},
        default=404,
        method="post",
        data={"fra": "2024-01-01", "til": "2024-12-31"},
    ),
    # The API: lists are filtered by scope (200 for everyone signed in); anonymous 401.
    Case("api:agreements_list", lambda a: "/api/agreements", EVERYONE, api=True),
    Case(
        "api:agreement_detail_api",
        lambda a: f"/api/agreements/{_agreement(a).pk}",
        AGREEMENT_READERS,
        api=True,
    ),
    Case("api:grant_claims_list", lambda a: "/api/grant-claims", EVERYONE, api=True),
    Case(
        "api:grant_claim_preview_api",
        lambda a: "/api/grant-claims/preview?municipality=4642&from=2024-01-01&to=2024-12-31",
        MUNICIPALITY_READERS,
        api=True,
    ),
]
