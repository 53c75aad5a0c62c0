"""The workforce pages: register, a position's history and its forms, figures, timeline, exit
interviews and stay surveys — bad input, overlapping holders, small groups, query budgets, and
figures that match the rules on the same data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veiviser.audit.models import AuditEvent
from veiviser.core.models import Person, Position
from veiviser.rules.workforce import PositionFilter, WorkforceData
from veiviser.rules.workforce_csv import parse_files
from veiviser.workforce.models import (
    ExitInterview,
    Occupancy,
    Posting,
    StaySurvey,
    StaySurveyAnswer,
)
from veiviser.workforce.services import export_workforce_csv, save_occupancy

pytestmark = pytest.mark.django_db

PERIOD = {"dato": "2023-06-01", "fra": "2018-01-01", "til": "2023-12-31"}


def doctor(name: str, municipality: Any) -> Person:
    given, family = name.split()
    return Person.objects.create(
        given_name=given, family_name=family, is_doctor=True, home_municipality=municipality
    )


def position(municipality: Any, external_id: str, **kwargs: Any) -> Position:
    values = {"kind": "gp", "created": date(2015, 1, 1), **kwargs}
    return Position.objects.create(municipality=municipality, external_id=external_id, **values)


def holder(p: Position, person: Person, start: date, end: date | None = None, **kw: Any) -> Any:
    return Occupancy.objects.create(
        position=p, person=person, role="holder", start=start, end=end, **kw
    )


def locum(p: Position, person: Person, start: date, end: date | None = None) -> Any:
    return Occupancy.objects.create(position=p, person=person, role="locum", start=start, end=end)


@pytest.fixture
def laerdal(actors: Any) -> dict[str, Any]:
    """Three Lærdal positions with a history, and one Bergen position (another municipality)."""
    m = actors.laerdal
    a, b, c = (doctor(n, m) for n in ("Kari Fjell", "Ola Strand", "Ida Lie"))
    v = doctor("Vera Vikar", None)
    h1 = position(m, "H1", office=actors.office)
    holder(h1, a, date(2015, 1, 1), date(2019, 6, 30), end_reason="resigned", next_work="hospital")
    locum(h1, v, date(2019, 7, 1), date(2019, 12, 31))
    holder(h1, b, date(2020, 1, 1))
    h2 = position(m, "H2", created=date(2016, 3, 1))
    holder(h2, c, date(2016, 3, 1))
    a1 = position(m, "A1", kind="alis", programme="ALIS-Vest del 1", created=date(2019, 9, 1))
    holder(a1, actors["alis"].person, date(2019, 9, 1))
    bergen = position(actors.bergen, "B1")
    holder(bergen, doctor("Berit Berg", actors.bergen), date(2015, 1, 1))
    return {"h1": h1, "h2": h2, "a1": a1, "bergen": bergen, "a": a, "b": b, "v": v}


def grow(actors: Any, n: int) -> None:
    """More positions and rows in Lærdal (for the query budgets)."""
    m = actors.laerdal
    for i in range(n):
        p = position(m, f"X{i}", kind="gp" if i % 2 else "alis", programme="ALIS-Vest del 1")
        first = doctor(f"Ny{i} Lege", m)
        holder(p, first, date(2015, 1, 1), date(2018, 12, 31), end_reason="moved")
        locum(p, doctor(f"Vik{i} Vikar", None), date(2019, 1, 1), date(2019, 3, 31))
        holder(p, doctor(f"Neste{i} Lege", m), date(2019, 4, 1))


def queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


# --------------------------------------------------------------------------- register


def test_the_register_lists_the_users_positions_with_their_status(client, actors, laerdal):
    client.force_login(actors["leader"])
    response = client.get(reverse("position_list"), {"dato": "2019-09-01"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "H1" in text and "A1" in text and "B1" not in text
    totals = response.context["totals"]
    assert (totals.positions, totals.staffed, totals.vacant, totals.locum_served) == (3, 2, 1, 1)


def test_the_register_downloads_as_csv(client, actors, laerdal):
    client.force_login(actors["regional"])
    response = client.get(reverse("position_list"), {"format": "csv", "dato": "2023-01-01"})
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("kommunenummer,kommune,stilling")
    assert any(line.startswith("4642,Lærdal,H1,") and "Ola Strand" in line for line in lines)
    assert AuditEvent.objects.filter(action="export").exists()


def test_the_register_filters_by_kind_and_status(client, actors, laerdal):
    laerdal["h2"].closed = date(2021, 1, 1)
    laerdal["h2"].save()
    client.force_login(actors["leader"])
    rows = client.get(reverse("position_list"), {"type": "alis"}).context["page_obj"]
    assert [r["position"].position_id for r in rows] == ["A1"]
    rows = client.get(reverse("position_list"), {"status": "closed"}).context["page_obj"]
    assert [r["position"].position_id for r in rows] == ["H2"]


def test_the_register_makes_the_same_number_of_queries_as_data_grows(client, actors, laerdal):
    client.force_login(actors["regional"])
    url = reverse("position_list")
    before = queries(client, url)
    grow(actors, 12)
    assert queries(client, url) == before


# --------------------------------------------------------------------------- one position


def test_a_position_shows_its_holders_in_order_and_its_locums(client, actors, laerdal):
    client.force_login(actors["leader"])
    response = client.get(reverse("position_detail", args=[laerdal["h1"].pk]))
    assert response.status_code == 200
    holders = response.context["holders"]
    assert [(h["ordinal"], h["o"].person.full_name) for h in holders] == [
        (1, "Kari Fjell"),
        (2, "Ola Strand"),
    ]
    assert [l_["o"].person.full_name for l_ in response.context["locums"]] == ["Vera Vikar"]
    assert "<svg" in response.content.decode()
    assert response.context["can_manage"] is True


def test_exit_interviews_are_shown_to_managers_only(client, actors, laerdal):
    ended = laerdal["h1"].occupancies.get(person=laerdal["a"])
    ExitInterview.objects.create(
        occupancy=ended, held_on=date(2019, 6, 20), reasons=["workload"], comment="Hemmelig notat"
    )
    url = reverse("position_detail", args=[laerdal["h1"].pk])
    client.force_login(actors["leader"])
    assert reverse("exit_interview_edit", args=[ended.pk]) in client.get(url).content.decode()
    client.force_login(actors["regional"])
    text = client.get(url).content.decode()
    assert reverse("exit_interview_edit", args=[ended.pk]) not in text
    assert "Hemmelig" not in text


def test_a_new_holder_with_dates_the_wrong_way_round_is_refused(client, actors, laerdal):
    client.force_login(actors["leader"])
    before = Occupancy.objects.count()
    response = client.post(
        reverse("occupancy_create", args=[laerdal["h2"].pk]),
        {"role": "locum", "person": laerdal["v"].pk, "start": "2024-05-01", "end": "2024-04-01"},
    )
    assert response.status_code == 400
    assert "end" in response.context["form"].errors
    assert "Siste dag kan ikke være før første dag" in response.content.decode()
    assert Occupancy.objects.count() == before


def test_a_holder_row_overlapping_another_holder_is_refused(client, actors, laerdal):
    client.force_login(actors["leader"])
    before = Occupancy.objects.count()
    response = client.post(
        reverse("occupancy_create", args=[laerdal["h1"].pk]),
        {"role": "holder", "person": laerdal["v"].pk, "start": "2019-06-30", "end": "2019-12-31"},
    )
    assert response.status_code == 400
    assert "start" in response.context["form"].errors
    assert "Overlapper med Kari Fjell" in response.content.decode()
    assert Occupancy.objects.count() == before


def test_a_locum_may_serve_while_the_holder_is_away(client, actors, laerdal):
    client.force_login(actors["leader"])
    response = client.post(
        reverse("occupancy_create", args=[laerdal["h2"].pk]),
        {"role": "locum", "person": laerdal["v"].pk, "start": "2024-01-01", "end": "2024-06-30"},
    )
    assert response.status_code == 302
    assert laerdal["h2"].occupancies.filter(role="locum").count() == 1


def test_the_next_holder_starts_the_day_after_the_last_day(actors, laerdal):
    h2 = laerdal["h2"]
    current = h2.occupancies.get()
    current.end = date(2022, 12, 31)
    save_occupancy(occupancy=current, by=actors["leader"])
    same_day = Occupancy(position=h2, person=laerdal["v"], role="holder", start=date(2022, 12, 31))
    with pytest.raises(ValidationError) as error:
        save_occupancy(occupancy=same_day, by=actors["leader"])
    assert "start" in error.value.message_dict
    same_day.start = date(2023, 1, 1)
    save_occupancy(occupancy=same_day, by=actors["leader"])
    assert h2.occupancies.filter(role="holder").count() == 2


def test_the_database_refuses_two_ongoing_holders_of_one_position(laerdal):
    with pytest.raises(IntegrityError), transaction.atomic():
        holder(laerdal["h2"], laerdal["v"], date(2024, 1, 1))


def test_the_database_refuses_an_end_before_the_start(laerdal):
    with pytest.raises(IntegrityError), transaction.atomic():
        locum(laerdal["h2"], laerdal["v"], date(2024, 1, 2), date(2024, 1, 1))


def test_only_managers_of_the_municipality_may_write(actors, laerdal):
    from django.core.exceptions import PermissionDenied

    row = Occupancy(
        position=laerdal["h2"], person=laerdal["v"], role="locum", start=date(2024, 1, 1)
    )
    for name in ("regional", "foreign_leader", "national"):
        with pytest.raises(PermissionDenied):
            save_occupancy(occupancy=row, by=actors[name])


def test_a_new_doctor_can_be_added_by_name(client, actors, laerdal):
    client.force_login(actors["coordinator"])
    response = client.post(
        reverse("occupancy_create", args=[laerdal["h2"].pk]) + "?rolle=locum",
        {"role": "locum", "given_name": "Nina", "family_name": "Nyvikar", "start": "2024-02-01"},
    )
    assert response.status_code == 302
    person = Person.objects.get(family_name="Nyvikar")
    assert person.is_doctor and person.home_municipality == actors.laerdal
    assert AuditEvent.objects.filter(object_type="workforce.Occupancy", action="create").exists()


def test_the_doctor_must_be_chosen_or_named(client, actors, laerdal):
    client.force_login(actors["leader"])
    response = client.post(
        reverse("occupancy_create", args=[laerdal["h2"].pk]),
        {"role": "locum", "start": "2024-02-01"},
    )
    assert response.status_code == 400
    assert "person" in response.context["form"].errors


def test_closing_a_holder_row_leads_to_the_exit_interview(client, actors, laerdal):
    client.force_login(actors["leader"])
    row = laerdal["h2"].occupancies.get()
    url = reverse("occupancy_close", args=[row.pk])
    response = client.post(url, {"end": "2016-01-01", "end_reason": "resigned", "next_work": "x"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"end", "next_work"}
    response = client.post(
        url,
        {
            "end": "2024-08-31",
            "end_reason": "resigned",
            "next_work": "hospital",
            "exit_interview": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("exit_interview_edit", args=[row.pk])
    row.refresh_from_db()
    assert (row.end, row.end_reason, row.next_work) == (date(2024, 8, 31), "resigned", "hospital")
    interview = reverse("exit_interview_edit", args=[row.pk])
    response = client.post(interview, {"held_on": "2024-08-20", "interviewed_by": "Leder"})
    assert response.status_code == 400
    assert "reasons" in response.context["form"].errors
    response = client.post(
        interview, {"held_on": "2024-08-20", "reasons": ["workload", "family"], "comment": "…"}
    )
    assert response.status_code == 302
    assert row.exit_interview.reasons == ["workload", "family"]


def test_a_posting_with_a_deadline_before_it_was_published_is_refused(client, actors, laerdal):
    client.force_login(actors["leader"])
    url = reverse("posting_create", args=[laerdal["h1"].pk])
    response = client.post(
        url,
        {
            "published": "2024-03-01",
            "deadline": "2024-02-01",
            "positions_advertised": 1,
            "applicants": 2,
            "qualified_applicants": 3,
            "hired": 0,
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"deadline", "qualified_applicants"}
    assert not Posting.objects.exists()
    response = client.post(
        url,
        {
            "published": "2024-03-01",
            "deadline": "2024-04-01",
            "positions_advertised": 2,
            "applicants": 72,
            "qualified_applicants": 60,
            "hired": 2,
        },
    )
    assert response.status_code == 302
    assert Posting.objects.get().applicants == 72


# --------------------------------------------------------------------------- figures


def _rules_on_export(actors: Any) -> WorkforceData:
    """The same data through the CSV export and the parser (as the file mode reads it)."""
    positions_text, occupancies_text = export_workforce_csv(
        position_qs=Position.objects.all(), by=actors["admin"]
    )
    return WorkforceData(*parse_files(positions_text, occupancies_text))


def test_the_figures_on_the_page_match_the_rules_on_the_same_data(client, actors, laerdal):
    grow(actors, 3)
    client.force_login(actors["leader"])
    response = client.get(reverse("workforce_figures"), PERIOD)
    assert response.status_code == 200
    data = _rules_on_export(actors)
    chosen = PositionFilter({"4642"})
    stability = data.stability(date(2018, 1, 1), date(2023, 12, 31), chosen)
    assert response.context["s"] == stability.to_dict()
    assert response.context["f"].total == data.positions_at(date(2023, 6, 1), chosen)
    text = response.content.decode()
    assert f'data-figure="same_holder_throughout">{stability.same_holder_throughout}<' in text
    assert f'data-figure="positions_with_change">{stability.positions_with_change}<' in text


def test_the_figures_follow_the_programme_and_kind_filters(client, actors, laerdal):
    client.force_login(actors["regional"])
    response = client.get(
        reverse("workforce_figures"), {**PERIOD, "program": "ALIS-Vest del 1", "type": "alis"}
    )
    assert response.status_code == 200
    assert response.context["s"]["positions"] == 1
    assert response.context["s"]["same_holder_throughout"] == 1
    assert response.context["s"]["first_staffed_year"] == {"2019": 1}


def test_agreement_duration_of_a_small_group_is_reported_as_such(client, actors, laerdal):
    client.force_login(actors["leader"])
    response = client.get(reverse("workforce_figures"), PERIOD)
    assert response.context["f"].duration.status == "small_group"
    assert "For få avtaler til å beregne en median" in response.content.decode()


def test_agreement_duration_median_and_curve_with_enough_agreements(client, actors, laerdal):
    grow(actors, 10)  # five more gp positions with two agreements each
    client.force_login(actors["leader"])
    response = client.get(reverse("workforce_figures"), PERIOD)
    duration = response.context["f"].duration
    assert duration.rows >= 5 and duration.curve
    text = response.content.decode()
    assert 'role="img"' in text and "Kurvens punkter" in text


def test_the_figures_page_makes_the_same_number_of_queries_as_data_grows(client, actors, laerdal):
    client.force_login(actors["national"])
    url = reverse("workforce_figures") + "?fra=2018-01-01&til=2023-12-31"
    before = queries(client, url)
    grow(actors, 12)
    assert queries(client, url) == before


def test_a_bad_filter_is_refused_naming_the_field(client, actors, laerdal):
    client.force_login(actors["leader"])
    response = client.get(reverse("workforce_figures"), {"fra": "2023-01-01", "til": "2022-01-01"})
    assert response.status_code == 400
    assert "til" in response.context["form"].errors
    response = client.get(reverse("workforce_timeline"), {"fra": "2023-02-30"})
    assert response.status_code == 400
    assert "fra" in response.context["form"].errors
    response = client.get(reverse("position_list"), {"kommune": "4601"})
    assert response.status_code == 400  # Bergen is not the Lærdal leader's to choose
    assert "kommune" in response.context["form"].errors


# --------------------------------------------------------------------------- timeline


def test_the_timeline_shows_the_chart_and_the_table_beside_it(client, actors, laerdal):
    client.force_login(actors["leader"])
    response = client.get(reverse("workforce_timeline"), {"fra": "2019-01-01", "til": "2020-12-31"})
    assert response.status_code == 200
    text = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in text and "Mangler data" in text
    rows = {item["row"].position_id: item["row"] for item in response.context["table"]}
    assert set(rows) == {"A1", "H1", "H2"}
    assert (rows["H1"].holders, rows["H1"].locum_months, rows["H1"].vacant_months) == (2, 6, 6)
    assert reverse("workforce_timeline_svg") in text and reverse("workforce_timeline_png") in text


def test_the_timeline_speaks_the_users_language(client, actors, laerdal):
    client.force_login(actors["leader"])
    params = {"fra": "2019-01-01", "til": "2020-12-31"}
    norwegian = client.get(reverse("workforce_timeline"), params).content.decode()
    assert "Vikar, ingen innehaver" in norwegian and "jan 2019" in norwegian
    client.cookies["django_language"] = "en"
    english = client.get(reverse("workforce_timeline"), params).content.decode()
    assert "Locum, no holder" in english and "Vikar, ingen innehaver" not in english
    assert "Stability of the positions, Jan 2019–Dec 2020" in english
    assert "(6 mo)" in english  # the data table's runs


def test_the_timeline_downloads_as_svg_and_png(client, actors, laerdal):
    client.force_login(actors["leader"])
    svg = client.get(reverse("workforce_timeline_svg"), {"fra": "2019-01-01"})
    assert svg["Content-Type"].startswith("image/svg+xml") and b"<svg" in svg.content
    png = client.get(reverse("workforce_timeline_png"), {"fra": "2019-01-01"})
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_timeline_makes_the_same_number_of_queries_as_data_grows(client, actors, laerdal):
    client.force_login(actors["admin"])
    url = reverse("workforce_timeline") + "?fra=2018-01-01&til=2023-12-31"
    before = queries(client, url)
    grow(actors, 12)
    assert queries(client, url) == before


# --------------------------------------------------------------------------- small groups


def _interviews(laerdal: dict[str, Any], reasons: list[list[str]]) -> None:
    h = laerdal["h2"]
    h.occupancies.all().delete()
    for i, chosen in enumerate(reasons):
        row = holder(
            h,
            doctor(f"Sluttet{i} Lege", h.municipality),
            date(2018 + i, 1, 1),
            date(2018 + i, 12, 31),
            end_reason="resigned",
            next_work="hospital",
        )
        ExitInterview.objects.create(
            occupancy=row, held_on=date(2018 + i, 12, 1), reasons=chosen, comment=f"Notat {i}"
        )


def test_exit_reasons_of_fewer_than_five_interviews_are_not_shown(client, actors, laerdal):
    _interviews(laerdal, [["workload"]] * 4)
    client.force_login(actors["leader"])
    response = client.get(reverse("workforce_exits"), {"fra": "2015-01-01"})
    assert response.status_code == 200
    assert response.context["reasons"].shown is False
    text = response.content.decode()
    assert "færre enn 5 i utvalget" in text
    assert 'data-key="workload"' not in text and "Notat" not in text


def test_exit_reason_counts_below_five_are_hidden(client, actors, laerdal):
    _interviews(laerdal, [["workload", "family"]] * 2 + [["workload"]] * 4)
    client.force_login(actors["regional"])
    response = client.get(reverse("workforce_exits"), {"fra": "2015-01-01"})
    reasons = {c.key: c.value for c in response.context["reasons"].cells}
    assert reasons["workload"] == 6
    assert reasons["family"] is None  # two people: hidden
    assert reasons["salary"] == 0
    text = response.content.decode()
    assert 'data-key="workload">6<' in text
    assert "Notat" not in text
    # End reasons: 6 resigned plus Kari Fjell's = 7, one distribution, nothing below 5 shown.
    end_reasons = {c.key: c.value for c in response.context["end_reasons"].cells}
    assert end_reasons["resigned"] == 7
    assert all(v is None or v == 0 or v >= 5 for v in end_reasons.values())


def test_a_single_hidden_cell_hides_another_so_it_cannot_be_subtracted(actors):
    from veiviser.workforce.figures import protect

    cells = protect([("a", "A", 10), ("b", "B", 2), ("c", "C", 7), ("d", "D", 0)], exclusive=True)
    assert [c.value for c in cells] == [10, None, None, 0]
    cells = protect([("a", "A", 10), ("b", "B", 2)], exclusive=False)
    assert [c.value for c in cells] == [10, None]


def test_stay_survey_rounds_with_fewer_than_five_answers_show_no_results(client, actors, laerdal):
    survey = StaySurvey.objects.create(municipality=actors.laerdal, year=2024)
    for i in range(4):
        StaySurveyAnswer.objects.create(
            survey=survey,
            answered_on=date(2024, 5, 1),
            keeps=["place"],
            intention_to_stay=5,
            comment=f"Kommentar {i}",
        )
    client.force_login(actors["leader"])
    response = client.get(reverse("stay_survey_detail", args=[survey.pk]))
    text = response.content.decode()
    assert "Færre enn 5 svar" in text and "Kommentar" not in text
    StaySurveyAnswer.objects.create(
        survey=survey, answered_on=date(2024, 5, 2), keeps=["colleagues"], intention_to_stay=3
    )
    response = client.get(reverse("stay_survey_detail", args=[survey.pk]))
    year = response.context["year"]
    assert year.shown and year.mean_intention == "4,6"
    assert {c.key: c.value for c in year.keeps.cells}["place"] is None  # 4 < 5
    assert "Kommentar 0" in response.content.decode()  # managers read the texts, unattributed
    client.force_login(actors["regional"])
    assert (
        "Kommentar 0"
        not in client.get(reverse("stay_survey_detail", args=[survey.pk])).content.decode()
    )


def test_a_stay_answer_outside_the_scale_is_refused(client, actors, laerdal):
    survey = StaySurvey.objects.create(municipality=actors.laerdal, year=2024)
    client.force_login(actors["leader"])
    response = client.post(
        reverse("stay_answer_create", args=[survey.pk]),
        {"answered_on": "2024-05-01", "intention_to_stay": 7, "keeps": ["place"]},
    )
    assert response.status_code == 400
    assert "intention_to_stay" in response.context["form"].errors
    assert not StaySurveyAnswer.objects.exists()
    response = client.post(
        reverse("stay_answer_create", args=[survey.pk]),
        {"answered_on": "2024-05-01", "intention_to_stay": 4, "keeps": ["place", "colleagues"]},
    )
    assert response.status_code == 302
    assert StaySurveyAnswer.objects.get().keeps == ["colleagues", "place"]


def test_a_second_round_in_the_same_year_is_refused(client, actors):
    StaySurvey.objects.create(municipality=actors.laerdal, year=2024)
    client.force_login(actors["leader"])
    response = client.post(
        reverse("stay_survey_list"), {"municipality": actors.laerdal.pk, "year": 2024}
    )
    assert response.status_code == 400
    assert "year" in response.context["form"].errors


# --------------------------------------------------------------------------- API


def test_the_api_gives_the_same_figures_as_the_rules(client, actors, laerdal):
    client.force_login(actors["regional"])
    response = client.get("/api/workforce/stability?from=2018-01-01&to=2023-12-31")
    assert response.status_code == 200
    data = _rules_on_export(actors)
    expected = data.stability(
        date(2018, 1, 1), date(2023, 12, 31), PositionFilter({"4642", "4601"})
    )
    assert response.json() == expected.to_dict()  # the Vest region: Lærdal and Bergen
    response = client.get("/api/workforce/positions-at?at=2019-09-01&municipality=4642")
    assert response.json() == {
        "at": "2019-09-01",
        "positions": 3,
        "staffed": 2,
        "vacant": 1,
        "locum_served": 1,
    }
    response = client.get("/api/workforce/stability?from=2023-01-01&to=2022-01-01")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.to"


def test_the_api_lists_occupancies_under_pseudonyms(client, actors, laerdal):
    client.force_login(actors["leader"])
    items = client.get("/api/workforce/occupancies?limit=100").json()["items"]
    assert {i["position_id"] for i in items} == {"A1", "H1", "H2"}
    assert all(i["person_id"].startswith("vv-") for i in items)
    assert "Kari" not in str(items)
