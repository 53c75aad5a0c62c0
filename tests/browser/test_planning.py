"""The locum plan and the cost pages in a real browser: the demo's Lærdal warning, recording a
locum, the costs with the grant comparison, the region page; axe on each, and screenshots."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_accessibility import assert_accessible, open_page


def test_the_leader_sees_the_warning_and_records_a_locum(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "leder.laerdal")
    open_page(page, f"{live_server.url}/vikarplan/4642/")
    main = page.locator("main")
    assert main.locator("h1").inner_text().startswith("Vikarplan")
    alert = main.locator(".ds-alert[data-color=warning]").first
    assert "vikar er ikke avtalt for hele perioden" in alert.inner_text()
    assert main.locator("table caption").count() >= 1
    assert_accessible(page, "the locum plan with a warning")
    screenshot(page, "locum-plan")

    alert.locator("a").click()
    page.wait_for_load_state()
    assert_accessible(page, "the locum form")
    form = page.locator("main form")
    form.locator("input[name=given_name]").fill("Vilde")
    form.locator("input[name=family_name]").fill("Vikar")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith("/vikarplan/4642/")
    assert page.locator("main .ds-alert[data-color=warning]").count() == 0
    assert "Vilde Vikar" in page.locator("main").inner_text()


def test_a_bad_absence_is_announced_on_the_form(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "leder.laerdal")
    open_page(page, f"{live_server.url}/vikarplan/4642/fravaer/ny/")
    form = page.locator("main form")
    form.locator("input[name=start]").fill("2027-05-10")
    form.locator("input[name=end]").fill("2027-05-01")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "Siste dag kan ikke være før første dag." in page.locator("main").inner_text()
    assert_accessible(page, "the absence form with errors")


def test_the_costs_of_a_municipality_and_of_the_region(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "leder.bergen")
    open_page(page, f"{live_server.url}/kostnader/4601/?ar=2025")
    main = page.locator("main")
    assert main.locator("h1").inner_text() == "Kostnader: Bergen"
    assert "Mottatt tilskudd" in main.inner_text()
    assert_accessible(page, "the municipality's costs")
    screenshot(page, "costs")

    sign_in(page, live_server, "alisvest")
    from veiviser.core.models import Municipality

    region = Municipality.objects.get(number="4601").regional_office_id
    open_page(page, f"{live_server.url}/kostnader/region/{region}/?ar=2025")
    assert "Regionen i alt" in page.locator("main").inner_text()
    assert_accessible(page, "the region's costs")
    screenshot(page, "costs-region")
