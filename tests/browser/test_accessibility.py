"""axe-core (WCAG 2.1 A and AA rules) on every main page, as the people who use it see it, and
the error summary of a form announced and linked to its fields.

A failure lists every violation: rule id, impact, the elements (CSS targets) and axe's help."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}


def axe_violations(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")
    # Contrast is computed on the text as drawn: wait for the web font.
    page.evaluate("document.fonts.ready.then(() => true)")
    return list(Axe().run(page, options=AXE_OPTIONS).response["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:10]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more elements")
    return "\n".join(lines)


def assert_accessible(page: Any, what: str) -> None:
    violations = axe_violations(page)
    assert not violations, (
        f"{len(violations)} WCAG 2.1 AA violation(s) on {what} ({page.url}):\n"
        + describe(violations)
    )


def open_page(page: Any, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, (
        f"{url} answered {response.status if response else None}, expected {status}"
    )


def test_axe_catches_a_violation(page: Any, live_server: Any) -> None:
    """The check itself works: an image without alt text, an unlabelled input and grey text
    on grey fail it."""
    open_page(page, f"{live_server.url}/om/")
    page.evaluate(
        """() => {
        const main = document.querySelector('main');
        const img = document.createElement('img');
        img.src = '/static/veiviser/missing.png';
        main.appendChild(img);
        const input = document.createElement('input');
        input.type = 'text';
        main.appendChild(input);
        const faint = document.createElement('p');
        faint.textContent = 'Svak tekst';
        faint.style.color = '#999999';
        faint.style.background = '#aaaaaa';
        main.appendChild(faint);
    }"""
    )
    ids = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "label", "color-contrast"} <= ids


def test_login_page(page: Any, live_server: Any) -> None:
    open_page(page, f"{live_server.url}/logg-inn/")
    assert page.locator("main h1").inner_text() == "Logg inn"
    assert_accessible(page, "the login page")


def test_login_page_with_an_error_is_announced(page: Any, live_server: Any) -> None:
    open_page(page, f"{live_server.url}/logg-inn/")
    main = page.locator("main")
    main.locator("input[name=username]").fill("alis")
    main.locator("input[name=password]").fill("wrong-password")
    with page.expect_navigation():
        main.locator("button[type=submit]").click()
    summary = main.locator(".ds-error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "Feil brukernavn eller passord." in summary.inner_text()
    assert_accessible(page, "the login page with an error")


# One login of each kind of role: their start pages differ (own record, followed ALIS,
# one municipality, a region, the whole country).
START_PAGE_ROLES = [
    "alis",
    "veileder",
    "supervisor",
    "leder.laerdal",
    "koord.bergen",
    "alisvest",
    "nasjonal",
    "admin",
]


def test_start_page_of_every_kind_of_role(page: Any, live_server: Any) -> None:
    """One test signing in as each in turn (a fresh test each would cost a database restore
    and a browser context); every role's violations are reported together."""
    found = []
    for username in START_PAGE_ROLES:
        sign_in(page, live_server, username)
        open_page(page, f"{live_server.url}/")
        assert page.locator("main h1").inner_text().startswith("Velkommen,"), username
        violations = axe_violations(page)
        if violations:
            found.append(f"{username}'s start page ({page.url}):\n{describe(violations)}")
    assert not found, "WCAG 2.1 AA violations:\n" + "\n".join(found)


def test_municipality_list_with_pagination(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "admin")
    open_page(page, f"{live_server.url}/kommuner/?page=2")
    main = page.locator("main")
    assert main.locator("table caption").inner_text().strip() == "357 kommuner"
    assert main.locator("nav.ds-pagination").count() == 1
    assert_accessible(page, "the municipality list, page 2 of 8")


def test_municipality_list_filtered_to_nothing(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "alisvest")
    open_page(page, f"{live_server.url}/kommuner/?q=finnesikke")
    assert "Ingen kommuner passer til filteret." in page.locator("main").inner_text()
    assert_accessible(page, "the municipality list with no match")


def test_municipality_detail(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "leder.bergen")
    open_page(page, f"{live_server.url}/kommuner/4601/")
    main = page.locator("main")
    assert main.locator("h1").inner_text().startswith("Bergen")
    assert "Åsane legesenter" in main.inner_text()
    assert_accessible(page, "the municipality detail page (leader, with edit links)")


def test_municipality_edit_form(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "admin")  # the administrator's form has every field
    open_page(page, f"{live_server.url}/kommuner/4642/endre/")
    assert page.locator("main h1").inner_text() == "Endre Lærdal"
    assert page.locator("main select[name=centrality]").count() == 1
    assert_accessible(page, "the municipality edit form")


def test_municipality_edit_form_errors_are_announced_and_linked(
    page: Any, live_server: Any
) -> None:
    from veiviser.core.models import Municipality

    sign_in(page, live_server, "leder.laerdal")
    open_page(page, f"{live_server.url}/kommuner/4642/endre/")
    main = page.locator("main")
    # A registration date without the registration: refused, naming the field.
    main.get_by_label("Registrert utdanningsvirksomhet").uncheck()
    main.get_by_label("Registrert dato").fill("2019-05-02")
    with page.expect_navigation() as navigation:
        main.get_by_role("button", name="Lagre").click()
    assert navigation.value.status == 400

    summary = main.locator(".ds-error-summary")
    assert summary.get_attribute("role") == "alert"
    message = "En dato kan bare settes når kommunen er registrert utdanningsvirksomhet."
    assert message in summary.inner_text()
    # The summary takes focus, so a screen reader starts there.
    assert page.evaluate("document.activeElement.classList.contains('ds-error-summary')")
    # The summary names itself by its heading.
    heading_id = summary.get_attribute("aria-labelledby")
    heading = page.locator(f"#{heading_id}").inner_text()
    assert heading == "For å gå videre må du rette opp følgende:"

    # Each error is a link to its field ...
    link = summary.get_by_role("link", name=f"Registrert dato: {message}")
    assert link.get_attribute("href") == "#id_registered_at"
    field = main.locator("#id_registered_at")
    # ... which is marked invalid and described by its message.
    assert field.get_attribute("aria-invalid") == "true"
    described_by = (field.get_attribute("aria-describedby") or "").split()
    assert "id_registered_at_error" in described_by
    assert page.locator("#id_registered_at_error").inner_text() == message
    assert "id_registered_at_helptext" in described_by
    # Following the link puts the keyboard focus in the field.
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_registered_at"

    assert_accessible(page, "the municipality edit form with a validation error")
    assert Municipality.objects.get(number="4642").registered_institution  # unchanged


def test_person_list(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "leder.laerdal")
    open_page(page, f"{live_server.url}/")
    page.locator("header nav").get_by_role("link", name="Personer").click()
    page.wait_for_url(f"{live_server.url}/personer/")
    assert page.locator("main h1").inner_text() == "Personer"
    assert page.locator("main tbody tr").count() > 1
    assert_accessible(page, "the person list")


def test_person_detail_with_an_account_and_its_roles(page: Any, live_server: Any) -> None:
    from veiviser.accounts.models import User

    alis = User.objects.get(username="alis").person
    sign_in(page, live_server, "leder.laerdal")
    open_page(page, f"{live_server.url}/personer/{alis.pk}/")
    main = page.locator("main")
    assert main.locator("h1").inner_text().startswith(alis.full_name)
    assert "Brukernavn: alis" in main.inner_text()
    assert main.get_by_role("button", name="Legg til rolle").count() == 1
    assert_accessible(page, "a person's page with the role form")


def test_person_detail_without_an_account(page: Any, live_server: Any) -> None:
    from veiviser.core.models import Person

    person = Person.objects.filter(home_municipality__number="4642", user__isnull=True).first()
    assert person is not None
    sign_in(page, live_server, "leder.laerdal")
    open_page(page, f"{live_server.url}/personer/{person.pk}/")
    assert page.locator("main").get_by_role("button", name="Opprett bruker").count() == 1
    assert_accessible(page, "a person's page with the new-user form")


def test_person_form_errors(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "leder.laerdal")
    open_page(page, f"{live_server.url}/personer/ny/")
    main = page.locator("main")
    main.get_by_label("Fornavn").fill("Test")
    main.get_by_label("HPR-nummer").fill("12ab")
    with page.expect_navigation() as navigation:
        main.get_by_role("button", name="Lagre").click()
    assert navigation.value.status == 400
    assert "HPR-nummeret må være 7–9 siffer." in main.locator(".ds-error-summary").inner_text()
    assert_accessible(page, "the new-person form with errors")


def test_token_page_and_a_new_key(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "veileder")
    open_page(page, f"{live_server.url}/")
    page.locator("header nav").get_by_role("link", name="API-nøkler").click()
    page.wait_for_url(f"{live_server.url}/api-nokler/")
    assert_accessible(page, "the API key page")
    main = page.locator("main")
    main.get_by_label("Navn på nøkkelen").fill("Rapportskript")
    with page.expect_navigation():
        main.get_by_role("button", name="Lag nøkkel").click()
    assert main.locator("code.vv-code").count() == 1
    assert "Rapportskript" in main.locator("table").inner_text()
    assert_accessible(page, "the API key page showing a new key")


def test_audit_log(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "admin")
    open_page(page, f"{live_server.url}/")
    page.locator("header nav").get_by_role("link", name="Logg").click()
    page.wait_for_url(f"{live_server.url}/logg/")
    assert "Demoverden opprettet (fiktive personer)" in page.locator("main").inner_text()
    assert_accessible(page, "the audit log")


def test_about_page(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "alis")
    open_page(page, f"{live_server.url}/")
    page.locator("footer").get_by_role("link", name="Om Veiviser").click()
    page.wait_for_url(f"{live_server.url}/om/")
    assert page.locator("main h1").inner_text() == "Om Veiviser"
    assert_accessible(page, "the about page")


def test_not_found_page(page: Any, live_server: Any) -> None:
    sign_in(page, live_server, "alis")
    open_page(page, f"{live_server.url}/kommuner/4601/", status=404)
    assert page.locator("main h1").inner_text() == "Fant ikke siden"
    assert_accessible(page, "the 404 page")


def test_not_found_page_anonymous(page: Any, live_server: Any) -> None:
    open_page(page, f"{live_server.url}/finnes-ikke/", status=404)
    assert page.locator("main h1").inner_text() == "Fant ikke siden"
    assert_accessible(page, "the 404 page, not logged in")
