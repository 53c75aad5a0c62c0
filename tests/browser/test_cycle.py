"""The yearly cycle in a real browser: Lærdal's workspace and self-assessment (demo data),
completing a task that rolls over, starting a new municipality from the template, the regional
office's comment; axe on each page, and the screenshots cycle-workspace and cycle-assessment."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_accessibility import assert_accessible, open_page


@pytest.fixture(autouse=True, scope="module")
def _kaplan_meier_loaded() -> None:
    """The key parameters use the workforce Kaplan–Meier (lifelines), whose first import takes
    seconds; the live server runs in this process, so load it before the clock starts."""
    import lifelines  # noqa: F401


def test_the_leader_works_through_the_cycle(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "leder.laerdal")
    open_page(page, f"{live_server.url}/rekruttere-beholde/4642/")
    main = page.locator("main")
    assert main.locator("h1").inner_text() == "Rekruttere og beholde – Lærdal"
    text = main.inner_text()
    for step in ("Planlegge", "Rekruttere", "Beholde", "Suksesskriterier"):
        assert step in text
    assert main.locator("tr[data-state=overdue]").count() >= 1
    assert_accessible(page, "the cycle workspace")
    screenshot(page, "cycle-workspace")

    # The task due this month: done, and next year's occurrence appears.
    main.locator("tr[data-state=due] a").first.click()
    page.wait_for_load_state()
    assert_accessible(page, "a cycle task")
    form = page.locator("main form[action$='/status/']")
    form.locator("select[name=status]").select_option("done")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    history = page.locator("main table").last.inner_text()
    assert "Utført" in history and "Planlagt" in history

    open_page(page, f"{live_server.url}/rekruttere-beholde/4642/egenvurdering/")
    table = page.locator("#assessment-table")
    assert table.locator("thead th").nth(1).inner_text().startswith("20")
    assert "opp" in table.inner_text()
    assert "Median avtalevarighet" in page.locator("#parameter-table").inner_text()
    assert_accessible(page, "the self-assessment")
    screenshot(page, "cycle-assessment")

    page.locator("main .vv-actions a").first.click()
    page.wait_for_load_state()
    assert_accessible(page, "the self-assessment form")
    page.locator("main select[name=a1_score]").select_option("5")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/egenvurdering/")

    open_page(page, f"{live_server.url}/rekruttere-beholde/4642/prosjekt/")
    assert "Styringsgruppe" in page.locator("main").inner_text()
    assert_accessible(page, "the local project")


def test_a_new_municipality_starts_from_the_template(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "admin")
    open_page(page, f"{live_server.url}/rekruttere-beholde/4643/")
    page.locator("main a", has_text="Start med malen").click()
    page.wait_for_load_state()
    assert_accessible(page, "the template")
    page.locator("main input[value=velkomstpakke]").uncheck()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    text = page.locator("main").inner_text()
    assert "Gå gjennom FHIs folkehelseprofil" in text and "velkomstpakken" not in text
    assert_accessible(page, "a workspace just started")


def test_the_regional_office_reads_and_comments(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "alisvest")
    open_page(page, f"{live_server.url}/rekruttere-beholde/")
    assert "Lærdal" in page.locator("main").inner_text()
    assert_accessible(page, "the cycle overview")
    page.locator("main a", has_text="Lærdal").click()
    page.wait_for_load_state()
    assert page.locator("main a", has_text="Start med malen").count() == 0
    page.locator("main textarea[name=text]").fill("Husk å dele velkomstpakken med Årdal.")
    with page.expect_navigation():
        page.locator("main form[action$='/kommentar/'] button[type=submit]").click()
    assert "Husk å dele velkomstpakken" in page.locator("main").inner_text()
