"""The workforce pages (/stillinger/) and API endpoints: positions, holders and locums, figures,
timeline, exit interviews, stay surveys, postings, CSV import and export.

Readers are the oversight roles (leaders and coordinators of their municipalities, regional
offices of their region, national and administrators); ALIS, veileder, supervisor and users
without a role get 403 everywhere. Objects in Lærdal: foreign leader and foreign region 404;
writes: Lærdal's leader and coordinator and the administrator, the others who can read 403.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from tests.permissions import Case

NOT_READERS = dict.fromkeys(("alis", "veileder", "supervisor", "norole"), 403)
READERS = {
    **NOT_READERS,
    **dict.fromkeys(
        (
            "leader",
            "coordinator",
            "foreign_leader",
            "regional",
            "foreign_regional",
            "national",
            "admin",
        ),
        200,
    ),
}
OWN_READERS = {
    **NOT_READERS,
    **dict.fromkeys(("leader", "coordinator", "regional", "national", "admin"), 200),
    "foreign_leader": 404,
    "foreign_regional": 404,
}
OWN_MANAGERS = {
    **NOT_READERS,
    **dict.fromkeys(("leader", "coordinator", "admin"), 200),
    "regional": 403,
    "national": 403,
    "foreign_leader": 404,
    "foreign_regional": 404,
}
MANAGERS_ANYWHERE = {
    **dict.fromkeys(("leader", "coordinator", "foreign_leader", "admin"), 200),
}


def _position(a):
    from veiviser.core.models import Position
    from veiviser.workforce.models import Occupancy

    position, created = Position.objects.get_or_create(
        municipality=a.laerdal,
        external_id="PERM-1",
        defaults={"kind": "gp", "created": date(2015, 1, 1), "office": a.office},
    )
    if created:
        Occupancy.objects.create(
            position=position,
            person=a["supervisor"].person,
            role="holder",
            start=date(2015, 1, 1),
            end=date(2019, 12, 31),
            end_reason="resigned",
            next_work="hospital",
        )
        Occupancy.objects.create(
            position=position, person=a["veileder"].person, role="holder", start=date(2020, 3, 1)
        )
    return position


def _ended(a):
    return _position(a).occupancies.get(end__isnull=False)


def _posting(a):
    from veiviser.workforce.models import Posting

    posting, _ = Posting.objects.get_or_create(
        position=_position(a), published=date(2019, 11, 1), defaults={"applicants": 2}
    )
    return posting


def _survey(a):
    from veiviser.workforce.models import StaySurvey

    survey, _ = StaySurvey.objects.get_or_create(municipality=a.laerdal, year=2024)
    return survey


def _page(name, expect, url=None, **kwargs):
    return Case(name, url or (lambda a: reverse(name)), expect, default=403, **kwargs)


CASES = [
    _page("position_list", READERS),
    _page(
        "position_detail", OWN_READERS, lambda a: reverse("position_detail", args=[_position(a).pk])
    ),
    _page(
        "occupancy_create",
        OWN_MANAGERS,
        lambda a: reverse("occupancy_create", args=[_position(a).pk]),
    ),
    _page(
        "posting_create", OWN_MANAGERS, lambda a: reverse("posting_create", args=[_position(a).pk])
    ),
    _page("occupancy_edit", OWN_MANAGERS, lambda a: reverse("occupancy_edit", args=[_ended(a).pk])),
    _page(
        "occupancy_close", OWN_MANAGERS, lambda a: reverse("occupancy_close", args=[_ended(a).pk])
    ),
    _page(
        "exit_interview_edit",
        OWN_MANAGERS,
        lambda a: reverse("exit_interview_edit", args=[_ended(a).pk]),
    ),
    _page("posting_edit", OWN_MANAGERS, lambda a: reverse("posting_edit", args=[_posting(a).pk])),
    _page("workforce_import", MANAGERS_ANYWHERE),
    _page("workforce_export_positions", READERS),
    _page("workforce_export_occupancies", READERS),
    _page("workforce_figures", READERS),
    _page("workforce_timeline", READERS),
    _page("workforce_timeline_svg", READERS),
    _page(
        "workforce_timeline_png",
        READERS,
        lambda a: reverse("workforce_timeline_png") + "?fra=2024-01-01",
    ),
    _page("workforce_exits", READERS),
    _page("stay_survey_list", READERS),
    _page(
        "stay_survey_detail",
        OWN_READERS,
        lambda a: reverse("stay_survey_detail", args=[_survey(a).pk]),
    ),
    _page(
        "stay_answer_create",
        {**OWN_MANAGERS, "leader": 302, "coordinator": 302, "admin": 302},
        lambda a: reverse("stay_answer_create", args=[_survey(a).pk]),
    ),
    # The API: the same readers; anonymous 401.
    Case(
        "api:workforce_positions_at",
        lambda a: "/api/workforce/positions-at?at=2024-01-01&municipality=4642",
        READERS,
        default=403,
        api=True,
    ),
    Case(
        "api:workforce_stability",
        lambda a: "/api/workforce/stability?from=2019-01-01&to=2024-12-31",
        READERS,
        default=403,
        api=True,
    ),
    Case(
        "api:workforce_timeline",
        lambda a: "/api/workforce/timeline.svg?from=2019-01-01&to=2020-12-31",
        READERS,
        default=403,
        api=True,
    ),
    Case(
        "api:workforce_occupancies",
        lambda a: "/api/workforce/occupancies",
        READERS,
        default=403,
        api=True,
    ),
]
