"""ALIS agreements and grant claims in a real browser, on the demo world: the agreement list,
an agreement with two versions, a new version, the claim computed for Lærdal and the archived
claim; axe on each page, and the screenshots agreement-detail.png and grant-claim.png."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_accessibility import assert_accessible, open_page


def _lardal_agreement_pk() -> int:
    from veiviser.agreements.models import Agreement

    return Agreement.objects.get(
        municipality__number="4642", trainee__person__user__username="alis"
    ).pk


def test_the_agreement_list_and_an_agreement_with_its_history(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "koord.bergen")
    open_page(page, f"{live_server.url}/avtaler/4601/")
    main = page.locator("main")
    assert main.locator("h1").inner_text() == "ALIS-avtaler i Bergen"
    assert main.locator("tbody tr").count() == 4
    assert "Ikke signert" in main.inner_text()
    assert_accessible(page, "the agreement list")

    sign_in(page, live_server, "leder.laerdal")
    pk = _lardal_agreement_pk()
    open_page(page, f"{live_server.url}/avtale/{pk}/")
    main = page.locator("main")
    history = main.locator("#history-heading + .vv-table-wrap tbody tr")
    assert history.count() == 2
    assert "gjeldende" in history.first.inner_text()
    assert_accessible(page, "an agreement with two versions")
    screenshot(page, "agreement-detail")

    main.get_by_role("link", name="Vis versjon 1").click()
    page.wait_for_load_state()
    assert "Gjeldende versjon er 2" in page.locator("main .ds-alert").inner_text()
    assert_accessible(page, "an earlier version")


def test_a_new_version_is_added_and_a_bad_share_is_announced(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "leder.laerdal")
    pk = _lardal_agreement_pk()
    open_page(page, f"{live_server.url}/avtale/{pk}/endre/")
    form = page.locator("main form")
    form.locator("input[name=position_percent]").fill("120")
    form.locator("textarea[name=change_note]").fill("Økt stilling")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    summary = page.locator("main .ds-error-summary")
    assert "Stillingsandelen kan ikke være over 100 %" in summary.inner_text()
    assert_accessible(page, "the version form with an error")
    page.locator("main form input[name=position_percent]").fill("80")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith(f"/avtale/{pk}/")
    assert "Endringen er lagret som versjon 3" in page.locator("body").inner_text()


def test_the_claim_for_lardal_is_computed_and_the_archive_listed(
    page: Any, live_server: Any
) -> None:
    sign_in(page, live_server, "leder.laerdal")
    open_page(page, f"{live_server.url}/tilskudd/4642/beregn/?fra=2024-09-01&til=2025-05-31")
    main = page.locator("main")
    assert "300\u00a0000\u00a0kr" in main.inner_text()
    assert "eksempelsatser" in main.inner_text()
    assert main.get_by_role("button", name="Arkiver kravet").count() == 1
    assert_accessible(page, "the computed claim")

    open_page(page, f"{live_server.url}/tilskudd/4642/")
    rows = page.locator("main #archive-heading + .vv-table-wrap tbody tr")
    assert rows.count() == 1
    assert_accessible(page, "the claim list")
    rows.first.locator("a").first.click()
    page.wait_for_load_state()
    assert page.locator("main h1").inner_text().startswith("Arkivert krav")
    assert_accessible(page, "the archived claim")

    open_page(page, f"{live_server.url}/tilskudd/4642/beregn/?fra=2026-01-01&til=2026-06-30")
    assert (
        "ingen sats for fastlege/fastlegevikar som gjelder 01.2026"
        in page.locator("main").inner_text()
    )
    assert_accessible(page, "a claim the rate table cannot price")


def test_bergens_claim_shows_every_agreement_with_its_reason(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "koord.bergen")
    open_page(page, f"{live_server.url}/tilskudd/4601/beregn/?fra=2024-09-01&til=2025-05-31")
    main = page.locator("main")
    assert main.locator("#lines-heading + .vv-table-wrap tbody tr").count() == 3
    assert "Legen følger gammel ordning" in main.inner_text()
    assert "Ikke med fordi avtalen ikke er signert" in main.inner_text()
    assert_accessible(page, "Bergen's computed claim")
    screenshot(page, "grant-claim")


def test_the_rate_table_for_the_administrator(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "admin")
    open_page(page, f"{live_server.url}/tilskudd/satser/")
    main = page.locator("main")
    assert "eksempel" in main.inner_text()
    assert_accessible(page, "the rate table")
    open_page(page, f"{live_server.url}/tilskudd/satser/ny/")
    assert_accessible(page, "the new rate form")
