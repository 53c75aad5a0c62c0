"""Grant claims from the database: the conversion of agreements to the rules' input (worked
examples of shared/spec/grants.md through the service layer), the rate table page (overlaps
refused), archiving (result, rate snapshot, XLSX and PDF, unaffected by later changes), bad
input on every form and endpoint, and the claim list's query budget."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from veiviser.agreements.claims import compute_for_municipality
from veiviser.agreements.forms import template_terms
from veiviser.agreements.models import Agreement, GrantClaim, GrantRate
from veiviser.agreements.services import add_version, archive_claim, create_agreement, save_rate
from veiviser.audit.models import AuditEvent
from veiviser.core.models import Person
from veiviser.rules.grant_worksheet import FIRST_DATA_ROW, HEADER_ROW
from veiviser.rules.grants import MissingRateError
from veiviser.training.models import Trainee

pytestmark = pytest.mark.django_db

PERIOD = (date(2024, 9, 1), date(2025, 5, 31))


def rate(
    doctor_type="gp",
    start=date(2024, 1, 1),
    end=date(2025, 12, 31),
    annual=300000,
    supplement=100000,
):
    return GrantRate.objects.create(
        doctor_type=doctor_type,
        valid_from=start,
        valid_to=end,
        annual_rate=Decimal(annual),
        centrality6_supplement=Decimal(supplement),
    )


def doctor(municipality: Any, name: str) -> Trainee:
    given, family = name.split()
    person = Person.objects.create(given_name=given, family_name=family, is_doctor=True)
    return Trainee.objects.create(
        person=person, municipality=municipality, training_start=date(2022, 9, 1)
    )


def agree(actors: Any, trainee: Any, **changes: Any) -> Agreement:
    terms = template_terms(today=date(2024, 1, 1))
    terms.update({"start": date(2024, 1, 1), "signed": date(2024, 1, 1)})
    terms.update(changes)
    return create_agreement(
        municipality=trainee.municipality, trainee=trainee, terms=terms, by=actors["admin"]
    )


@pytest.fixture
def laerdal(actors: Any) -> Any:
    actors.laerdal.centrality = 6
    actors.laerdal.save(update_fields=["centrality"])
    return actors.laerdal


def compute(municipality: Any, period=PERIOD) -> dict[str, Any]:
    return compute_for_municipality(
        municipality=municipality, period_from=period[0], period_to=period[1]
    ).result


def line_of(result: dict[str, Any], agreement: Agreement) -> dict[str, Any]:
    return next(x for x in result["agreements"] if x["agreement_id"] == agreement.pk)


# --------------------------------------------------------------------------- worked examples


def test_the_spec_example_signed_mid_month_in_a_class_6_municipality(actors, laerdal):
    """Signed 15.10.2024: October is not whole; November–May = 7 months × 400 000 ÷ 12."""
    rate()
    a = agree(actors, actors.trainee, start=date(2024, 10, 15), signed=date(2024, 10, 15))
    line = line_of(compute(laerdal), a)
    assert line["eligible"] is True
    assert line["whole_months"] == 7
    assert line["months"][0] == "2024-11"
    assert line["amount"] == 233333  # 7 × 400 000 / 12 = 233 333.33
    assert line["position_share"] == 1.0


def test_the_agreement_start_after_the_signature_is_the_first_day_of_grant(actors, laerdal):
    rate()
    a = agree(actors, actors.trainee, start=date(2024, 12, 1), signed=date(2024, 6, 1))
    line = line_of(compute(laerdal), a)
    assert line["signed"] == "2024-12-01"
    assert line["whole_months"] == 6  # December–May


def test_a_share_below_one_is_the_percent_divided_by_a_hundred(actors, laerdal):
    rate()
    a = agree(actors, actors.trainee, position_percent=Decimal("62.5"))
    line = line_of(compute(laerdal), a)
    assert line["position_share"] == 0.625
    assert line["amount"] == 187500  # 9 × 400 000 × 0.625 / 12


def test_partial_months_at_the_end_are_not_counted(actors, laerdal):
    rate()
    a = agree(actors, actors.trainee, end=date(2025, 2, 14))
    line = line_of(compute(laerdal), a)
    assert line["months"] == ["2024-09", "2024-10", "2024-11", "2024-12", "2025-01"]
    assert line["amount"] == 166667  # 5 × 400 000 / 12 = 166 666.67


def test_a_rate_change_on_1_january_prices_each_month_with_its_own_row(actors):
    actors.laerdal.centrality = 3
    actors.laerdal.save(update_fields=["centrality"])
    rate(start=date(2024, 1, 1), end=date(2024, 12, 31), annual=300000)
    rate(start=date(2025, 1, 1), end=None, annual=360000)
    a = agree(actors, actors.trainee)
    line = line_of(compute(actors.laerdal), a)
    # September–December at 300 000, January–May at 360 000; no supplement (class 3).
    assert line["amount"] == 4 * 25000 + 5 * 30000
    assert "300 000 kr/år (fra 01.01.2024)" in line["rates_text"]
    assert "360 000 kr/år (fra 01.01.2025)" in line["rates_text"]


def test_the_class_6_supplement_follows_the_municipality(actors, laerdal):
    rate()
    a = agree(actors, actors.trainee)
    assert line_of(compute(laerdal), a)["amount"] == 300000  # 9 × 400 000 / 12
    laerdal.centrality = 5
    laerdal.save(update_fields=["centrality"])
    assert line_of(compute(laerdal), a)["amount"] == 225000  # 9 × 300 000 / 12
    laerdal.centrality = None
    laerdal.save(update_fields=["centrality"])
    result = compute(laerdal)
    assert line_of(result, a)["amount"] == 225000
    assert result["warnings"] == ["centrality_unknown"]


def test_excluded_and_unsigned_agreements_are_listed_with_their_reason(actors, laerdal):
    rate()
    old = agree(actors, actors.trainee, scheme="old")
    locum = agree(actors, doctor(laerdal, "Vera Vikar"), locum_agency=True)
    before = agree(
        actors,
        doctor(laerdal, "Tidl Lege"),
        start=date(2022, 1, 1),
        signed=date(2022, 1, 1),
        end=date(2023, 12, 31),
    )
    unsigned = agree(actors, doctor(laerdal, "Usignert Lege"), signed=None)
    result = compute(laerdal)
    reasons = {
        x["agreement_id"]: (x["eligible"], x["reason"], x["amount"]) for x in result["agreements"]
    }
    assert reasons == {
        old.pk: (False, "old_scheme", 0),
        locum.pk: (False, "locum_agency", 0),
        before.pk: (False, "outside_period", 0),
    }
    assert line_of(result, old)["reason_text"].startswith("Legen følger gammel ordning")
    assert result["unsigned"] == [
        {"agreement_id": unsigned.pk, "version": 1, "doctor": "Usignert Lege"}
    ]
    assert result["total"] == 0


def test_the_claim_uses_the_current_version_of_each_agreement(actors, laerdal):
    rate()
    a = agree(actors, actors.trainee)
    terms = template_terms(today=date(2024, 1, 1))
    terms.update(
        {"start": date(2024, 1, 1), "signed": date(2024, 1, 1), "position_percent": Decimal(50)}
    )
    add_version(agreement=a, terms=terms, change_note="Halv stilling", by=actors["leader"])
    line = line_of(compute(laerdal), a)
    assert (line["version"], line["position_share"], line["amount"]) == (2, 0.5, 150000)


def test_only_the_municipalitys_agreements_are_in_its_claim(actors, laerdal):
    rate()
    agree(actors, doctor(actors.bergen, "Berit Bergen"))
    assert compute(laerdal)["agreements"] == []


def test_a_missing_rate_is_an_error_naming_the_month_and_type(actors, laerdal):
    rate(end=date(2024, 12, 31))
    agree(actors, actors.trainee, doctor_type="introduction")
    with pytest.raises(MissingRateError) as info:
        compute(laerdal)
    assert info.value.month == date(2024, 9, 1)


# --------------------------------------------------------------------------- archive


def test_archiving_stores_the_result_the_rates_and_the_files(actors, laerdal):
    rate()
    rate(doctor_type="introduction", annual=200000, supplement=0)
    a = agree(actors, actors.trainee, start=date(2024, 10, 15), signed=date(2024, 10, 15))
    old = agree(actors, doctor(laerdal, "Gammel Ordning"), scheme="old")
    claim = archive_claim(
        municipality=laerdal, period_from=PERIOD[0], period_to=PERIOD[1], by=actors["leader"]
    )
    assert claim.total == 233333
    assert claim.agreement_count == 2
    assert claim.created_by == actors["leader"]
    assert claim.centrality == 6
    assert line_of(claim.result, a)["amount"] == 233333
    assert {r["doctor_type"]: r["used"] for r in claim.rates} == {"gp": True, "introduction": False}
    assert bytes(claim.pdf).startswith(b"%PDF")
    workbook = load_workbook(BytesIO(bytes(claim.xlsx)))
    sheet = workbook["Søknadsgrunnlag"]
    assert sheet.cell(HEADER_ROW, 1).value == "Lege"
    rows = {sheet.cell(r, 1).value: r for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 2)}
    assert set(rows) == {actors.trainee.person.full_name, "Gammel Ordning"}
    assert sheet.cell(rows[actors.trainee.person.full_name], 8).value == 233333
    assert sheet.cell(rows["Gammel Ordning"], 9).value == "Nei"
    assert workbook["Satser"].max_row == 3  # header + two rows
    assert workbook["Måneder"].max_row == 1 + 7
    assert old.pk in {x["agreement_id"] for x in claim.result["agreements"]}
    assert AuditEvent.objects.filter(object_type="agreements.GrantClaim", action="create").exists()


def test_an_archived_claim_does_not_change_when_agreements_or_rates_do(client, actors, laerdal):
    row = rate()
    a = agree(actors, actors.trainee)
    claim = archive_claim(
        municipality=laerdal, period_from=PERIOD[0], period_to=PERIOD[1], by=actors["leader"]
    )
    terms = template_terms(today=date(2024, 1, 1))
    terms.update(
        {"start": date(2024, 1, 1), "signed": date(2024, 1, 1), "position_percent": Decimal(20)}
    )
    add_version(agreement=a, terms=terms, change_note="x", by=actors["leader"])
    row.annual_rate = Decimal(1)
    save_rate(rate=row, by=actors["admin"])
    claim.refresh_from_db()
    assert claim.total == 300000
    client.force_login(actors["regional"])
    page = client.get(reverse("grant_claim_detail", args=[claim.pk]))
    assert page.status_code == 200
    assert "300\u00a0000\u00a0kr" in page.content.decode()


def test_only_managers_archive(actors, laerdal):
    for who in ("regional", "national", "alis", "foreign_leader"):
        with pytest.raises(PermissionDenied):
            archive_claim(
                municipality=laerdal, period_from=PERIOD[0], period_to=PERIOD[1], by=actors[who]
            )


def test_the_claim_pages_compute_archive_and_download(client, actors, laerdal):
    rate()
    agree(actors, actors.trainee)
    client.force_login(actors["coordinator"])
    url = reverse("grant_claim_preview", args=["4642"])
    preview = client.get(url, {"fra": "2024-09-01", "til": "2025-05-31"})
    assert preview.status_code == 200
    assert preview.context["result"]["total"] == 300000
    assert "Arkiver kravet" in preview.content.decode()
    response = client.post(url, {"fra": "2024-09-01", "til": "2025-05-31", "note": "Første halvår"})
    claim = GrantClaim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("grant_claim_detail", args=[claim.pk])
    assert claim.note == "Første halvår"
    listing = client.get(reverse("grant_claim_list", args=["4642"]))
    assert [c.pk for c in listing.context["claims"]] == [claim.pk]
    xlsx = client.get(reverse("grant_claim_xlsx", args=[claim.pk]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        load_workbook(BytesIO(xlsx.content))["Søknadsgrunnlag"].cell(FIRST_DATA_ROW, 8).value
        == 300000
    )
    pdf = client.get(reverse("grant_claim_pdf", args=[claim.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_a_missing_rate_is_shown_as_a_message_not_a_server_error(client, actors, laerdal):
    agree(actors, actors.trainee)
    client.force_login(actors["leader"])
    url = reverse("grant_claim_preview", args=["4642"])
    response = client.get(url, {"fra": "2024-09-01", "til": "2025-05-31"})
    assert response.status_code == 200
    assert "ingen sats for fastlege/fastlegevikar som gjelder 09.2024" in response.content.decode()
    assert "Arkiver kravet" not in response.content.decode()
    archived = client.post(url, {"fra": "2024-09-01", "til": "2025-05-31"})
    assert archived.status_code == 400
    assert not GrantClaim.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"fra": "2025-01-01", "til": "2024-12-31"}, "til"),
        ({"fra": "2020-01-01", "til": "2024-12-31"}, "til"),
        ({"fra": "", "til": "2024-12-31"}, "fra"),
        ({"fra": "1.1.2024x", "til": "2024-12-31"}, "fra"),
        ({"fra": "2024-01-01"}, "til"),
    ],
)
def test_a_bad_period_is_refused_naming_the_field(client, actors, laerdal, data, field):
    client.force_login(actors["leader"])
    url = reverse("grant_claim_preview", args=["4642"])
    for response in (client.get(url, data), client.post(url, data)):
        assert response.status_code == 400
        assert field in response.context["form"].errors
    assert not GrantClaim.objects.exists()


def test_the_claim_list_makes_the_same_number_of_queries_as_data_grows(client, actors, laerdal):
    rate()
    agree(actors, actors.trainee)
    archive_claim(
        municipality=laerdal, period_from=PERIOD[0], period_to=PERIOD[1], by=actors["leader"]
    )
    client.force_login(actors["leader"])
    url = reverse("grant_claim_list", args=["4642"])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = count()
    for month in range(1, 5):
        archive_claim(
            municipality=laerdal,
            period_from=date(2024, month, 1),
            period_to=date(2024, 12, 31),
            by=actors["leader"],
        )
    assert count() == before


# --------------------------------------------------------------------------- rate table


def rate_data(**changes: Any) -> dict[str, Any]:
    data = {
        "doctor_type": "gp",
        "valid_from": "2026-01-01",
        "valid_to": "",
        "annual_rate": "320000",
        "centrality6_supplement": "110000",
        "source": "Regelverk 2026",
    }
    data.update(changes)
    return data


def test_an_administrator_enters_a_rate(client, actors):
    client.force_login(actors["admin"])
    response = client.post(reverse("rate_create"), rate_data())
    assert response.status_code == 302
    row = GrantRate.objects.get()
    assert (row.annual_rate, row.valid_to, row.created_by) == (
        Decimal(320000),
        None,
        actors["admin"],
    )
    page = client.get(reverse("rate_list"))
    assert "320\u00a0000\u00a0kr" in page.content.decode()


def test_an_overlapping_rate_is_refused_naming_the_other_row(client, actors):
    rate(start=date(2024, 1, 1), end=date(2025, 12, 31))
    client.force_login(actors["admin"])
    response = client.post(reverse("rate_create"), rate_data(valid_from="2025-07-01"))
    assert response.status_code == 400
    errors = response.context["form"].errors["valid_from"]
    assert "01.01.2024–31.12.2025" in errors[0]
    assert GrantRate.objects.count() == 1
    # Another doctor type may share the dates.
    assert (
        client.post(
            reverse("rate_create"), rate_data(doctor_type="introduction", valid_from="2025-07-01")
        ).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"valid_to": "2025-12-31"}, "valid_to"),
        ({"annual_rate": "-1"}, "annual_rate"),
        ({"annual_rate": "mye"}, "annual_rate"),
        ({"centrality6_supplement": "-5"}, "centrality6_supplement"),
        ({"doctor_type": "x"}, "doctor_type"),
        ({"valid_from": ""}, "valid_from"),
    ],
)
def test_bad_input_on_the_rate_form_names_the_field(client, actors, changes, field):
    client.force_login(actors["admin"])
    response = client.post(reverse("rate_create"), rate_data(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not GrantRate.objects.exists()


def test_editing_a_rate_may_not_make_it_overlap(client, actors):
    rate(start=date(2024, 1, 1), end=date(2024, 12, 31))
    later = rate(start=date(2025, 1, 1), end=None)
    client.force_login(actors["admin"])
    response = client.post(
        reverse("rate_edit", args=[later.pk]), rate_data(valid_from="2024-06-01")
    )
    assert response.status_code == 400
    assert "valid_from" in response.context["form"].errors


def test_only_administrators_write_rates(actors):
    for who in ("leader", "national", "regional"):
        with pytest.raises(PermissionDenied):
            save_rate(
                rate=GrantRate(doctor_type="gp", valid_from=date(2024, 1, 1), annual_rate=1),
                by=actors[who],
            )


# --------------------------------------------------------------------------- API


def test_the_api_previews_a_claim(client, actors, laerdal):
    rate()
    a = agree(actors, actors.trainee)
    client.force_login(actors["regional"])
    body = client.get(
        "/api/grant-claims/preview?municipality=4642&from=2024-09-01&to=2025-05-31"
    ).json()
    assert body["total"] == 300000
    assert body["agreements"][0]["agreement_id"] == a.pk
    assert body["rates"][0]["used"] is True


def test_the_api_answers_a_missing_rate_with_422_naming_the_rates(client, actors, laerdal):
    agree(actors, actors.trainee)
    client.force_login(actors["leader"])
    response = client.get(
        "/api/grant-claims/preview?municipality=4642&from=2024-09-01&to=2025-05-31"
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["field"], error["month"], error["doctor_type"]) == ("rates", "2024-09", "gp")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("municipality=4642&from=2025-01-01&to=2024-01-01", "to"),
        ("municipality=4642&from=2015-01-01&to=2024-01-01", "to"),
        ("municipality=4642&from=2024-13-01&to=2024-12-31", "from"),
        ("municipality=4642&to=2024-12-31", "from"),
        ("from=2024-01-01&to=2024-12-31", "municipality"),
    ],
)
def test_bad_api_preview_input_names_the_field(client, actors, query, field):
    client.force_login(actors["leader"])
    response = client.get(f"/api/grant-claims/preview?{query}")
    assert response.status_code == 422
    assert any(e["field"].endswith(field) for e in response.json()["errors"])


def test_the_api_lists_archived_claims_in_scope(client, actors, laerdal):
    rate()
    claim = archive_claim(
        municipality=laerdal, period_from=PERIOD[0], period_to=PERIOD[1], by=actors["leader"]
    )
    client.force_login(actors["regional"])
    assert [c["id"] for c in client.get("/api/grant-claims").json()["items"]] == [claim.pk]
    client.force_login(actors["foreign_regional"])
    assert client.get("/api/grant-claims").json()["count"] == 0
    client.force_login(actors["alis"])
    assert client.get("/api/grant-claims").json()["count"] == 0
