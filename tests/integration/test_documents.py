"""The documents a municipality files, as users meet them: the general training plan (form,
versions, PDF), the individual plan as PDF and the service certificate as PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from veiviser.audit.models import AuditEvent
from veiviser.documents.certificate import attributed_months, build_certificate
from veiviser.documents.content import blocks
from veiviser.documents.models import ImmutableVersionError, MunicipalTrainingPlan
from veiviser.documents.starter import starting_text
from veiviser.rules import training as r
from veiviser.rules.ruleset import ALIS_2019
from veiviser.training.models import (
    Course,
    GroupSupervision,
    LeavePeriod,
    ServicePeriod,
    SupervisionSession,
)
from veiviser.training.records import record_of, with_records
from veiviser.training.services import create_plan

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")


def pdf_text(content: bytes, tmp_path: Any) -> str | None:
    """The PDF's text (pdftotext), or None when poppler-utils is missing (then text checks are
    skipped, unless VEIVISER_REQUIRE_BROWSER demands the full toolchain)."""
    assert content.startswith(b"%PDF")
    if PDFTOTEXT is None:
        if os.environ.get("VEIVISER_REQUIRE_BROWSER"):
            pytest.fail("pdftotext (poppler-utils) is required")
        return None
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


def today_text() -> str:
    return timezone.localdate().strftime("%d.%m.%Y")


def plan_form(actors: Any, **changes: str) -> dict[str, str]:
    data = starting_text(actors.laerdal, [actors.office])
    data.update(
        responsible_name="Åse Ødegård",
        responsible_title="Kommuneoverlege",
        contact_email="ase.odegard@example.no",
        contact_phone="57 64 12 00",
        change_note="Første versjon",
    )
    data.update(changes)
    return data


def exports(object_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="export", object_type=object_type))


# --- the general training plan ----------------------------------------------------------------


def test_a_municipality_new_to_alis_finds_a_template_and_saves_its_first_plan(client, actors):
    client.force_login(actors["leader"])
    page = client.get(reverse("municipal_plan", args=["4642"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kommunen har ikke lagret en plan ennå" in html
    assert "Lærdal legekontor" in html  # the register's offices are written in
    assert "[" in html  # fill-in marks of the template

    form = client.get(reverse("municipal_plan_edit", args=["4642"]))
    initial = form.context["form"].initial
    assert "4 timer per måned i 10,5 av årets måneder" in initial["individual_supervision"]
    assert "Legeforeningen" in initial["group_supervision"]
    assert "Lærdal legekontor" in initial["arenas_open_practice"]

    response = client.post(reverse("municipal_plan_edit", args=["4642"]), plan_form(actors))
    assert response.status_code == 302
    plan = MunicipalTrainingPlan.objects.get(municipality=actors.laerdal)
    assert plan.version == 1
    assert plan.responsible_name == "Åse Ødegård"
    assert plan.created_by == actors["leader"]
    event = AuditEvent.objects.get(object_type="documents.MunicipalTrainingPlan", action="create")
    assert event.municipality_id == actors.laerdal.pk
    assert event.after["version"] == 1


def test_every_save_is_a_new_version_and_old_versions_are_kept(client, actors, tmp_path):
    client.force_login(actors["leader"])
    url = reverse("municipal_plan_edit", args=["4642"])
    client.post(url, plan_form(actors))
    first_text = MunicipalTrainingPlan.objects.get().individual_supervision
    client.force_login(actors["coordinator"])
    response = client.post(
        url,
        plan_form(
            actors,
            individual_supervision="Veileder Kåre Lærdal, tirsdager kl. 14–16, 4 timer i måneden.",
            change_note="Ny veileder",
            base_version="1",
        ),
    )
    assert response.status_code == 302
    versions = list(MunicipalTrainingPlan.objects.order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].individual_supervision == first_text  # the old version is unchanged
    assert versions[1].individual_supervision.startswith("Veileder Kåre Lærdal")
    assert AuditEvent.objects.filter(
        object_type="documents.MunicipalTrainingPlan", action="update"
    ).exists()

    page = client.get(reverse("municipal_plan", args=["4642"]))
    html = page.content.decode()
    assert "Versjonshistorikk" in html and "Ny veileder" in html
    assert "3 Individuell veiledning" in html  # the history names the changed section
    old = client.get(reverse("municipal_plan", args=["4642"]) + "?versjon=1")
    assert old.status_code == 200
    assert "erstattet" in old.content.decode()
    assert client.get(reverse("municipal_plan", args=["4642"]) + "?versjon=9").status_code == 404

    pdf = client.get(reverse("municipal_plan_pdf", args=["4642"]) + "?versjon=1")
    text = pdf_text(pdf.content, tmp_path)
    if text is not None:
        assert "Tidligere versjon" in text
        assert "Kåre Lærdal, tirsdager" not in text

    with pytest.raises(ImmutableVersionError):
        versions[0].save()
    with pytest.raises(ImmutableVersionError):
        versions[0].delete()


def test_the_plan_page_costs_the_same_queries_however_many_versions(client, actors):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(actors["leader"])
    url = reverse("municipal_plan_edit", args=["4642"])
    page = reverse("municipal_plan", args=["4642"])

    def save(n: int) -> None:
        client.post(url, plan_form(actors, cooperation=f"Tekst {n}", base_version=str(n - 1)))

    save(1)
    save(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(page).status_code == 200
    for n in range(3, 8):
        save(n)
    assert MunicipalTrainingPlan.objects.count() == 7
    with CaptureQueriesContext(connection) as many:
        assert client.get(page).status_code == 200
    assert len(many) == len(few)


def test_saving_an_unchanged_plan_makes_no_new_version(client, actors):
    client.force_login(actors["leader"])
    url = reverse("municipal_plan_edit", args=["4642"])
    client.post(url, plan_form(actors))
    again = client.post(url, plan_form(actors, base_version="1"))
    assert again.status_code == 302
    assert MunicipalTrainingPlan.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("individual_supervision", ""),
        ("responsible_name", "   "),
        ("contact_email", "ikke-en-epost"),
        ("valid_from", "31.02.2026"),
    ],
)
def test_bad_plan_input_is_refused_naming_the_field(client, actors, field, value):
    client.force_login(actors["coordinator"])
    response = client.post(
        reverse("municipal_plan_edit", args=["4642"]), plan_form(actors, **{field: value})
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not MunicipalTrainingPlan.objects.exists()


def test_a_save_on_top_of_a_newer_version_is_refused(client, actors):
    client.force_login(actors["leader"])
    url = reverse("municipal_plan_edit", args=["4642"])
    client.post(url, plan_form(actors))
    client.post(url, plan_form(actors, change_note="b", cooperation="Ny tekst", base_version="1"))
    stale = client.post(url, plan_form(actors, assessment="Min tekst", base_version="1"))
    assert stale.status_code == 400
    assert "versjon 2" in " ".join(stale.context["form"].non_field_errors())
    assert MunicipalTrainingPlan.objects.count() == 2


def test_the_plan_pdf_names_the_municipality_and_is_audited(client, actors, tmp_path):
    client.force_login(actors["leader"])
    template = client.get(reverse("municipal_plan_pdf", args=["4642"]))
    assert template.status_code == 200
    assert template["Content-Type"] == "application/pdf"
    text = pdf_text(template.content, tmp_path)
    if text is not None:
        assert "Mal – ikke lagret" in text

    client.post(reverse("municipal_plan_edit", args=["4642"]), plan_form(actors))
    client.force_login(actors["regional"])
    response = client.get(reverse("municipal_plan_pdf", args=["4642"]))
    assert response.status_code == 200
    assert "generell-utdanningsplan-4642" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    if text is not None:
        for expected in (
            "Lærdal kommune",
            "Kommunenummer 4642",
            "Generell utdanningsplan",
            today_text(),
            "Læringsarenaer",
            "Individuell veiledning",
            "Gruppeveiledning",
            "Supervisjon",
            "Vurdering og godkjenning av læringsmål",
            "Åse Ødegård",
            "Lærdal legekontor",
            "Side 1 av",
        ):
            assert expected in text, expected
    events = exports("documents.MunicipalTrainingPlan")
    assert len(events) == 1 and events[0].actor == actors["regional"]
    assert exports("core.Municipality")  # the template download was audited too


# --- the individual training plan -------------------------------------------------------------


@pytest.fixture
def record(actors):
    """A Lærdal ALIS with service (one period in Bergen before), a planned institution period,
    leave, supervision, a group, a course and a goal plan."""
    trainee = actors.trainee
    person = trainee.person
    person.given_name, person.family_name, person.hpr_number = "Øystein", "Æsøy", "1234567"
    person.save()
    today = timezone.localdate()
    add = ServicePeriod.objects.create
    add(
        trainee=trainee,
        start=date(2022, 9, 1),
        end=date(2023, 8, 31),
        percent=80,
        arena="open_practice",
        setting="fastlegevikar",
        municipality=actors.bergen,
    )
    add(
        trainee=trainee,
        start=date(2023, 9, 1),
        end=date(2024, 8, 31),
        percent=100,
        arena="open_practice",
        setting="fastlege",
        municipality=actors.laerdal,
    )
    add(
        trainee=trainee,
        start=date(2024, 1, 1),
        end=date(2024, 6, 30),
        percent=40,
        arena="other_gp",
        setting="legevakt",
        employer="Lærdal legevakt",
        municipality=actors.laerdal,
    )
    add(
        trainee=trainee,
        start=date(2024, 9, 1),
        end=None,
        percent=100,
        arena="open_practice",
        setting="fastlege",
        municipality=actors.laerdal,
    )
    add(
        trainee=trainee,
        start=today + timedelta(days=120),
        end=today + timedelta(days=300),
        percent=100,
        arena="institution",
        setting="Medisinsk avdeling, Førde sentralsjukehus",
    )
    LeavePeriod.objects.create(
        trainee=trainee, start=date(2024, 3, 1), end=date(2024, 3, 31), percent=100, kind="parental"
    )
    SupervisionSession.objects.create(trainee=trainee, date=date(2023, 1, 10), hours=4)
    GroupSupervision.objects.create(trainee=trainee, start=date(2023, 1, 1), hours=60)
    Course.objects.create(trainee=trainee, kind="grunnkurs_a", completed=date(2023, 3, 1))
    create_plan(trainee=trainee, by=actors["leader"])
    return trainee


def test_the_individual_plan_pdf_has_the_doctor_mentors_service_goals_and_readiness(
    client, actors, record, tmp_path
):
    client.force_login(actors["veileder"])
    response = client.get(reverse("training_plan_pdf", args=[record.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    if text is not None:
        for expected in (
            "Individuell utdanningsplan",
            "Lærdal kommune",
            "Kommunenummer 4642",
            today_text(),
            "Øystein Æsøy",
            "1234567",
            "Lærdal legekontor",
            "Veileder Testesen",
            "Supervisor Testesen",
            "01.09.2022",
            "Førde sentralsjukehus",
            "planlagt",
            "foreldrepermisjon",
            "Status for spesialistgodkjenning",
            "Åpen uselektert allmennpraksis",
            "Individuell veiledning",
            "Antatt ferdig med allmennmedisinsk tjeneste",
            "ALM – allmennmedisinske læringsmål",
            "FKM – felles kompetansemål",
            "ALM-001",
            "FKM-024",
            "0 av 88 godkjent",
            "Grunnkurs B",
        ):
            assert expected in text, expected
    event = exports("training.Trainee")[0]
    assert event.actor == actors["veileder"]
    assert event.municipality_id == actors.laerdal.pk
    assert "individuell utdanningsplan" in event.summary


def test_the_individual_plan_of_an_old_scheme_doctor_says_there_is_no_verdict(
    client, actors, tmp_path
):
    trainee = actors.trainee
    trainee.scheme = "old"
    trainee.save()
    client.force_login(actors["alis"])
    response = client.get(reverse("training_plan_pdf", args=[trainee.pk]))
    text = pdf_text(response.content, tmp_path)
    if text is not None:
        assert "gammel ordning" in text
        assert "Planen har ingen læringsmål ennå" in text


# --- the service certificate ------------------------------------------------------------------


def test_the_certificate_lists_the_municipalitys_periods_with_months_and_hours(
    client, actors, record, tmp_path
):
    client.force_login(actors["leader"])
    response = client.get(reverse("service_certificate_pdf", args=[record.pk, "4642"]))
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    if text is not None:
        for expected in (
            "Attest for allmennmedisinsk virksomhet",
            "Lærdal kommune",
            "Kommunenummer 4642",
            "Øystein Æsøy",
            "01.09.2023 31.08.2024",
            "legevakt, Lærdal legevakt",
            "37,5",  # 100 % open practice
            "15,0",  # 40 % legevakt
            "Leader Testesen",  # the signing leader
            f"Lærdal, {today_text()}",
            "Sted og dato",
            "foreldrepermisjon",
        ):
            assert expected in text, expected
        assert "fastlegevikar" not in text  # Bergen's period is Bergen's to certify
        assert "Førde" not in text  # institution service is not on this certificate
    event = exports("training.Trainee")[0]
    assert event.municipality_id == actors.laerdal.pk
    assert "attest" in event.summary


def test_certificate_months_follow_the_counting_rule():
    """Months are FTE-months: 12 months at 100 % are 12.0, 6 months at 40 % are 2.4, leave is
    deducted, and the 50 % day rule is judged on the doctor's whole record."""
    legevakt = r.ServicePeriod(date(2024, 1, 1), date(2024, 6, 30), 40, "other_gp")
    elsewhere = r.ServicePeriod(date(2024, 1, 1), date(2024, 12, 31), 60, "open_practice")
    doctor = r.Doctor(id="d", name="d", hpr=None, scheme="new", training_start=date(2024, 1, 1))
    both = r.TrainingRecord(doctor=doctor, service=(legevakt, elsewhere))
    as_of = date(2026, 1, 1)
    assert attributed_months([legevakt], both, as_of, ALIS_2019) == pytest.approx((0.0, 2.4))
    alone = r.TrainingRecord(doctor=doctor, service=(legevakt,))
    assert attributed_months([legevakt], alone, as_of, ALIS_2019) == (0.0, 0.0)  # under 50 %
    year = r.ServicePeriod(date(2024, 1, 1), date(2024, 12, 31), 100, "open_practice")
    leave = r.LeavePeriod(date(2024, 3, 1), date(2024, 3, 31), 100, "parental")
    with_leave = r.TrainingRecord(doctor=doctor, service=(year,), leave=(leave,))
    op, _other = attributed_months([year], with_leave, as_of, ALIS_2019)
    assert op == pytest.approx(11.0)


def test_certificate_rows_and_totals(actors, record):
    trainee = with_records(type(record).objects.filter(pk=record.pk)).get()
    cert = build_certificate(
        periods=list(trainee.service_periods.all()),
        record=record_of(trainee),
        municipality_id=actors.laerdal.pk,
        current_municipality_id=actors.laerdal.pk,
        as_of=date(2024, 12, 31),
        ruleset=ALIS_2019,
    )
    assert [(row.start, row.arena) for row in cert.rows] == [
        (date(2023, 9, 1), "open_practice"),
        (date(2024, 1, 1), "other_gp"),
        (date(2024, 9, 1), "open_practice"),
    ]
    first, legevakt, ongoing = cert.rows
    assert first.hours_per_week == 37.5 and not first.hours_recorded
    assert legevakt.hours_per_week == pytest.approx(15.0)
    assert legevakt.months == pytest.approx(0.4 * 5)  # six months at 40 %, March on leave
    assert ongoing.end is None and ongoing.months == pytest.approx(4.0)
    # 100 % + 40 % on the same days is scaled to 100 % in the total (rules.md step 2).
    assert cert.total_months == pytest.approx(12 + 4 - 1)
    assert cert.open_practice_months + cert.other_gp_months == pytest.approx(cert.total_months)
    assert [lp.kind for lp in cert.leave] == ["parental"]


def test_a_former_municipality_certifies_its_own_period(client, actors, record, tmp_path):
    client.force_login(actors["foreign_leader"])  # Bergen, where the ALIS served in 2022–2023
    response = client.get(reverse("service_certificate_pdf", args=[record.pk, "4601"]))
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    if text is not None:
        assert "Bergen kommune" in text and "fastlegevikar" in text
        assert "legevakt" not in text
    # … but not Lærdal's, nor does Bergen see the rest of the record.
    lærdal = client.get(reverse("service_certificate_pdf", args=[record.pk, "4642"]))
    assert lærdal.status_code == 403
    assert client.get(reverse("training_plan_pdf", args=[record.pk])).status_code == 404


def test_the_alis_downloads_their_own_certificate(client, actors, record):
    client.force_login(actors["alis"])
    response = client.get(reverse("service_certificate_pdf", args=[record.pk, "4642"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    bergen = client.get(reverse("service_certificate_pdf", args=[record.pk, "4601"]))
    assert bergen.status_code == 200  # their own service, wherever it was


def test_a_recorded_hours_per_week_wins_over_the_derived_number():
    from veiviser.documents.certificate import hours_per_week

    class Period:
        hours_per_week = Decimal("52.5")

    assert hours_per_week(Period(), 100) == (52.5, True)
    assert hours_per_week(object(), 80) == (30.0, False)


def test_free_text_becomes_paragraphs_and_lists():
    text = "Innledning\nfortsatt\n\n- en\n- to\n  videre\nEtter"
    assert blocks(text) == [
        {"kind": "p", "lines": ["Innledning", "fortsatt"]},
        {"kind": "list", "items": ["en", "to videre"]},
        {"kind": "p", "lines": ["Etter"]},
    ]


def test_the_pages_link_to_the_documents_each_user_may_download(client, actors):
    """The municipality page links its general plan for those who read it; the ALIS page
    links the individual plan for everyone who sees it and the certificate only for those
    who may download it (the municipality's managers and the ALIS)."""
    laerdal, trainee = actors.laerdal, actors.trainee
    client.force_login(actors["leader"])
    page = client.get(reverse("trainee_detail", args=[trainee.pk])).content.decode()
    assert "Tjenesteattest" not in page  # no service registered yet: nothing to certify
    ServicePeriod.objects.create(
        trainee=trainee, start=date(2022, 9, 1), percent=100, arena="open_practice"
    )
    plan_url = reverse("municipal_plan", args=[laerdal.number])
    certificate = reverse("service_certificate_pdf", args=[trainee.pk, laerdal.number])
    individual = reverse("training_plan_pdf", args=[trainee.pk])
    client.force_login(actors["leader"])
    assert (
        plan_url
        in client.get(reverse("municipality_detail", args=[laerdal.number])).content.decode()
    )
    page = client.get(reverse("trainee_detail", args=[trainee.pk])).content.decode()
    assert individual in page and certificate in page
    for name, sees_certificate in (("alis", True), ("veileder", False), ("regional", False)):
        client.force_login(actors[name])
        page = client.get(reverse("trainee_detail", args=[trainee.pk])).content.decode()
        assert individual in page, name
        assert (certificate in page) == sees_certificate, name
        link_works = client.get(certificate).status_code
        assert (link_works == 200) == sees_certificate, (name, link_works)


def test_the_alis_page_links_the_agreements_for_those_who_may_read_them(client, actors):
    target = reverse("trainee_agreement_list", args=[actors.trainee.pk])
    for name, sees in (("leader", True), ("alis", True), ("veileder", True), ("supervisor", False)):
        client.force_login(actors[name])
        page = client.get(reverse("trainee_detail", args=[actors.trainee.pk])).content.decode()
        assert (target in page) == sees, name
        assert (client.get(target).status_code == 200) == sees, name
