"""Learning goals end to end: a goal from submission to approval (with a one-time supervisor
link), refusals, the race between two approvals, evidence, the goal list's query budget and the
catalogue import (web and command line)."""

from __future__ import annotations

import argparse
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from tests.conftest import make_user
from veiviser.audit.models import AuditEvent
from veiviser.commands import catalogue as catalogue_command
from veiviser.training.goals import ConcurrentChange, record_goal_event
from veiviser.training.models import (
    Catalogue,
    CatalogueGoal,
    Evidence,
    GoalEvent,
    PlanGoal,
    RecommendationLink,
    TrainingPlan,
)
from veiviser.training.services import create_plan

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% evidence\n%%EOF\n"
MISSING = "Offisiell tekst mangler – importer Helsedirektoratets utdanningsplan"


@pytest.fixture
def world(actors, settings, tmp_path):
    """The actors with e-mail addresses, and a plan for the ALIS."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://veiviser.example"
    for name in ("alis", "veileder", "supervisor"):
        person = actors[name].person
        person.email = f"{name}@example.invalid"
        person.save()
    leader = actors["leader"]
    leader.email = "leder@example.invalid"
    leader.save()
    create_plan(trainee=actors.trainee, by=actors["alis"])
    return actors


class Web:
    """Requests as a given user, running on-commit callbacks (the e-mails) as they happen."""

    def __init__(self, client, actors, capture):
        self.client = client
        self.actors = actors
        self.capture = capture

    def as_(self, name):
        if name is None:
            self.client.logout()
        else:
            self.client.force_login(self.actors[name])
        return self

    def get(self, url, data=None, **kwargs):
        return self.client.get(url, data, **kwargs)

    def post(self, url, data=None, **kwargs):
        with self.capture(execute=True):
            return self.client.post(url, data or {}, **kwargs)


@pytest.fixture
def web(client, world, django_capture_on_commit_callbacks):
    return Web(client, world, django_capture_on_commit_callbacks)


def act_url(a, code="ALM-001"):
    return reverse("goal_act", args=[a.trainee.pk, code])


def detail_url(a, code="ALM-001"):
    return reverse("goal_detail", args=[a.trainee.pk, code])


def goal(a, code="ALM-001"):
    return PlanGoal.objects.get(plan__trainee=a.trainee, code=code)


def make_ready(a, code):
    g = goal(a, code)
    record_goal_event(plan_goal=g, action="submitted", role="alis", by=a["alis"])
    record_goal_event(plan_goal=g, action="recommended", role="veileder", by=a["veileder"])
    record_goal_event(plan_goal=g, action="recommended", role="supervisor", by=a["supervisor"])
    return goal(a, code)


def test_one_goal_from_submission_to_approval_with_a_one_time_supervisor_link(web, world):
    a = world
    mail.outbox.clear()

    # The ALIS sends the goal for assessment: the veileder and the supervisor are told.
    page = web.as_("alis").get(detail_url(a))
    assert page.status_code == 200
    assert "Send til vurdering" in page.text and "Godkjenn" not in page.text
    assert MISSING in page.text
    r = web.post(act_url(a), {"action": "submitted", "comment": "Se journalnotatene"})
    assert r.status_code == 302 and r["Location"] == detail_url(a)
    (message,) = mail.outbox
    assert sorted(message.to) == ["supervisor@example.invalid", "veileder@example.invalid"]
    assert "ber om vurdering av ALM-001" in message.subject
    assert "https://veiviser.example" + detail_url(a) in message.body

    # The veileder recommends: nobody is told yet (the supervisor has not recommended).
    page = web.as_("veileder").get(detail_url(a))
    assert "Anbefal som veileder" in page.text
    assert web.post(act_url(a), {"action": "recommended", "role": "veileder"}).status_code == 302
    assert len(mail.outbox) == 1
    assert goal(a).status == "recommended"

    # The veileder sends a supervisor without an account a one-time link.
    r = web.post(
        reverse("goal_link", args=[a.trainee.pk, "ALM-001"]),
        {"name": "Sigrid Supervisør", "email": "sigrid@example.invalid"},
        follow=True,
    )
    assert r.status_code == 200 and "Lenke sendt" in r.text
    link_mail = mail.outbox[-1]
    assert link_mail.to == ["sigrid@example.invalid"]
    token = re.search(r"/anbefal/([^/\s]+)/", link_mail.body).group(1)
    assert RecommendationLink.objects.get().token_hash != token  # only the hash is stored

    # The supervisor opens the link without logging in and recommends.
    web.as_(None)
    public = reverse("recommend_by_link", args=[token])
    page = web.get(public)
    assert page.status_code == 200
    assert a.trainee.person.full_name in page.text and "ALM-001" in page.text
    assert page["Cache-Control"] == "private, no-store"
    r = web.post(public, {"comment": "Sett ALIS i vakt"})
    assert r.status_code == 200 and "Takk for anbefalingen" in r.text
    # … which makes the goal ready for decision: the leader is told.
    ready_mail = mail.outbox[-1]
    assert ready_mail.to == ["leder@example.invalid"]
    assert "klar for godkjenning" in ready_mail.subject
    assert goal(a).status == "ready_for_decision"
    # The link works once.
    again = web.get(public)
    assert again.status_code == 404 and "ikke lenger gyldig" in again.text
    assert web.post(public, {"comment": "igjen"}).status_code == 404

    # The leader approves: the ALIS is told.
    page = web.as_("leader").get(detail_url(a))
    assert "Godkjenn" in page.text and "Ikke godkjenn" in page.text
    r = web.post(act_url(a), {"action": "approved", "comment": "Godt dokumentert"})
    assert r.status_code == 302
    decided = mail.outbox[-1]
    assert decided.to == ["alis@example.invalid"] and "ALM-001 er behandlet" in decided.subject
    assert len(mail.outbox) == 4
    assert goal(a).status == "approved"

    # The history: who, in which role, with the comments; shown in Norwegian time.
    events = list(GoalEvent.objects.filter(plan_goal=goal(a)).order_by("at", "id"))
    assert [(e.action, e.role) for e in events] == [
        ("submitted", "alis"),
        ("recommended", "veileder"),
        ("recommended", "supervisor"),
        ("approved", "leader"),
    ]
    assert events[2].actor_name == "Sigrid Supervisør" and events[2].actor is None
    assert [e.comment for e in events] == [
        "Se journalnotatene",
        "",
        "Sett ALIS i vakt",
        "Godt dokumentert",
    ]
    page = web.as_("alis").get(detail_url(a))
    for e in events:
        assert timezone.localtime(e.at).strftime("%d.%m.%Y %H:%M") in page.text
    assert "Sett ALIS i vakt" in page.text and "via lenke" in page.text
    assert "Send til vurdering" not in page.text  # nothing left for the ALIS to do
    assert AuditEvent.objects.filter(action="decide").count() == 4


def test_the_alis_withdraws_a_submission(web, world):
    a = world
    web.as_("alis").post(act_url(a, "ALM-002"), {"action": "submitted"})
    page = web.get(detail_url(a, "ALM-002"))
    assert "Trekk tilbake" in page.text
    r = web.post(act_url(a, "ALM-002"), {"action": "withdrawn", "comment": "Ikke klar"})
    assert r.status_code == 302
    assert goal(a, "ALM-002").status == "withdrawn"
    assert list(goal(a, "ALM-002").events.values_list("action", flat=True)) == [
        "submitted",
        "withdrawn",
    ]
    # withdrawn twice is refused by the rules: 400 with the message on the goal page
    r = web.post(act_url(a, "ALM-002"), {"action": "withdrawn"})
    assert r.status_code == 400
    assert "ingen innsendt vurdering" in r.text


def test_a_rejection_needs_a_comment(web, world):
    a = world
    make_ready(a, "ALM-003")
    r = web.as_("leader").post(act_url(a, "ALM-003"), {"action": "rejected", "comment": "  "})
    assert r.status_code == 400
    errors = [
        item["form"].errors
        for item in r.context["actions"]
        if item["action"] == "rejected" and item["form"].is_bound
    ]
    assert errors and "comment" in errors[0]
    assert "Skriv en begrunnelse" in r.text
    assert not goal(a, "ALM-003").events.filter(action="rejected").exists()
    r = web.post(act_url(a, "ALM-003"), {"action": "rejected", "comment": "Mangler refleksjon"})
    assert r.status_code == 302
    assert goal(a, "ALM-003").status == "rejected"
    assert mail.outbox[-1].to == ["alis@example.invalid"]


def test_a_veileder_cannot_approve(web, world):
    a = world
    make_ready(a, "ALM-004")
    assert web.as_("veileder").post(act_url(a, "ALM-004"), {"action": "approved"}).status_code == (
        403
    )
    r = web.post(act_url(a, "ALM-004"), {"action": "approved", "role": "veileder"})
    assert r.status_code == 403
    r = web.post(act_url(a, "ALM-004"), {"action": "approved", "role": "leader"})
    assert r.status_code == 403
    assert goal(a, "ALM-004").status == "ready_for_decision"


def test_the_alis_cannot_recommend_their_own_goal(web, world):
    a = world
    web.as_("alis").post(act_url(a, "ALM-005"), {"action": "submitted"})
    page = web.get(detail_url(a, "ALM-005"))
    assert "Anbefal som" not in page.text
    for role in ("", "veileder", "supervisor"):
        r = web.post(act_url(a, "ALM-005"), {"action": "recommended", "role": role})
        assert r.status_code == 403
    assert goal(a, "ALM-005").status == "submitted"


def test_two_approvals_of_one_goal_give_one_approval_and_a_409(web, world):
    a = world
    make_user("leader2", "leader", municipality=a.laerdal)
    make_ready(a, "ALM-006")
    first = PlanGoal.objects.get(plan__trainee=a.trainee, code="ALM-006")
    second = PlanGoal.objects.get(plan__trainee=a.trainee, code="ALM-006")
    assert first is not second and first.version == second.version

    r1 = web.as_("leader").post(
        act_url(a, "ALM-006"), {"action": "approved", "version": first.version}
    )
    web.client.force_login(type(a["leader"]).objects.get(username="leader2"))
    r2 = web.post(act_url(a, "ALM-006"), {"action": "approved", "version": second.version})
    assert (r1.status_code, r2.status_code) == (302, 409)
    assert "Noen andre behandlet målet samtidig" in r2.text
    assert GoalEvent.objects.filter(plan_goal=first, action="approved").count() == 1

    # The service itself refuses a stale object even for an action the rules still allow.
    with pytest.raises(ConcurrentChange):
        record_goal_event(plan_goal=second, action="reopened", role="leader", by=a["leader"])
    assert GoalEvent.objects.filter(plan_goal=first).count() == 4


def test_evidence_upload_and_download(web, world):
    a = world
    url = detail_url(a, "ALM-007")
    upload = io.BytesIO(PDF)
    upload.name = "Mitt notat.pdf"
    r = web.as_("alis").post(url, {"text": "Refleksjonsnotat", "file": upload})
    assert r.status_code == 302
    item = Evidence.objects.get()
    assert item.file.name.startswith("evidence/") and "Mitt" not in item.file.name
    page = web.as_("veileder").get(url)
    assert "Refleksjonsnotat" in page.text
    download = web.get(reverse("goal_evidence", args=[a.trainee.pk, "ALM-007", item.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    # an id from another goal is not found under this one
    other = reverse("goal_evidence", args=[a.trainee.pk, "ALM-008", item.pk])
    assert web.get(other).status_code == 404


def test_bad_evidence_is_refused_with_the_field_named(web, world):
    a = world
    url = detail_url(a, "ALM-007")
    fake = io.BytesIO(b"MZ\x90\x00 not a pdf")
    fake.name = "virus.pdf"
    r = web.as_("alis").post(url, {"file": fake})
    assert r.status_code == 400 and "file" in r.context["evidence_form"].errors
    exe = io.BytesIO(b"MZ")
    exe.name = "program.exe"
    r = web.post(url, {"file": exe})
    assert r.status_code == 400 and "file" in r.context["evidence_form"].errors
    big = io.BytesIO(b"%PDF-" + b"0" * (10 * 1024 * 1024))
    big.name = "stor.pdf"
    r = web.post(url, {"file": big})
    assert r.status_code == 400 and "10 MB" in r.context["evidence_form"].errors["file"][0]
    r = web.post(url, {"text": "", "link": "javascript:alert(1)"})
    assert r.status_code == 400 and "link" in r.context["evidence_form"].errors
    r = web.post(url, {"text": ""})
    assert r.status_code == 400 and r.context["evidence_form"].non_field_errors()
    assert not Evidence.objects.exists()


def test_a_link_needs_a_pending_goal_and_an_unknown_or_expired_token_is_404(web, world):
    a = world
    link_url = reverse("goal_link", args=[a.trainee.pk, "ALM-009"])
    r = web.as_("alis").post(link_url, {"name": "S", "email": "s@example.invalid"})
    assert r.status_code == 400 and "sendt til vurdering" in r.text
    r = web.post(act_url(a, "ALM-009"), {"action": "submitted"})
    r = web.post(link_url, {"name": "S", "email": "ikke-epost"})
    assert r.status_code == 400 and "email" in r.context["link_form"].errors
    assert web.post(link_url, {"name": "S", "email": "s@example.invalid"}).status_code == 302
    token = re.search(r"/anbefal/([^/\s]+)/", mail.outbox[-1].body).group(1)
    RecommendationLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    web.as_(None)
    for t in (token, "ukjent", "x" * 500):
        r = web.get(reverse("recommend_by_link", args=[t]))
        assert r.status_code == 404 and "ikke lenger gyldig" in r.text


def test_a_link_for_a_withdrawn_goal_cannot_recommend(web, world):
    a = world
    web.as_("alis").post(act_url(a, "ALM-010"), {"action": "submitted"})
    web.post(
        reverse("goal_link", args=[a.trainee.pk, "ALM-010"]),
        {"name": "S", "email": "s@example.invalid"},
    )
    token = re.search(r"/anbefal/([^/\s]+)/", mail.outbox[-1].body).group(1)
    web.post(act_url(a, "ALM-010"), {"action": "withdrawn"})
    web.as_(None)
    public = reverse("recommend_by_link", args=[token])
    assert "venter ikke på en anbefaling" in web.get(public).text
    assert web.post(public, {"comment": "ok"}).status_code == 400
    assert RecommendationLink.objects.get().used_at is None
    assert goal(a, "ALM-010").status == "withdrawn"


def test_goal_list_groups_filters_and_keeps_a_fixed_query_count(web, world):
    a = world
    url = reverse("goal_list", args=[a.trainee.pk])
    web.as_("leader")
    with CaptureQueriesContext(connection) as before:
        page = web.get(url)
    assert page.status_code == 200
    assert "ALM – allmennmedisinske læringsmål" in page.text and "FKM" in page.text
    assert page.text.count("Offisiell tekst mangler") >= 112

    # more events, evidence and goals
    for code in ("ALM-011", "ALM-012", "ALM-013", "FKM-001"):
        make_ready(a, code)
    plan = TrainingPlan.objects.get(trainee=a.trainee)
    extra = [
        CatalogueGoal.objects.create(
            catalogue=plan.catalogue, code=f"FKM-{n:03d}", kind="fkm", order=200 + n
        )
        for n in range(90, 95)
    ]
    PlanGoal.objects.bulk_create(
        PlanGoal(plan=plan, goal=g, code=g.code, order=g.order) for g in extra
    )
    Evidence.objects.create(plan_goal=goal(a, "ALM-011"), text="x", created_by=a["alis"])
    with CaptureQueriesContext(connection) as after:
        page = web.get(url)
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]
    assert "FKM-094" in page.text
    today = timezone.localtime().strftime("%d.%m.%Y")
    assert today in page.text  # last event date

    # filter by status
    page = web.get(url, {"status": "ready_for_decision"})
    assert "ALM-011" in page.text and "ALM-001<" not in page.text
    assert "Viser 4 av 117 læringsmål" in page.text
    assert web.get(url, {"status": "tull"}).status_code == 200


def test_goal_list_without_a_plan_offers_to_create_it(web, world):
    a = world
    TrainingPlan.objects.all().delete()
    url = reverse("goal_list", args=[a.trainee.pk])
    page = web.as_("veileder").get(url)
    assert "Opprett plan" in page.text
    assert web.as_("supervisor").post(url).status_code == 403
    r = web.as_("veileder").post(url, follow=True)
    assert r.status_code == 200 and "112 læringsmål" in r.text
    assert TrainingPlan.objects.get(trainee=a.trainee).goals.count() == 112


def test_an_unknown_goal_code_is_404(web, world):
    a = world
    assert web.as_("alis").get(detail_url(a, "ALM-999")).status_code == 404
    assert web.post(act_url(a, "ALM-999"), {"action": "submitted"}).status_code == 404


# --- catalogue import --------------------------------------------------------------------------


def import_catalogue_cli(*argv):
    """``veiviser import-catalogue …`` through the module's own ``register`` (the same parser
    ``veiviser.cli`` builds once the module is in COMMAND_MODULES)."""
    parser = argparse.ArgumentParser(prog="veiviser")
    catalogue_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["import-catalogue", *argv])
    return args.func(args)


def catalogue_xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Læringsmål"
    sheet.append(["Utdanningsplan – allmennmedisin"])
    sheet.append(
        ["Læringsmål-ID", "Tema", "Læringsmål", "Beskrivelse", "Anbefalte læringsaktiviteter"]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_import_updates_texts_keeps_used_codes_and_extends_plans(world, tmp_path, capsys):
    a = world
    plan = TrainingPlan.objects.get(trainee=a.trainee)
    rows = [
        ["ALM-001", "Allmennmedisinsk profesjonalitet", "Kunne ivareta", "Utdyping", "Kurs"],
        ["ALM-002", None, "Kunne kommunisere", None, None],
        ["FKM-025", "Felles", "Nytt mål", None, None],
    ]
    path = tmp_path / "utdanningsplan.xlsx"
    path.write_bytes(catalogue_xlsx(rows))
    assert import_catalogue_cli(str(path), "--name", plan.catalogue.name) == 0
    out = capsys.readouterr().out
    assert "1 new" in out and "2 with changed text" in out and "110 kept" in out
    catalogue = Catalogue.objects.get(pk=plan.catalogue_id)
    assert catalogue.official_texts
    goal_1 = catalogue.goals.get(code="ALM-001")
    assert (goal_1.theme, goal_1.title, goal_1.recommended_activities) == (
        "Allmennmedisinsk profesjonalitet",
        "Kunne ivareta",
        "Kurs",
    )
    assert catalogue.goals.count() == 113  # nothing a plan uses is removed
    assert plan.goals.filter(code="FKM-025").exists()  # the plan gets the new goal
    assert AuditEvent.objects.filter(action="import", object_type="training.Catalogue").exists()

    web_page = detail_url(a)
    from django.test import Client

    client = Client()
    client.force_login(a["alis"])
    page = client.get(web_page)
    assert "Kunne ivareta" in page.text and MISSING not in page.text


def test_import_command_reports_every_error_as_file_row_column(db, tmp_path, capsys):
    path = tmp_path / "plan.csv"
    path.write_text(
        "Kode;Tema;Læringsmål\nALM-001;T;Kunne A\nALM-02;;Kunne B\nALM-003;;\n", encoding="utf-8"
    )
    assert import_catalogue_cli(str(path), "--name", "Ny") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{path}:3:A: Koden «ALM-02» har feil form")
    assert err[1].startswith(f"{path}:4:C: ALM-003 mangler tekst")
    assert not Catalogue.objects.filter(name="Ny").exists()
    assert import_catalogue_cli(str(tmp_path / "mangler.csv"), "--name", "Ny") == 1
    assert "mangler.csv" in capsys.readouterr().err


def test_catalogue_import_page_previews_then_imports(client, world):
    a = world
    client.force_login(a["admin"])
    url = reverse("catalogue_import")
    assert client.get(url).status_code == 200
    data = io.BytesIO(
        catalogue_xlsx([["ALM-001", "T", "Kunne A", None, None], ["ALM-1", None, "x", None, None]])
    )
    data.name = "plan.xlsx"
    r = client.post(url, {"name": "Hdir 2026", "file": data})
    assert r.status_code == 400
    assert "Ark «Læringsmål», rad 4, kolonne A" in r.text
    data = io.BytesIO(catalogue_xlsx([["ALM-001", "T", "Kunne A", None, None]]))
    data.name = "plan.xlsx"
    r = client.post(url, {"name": "Hdir 2026", "file": data})
    assert r.status_code == 200 and "Forhåndsvisning" in r.text
    assert not Catalogue.objects.filter(name="Hdir 2026").exists()  # nothing saved yet
    digest = r.context["digest"]
    assert client.post(url, {"confirm": "feil"}).status_code == 302
    assert not Catalogue.objects.filter(name="Hdir 2026").exists()
    r = client.post(url, {"confirm": digest})
    catalogue = Catalogue.objects.get(name="Hdir 2026")
    assert r.status_code == 302 and r["Location"] == reverse(
        "catalogue_detail", args=[catalogue.pk]
    )
    assert catalogue.official_texts and catalogue.goals.get().title == "Kunne A"
    page = client.get(reverse("catalogue_list"))
    assert "Hdir 2026" in page.text and "Importert" in page.text
    assert "Kunne A" in client.get(r["Location"]).text
    # only administrators import
    client.force_login(a["leader"])
    assert client.get(url).status_code == 403


def test_every_refusal_a_user_can_meet_has_a_norwegian_message():
    """The rules refuse with a code; the page shows REFUSALS[code]. A code missing there would
    show the rules' English developer text."""
    import inspect
    import re

    from veiviser.rules import goals as goal_rules
    from veiviser.training.goals import REFUSALS

    codes = set(re.findall(r'GoalTransitionError\(\s*"([a-z_]+)"', inspect.getsource(goal_rules)))
    assert {"recommendations_missing", "already_submitted", "already_approved"} <= codes
    internal = {"naive_time"}  # the application always stamps the time itself
    assert codes - internal <= set(REFUSALS), sorted(codes - internal - set(REFUSALS))
