"""Each demo role, logged in through the login form, sees exactly its scope: the start page's
municipalities and ALIS, the navigation, and "not found" for anything outside.

With VEIVISER_SCREENSHOTS=1 (scripts/screenshots.sh) each role's start page is also saved to
docs/screenshots/<username>-start.png."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The header navigation by kind of role: the entries that depend on scope. (Entries that every
# logged-in user has, or that other features add, are not pinned here.)
ALL_NAV = {"Oversikt": True, "Stillinger": True, "Kommuner": True, "Personer": True, "Logg": True}
OVERSIGHT_NAV = {
    "Oversikt": True,
    "Stillinger": True,
    "Kommuner": True,
    "Personer": True,
    "Logg": False,
}
OWN_NAV = {
    "Oversikt": True,
    "Stillinger": False,
    "Kommuner": False,
    "Personer": False,
    "Logg": False,
}

ALIS_VEST = "ALIS Vest (Bergen)"
ALIS_NORD = "ALIS Nord (Bodø)"
# The fourteen demo municipalities, the ones with ALIS: what national and admin users'
# start page lists.
DEMO_WITH_ALIS = {
    "Bergen",
    "Masfjorden",
    "Modalen",
    "Gulen",
    "Hyllestad",
    "Lærdal",
    "Årdal",
    "Ullensvang",
    "Stord",
    "Bømlo",
    "Bjørnafjorden",
    "Kvam",
    "Meløy",
    "Bodø",
}


@dataclass(frozen=True)
class RoleView:
    username: str
    nav: dict[str, bool]  # header navigation entry -> shown
    # The start page's municipality table: exactly these names, or these names among others.
    municipalities: set[str] | None = None
    region: str | None = None  # exactly the municipalities of this regional office
    includes: set[str] = field(default_factory=set)
    excludes: set[str] = field(default_factory=set)
    # Text that must (and must not) be in <main>.
    shows: tuple[str, ...] = ()
    hides: tuple[str, ...] = ()


ROLES = [
    RoleView(
        "leder.laerdal",
        ALL_NAV,
        municipalities={"Lærdal"},
        shows=("Lærdal", "4642"),
        hides=("Bergen", "Bodø", "Årdal", "ALIS jeg følger"),
    ),
    RoleView(
        "leder.bergen",
        ALL_NAV,
        municipalities={"Bergen"},
        shows=("Bergen", "4601"),
        hides=("Lærdal", "Bodø"),
    ),
    RoleView(
        "koord.bergen",
        OVERSIGHT_NAV,
        municipalities={"Bergen"},
        shows=("Bergen",),
        hides=("Lærdal", "Bodø"),
    ),
    RoleView(
        "alisvest",
        OVERSIGHT_NAV,
        region=ALIS_VEST,
        includes={"Bergen", "Lærdal", "Årdal", "Stord", "Kvam", "Eigersund"},
        excludes={"Bodø", "Meløy", "Oslo", "Tromsø"},
        # The whole region is listed, most of it not (yet) registered.
        shows=("kommuner er ikke registrert som utdanningsvirksomhet",),
        hides=("Bodø", "Meløy"),
    ),
    RoleView(
        "alisnord",
        OVERSIGHT_NAV,
        region=ALIS_NORD,
        includes={"Bodø", "Meløy", "Tromsø"},
        excludes={"Bergen", "Lærdal", "Oslo"},
        hides=("Bergen", "Lærdal"),
    ),
    RoleView(
        "nasjonal",
        OVERSIGHT_NAV,
        municipalities=DEMO_WITH_ALIS,
        shows=("1 kommune er ikke registrert som utdanningsvirksomhet",),
        hides=("Oslo",),  # no ALIS in Oslo: not on the start page
    ),
    RoleView("admin", ALL_NAV, municipalities=DEMO_WITH_ALIS, hides=("Oslo",)),
    RoleView(
        "veileder",
        OWN_NAV,
        shows=("ALIS jeg følger", "Lærdal", "Årdal"),
        hides=("Bergen", "Bodø", "Min spesialisering"),
    ),
    RoleView(
        "supervisor",
        OWN_NAV,
        shows=("ALIS jeg følger", "Lærdal"),
        hides=("Årdal", "Bergen", "Min spesialisering"),
    ),
    RoleView(
        "alis",
        OWN_NAV,
        shows=("Min spesialisering", "ALIS i Lærdal siden 01.09.2022."),
        hides=("ALIS jeg følger", "Bergen", "Årdal"),
    ),
]


def start_page_municipalities(page: Any) -> list[str]:
    table = page.locator("section[aria-labelledby=municipalities-heading] table")
    if table.count() == 0:
        return []
    return [name.strip() for name in table.locator("tbody tr td:first-child a").all_inner_texts()]


def nav_labels(page: Any) -> list[str]:
    return [label.strip() for label in page.locator("header nav a").all_inner_texts()]


def full_name(username: str) -> str:
    from veiviser.accounts.models import User

    return User.objects.select_related("person").get(username=username).person.full_name


@pytest.mark.parametrize("role", ROLES, ids=[r.username for r in ROLES])
def test_each_role_sees_exactly_its_scope_on_the_start_page(
    page: Any, live_server: Any, role: RoleView
) -> None:
    from veiviser.core.models import Municipality

    login(page, live_server, role.username)
    assert page.url == f"{live_server.url}/"
    main = page.locator("main")
    heading = main.locator("h1").inner_text()
    assert heading == f"Velkommen, {full_name(role.username)}"
    assert page.locator("header .vv-user").inner_text().strip().endswith(full_name(role.username))
    labels = nav_labels(page)
    assert "API-nøkler" in labels
    for label, shown in role.nav.items():
        assert (label in labels) == shown, f"{label!r} {'missing from' if shown else 'in'} {labels}"
    assert page.locator('header nav a[aria-current="page"]').inner_text().strip() == "Oversikt"

    listed = start_page_municipalities(page)
    assert len(listed) == len(set(listed)), f"a municipality is listed twice: {listed}"
    if role.municipalities is not None:
        assert set(listed) == role.municipalities
    if role.region is not None:
        expected = set(
            Municipality.objects.filter(regional_office__name=role.region).values_list(
                "name", flat=True
            )
        )
        assert len(expected) > 50  # the whole region, not only the demo municipalities
        assert set(listed) == expected
    assert role.includes <= set(listed), f"missing: {role.includes - set(listed)}"
    assert not role.excludes & set(listed), f"outside scope: {role.excludes & set(listed)}"
    if role.nav == OWN_NAV:
        assert listed == []
        assert main.locator("#municipalities-heading").count() == 0

    text = main.inner_text()
    for expected_text in role.shows:
        assert expected_text in text, f"{expected_text!r} not on {role.username}'s start page"
    for hidden in role.hides:
        assert hidden not in text, f"{hidden!r} on {role.username}'s start page"

    screenshot(page, f"{role.username}-start")


def mentored_rows(page: Any) -> list[tuple[str, str]]:
    rows = page.locator("section[aria-labelledby=mentored-heading] tbody tr").all()
    cells = [row.locator("td") for row in rows]
    return [(c.nth(0).inner_text().strip(), c.nth(1).inner_text().strip()) for c in cells]


def test_the_veileder_sees_the_alis_they_follow_in_laerdal_and_ardal(
    page: Any, live_server: Any
) -> None:
    from veiviser.training.models import Trainee

    laerdal_alis = full_name("alis")
    ardal_alis = Trainee.objects.select_related("person").get(municipality__number="4643")
    login(page, live_server, "veileder")
    assert sorted(mentored_rows(page)) == sorted(
        [(laerdal_alis, "Lærdal"), (ardal_alis.person.full_name, "Årdal")]
    )


def test_the_supervisor_sees_only_the_laerdal_alis(page: Any, live_server: Any) -> None:
    login(page, live_server, "supervisor")
    assert mentored_rows(page) == [(full_name("alis"), "Lærdal")]


def test_the_alis_gets_not_found_for_a_municipality_outside_their_scope(
    page: Any, live_server: Any
) -> None:
    login(page, live_server, "alis")
    response = page.goto(f"{live_server.url}/kommuner/4601/")
    assert response is not None and response.status == 404
    assert page.locator("main h1").inner_text() == "Fant ikke siden"
    assert "Bergen" not in page.locator("main").inner_text()
    assert page.title() == "Fant ikke siden – Veiviser"
    # ... while their own municipality opens.
    response = page.goto(f"{live_server.url}/kommuner/4642/")
    assert response is not None and response.status == 200
    assert page.locator("main h1").inner_text().startswith("Lærdal")


def test_a_leader_gets_not_found_for_another_municipality(page: Any, live_server: Any) -> None:
    login(page, live_server, "leder.laerdal")
    response = page.goto(f"{live_server.url}/kommuner/4601/endre/")
    assert response is not None and response.status == 404
    assert page.locator("main h1").inner_text() == "Fant ikke siden"


def test_alisnord_cannot_open_bergen_but_opens_bodo(page: Any, live_server: Any) -> None:
    login(page, live_server, "alisnord")
    response = page.goto(f"{live_server.url}/kommuner/4601/")
    assert response is not None and response.status == 404
    page.goto(f"{live_server.url}/")
    page.locator("main").get_by_role("link", name="Bodø", exact=True).click()
    page.wait_for_url(f"{live_server.url}/kommuner/1804/")
    assert page.locator("main h1").inner_text().startswith("Bodø")
    assert "Bodø legesenter" in page.locator("main").inner_text()


def test_nasjonal_sees_all_357_municipalities(page: Any, live_server: Any) -> None:
    login(page, live_server, "nasjonal")
    page.locator("header nav").get_by_role("link", name="Kommuner").click()
    page.wait_for_url(f"{live_server.url}/kommuner/")
    main = page.locator("main")
    assert main.locator("table caption").inner_text().strip() == "357 kommuner"
    assert main.locator("tbody tr").count() == 50  # paginated, 50 a page
    assert main.locator("tbody tr").first.locator("td").first.inner_text() == "0301"
    assert main.locator("nav.ds-pagination").get_by_role("link", name="Side 8").count() == 1
    # Read only: no centrality import, and the detail page has no edit button.
    assert main.get_by_role("link", name="Importer sentralitet").count() == 0
    page.goto(f"{live_server.url}/kommuner/4642/")
    assert page.locator("main").get_by_role("link", name="Endre", exact=True).count() == 0


def test_admin_sees_the_centrality_import_link(page: Any, live_server: Any) -> None:
    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/kommuner/")
    main = page.locator("main")
    assert main.locator("table caption").inner_text().strip() == "357 kommuner"
    main.get_by_role("link", name="Importer sentralitet").click()
    page.wait_for_url(f"{live_server.url}/kommuner/sentralitet/")
    assert page.locator("main input[type=file]").count() == 1


def test_a_leader_does_not_see_the_centrality_import_link(page: Any, live_server: Any) -> None:
    login(page, live_server, "leder.laerdal")
    page.goto(f"{live_server.url}/kommuner/")
    main = page.locator("main")
    assert main.locator("table caption").inner_text().strip() == "1 kommune"
    assert main.get_by_role("link", name="Importer sentralitet").count() == 0
    response = page.goto(f"{live_server.url}/kommuner/sentralitet/")
    assert response is not None and response.status == 403
