"""The annual status report: figures against a small worked example, the hand-filled part (bad
input, submit, reopen, audit), XLSX and PDF, the regional overview, and query budgets."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veiviser.annual.figures import compute, planning_models
from veiviser.annual.models import AnnualReport
from veiviser.annual.presenters import HIDDEN, sections
from veiviser.audit.models import AuditEvent
from veiviser.core.models import Person, Position
from veiviser.training.models import ServicePeriod, SupervisionSession, Trainee
from veiviser.workforce.models import ExitInterview, Occupancy, Posting

pytestmark = pytest.mark.django_db

TODAY = date(2026, 2, 10)


def doctor(name: str, municipality: Any = None) -> Person:
    given, family = name.split()
    return Person.objects.create(
        given_name=given, family_name=family, is_doctor=True, home_municipality=municipality
    )


@pytest.fixture
def example(actors: Any) -> dict[str, Any]:
    """Lærdal in 2025: two GP lists and one ALIS position.

    H1: holder A until 30.06.2025 (resigned → hospital), a locum July–September, holder B from
    01.10.2025 (92 days to fill). H2: holder C all year. A1: the ALIS all year. One posting
    (3 applicants, 2 qualified, 1 hired). The ALIS (started 01.09.2022, so in training year 4
    at the end of 2025) works full time all year with 4 hours of supervision every month
    except December (2 hours)."""
    m = actors.laerdal
    a, b, c, v = (doctor(n, m) for n in ("Kari Fjell", "Ola Strand", "Ida Lie", "Vera Vikar"))
    h1 = Position.objects.create(
        municipality=m,
        external_id="H1",
        kind="gp",
        form="self_employed",
        created=date(2015, 1, 1),
        list_size=900,
        list_cap=1000,
    )
    h2 = Position.objects.create(
        municipality=m,
        external_id="H2",
        kind="gp",
        form="salaried",
        created=date(2016, 1, 1),
        list_size=1100,
        list_cap=1200,
    )
    a1 = Position.objects.create(
        municipality=m,
        external_id="A1",
        kind="alis",
        form="salaried_bonus",
        created=date(2019, 9, 1),
    )
    left = Occupancy.objects.create(
        position=h1,
        person=a,
        role="holder",
        start=date(2015, 1, 1),
        end=date(2025, 6, 30),
        end_reason="resigned",
        next_work="hospital",
    )
    Occupancy.objects.create(
        position=h1, person=v, role="locum", start=date(2025, 7, 1), end=date(2025, 9, 30)
    )
    Occupancy.objects.create(position=h1, person=b, role="holder", start=date(2025, 10, 1))
    Occupancy.objects.create(position=h2, person=c, role="holder", start=date(2016, 1, 1))
    Occupancy.objects.create(
        position=a1, person=actors["alis"].person, role="holder", start=date(2019, 9, 1)
    )
    ExitInterview.objects.create(occupancy=left, held_on=date(2025, 6, 20), reasons=["family"])
    Posting.objects.create(
        position=h1, published=date(2025, 5, 1), applicants=3, qualified_applicants=2, hired=1
    )
    trainee = actors.trainee
    ServicePeriod.objects.create(
        trainee=trainee, start=date(2022, 9, 1), percent=100, arena="open_practice"
    )
    for month in range(1, 13):
        SupervisionSession.objects.create(
            trainee=trainee, date=date(2025, month, 10), hours=2 if month == 12 else 4
        )
    # Bergen's data never shows in Lærdal's report.
    bergen = Position.objects.create(
        municipality=actors.bergen, external_id="H1", kind="gp", created=date(2015, 1, 1)
    )
    Occupancy.objects.create(
        position=bergen,
        person=doctor("Berit Berg"),
        role="holder",
        start=date(2015, 1, 1),
        end=date(2025, 3, 31),
        end_reason="retired",
    )
    return {"h1": h1, "left": left}


def test_the_figures_match_the_worked_example(actors, example):
    f = compute(actors.laerdal, 2025, TODAY)
    assert f.at == date(2025, 12, 31) and f.complete
    by_kind = {k.kind: k for k in f.kinds}
    assert (by_kind["gp"].positions, by_kind["gp"].staffed, by_kind["gp"].vacant) == (2, 2, 0)
    assert (by_kind["alis"].positions, by_kind["alis"].staffed) == (1, 1)
    assert by_kind["municipal"].positions == 0
    assert (f.total.positions, f.total.staffed, f.total.locum_served) == (3, 3, 0)
    # Position-months: H1 vacant (locum) July–September.
    assert (by_kind["gp"].position_months, by_kind["gp"].vacant_months) == (24, 3)
    assert by_kind["gp"].locum_months == 3
    assert (f.total.position_months, f.total.vacant_months, f.total.locum_months) == (36, 3, 3)
    assert f.holders == 4
    assert (f.same_holder_throughout, f.positions_with_change, f.never_staffed) == (2, 1, 0)
    assert f.median_days_to_fill == 92
    assert (f.postings, f.applicants, f.qualified_applicants, f.hired) == (1, 3, 2, 1)
    assert sorted(f.forms) == sorted(
        [("fastlønn", 1), ("fastlønn med bonus", 1), ("næringsdrift", 1)]
    )
    assert (f.list_sizes.positions, f.list_sizes.patients, f.list_sizes.average) == (2, 2000, 1000)
    assert f.list_sizes.cap == 2200
    # One leaver: a group smaller than 5 is never shown.
    assert f.turnover.leavers == 1 and not f.turnover.leavers_shown
    assert not f.turnover.end_reasons.shown and not f.turnover.exit_reasons.shown
    assert f.alis == 1 and f.stages == {"1": 0, "2": 0, "3": 0, "4": 1, "5+": 0}
    s = f.supervision
    assert (s.alis_checked, s.months_checked, s.months_under, s.alis_with_shortfall) == (
        1,
        12,
        1,
        1,
    )
    assert s.share_ok == 92


def test_small_turnover_groups_are_hidden_in_every_output(actors, example):
    f = compute(actors.laerdal, 2025, TODAY)
    turnover = next(s for s in sections(f, None) if s.key == "turnover")
    assert turnover.rows[0][1].value is HIDDEN
    assert turnover.rows[0][1].text() == "færre enn 5"
    assert turnover.tables == []


def test_five_leavers_are_shown_with_small_cells_hidden(actors, example):
    for i in range(4):
        p = Position.objects.create(
            municipality=actors.laerdal, external_id=f"X{i}", kind="gp", created=date(2015, 1, 1)
        )
        Occupancy.objects.create(
            position=p,
            person=doctor(f"Ny{i} Lege"),
            role="holder",
            start=date(2015, 1, 1),
            end=date(2025, 8, 31),
            end_reason="retired",
            next_work="other",
        )
    f = compute(actors.laerdal, 2025, TODAY)
    assert f.turnover.leavers == 5 and f.turnover.leavers_shown
    cells = {c.key: c.value for c in f.turnover.end_reasons.cells}
    # 4 retired and 1 resigned: both hidden (the second so the first cannot be subtracted).
    assert cells["retired"] is None and cells["resigned"] is None


def test_a_running_year_counts_up_to_today(actors, example):
    f = compute(actors.laerdal, 2026, date(2026, 2, 10))
    assert f.at == date(2026, 2, 10) and not f.complete
    assert f.total.positions == 3


def test_economics_come_from_the_planning_app_or_are_left_to_fill_in(actors, example):
    models = planning_models()
    if models is None:
        assert not compute(actors.laerdal, 2025, TODAY).economics.available
        return
    cost, grant = models
    cost.objects.create(
        municipality=actors.laerdal,
        trainee=actors.trainee,
        year=2025,
        category="veileder_pay",
        amount=Decimal("60000"),
    )
    cost.objects.create(
        municipality=actors.laerdal,
        trainee=actors.trainee,
        year=2025,
        category="other",
        amount=Decimal("1000"),
    )
    cost.objects.create(
        municipality=actors.laerdal,
        trainee=actors.trainee,
        year=2024,
        category="locums",
        amount=Decimal("5000"),
    )
    grant.objects.create(municipality=actors.laerdal, year=2025, amount=Decimal("300000"))
    e = compute(actors.laerdal, 2025, TODAY).economics
    assert e.available
    assert e.total == Decimal("61000") and e.education == Decimal("60000")
    assert e.grant == Decimal("300000") and e.alis_with_costs == 1


# --------------------------------------------------------------------------- the page


def url(number: str = "4642", year: int = 2025) -> str:
    return reverse("annual_report", args=[number, year])


@time_machine.travel(date(2026, 2, 10), tick=False)
def test_the_current_year_redirects_to_last_year(client, actors):
    client.force_login(actors["leader"])
    response = client.get(reverse("annual_report_current", args=["4642"]))
    assert response.status_code == 302 and response["Location"] == url()


@time_machine.travel(date(2026, 2, 10), tick=False)
def test_the_leader_fills_in_saves_and_submits(client, actors, example):
    client.force_login(actors["leader"])
    response = client.get(url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Årsrapport 2025" in body and "Send inn årsrapporten" in body
    assert "færre enn 5" in body
    data = {
        "recruitment_measures": "Fastlønn for nye leger.",
        "planned_alis_positions": "2",
        "cost_locums": "125000",
        "action": "save",
    }
    response = client.post(url(), data)
    assert response.status_code == 302
    report = AnnualReport.objects.get(municipality=actors.laerdal, year=2025)
    assert report.status == "draft" and report.cost_locums == Decimal("125000")
    assert report.planned_alis_positions == 2
    response = client.post(url(), {**data, "comments": "Ferdig.", "action": "submit"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.submitted and report.submitted_by == actors["leader"]
    assert report.comments == "Ferdig."
    assert AuditEvent.objects.filter(
        object_type="annual.AnnualReport", summary__contains="sendt inn"
    ).exists()
    body = client.get(url()).content.decode()
    assert "Sendt inn" in body and "Åpne rapporten igjen" in body
    assert "125 000 kr" in body
    # A submitted report is not changed by a stray POST.
    response = client.post(url(), {**data, "comments": "Endret"})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.comments == "Ferdig."
    # Reopen, then it can be changed again.
    assert client.post(url(), {"action": "reopen"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "draft" and report.submitted_at is None


@time_machine.travel(date(2026, 2, 10), tick=False)
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cost_locums", "-5"),
        ("cost_supervision", "mange penger"),
        ("planned_alis_positions", "-1"),
        ("admin_hours_per_month", "1000"),
        ("comments", "x" * 5001),
    ],
)
def test_bad_input_is_refused_naming_the_field(client, actors, field, value):
    client.force_login(actors["coordinator"])
    response = client.post(url(), {field: value, "action": "submit"})
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not AnnualReport.objects.exists()


@time_machine.travel(date(2026, 2, 10), tick=False)
def test_an_unknown_action_and_a_year_out_of_range_are_refused(client, actors):
    client.force_login(actors["leader"])
    assert client.post(url(), {"action": "delete"}).status_code == 400
    assert client.get(url(year=1999)).status_code == 404
    assert client.get(url(year=2027)).status_code == 404


@time_machine.travel(date(2026, 2, 10), tick=False)
def test_readers_see_but_cannot_write(client, actors):
    client.force_login(actors["regional"])
    assert client.get(url()).status_code == 200
    assert b"Send inn" not in client.get(url()).content
    assert client.post(url(), {"action": "submit"}).status_code == 403
    assert not AnnualReport.objects.exists()


def test_one_report_per_municipality_and_year_and_submitted_means_dated(actors):
    AnnualReport.objects.create(municipality=actors.laerdal, year=2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(municipality=actors.laerdal, year=2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(municipality=actors.bergen, year=2025, status="submitted")
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(
            municipality=actors.bergen, year=2024, cost_locums=Decimal("-1")
        )


# --------------------------------------------------------------------------- exports


@time_machine.travel(date(2026, 2, 10), tick=False)
def test_the_xlsx_opens_with_openpyxl_and_has_the_figures(client, actors, example):
    from openpyxl import load_workbook

    client.force_login(actors["leader"])
    response = client.get(reverse("annual_report_xlsx", args=["4642", 2025]))
    assert response.status_code == 200
    assert "arsrapport-2025-4642" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    rows = {r[0]: r[1:] for r in book.active.iter_rows(values_only=True) if r and r[0]}
    assert rows["Innehavere i løpet av året"][0] == 4
    assert rows["Median tid fra ledig til besatt"][0] == 92
    assert rows["Innehavere som sluttet i året"][0] == "færre enn 5"
    assert AuditEvent.objects.filter(action="export", summary__startswith="XLSX").exists()


@time_machine.travel(date(2026, 2, 10), tick=False)
def test_the_pdf_is_a_pdf(client, actors, example):
    client.force_login(actors["national"])
    response = client.get(reverse("annual_report_pdf", args=["4642", 2025]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"


# --------------------------------------------------------------------------- region


@time_machine.travel(date(2026, 2, 10), tick=False)
def test_the_region_lists_municipalities_with_alis_first_and_who_submitted(client, actors):
    region = actors.laerdal.regional_office
    AnnualReport.objects.create(
        municipality=actors.laerdal,
        year=2025,
        status="submitted",
        submitted_at="2026-02-01T10:00:00+01:00",
    )
    client.force_login(actors["regional"])
    response = client.get(reverse("annual_report_region", args=[region.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows[0]["municipality"] == actors.laerdal
    assert response.context["submitted"] == 1 and response.context["expected"] == 1
    everything = client.get(reverse("annual_report_region", args=[region.pk]), {"alle": "1"})
    assert len(everything.context["rows"]) > 1
    bad = client.get(reverse("annual_report_region", args=[region.pk]), {"ar": "1990"})
    assert bad.status_code == 400 and 'id="id_ar_error"' in bad.content.decode()


def _queries(client: Any, target: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(target)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def grow(actors: Any, n: int) -> None:
    for i in range(n):
        p = Position.objects.create(
            municipality=actors.laerdal, external_id=f"G{i}", kind="gp", created=date(2015, 1, 1)
        )
        Occupancy.objects.create(
            position=p,
            person=doctor(f"Gro{i} Lege"),
            role="holder",
            start=date(2015, 1, 1),
            end=date(2025, 5, 31),
            end_reason="resigned",
        )
        person = doctor(f"Alis{i} Lege", actors.laerdal)
        trainee = Trainee.objects.create(
            person=person, municipality=actors.laerdal, training_start=date(2023, 1, 1)
        )
        ServicePeriod.objects.create(
            trainee=trainee, start=date(2023, 1, 1), percent=100, arena="open_practice"
        )
        SupervisionSession.objects.create(trainee=trainee, date=date(2025, 3, 3), hours=4)
        AnnualReport.objects.create(municipality=actors.bergen, year=2010 + i)


@time_machine.travel(date(2026, 2, 10), tick=False)
def test_the_report_page_makes_the_same_number_of_queries_as_data_grows(client, actors, example):
    client.force_login(actors["leader"])
    before = _queries(client, url())
    grow(actors, 6)
    assert _queries(client, url()) == before


@time_machine.travel(date(2026, 2, 10), tick=False)
def test_the_region_page_makes_the_same_number_of_queries_as_data_grows(client, actors, example):
    client.force_login(actors["regional"])
    target = reverse("annual_report_region", args=[actors.laerdal.regional_office.pk])
    before = _queries(client, target)
    grow(actors, 6)
    assert _queries(client, target) == before
