"""Two sign-off stories in a real browser (issue 3), each page checked with axe (WCAG 2.1 AA)
and, with VEIVISER_SCREENSHOTS=1, photographed into docs/screenshots/:

1. One learning goal from submission to approval with the four roles (goal-1 … goal-12): the
   demo ALIS adds evidence (text and a PDF) and submits, the veileder and the supervisor
   recommend, the leader's rejection without a reason is refused naming the field, the leader
   approves, and the history lists each event with role and time. On a second goal the ALIS
   sends a one-time link to a supervisor without an account, who recommends through it; the
   used link no longer works.
2. One ALIS from empty to ready (ready-1 … ready-8): Lærdal's leader creates a new ALIS, sees
   what is missing, registers one service period on the record pages and brings in the rest
   of the record with a progress file (veiviser.progress/1) naming the same doctor by HPR
   number, after which the progress page says every requirement is met.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_accessibility import assert_accessible, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOAL = "FKM-019"  # not started for the demo ALIS (Tuva Nilsen, Lærdal)
LINK_GOAL = "FKM-020"  # also not started: the one-time link path
# The smallest file the evidence form takes as a PDF (it checks the %PDF- signature).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _main(page: Any) -> Any:
    return page.locator("main")


def _step(page: Any, name: str, what: str) -> None:
    assert_accessible(page, what)
    screenshot(page, name)


def _press(page: Any, locator: Any, status: int = 200) -> None:
    """Press a submit button (or follow a link) and check the status of the page it leads to."""
    with page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None and response.status == status, (
        f"{page.url} answered {response.status if response else None}, expected {status}:\n"
        + _main(page).inner_text()[:1500]
    )


def _action(page: Any, label: str, status: int = 200) -> None:
    """Press the action card's button ``label`` (the card's heading has the same text)."""
    card = _main(page).locator("section.ds-card", has=page.get_by_role("heading", name=label))
    _press(page, card.get_by_role("button", name=label, exact=True), status)


def _status(page: Any) -> str:
    return _main(page).locator("h1 .vv-status").inner_text().strip()


def _history(page: Any) -> list[list[str]]:
    table = _main(page).locator("section[aria-labelledby=history-heading] table tbody tr")
    return [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in table.all()]


# --- 1. one learning goal, four roles ------------------------------------------------------------


def test_one_goal_from_submission_to_approval(page: Any, live_server: Any) -> None:
    from django.core import mail

    from veiviser.training.models import GoalEvent, PlanGoal, Trainee

    trainee = Trainee.objects.get(person__user__username="alis")
    assert PlanGoal.objects.get(plan__trainee=trainee, code=GOAL).status == "not_started"
    goals_url = f"{live_server.url}/alis/{trainee.pk}/mal/"
    goal_url = f"{goals_url}{GOAL}/"
    main = _main(page)

    # The ALIS opens the goal list and the goal.
    sign_in(page, live_server, "alis")
    open_page(page, goals_url)
    assert "103" in main.inner_text()
    _step(page, "goal-1-list", "the ALIS's goal list")
    _press(page, main.get_by_role("link", name=GOAL, exact=True))
    assert _status(page) == "Ikke startet"
    assert "Ingen hendelser ennå" in main.inner_text()
    assert main.get_by_role("button", name="Send til vurdering").count() == 1
    _step(page, "goal-2-not-started", "a goal not started, as the ALIS")

    # Evidence: a description and a PDF, then submitted.
    evidence = main.locator("section[aria-labelledby=evidence-heading] form")
    evidence.locator("textarea[name=text]").fill(
        "Har hatt ansvar for tre palliative pasienter hjemme, med samtaler om livets slutt "
        "sammen med pårørende og hjemmesykepleien."
    )
    evidence.locator("input[name=file]").set_input_files(
        {"name": "refleksjonsnotat.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    _press(page, evidence.get_by_role("button", name="Legg til"))
    assert "Dokumentasjonen er lagt til." in page.locator("body").inner_text()
    download = main.get_by_role("link", name="Last ned fil (PDF)")
    response = page.request.get(download.evaluate("a => a.href"))
    assert response.status == 200 and response.body() == PDF
    _action(page, "Send til vurdering")
    assert _status(page) == "Sendt til vurdering"
    _step(page, "goal-3-submitted", "a goal submitted, with evidence")

    # The veileder recommends.
    sign_in(page, live_server, "veileder")
    open_page(page, goal_url)
    assert "palliative pasienter" in main.inner_text()
    assert main.get_by_role("button", name="Godkjenn").count() == 0
    _action(page, "Anbefal som veileder")
    assert _status(page) == "Delvis anbefalt"
    facts = main.locator("section[aria-labelledby=goal-heading] dl").inner_text()
    assert re.search(r"Anbefalt av veileder\s+Ja", facts), facts
    assert re.search(r"Anbefalt av supervisør\s+Nei", facts), facts
    _step(page, "goal-4-recommended-by-veileder", "a goal recommended by the veileder")

    # The supervisor, logged in, recommends.
    sign_in(page, live_server, "supervisor")
    open_page(page, goal_url)
    assert main.get_by_role("button", name="Anbefal som veileder").count() == 0
    main.get_by_label("Kommentar").fill("Godt vurdert i supervisjonsgruppen.")
    _action(page, "Anbefal som supervisør")
    assert _status(page) == "Klar for godkjenning"
    _step(page, "goal-5-recommended-by-supervisor", "a goal recommended by the supervisor")

    # The one-time link, on a second goal: the ALIS submits it and sends the link.
    sign_in(page, live_server, "alis")
    open_page(page, f"{goals_url}{LINK_GOAL}/")
    _action(page, "Send til vurdering")
    link_form = main.locator("form[action$='/lenke/']")
    link_form.locator("input[name=name]").fill("Sigrid Supervisør")
    link_form.locator("input[name=email]").fill("sigrid@example.invalid")
    mail.outbox.clear()
    _press(page, link_form.get_by_role("button", name="Send lenke"))
    assert "Lenke sendt til sigrid@example.invalid." in page.locator("body").inner_text()
    assert "Lenke sendt til Sigrid Supervisør (sigrid@example.invalid)" in main.inner_text()
    _step(page, "goal-6-link-sent", "a goal with a one-time link sent")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sigrid@example.invalid"]
    found = re.search(r"/anbefal/[A-Za-z0-9_-]+/", mail.outbox[0].body)
    assert found, mail.outbox[0].body
    link_url = live_server.url + found.group(0)

    # The supervisor without an account opens the link and recommends.
    page.context.clear_cookies()
    open_page(page, link_url)
    assert f"Anbefal læringsmål {LINK_GOAL}" in main.locator("h1").inner_text()
    main.get_by_label("Kommentar").fill("Har sett ALIS i praksis, målet er nådd.")
    _step(page, "goal-7-supervisor-link", "the one-time recommendation page")
    _press(page, main.get_by_role("button", name="Anbefal som supervisør"))
    _step(page, "goal-8-supervisor-done", "the recommendation received")
    open_page(page, link_url, status=404)
    assert_accessible(page, "a used one-time link")
    link_events = GoalEvent.objects.filter(
        plan_goal__plan__trainee=trainee, plan_goal__code=LINK_GOAL
    ).order_by("at", "id")
    assert [(e.action, e.role) for e in link_events] == [
        ("submitted", "alis"),
        ("recommended", "supervisor"),
    ]

    # The leader: the goal is ready for decision; a rejection without a reason is refused.
    sign_in(page, live_server, "leder.laerdal")
    open_page(page, goal_url)
    assert _status(page) == "Klar for godkjenning"
    _step(page, "goal-9-ready-for-decision", "a goal ready for the leader's decision")
    _action(page, "Ikke godkjenn", status=400)
    card = main.locator("section.ds-card", has=page.get_by_role("heading", name="Ikke godkjenn"))
    assert "Skriv en begrunnelse når målet ikke godkjennes." in card.inner_text()
    reason = card.get_by_label("Begrunnelse")
    assert reason.get_attribute("aria-invalid") == "true"
    assert _status(page) == "Klar for godkjenning"
    _step(page, "goal-10-reject-without-comment", "a rejection without a reason, refused")

    # The leader approves; the history lists every event with role and time.
    _action(page, "Godkjenn")
    assert "FKM-019: Godkjent." in page.locator("body").inner_text()
    assert _status(page) == "Godkjent"
    assert main.get_by_role("button", name="Gjenåpne").count() == 1
    rows = _history(page)
    assert [(r[1], r[3]) for r in rows] == [
        ("Sendt til vurdering", "ALIS"),
        ("Anbefalt", "Veileder"),
        ("Anbefalt", "Supervisør"),
        ("Godkjent", "Leder"),
    ], rows
    stamp = re.compile(r"^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$")
    assert all(stamp.match(r[0]) for r in rows), rows
    assert all(r[2] not in ("", "–") for r in rows), rows
    assert rows[2][4] == "Godt vurdert i supervisjonsgruppen."
    _step(page, "goal-11-approved", "an approved goal with its history")
    events = list(
        GoalEvent.objects.filter(plan_goal__plan__trainee=trainee, plan_goal__code=GOAL)
        .order_by("at", "id")
        .values_list("action", "role")
    )
    assert events == [
        ("submitted", "alis"),
        ("recommended", "veileder"),
        ("recommended", "supervisor"),
        ("approved", "leader"),
    ]

    # The goal list counts it.
    _press(page, main.get_by_role("link", name="Tilbake til læringsmålene"))
    assert "104" in main.inner_text()
    _step(page, "goal-12-list-approved", "the goal list after the approval")


# --- 2. one ALIS from empty to ready --------------------------------------------------------------

HPR = "9182736"
DOCTOR_ID = "ext-sandvik-2019"


def _months_later(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _progress_file(start: dt.date, today: dt.date, codes: list[str]) -> dict[str, Any]:
    """The rest of the record as another system exports it: institution and open practice after
    the first period, four hours' supervision every month, group supervision with a diploma,
    every course, and every goal of the plan submitted, recommended twice and approved."""
    institution = _months_later(start, 30)
    back = _months_later(start, 36)
    supervision = []
    month = start
    while month.replace(day=10) < today:
        supervision.append(
            {"date": month.replace(day=10).isoformat(), "hours": 4, "veileder": "v-7"}
        )
        month = _months_later(month, 1)
    courses: list[dict[str, Any]] = [
        {
            "kind": kind,
            "title": title,
            "hours": 30,
            "completed": _months_later(start, 4 + 8 * i).isoformat(),
        }
        for i, (kind, title) in enumerate(
            [
                ("grunnkurs_a", "Allmennlegen og allmennpraksis"),
                ("grunnkurs_b", "Allmennlegen og samfunnet"),
                ("grunnkurs_c", "Allmennlegen og pasienten"),
                ("grunnkurs_d", "Allmennlegen og fagutvikling"),
                ("akuttmedisin", "Akuttmedisin for allmennleger"),
            ]
        )
    ] + [
        {
            "kind": "emnekurs",
            "title": title,
            "hours": 15,
            "completed": _months_later(start, 10 + 6 * i).isoformat(),
        }
        for i, title in enumerate(
            ["Hjertesykdom", "Psykisk helse", "Barn og unge", "Eldre", "Hud", "Rus"]
        )
    ]
    first = dt.datetime.combine(today - dt.timedelta(days=200), dt.time(9), dt.UTC)
    goals = []
    for i, code in enumerate(codes):
        at = first + dt.timedelta(days=i)
        goals.append(
            {
                "code": code,
                "events": [
                    {"at": at.isoformat(), "action": "submitted", "by": DOCTOR_ID, "role": "alis"},
                    {
                        "at": (at + dt.timedelta(hours=1)).isoformat(),
                        "action": "recommended",
                        "by": "v-7",
                        "role": "veileder",
                    },
                    {
                        "at": (at + dt.timedelta(hours=2)).isoformat(),
                        "action": "recommended",
                        "by": "s-3",
                        "role": "supervisor",
                    },
                    {
                        "at": (at + dt.timedelta(hours=3)).isoformat(),
                        "action": "approved",
                        "by": "l-1",
                        "role": "leader",
                    },
                ],
            }
        )
    return {
        "format": "veiviser.progress/1",
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "ruleset": "ALIS-2019",
        "doctor": {
            "id": DOCTOR_ID,
            "name": "Ingrid Sandvik",
            "hpr": HPR,
            "scheme": "new",
            "training_start": start.isoformat(),
            "converted": None,
        },
        "service": [
            # The period registered on the service page, as the other system has it too: the
            # import matches it (start, arena, setting) and adds nothing.
            {
                "from": start.isoformat(),
                "to": (institution - dt.timedelta(days=1)).isoformat(),
                "percent": 100,
                "arena": "open_practice",
                "setting": "fastlege",
                "municipality": "4642",
                "registered_institution": True,
            },
            {
                "from": institution.isoformat(),
                "to": (back - dt.timedelta(days=1)).isoformat(),
                "percent": 100,
                "arena": "institution",
                "setting": "sykehus",
                "municipality": None,
                "registered_institution": True,
            },
            {
                "from": back.isoformat(),
                "to": None,
                "percent": 100,
                "arena": "open_practice",
                "setting": "fastlege",
                "municipality": "4642",
                "registered_institution": True,
            },
        ],
        "leave": [],
        "supervision": supervision,
        "group_supervision": [
            {
                "from": _months_later(start, 1).isoformat(),
                "to": (_months_later(start, 27) - dt.timedelta(days=1)).isoformat(),
                "hours": 130,
                "group": "Indre Sogn 1",
                "diploma": True,
            }
        ],
        "courses": courses,
        "plan": {"catalogue": "ALM-2019+FKM-2019", "goals": goals},
    }


def _requirements(page: Any) -> dict[str, str]:
    """Requirement label → status badge (data-status) on the progress page."""
    rows = _main(page).locator("section[aria-labelledby=verdict-heading] table tbody tr")
    return {
        row.locator("td").first.inner_text().strip(): row.locator(".vv-status").get_attribute(
            "data-status"
        )
        or ""
        for row in rows.all()
    }


def test_one_alis_from_empty_to_ready(page: Any, live_server: Any, tmp_path: Any) -> None:
    from django.utils import timezone

    from veiviser.core.models import Municipality
    from veiviser.training.models import PlanGoal, ServicePeriod, Trainee

    today = timezone.localdate()
    start = _months_later(today, -64)  # 64 months ago: 58 months of general practice by now
    laerdal = Municipality.objects.get(number="4642")
    trainees_before = Trainee.objects.count()
    main = _main(page)

    # Lærdal's leader: ALIS → Ny ALIS.
    sign_in(page, live_server, "leder.laerdal")
    open_page(page, f"{live_server.url}/")
    _press(page, page.locator("header nav").get_by_role("link", name="ALIS", exact=True))
    _press(page, main.get_by_role("link", name="Ny ALIS", exact=True))
    main.locator("[name=given_name]").fill("Ingrid")
    main.locator("[name=family_name]").fill("Sandvik")
    main.locator("[name=hpr_number]").fill(HPR)
    main.locator("[name=email]").fill("ingrid.sandvik@example.invalid")
    main.locator("select[name=municipality]").select_option(str(laerdal.pk))
    main.locator("select[name=scheme]").select_option("new")
    main.locator("[name=training_start]").fill(start.isoformat())
    _step(page, "ready-1-new-alis-form", "the new ALIS form")
    _press(page, main.get_by_role("button", name="Lagre", exact=True))
    assert "ALIS er opprettet med individuell utdanningsplan." in page.locator("body").inner_text()
    created = Trainee.objects.get(person__hpr_number=HPR)
    progress_url = f"{live_server.url}/alis/{created.pk}/"
    assert page.url == progress_url
    assert Trainee.objects.count() == trainees_before + 1

    # The progress page says what is missing.
    text = main.inner_text()
    assert "Alle krav er oppfylt" not in text
    assert "Neste steg" in text
    status = _requirements(page)
    assert status["Læringsmål"] == "not_met", status
    assert "not_met" in status.values()
    assert main.get_by_role("link", name="Læringsmål (0/112)").count() == 1
    _step(page, "ready-2-nothing-yet", "a new ALIS's progress page")

    # One service period on the record pages.
    _press(page, main.get_by_role("link", name="Tjeneste", exact=True))
    form = main.locator("section[aria-labelledby=add-heading] form")
    first_end = _months_later(start, 30) - dt.timedelta(days=1)
    form.locator("[name=start]").fill(start.isoformat())
    form.locator("[name=end]").fill(first_end.isoformat())
    form.locator("[name=percent]").fill("100")
    form.locator("select[name=arena]").select_option("open_practice")
    form.locator("[name=setting]").fill("fastlege")
    form.locator("select[name=registered_institution]").select_option("yes")
    _press(page, form.get_by_role("button", name="Legg til"))
    assert ServicePeriod.objects.filter(trainee=created).count() == 1
    assert "fastlege" in main.locator("section[aria-labelledby=items-heading]").inner_text()
    _step(page, "ready-3-service-period", "the service page with one period")

    open_page(page, progress_url)
    status = _requirements(page)
    assert status["Åpen uselektert allmennpraksis"] == "met", status
    assert "Alle krav er oppfylt" not in main.inner_text()
    _step(page, "ready-4-one-period", "the progress page after one period")

    # The rest of the record from a progress file naming the same doctor (HPR number).
    codes = list(
        PlanGoal.objects.filter(plan__trainee=created)
        .order_by("order")
        .values_list("code", flat=True)
    )
    assert len(codes) == 112
    path = tmp_path / "sandvik.json"
    path.write_text(
        json.dumps(_progress_file(start, today, codes), ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    open_page(page, f"{live_server.url}/")
    _press(page, page.locator("header nav").get_by_role("link", name="ALIS", exact=True))
    _press(page, main.get_by_role("link", name="Importer progresjonsfil"))
    main.locator("input[name=file]").set_input_files(str(path))
    main.locator("select[name=municipality]").select_option(str(laerdal.pk))
    _step(page, "ready-5-import", "the progress-file import page")
    _press(page, main.get_by_role("button", name="Importer", exact=True))
    assert "Progresjonsfilen er importert." in page.locator("body").inner_text()

    # The same ALIS, now ready: every requirement green.
    assert page.url == progress_url
    assert Trainee.objects.count() == trainees_before + 1
    assert ServicePeriod.objects.filter(trainee=created).count() == 3
    text = main.inner_text()
    assert "Alle krav er oppfylt" in text, text[:3000]
    assert "Neste steg" not in text
    status = _requirements(page)
    assert len(status) == 10 and set(status.values()) == {"met"}, status
    assert main.get_by_role("link", name="Læringsmål (112/112)").count() == 1
    _step(page, "ready-6-ready", "the progress page of a ready ALIS")

    _press(page, main.get_by_role("link", name="Læringsmål (112/112)"))
    assert "112" in main.inner_text()
    _step(page, "ready-7-goals", "the goal list of a ready ALIS")
    _press(page, main.get_by_role("link", name=codes[0], exact=True))
    assert _status(page) == "Godkjent"
    assert len(_history(page)) == 4
    _step(page, "ready-8-imported-goal", "an imported approved goal")
