"""The product's three acceptance journeys, driven in a real browser like a user would: by
following links and filling in forms (only the first page of each journey is opened by URL).

1. A municipality new to ALIS (Aurland, not in the demo world) gets from nothing to its
   general training plan (the registration document), its first ALIS with the individual plan,
   an ALIS agreement and its grant worksheet (XLSX) — with the administrator entering the year's
   rate on the way.
2. An ALIS who changes municipality loses nothing: the demo ALIS asks to move from Lærdal to
   Bergen, Bergen accepts, and Bergen sees the same goals, service and supervision; Lærdal can
   still issue its service certificate.
3. A regional office sees trouble early: ALIS-Vest's dashboard warnings, one followed to the
   ALIS page, and Modalen's ALIS without a veileder coupled from the pool.

axe (WCAG 2.1 AA) runs on every page the journeys reach; with VEIVISER_SCREENSHOTS=1 each step
is photographed as docs/screenshots/journey-<n>-<step>.png (used by docs/guide.md)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest

from tests.browser.conftest import login, screenshot, sign_in
from tests.browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_MUNICIPALITY = "4641"  # Aurland: in ALIS-Vest's region, not in the demo world
NEW_LEADER = "leder.aurland"


# --- helpers -----------------------------------------------------------------------------------


def _main(page: Any) -> Any:
    return page.locator("main")


def _click(page: Any, locator: Any) -> None:
    """Follow a link or press a submit button and wait for the next page."""
    with page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None and response.status < 400, (
        f"{page.url} answered {response.status if response else None}"
    )


def _submit(page: Any, name: str, status: int = 200) -> None:
    with page.expect_navigation() as navigation:
        _main(page).get_by_role("button", name=name, exact=True).click()
    response = navigation.value
    assert response is not None and response.status == status, (
        f"{name!r} at {page.url} answered {response.status if response else None}:\n"
        + _main(page).inner_text()[:1500]
    )


def _nav(page: Any, name: str) -> None:
    _click(page, page.locator("header nav").get_by_role("link", name=name, exact=True))


def _step(page: Any, name: str, what: str) -> None:
    """Every page of a journey: accessible, and photographed for the guide."""
    assert_accessible(page, what)
    screenshot(page, name)


def _download(page: Any, link: Any) -> tuple[str, bytes]:
    """The file behind a link, fetched with the page's session (content type, body)."""
    href = link.evaluate("a => a.href")  # absolute
    response = page.request.get(href)
    assert response.status == 200, f"{href} answered {response.status}"
    return response.headers.get("content-type", ""), response.body()


def _pdf(page: Any, link: Any) -> bytes:
    content_type, body = _download(page, link)
    assert content_type.startswith("application/pdf"), content_type
    assert body.startswith(b"%PDF"), body[:20]
    return body


def _figure(text: str, label: str) -> str:
    """The value of a requirement row ("Label<TAB>Status<TAB>Numbers") on the progress page."""
    for line in text.splitlines():
        if line.startswith(label + "\t"):
            return line
    raise AssertionError(f"no row {label!r} in:\n{text[:2000]}")


# --- journey 1 ---------------------------------------------------------------------------------


def _new_leader() -> None:
    """The municipality's new leader: a user the (fictitious) IT department created, with the
    leader role for Aurland — nothing else exists for Aurland."""
    from veiviser.accounts.models import Role, RoleAssignment, User
    from veiviser.core.models import Municipality, Person
    from veiviser.demo.world import DEMO_PASSWORD

    aurland = Municipality.objects.get(number=NEW_MUNICIPALITY)
    assert not aurland.registered_institution and not aurland.offices.exists()
    person = Person.objects.create(
        given_name="Ane",
        family_name="Flåm",
        fictitious=True,
        home_municipality=aurland,
        email="leder.aurland@demo.invalid",
    )
    user = User.objects.create_user(
        username=NEW_LEADER,
        password=DEMO_PASSWORD,
        first_name="Ane",
        last_name="Flåm",
        email=person.email,
        person=person,
    )
    RoleAssignment.objects.create(user=user, role=Role.LEADER, municipality=aurland)


def journey_1(page: Any, live_server: Any) -> None:
    main = _main(page)
    # The leader logs in and opens "Min kommune".
    login(page, live_server, NEW_LEADER)
    assert main.locator("h1").inner_text().startswith("Velkommen")
    _step(page, "journey-1-01-start", "the new leader's start page")
    _nav(page, "Min kommune")
    assert main.locator("h1").inner_text().startswith("Aurland")
    assert "Ikke registrert" in main.inner_text()
    _step(page, "journey-1-02-municipality", "a new municipality's page")

    # The GP office where the ALIS will work.
    _click(page, main.get_by_role("link", name="Legg til legekontor"))
    _step(page, "journey-1-03-office", "the new office form")
    main.get_by_label("Navn").fill("Aurland legekontor")
    main.get_by_label("Adresse").fill("Vangen 1, 5745 Aurland")
    _submit(page, "Lagre")
    assert "Aurland legekontor" in main.locator("table").first.inner_text()

    # The general training plan: Veiviser's template, filled in and saved, then the PDF that
    # goes with the application to Helsedirektoratet.
    _click(page, main.get_by_role("link", name="Generell utdanningsplan"))
    assert "Kommunen har ikke lagret en plan ennå" in main.inner_text()
    _step(page, "journey-1-04-plan-template", "the plan template")
    _click(page, main.get_by_role("link", name="Fyll ut planen"))
    _step(page, "journey-1-05-plan-form", "the plan form")
    open_fields = int(re.search(r"(\d+) malfelt", main.inner_text()).group(1))
    # Fill in the template's fields: here the first section's date.
    section = main.get_by_label("1 Organisering og ansvar")
    text = section.input_value()
    assert "[Dato for søknad eller registrering]" in text
    section.fill(
        text.replace("[Dato for søknad eller registrering]", "Søknad sendt 1. november 2025.")
    )
    main.get_by_label("Ansvarlig for planen (navn)").fill("Ane Flåm")
    main.get_by_label("Stilling").fill("Kommuneoverlege")
    main.get_by_label("E-post").fill("leder.aurland@demo.invalid")
    _submit(page, "Lagre ny versjon")
    assert "lagret som versjon 1" in page.locator("body").inner_text()
    assert f"Planen har {open_fields - 1} malfelt" in main.inner_text()
    _step(page, "journey-1-06-plan-saved", "the saved plan")
    _pdf(page, main.get_by_role("link", name="Last ned PDF"))

    # Helsedirektoratet registers Aurland: the leader records it.
    _click(
        page,
        page.locator("nav[aria-label='Brødsmuler'], main")
        .get_by_role("link", name="Aurland")
        .first,
    )
    _click(page, main.get_by_role("link", name="Endre", exact=True))
    main.get_by_label("Registrert utdanningsvirksomhet").check()
    main.get_by_label("Registrert dato").fill("2025-12-01")
    _step(page, "journey-1-07-registered", "the registration form")
    _submit(page, "Lagre")
    assert "Registrert (01.12.2025)" in main.inner_text()

    # The first ALIS: creating it creates the individual training plan.
    _nav(page, "ALIS")
    _click(page, main.get_by_role("link", name="Ny ALIS"))
    main.get_by_label("Kommune").select_option(label=f"{NEW_MUNICIPALITY} Aurland")
    main.get_by_label("Legekontor").select_option(label="Aurland legekontor")
    main.get_by_label("Start spesialisering (del 3)").fill("2026-01-01")
    main.get_by_label("Fornavn").fill("Sander")
    main.get_by_label("Etternavn").fill("Vangsnes")
    main.get_by_label("E-post").fill("sander.vangsnes@demo.invalid")
    _step(page, "journey-1-08-new-alis", "the new ALIS form")
    _submit(page, "Lagre")
    assert main.locator("h1").inner_text().startswith("Sander Vangsnes")
    _step(page, "journey-1-09-alis", "the new ALIS's progress page")
    _pdf(page, main.get_by_role("link", name="Individuell utdanningsplan (PDF)"))

    # The ALIS agreement, from Helsedirektoratet's template.
    _click(page, main.get_by_role("link", name="ALIS-avtale"))
    _click(page, main.get_by_role("link", name="Ny avtale fra mal"))
    main.get_by_label("Avtalen gjelder fra").fill("2026-01-01")
    main.get_by_label("Signert dato").fill("2025-12-15")
    # The template's list-cap steps start this month: the leader moves them to the start.
    main.get_by_label("Listetak og planlagt opptrapping").fill(
        "01.01.2026 500\n01.01.2027 800\n01.01.2028 1000"
    )
    _step(page, "journey-1-10-agreement-form", "the agreement form")
    _submit(page, "Lagre avtalen")
    assert "ALIS-avtalen er lagret som versjon 1." in page.locator("body").inner_text()
    assert "01.01.2026\t500" in main.inner_text()
    _step(page, "journey-1-11-agreement", "the new agreement")
    _pdf(page, main.get_by_role("link", name=re.compile("PDF")).first)

    # The grant claim: the rate table has no 2026 rate yet, and Veiviser says so.
    _click(page, main.get_by_role("link", name="Aurland").first)
    _click(page, main.get_by_role("link", name="Tilskudd", exact=True))
    _step(page, "journey-1-12-grants", "the grant page of a new municipality")
    main.get_by_label("Periode fra").fill("2026-01-01")
    main.get_by_label("Periode til").fill("2026-06-30")
    _submit(page, "Beregn krav")
    assert "ingen sats for fastlege/fastlegevikar som gjelder 01.2026" in main.inner_text()
    claim_url = page.url

    # The administrator enters the year's rate (the guide says: from the year's regulations).
    sign_in(page, live_server, "admin")
    page.goto(live_server.url + "/")
    _nav(page, "Kommuner")
    main.get_by_label("Søk").fill("Aurland")
    _submit(page, "Filtrer")
    _click(page, main.get_by_role("link", name="Aurland"))
    # ... and, as the centrality class is not imported yet, sets Aurland's (SSB class 6).
    _click(page, main.get_by_role("link", name="Endre", exact=True))
    main.get_by_label("Sentralitet (SSB)").select_option("6")
    _submit(page, "Lagre")
    _click(page, main.get_by_role("link", name="Tilskudd", exact=True))
    _click(page, main.get_by_role("link", name="Satser for tilskudd"))
    _click(page, main.get_by_role("link", name="Ny sats"))
    main.get_by_label("Legetype").select_option(label="fastlege/fastlegevikar")
    main.get_by_label("Gyldig fra").fill("2026-01-01")
    main.get_by_label("Gyldig til").fill("2026-12-31")
    main.get_by_label("Årssats (kr)").fill("310000")
    main.get_by_label("Tillegg sentralitetsklasse 6 (kr per år)").fill("100000")
    main.get_by_label("Kilde").fill("Regelverk for Nasjonal ALIS og veiledning 2026 (eksempel)")
    _step(page, "journey-1-13-rate-form", "the new rate form")
    _submit(page, "Lagre")
    assert "310 000 kr".replace(" ", "\u00a0") in main.inner_text()
    _step(page, "journey-1-14-rates", "the rate table with the 2026 rate")

    # Back as the leader: the claim, archived, and its worksheet.
    sign_in(page, live_server, NEW_LEADER)
    page.goto(claim_url)
    _submit(page, "Beregn krav")
    text = main.inner_text()
    _step(page, "journey-1-15-claim", "the computed claim")
    main.get_by_label("Merknad").fill("Første krav for Aurland")
    _submit(page, "Arkiver kravet")
    _step(page, "journey-1-16-claim-archived", "the archived claim")
    assert "Sum krav\n205\u00a0000\u00a0kr" in text, text
    assert "Kravet er arkivert." in page.locator("body").inner_text()
    _pdf(page, main.get_by_role("link", name="Last ned sammendrag (PDF)"))
    content_type, body = _download(
        page, main.get_by_role("link", name="Last ned søknadsgrunnlag (XLSX)")
    )
    assert "spreadsheetml" in content_type, content_type
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(body), read_only=True)
    sheet = workbook.worksheets[0]
    cells = {value for row in sheet.iter_rows(values_only=True) for value in row if value}
    assert workbook.sheetnames[0] == "Søknadsgrunnlag"
    assert {"Aurland (4641)", "Sander Vangsnes", 205000} <= cells


# --- journey 2 ---------------------------------------------------------------------------------

# The progress page's requirement rows whose numbers must survive a move unchanged.
KEPT = [
    "Åpen uselektert allmennpraksis",
    "Allmennmedisinsk tjeneste i alt",
    "Annen allmennmedisinsk tjeneste",
    "Institusjonstjeneste",
    "Individuell veiledning",
    "Gruppeveiledning",
    "Læringsmål",
]


def _progress(page: Any) -> dict[str, str]:
    """What the progress page says: each kept requirement's numbers, the goals tab's count and
    the number of supervision meetings (counted on the Veiledning tab, then back)."""
    main = _main(page)
    text = main.locator("table").first.inner_text()
    figures = {label: _figure(text, label).split("\t", 2)[2] for label in KEPT}
    figures["goals"] = main.get_by_role("link", name=re.compile(r"^Læringsmål \(")).inner_text()
    _click(page, main.get_by_role("link", name="Veiledning", exact=True))
    figures["meetings"] = str(main.locator("table tbody tr").count())
    page.go_back()
    page.wait_for_load_state()
    return figures


def journey_2(page: Any, live_server: Any) -> None:
    main = _main(page)
    # Before: Lærdal's leader opens the ALIS from the municipality page.
    sign_in(page, live_server, "leder.laerdal")
    page.goto(live_server.url + "/")
    _nav(page, "Min kommune")
    _click(page, main.get_by_role("link", name="Tuva Nilsen"))
    before = _progress(page)
    assert before["Læringsmål"] == "103 av 112 godkjent", before
    assert int(before["meetings"]) > 20, before
    _step(page, "journey-2-01-alis-in-laerdal", "the ALIS page in Lærdal")

    # The ALIS asks to move to Bergen from the first of next month.
    from django.utils import timezone

    today = timezone.localdate()
    effective = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    sign_in(page, live_server, "alis")
    page.goto(live_server.url + "/")
    _click(page, main.get_by_role("link", name="Se utdanningsløpet ditt"))
    _click(page, main.get_by_role("link", name="Flytt til annen kommune"))
    main.get_by_label("Ny kommune").select_option(label="4601 Bergen")
    main.get_by_label("Fra dato").fill(effective.isoformat())
    main.get_by_label("Merknad").fill("Flytter til Bergen med familien.")
    _step(page, "journey-2-02-transfer-form", "the transfer form")
    _submit(page, "Send til den nye kommunen")
    assert "Flyttingen er sendt til Bergen for bekreftelse." in page.locator("body").inner_text()
    assert "venter på bekreftelse fra den nye kommunen" in main.inner_text()
    _step(page, "journey-2-03-transfer-pending", "the ALIS page with a pending transfer")

    # Bergen's leader finds it under ALIS → Flyttinger and takes the ALIS over.
    sign_in(page, live_server, "leder.bergen")
    page.goto(live_server.url + "/")
    _nav(page, "ALIS")
    _click(page, main.get_by_role("link", name=re.compile("^Flyttinger")))
    card = main.locator("section.ds-card", has_text="Tuva Nilsen: Lærdal → Bergen")
    card.get_by_label("Legekontor i den nye kommunen").select_option(label="Sentrum legesenter")
    _step(page, "journey-2-04-transfer-incoming", "the transfer list with an incoming ALIS")
    _click(page, card.get_by_role("button", name="Overta ALIS-en"))
    # The date is next month: the move is scheduled, Lærdal stays responsible until then …
    body = page.locator("body").inner_text()
    assert f"Tuva Nilsen blir ALIS i Bergen {effective:%d.%m.%Y}; til da er Lærdal" in body
    scheduled = main.locator("#scheduled-heading + ul")
    assert "Tuva Nilsen: Lærdal → Bergen" in scheduled.inner_text()
    _step(page, "journey-2-05-transfer-scheduled", "the move accepted for its date")
    # … unless Bergen takes over at once (the ALIS starts early).
    _click(page, scheduled.get_by_role("button", name="Overta nå Tuva Nilsen"))
    assert "Tuva Nilsen er nå ALIS i Bergen." in page.locator("body").inner_text()
    assert "ALIS i Bergen" in main.inner_text()
    after = _progress(page)
    _step(page, "journey-2-06-alis-in-bergen", "the ALIS page in Bergen")
    assert after == before

    # Lærdal sees the move as done, and can still certify the service the ALIS had there.
    sign_in(page, live_server, "leder.laerdal")
    page.goto(live_server.url + "/")
    _nav(page, "ALIS")
    _click(page, main.get_by_role("link", name=re.compile("^Flyttinger")))
    assert "overtatt" in main.locator("#history-heading + .vv-table-wrap").inner_text()
    _step(page, "journey-2-07-transfer-history", "the transfer history in Lærdal")
    # No page links it for Lærdal any more (the ALIS page is Bergen's now): the URL works.
    from django.urls import reverse

    from veiviser.training.models import Trainee

    trainee = Trainee.objects.get(person__user__username="alis")
    certificate = reverse("service_certificate_pdf", args=[trainee.pk, "4642"])
    response = page.request.get(live_server.url + certificate)
    assert response.status == 200 and response.body().startswith(b"%PDF")

    # The ALIS has both certificates on their own page.
    sign_in(page, live_server, "alis")
    page.goto(live_server.url + "/")
    _click(page, main.get_by_role("link", name="Se utdanningsløpet ditt"))
    _pdf(page, main.get_by_role("link", name="Tjenesteattest, Lærdal (PDF)"))
    _pdf(page, main.get_by_role("link", name="Tjenesteattest, Bergen (PDF)"))


# --- journey 3 ---------------------------------------------------------------------------------


def journey_3(page: Any, live_server: Any) -> None:
    main = _main(page)
    sign_in(page, live_server, "alisvest")
    page.goto(live_server.url + "/")
    _nav(page, "Region")
    assert main.get_by_role("heading", name="ALIS Vest (Bergen)", level=1).is_visible()
    figures = {
        name: int(main.locator(f'[data-figure="{name}"]').inner_text())
        for name in ("alis", "without_veileder", "under_minimum", "waiting")
    }
    assert figures["without_veileder"] == 1 and figures["waiting"] > 0, figures
    assert 0 < figures["under_minimum"] <= figures["alis"], figures
    locum = main.locator("section", has=page.locator("#locum-heading"))
    assert "Lærdal: Tuva Nilsen" in locum.inner_text()
    _step(page, "journey-3-01-dashboard", "the regional dashboard")
    dashboard = page.url

    # The card "uten veileder" leads to the list, the list to the ALIS.
    main.locator('a:has([data-figure="without_veileder"])').click()
    no_veileder = main.locator("section", has=page.locator("#no-veileder-heading"))
    assert "Fatima Bakken – Modalen" in no_veileder.inner_text()
    _click(page, no_veileder.get_by_role("link", name="Fatima Bakken"))
    assert "ALIS i Modalen" in main.inner_text()
    assert "Ingen veileder er oppnevnt." in main.inner_text()
    _step(page, "journey-3-02-alis-without-veileder", "the ALIS page of Modalen's ALIS")
    page.go_back()
    page.wait_for_load_state()

    # The locum warning leads to the municipality's locum plan.
    _click(page, locum.get_by_role("link", name="Lærdal"))
    assert_accessible(page, "the locum plan followed from the dashboard")
    page.go_back()
    page.wait_for_load_state()

    # The pool proposes the nearest veileder with room; the office couples them.
    _click(page, no_veileder.get_by_role("link", name="Finn veileder i poolen"))
    assert "Mulige veiledere for Fatima Bakken" in main.inner_text()
    _step(page, "journey-3-03-matching", "the matching page")
    proposed = main.locator("tbody tr").first.locator("td, th").first.inner_text()
    _click(page, main.get_by_role("button", name="Koble").first)
    assert "er nå veileder for" in page.locator("body").inner_text()
    assert main.get_by_role("heading", name="Alle ALIS i regionen har veileder").is_visible()
    _step(page, "journey-3-04-coupled", "the matching page after coupling")

    # Back on the dashboard the card is empty, and the ALIS page names the veileder.
    _click(page, main.get_by_role("link", name="Oversikt"))
    assert page.url == dashboard
    assert main.locator('[data-figure="without_veileder"]').inner_text() == "0"
    assert "Alle ALIS har veileder." in no_veileder.inner_text()
    _click(page, main.get_by_role("link", name="Modalen").first)
    _click(page, main.get_by_role("link", name="Fatima Bakken"))
    veileder = proposed.replace("Foreslått", "").strip()
    mentors = main.locator("table").last.inner_text()
    assert veileder in mentors and "veileder" in mentors, (veileder, mentors)
    _step(page, "journey-3-05-alis-with-veileder", "the ALIS page with a veileder")


# --- the tests ---------------------------------------------------------------------------------


def test_journey_1_a_new_municipality_gets_plan_alis_agreement_and_grant(
    page: Any, live_server: Any
) -> None:
    _new_leader()
    journey_1(page, live_server)


def test_journey_2_an_alis_who_moves_loses_nothing(page: Any, live_server: Any) -> None:
    journey_2(page, live_server)


def test_journey_3_the_regional_office_sees_trouble_early(page: Any, live_server: Any) -> None:
    journey_3(page, live_server)
