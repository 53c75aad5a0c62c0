"""The regional office ALIS-Vest in a real browser: the dashboard, the veileder pool, coupling
Modalen's ALIS with a veileder from the pool, and quality across municipalities — each page
checked with axe (WCAG 2.1 AA) and photographed for the docs."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_accessibility import assert_accessible, open_page


def _region_url(page: Any, live_server: Any) -> str:
    open_page(page, f"{live_server.url}/region/")
    assert "/region/" in page.url and page.url.rstrip("/") != f"{live_server.url}/region"
    return page.url


def test_alisvest_follows_the_region_and_couples_modalens_alis(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "alisvest")
    dashboard = _region_url(page, live_server)
    assert page.get_by_role("heading", name="ALIS Vest (Bergen)", level=1).is_visible()
    assert page.locator('[data-figure="without_veileder"]').inner_text() == "1"
    assert page.get_by_role("link", name="Modalen").first.is_visible()
    assert_accessible(page, "the regional dashboard")
    screenshot(page, "region-dashboard")

    open_page(page, dashboard + "veiledere/")
    assert page.get_by_role("heading", name="Interkommunale avtaler om veiledning").is_visible()
    assert page.locator("table").last.get_by_text("Årdal").first.is_visible()
    assert_accessible(page, "the veileder pool")
    screenshot(page, "region-pool")

    open_page(page, dashboard + "kvalitet/")
    assert page.get_by_role("link", name="Bergen").first.is_visible()
    assert_accessible(page, "the quality page")
    screenshot(page, "region-quality")

    open_page(page, dashboard + "kobling/")
    assert_accessible(page, "the matching page")
    page.get_by_role("button", name="Koble").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("er nå veileder for").is_visible()
    assert page.get_by_role("heading", name="Alle ALIS i regionen har veileder").is_visible()
    open_page(page, dashboard)
    assert page.locator('[data-figure="without_veileder"]').inner_text() == "0"


def test_national_reader_chooses_a_region(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "nasjonal")
    open_page(page, f"{live_server.url}/region/")
    page.get_by_role("link", name="ALIS Nord (Bodø)").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="ALIS Nord (Bodø)", level=1).is_visible()
    assert_accessible(page, "the regional dashboard for a national reader")
