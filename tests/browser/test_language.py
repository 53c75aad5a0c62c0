"""The language switcher in the header: bokmål by default even in a browser set up in English,
nynorsk and English on request, and the choice kept across pages and the login."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the header's switch button says in each language.
SWITCH_BUTTON = {"nb": "Bytt språk", "nn": "Byt språk", "en": "Change language"}


def switch_language(page: Any, code: str) -> None:
    switcher = page.locator("header form.vv-lang")
    switcher.locator("select[name=language]").select_option(code)
    with page.expect_navigation():
        switcher.locator("button[type=submit]").click()


def assert_language(page: Any, response: Any, code: str) -> None:
    assert page.locator("html").get_attribute("lang") == code, page.url
    assert page.locator("#vv-language").input_value() == code
    assert (
        page.locator("header form.vv-lang button[type=submit]").inner_text()
        == (SWITCH_BUTTON[code])
    )
    if response is not None:
        assert response.headers.get("content-language") == code


def test_bokmal_is_the_default_in_an_english_browser(
    context: Any, page: Any, live_server: Any
) -> None:
    response = page.goto(f"{live_server.url}/logg-inn/")
    # The browser really asks for English ...
    assert page.evaluate("navigator.language") == "en-US"
    assert response is not None
    assert response.request.all_headers().get("accept-language", "").startswith("en-US")
    # ... and gets bokmål.
    assert_language(page, response, "nb")
    assert page.locator("main h1").inner_text() == "Logg inn"
    login(page, live_server, "alis")
    assert_language(page, None, "nb")
    assert page.locator("header nav").get_by_role("link", name="Oversikt").count() == 1


def test_switching_to_nynorsk_and_english_changes_and_keeps_the_language(
    page: Any, live_server: Any
) -> None:
    response = page.goto(f"{live_server.url}/om/")
    assert_language(page, response, "nb")

    switch_language(page, "nn")
    # Back on the same page, now in nynorsk.
    assert page.url == f"{live_server.url}/om/"
    assert_language(page, None, "nn")
    # Kept on the next pages and through the login.
    response = page.goto(f"{live_server.url}/logg-inn/")
    assert_language(page, response, "nn")
    login(page, live_server, "leder.laerdal")
    assert_language(page, None, "nn")
    assert page.locator("header nav").get_by_role("link", name="Kommunar").count() == 1

    switch_language(page, "en")
    assert page.url == f"{live_server.url}/"
    assert_language(page, None, "en")
    assert page.locator("header nav").get_by_role("link", name="Municipalities").count() == 1
    response = page.goto(f"{live_server.url}/kommuner/4642/")
    assert_language(page, response, "en")
    response = page.goto(f"{live_server.url}/om/")
    assert_language(page, response, "en")
    assert page.locator("main h1").inner_text() == "About Veiviser"

    switch_language(page, "nb")
    assert_language(page, None, "nb")
    assert page.locator("main h1").inner_text() == "Om Veiviser"


def test_the_language_is_kept_after_logging_out(page: Any, live_server: Any) -> None:
    login(page, live_server, "alis")
    switch_language(page, "en")
    assert_language(page, None, "en")
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name="Log out").click()
    response = page.goto(f"{live_server.url}/logg-inn/")
    assert_language(page, response, "en")
    assert page.locator("main h1").inner_text() == "Log in"
