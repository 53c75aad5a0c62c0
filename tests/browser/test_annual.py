"""The annual report and the start page in a real browser: axe (WCAG 2.1 AA) on the report, the
regional overview, the job page and the leader's start page with "Dine gjøremål"; with
VEIVISER_SCREENSHOTS=1 docs/screenshots/annual-report.png, annual-region.png and
home-leader.png."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_accessibility import assert_accessible, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_leader_fills_in_and_submits_the_annual_report(page: Any, live_server: Any) -> None:
    from django.utils import timezone

    from veiviser.rules.annual import reporting_year

    year = reporting_year(timezone.localdate())
    sign_in(page, live_server, "leder.laerdal")
    open_page(page, f"{live_server.url}/arsrapport/4642/")
    assert page.url.endswith(f"/arsrapport/4642/{year}/")
    page.get_by_role("heading", name=f"Årsrapport {year} – Lærdal").wait_for()
    assert_accessible(page, "the annual report")
    page.get_by_label("Rekrutteringstiltak").fill("Fastlønn og veiledning i arbeidstiden.")
    page.get_by_label("ALIS-stillinger planlagt neste år").fill("1")
    screenshot(page, "annual-report")
    page.get_by_role("button", name="Lagre utkast").click()
    page.get_by_text("Utkastet er lagret.").wait_for()
    # Bad input: named in the error summary, nothing sent in.
    page.get_by_label("Vikarutgifter (kr)").fill("-100")
    page.get_by_role("button", name="Send inn årsrapporten").click()
    page.get_by_role("link", name="Vikarutgifter (kr): Beløpet kan ikke være negativt.").wait_for()
    assert_accessible(page, "the annual report with an error")
    page.get_by_label("Vikarutgifter (kr)").fill("100000")
    page.get_by_role("button", name="Send inn årsrapporten").click()
    page.get_by_text("Årsrapporten er sendt inn. Takk!").wait_for()
    assert page.get_by_role("button", name="Åpne rapporten igjen").is_visible()


def test_the_regional_overview_and_the_job_page(page: Any, live_server: Any) -> None:
    from veiviser.core.models import RegionalOffice

    region = RegionalOffice.objects.get(name="ALIS Vest (Bergen)")
    sign_in(page, live_server, "alisvest")
    open_page(page, f"{live_server.url}/arsrapport/region/{region.pk}/")
    page.get_by_role("cell", name="Bergen 4601").wait_for()
    assert_accessible(page, "the regional overview of annual reports")
    screenshot(page, "annual-region")
    sign_in(page, live_server, "admin")
    open_page(page, f"{live_server.url}/jobber/")
    page.get_by_role("button", name="Send påminnelser nå").click()
    page.get_by_text("Påminnelsesjobben er lagt i køen.").wait_for()
    assert_accessible(page, "the job page")


def test_the_leaders_start_page_lists_the_due_items(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "leder.laerdal")
    open_page(page, f"{live_server.url}/")
    page.get_by_role("heading", name="Dine gjøremål").wait_for()
    assert page.get_by_role("link", name="årsrapporten", exact=False).first.is_visible()
    assert_accessible(page, "the leader's start page")
    screenshot(page, "home-leader")
