"""ALIS costs: the municipality page's totals, education share and grant comparison, the forms
with bad input, the CSV import (all or nothing), the region page, the API and query budgets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veiviser.audit.models import AuditEvent
from veiviser.core.models import Person
from veiviser.planning.models import CostEntry, GrantReceived
from veiviser.planning.templatetags.planning_format import format_kroner, format_percent
from veiviser.training.models import Trainee

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def cost(actors: Any, category: str, amount: int, year: int = 2025, **kw: Any) -> CostEntry:
    values = {"municipality": actors.laerdal, "trainee": actors.trainee, **kw}
    return CostEntry.objects.create(year=year, category=category, amount=Decimal(amount), **values)


@pytest.fixture
def costs(actors: Any) -> None:
    cost(actors, "veileder_pay", 50_000)
    cost(actors, "locums", 300_000)
    cost(actors, "other", 1_000_000, note="ALIS' lønn")
    cost(actors, "other", 150_000, is_education_cost=True)  # a course paid under "other"
    cost(actors, "veileder_pay", 60_000, year=2026)
    GrantReceived.objects.create(municipality=actors.laerdal, year=2025, amount=Decimal(400_000))


def test_kroner_and_shares_are_formatted_norwegian_style() -> None:
    assert format_kroner(Decimal("1234567.4")) == f"1{NBSP}234{NBSP}567{NBSP}kr"
    assert format_kroner(Decimal(-5000)) == f"−5{NBSP}000{NBSP}kr"
    assert format_kroner(None) == "–"
    assert format_percent(Decimal("0.05123")) == f"5,1{NBSP}%"


def test_the_municipality_page_sums_per_category_and_compares_with_the_grant(
    client: Any, actors: Any, costs: None
) -> None:
    client.force_login(actors["regional"])
    response = client.get(reverse("cost_overview", args=["4642"]) + "?ar=2025")
    assert response.status_code == 200
    result = response.context["costs"]
    s = result.selected
    assert s.year == 2025
    assert s.totals.total == Decimal(1_500_000)
    assert s.totals.education == Decimal(500_000)  # veileder + locums + the flagged "other"
    assert s.totals.education_share == Decimal(500_000) / Decimal(1_500_000)
    assert s.grant == Decimal(400_000)
    assert s.comparison.uncovered_total == Decimal(1_100_000)
    assert s.comparison.coverage_education == Decimal("0.8")
    (row,) = result.trainees
    assert row.amount("locums") == Decimal(300_000)
    html = response.content.decode()
    assert f"1{NBSP}500{NBSP}000{NBSP}kr" in html
    assert f"33,3{NBSP}%" in html  # education share
    assert f"26,7{NBSP}%" in html  # the grant covers 400 000 of 1 500 000
    assert [y.year for y in result.summaries] == [2026, 2025]
    assert "Registrer kostnad" not in html  # the region reads, does not write


def test_the_default_year_is_the_latest_with_data(client: Any, actors: Any, costs: None) -> None:
    client.force_login(actors["leader"])
    response = client.get(reverse("cost_overview", args=["4642"]))
    assert response.context["costs"].year in (2025, 2026)
    assert "Registrer kostnad" in response.content.decode()


def test_a_cost_entered_on_the_form_is_saved_with_the_audit_log(client: Any, actors: Any) -> None:
    client.force_login(actors["coordinator"])
    response = client.post(
        reverse("cost_entry_create", args=["4642"]),
        {
            "trainee": actors.trainee.pk,
            "year": "2025",
            "category": "courses_travel",
            "amount": "12500.50",
            "is_education_cost": "unknown",
            "note": "Grunnkurs B",
        },
    )
    assert response.status_code == 302
    entry = CostEntry.objects.get()
    assert entry.amount == Decimal("12500.50") and entry.is_education_cost is None
    assert entry.municipality == actors.laerdal
    assert AuditEvent.objects.filter(action="create", object_id=str(entry.pk)).exists()
    response = client.post(
        reverse("cost_entry_edit", args=[entry.pk]),
        {
            "trainee": actors.trainee.pk,
            "year": "2025",
            "category": "courses_travel",
            "amount": "13000",
            "is_education_cost": "false",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.amount == 13000 and entry.is_education_cost is False
    assert client.post(reverse("cost_entry_delete", args=[entry.pk])).status_code == 302
    assert not CostEntry.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-1"}, "amount"),
        ({"amount": "tusen"}, "amount"),
        ({"category": "coffee"}, "category"),
        ({"year": "1999"}, "year"),
        ({"trainee": "999999"}, "trainee"),
    ],
)
def test_bad_cost_input_rerenders_with_400_and_names_the_field(
    client: Any, actors: Any, change: dict[str, str], field: str
) -> None:
    client.force_login(actors["leader"])
    data = {
        "trainee": actors.trainee.pk,
        "year": "2025",
        "category": "locums",
        "amount": "1000",
        **change,
    }
    response = client.post(reverse("cost_entry_create", args=["4642"]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not CostEntry.objects.exists()


def test_an_alis_of_another_municipality_cannot_be_charged(client: Any, actors: Any) -> None:
    person = Person.objects.create(given_name="Bo", family_name="Bergen", is_doctor=True)
    other = Trainee.objects.create(
        person=person, municipality=actors.bergen, training_start=date(2023, 1, 1)
    )
    client.force_login(actors["leader"])
    response = client.post(
        reverse("cost_entry_create", args=["4642"]),
        {"trainee": other.pk, "year": "2025", "category": "locums", "amount": "1000"},
    )
    assert response.status_code == 400 and "trainee" in response.context["form"].errors


def test_the_grant_received_is_one_figure_per_year(client: Any, actors: Any) -> None:
    client.force_login(actors["leader"])
    url = reverse("grant_received_edit", args=["4642"])
    assert client.post(url, {"year": "2025", "amount": "400000"}).status_code == 302
    assert client.post(url, {"year": "2025", "amount": "420000"}).status_code == 302
    grant = GrantReceived.objects.get()
    assert grant.amount == 420_000
    response = client.post(url, {"year": "2025", "amount": "-5"})
    assert response.status_code == 400 and "amount" in response.context["form"].errors
    response = client.post(url, {"year": "", "amount": "5"})
    assert response.status_code == 400 and "year" in response.context["form"].errors


# --------------------------------------------------------------------------- CSV import


def upload(client: Any, text: str) -> Any:
    file = SimpleUploadedFile("kostnader.csv", text.encode(), content_type="text/csv")
    return client.post(reverse("cost_import", args=["4642"]), {"file": file})


def test_a_valid_csv_file_is_imported(client: Any, actors: Any) -> None:
    client.force_login(actors["leader"])
    name = actors.trainee.person.full_name
    text = (
        "alis;year;category;amount;education;note\n"
        f"vv-{actors.trainee.pk};2025;veileder_pay;48 000;;\n"
        f"{name};2025;Vikarutgifter;310000,50;ja;Institusjon\n"
    )
    response = upload(client, text)
    assert response.status_code == 302
    entries = list(CostEntry.objects.order_by("amount"))
    assert [e.category for e in entries] == ["veileder_pay", "locums"]
    assert entries[1].amount == Decimal("310000.50") and entries[1].is_education_cost is True
    assert AuditEvent.objects.filter(action="import", object_type="planning.CostEntry").exists()


def test_a_csv_file_with_errors_saves_nothing_and_names_line_and_column(
    client: Any, actors: Any
) -> None:
    client.force_login(actors["leader"])
    text = (
        "alis,year,category,amount\n"
        f"vv-{actors.trainee.pk},2025,veileder_pay,1000\n"
        f"vv-{actors.trainee.pk},20x5,coffee,-3\n"
        "Ukjent Person,2025,locums,5\n"
    )
    response = upload(client, text)
    assert response.status_code == 400
    errors = [str(e) for e in response.context["errors"]]
    assert any("linje 3" in e and "year" in e for e in errors)
    assert any("linje 3" in e and "category" in e for e in errors)
    assert any("linje 3" in e and "amount" in e for e in errors)
    assert any("linje 4" in e and "alis" in e for e in errors)
    assert not CostEntry.objects.exists()
    response = upload(client, "name;sum\nx;1\n")
    assert response.status_code == 400
    assert any("linje 1" in str(e) for e in response.context["errors"])
    file = SimpleUploadedFile("k.csv", "alis;year\n".encode("utf-16"), content_type="text/csv")
    response = client.post(reverse("cost_import", args=["4642"]), {"file": file})
    assert response.status_code == 400 and "file" in response.context["form"].errors


# --------------------------------------------------------------------------- region, API


def test_the_region_page_lists_its_municipalities_totals(
    client: Any, actors: Any, costs: None
) -> None:
    CostEntry.objects.create(
        municipality=actors.bergen,
        trainee=actors.trainee,
        year=2025,
        category="locums",
        amount=Decimal(100_000),
    )
    client.force_login(actors["regional"])
    response = client.get(
        reverse("cost_region", args=[actors.laerdal.regional_office_id]) + "?ar=2025"
    )
    assert response.status_code == 200
    result = response.context["costs"]
    rows = {r.municipality[1]: r.summary for r in result.rows}
    assert rows["4642"].totals.total == Decimal(1_500_000)
    assert rows["4601"].totals.total == Decimal(100_000)
    assert result.total.totals.total == Decimal(1_600_000)
    assert result.total.grant == Decimal(400_000)
    assert "1804" not in rows  # Bodø is another region's


def test_the_costs_api(client: Any, actors: Any, costs: None) -> None:
    client.force_login(actors["national"])
    data = client.get("/api/planning/costs/4642?year=2025").json()
    assert data["year"] == 2025 and data["totals"]["total"] == "1500000.00"
    assert data["totals"]["by_category"]["locums"] == "300000.00"
    assert data["grant_received"] == "400000.00" and data["uncovered_total"] == "1100000.00"
    assert data["trainees"][0]["name"] == actors.trainee.person.full_name
    empty = client.get("/api/planning/costs/4642?year=2031").json()
    assert empty["year"] == 2031 and empty["totals"]["total"] == "0.00"
    response = client.get("/api/planning/costs/4642?year=1900")
    assert response.status_code == 422 and "year" in str(response.json())
    response = client.get("/api/planning/costs/4642?year=abc")
    assert response.status_code == 422 and "year" in str(response.json())


# --------------------------------------------------------------------------- query budgets


def more_costs(actors: Any, n: int, start: int) -> None:
    for i in range(start, start + n):
        person = Person.objects.create(given_name=f"A{i}", family_name="Alis", is_doctor=True)
        trainee = Trainee.objects.create(
            person=person, municipality=actors.laerdal, training_start=date(2023, 1, 1)
        )
        for category in ("veileder_pay", "locums", "other"):
            for year in (2024, 2025):
                CostEntry.objects.create(
                    municipality=actors.laerdal,
                    trainee=trainee,
                    year=year,
                    category=category,
                    amount=Decimal(1000 + i),
                )
        GrantReceived.objects.get_or_create(
            municipality=actors.laerdal, year=2024, defaults={"amount": Decimal(1)}
        )


def count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["cost_overview", "cost_region"])
def test_the_cost_pages_make_the_same_number_of_queries_however_much_data(
    client: Any, actors: Any, costs: None, page: str
) -> None:
    client.force_login(actors["leader"] if page == "cost_overview" else actors["regional"])
    arg = "4642" if page == "cost_overview" else actors.laerdal.regional_office_id
    url = reverse(page, args=[arg]) + "?ar=2025"
    more_costs(actors, 1, 0)
    few = count(client, url)
    more_costs(actors, 6, 10)
    CostEntry.objects.create(
        municipality=actors.bergen,
        trainee=actors.trainee,
        year=2025,
        category="locums",
        amount=Decimal(5),
    )
    assert count(client, url) == few
