"""Learning goals: the plan's goal list, one goal, sign-off actions, supervisor links, evidence
files, the public recommendation page and the goal catalogues."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse

from tests.permissions import Case, everyone

READERS = dict.fromkeys(
    ("alis", "veileder", "supervisor", "leader", "coordinator", "regional", "national", "admin"),
    200,
)
# Readers who hold no sign-off role for the ALIS (roles_for is empty or another role).
NO_SIGN_OFF = dict.fromkeys(("coordinator", "regional", "national", "admin"), 403)
PDF = b"%PDF-1.4\n% Veiviser permission case\n%%EOF\n"


def _plan(a):
    from veiviser.training.services import create_plan

    return create_plan(trainee=a.trainee, by=None)


def _goal(a, code="ALM-001"):
    return _plan(a).goals.get(code=code)


def _submitted(a, code):
    from veiviser.training.goals import record_goal_event

    goal = _goal(a, code)
    record_goal_event(plan_goal=goal, action="submitted", role="alis", by=a["alis"])
    return goal


def _ready(a, code):
    from veiviser.training.goals import record_goal_event

    goal = _submitted(a, code)
    goal.refresh_from_db()
    record_goal_event(plan_goal=goal, action="recommended", role="veileder", by=a["veileder"])
    goal.refresh_from_db()
    record_goal_event(plan_goal=goal, action="recommended", role="supervisor", by=a["supervisor"])
    goal.refresh_from_db()
    return goal


def _goal_url(name, code="ALM-001", setup=_goal):
    def url(a):
        goal = setup(a, code)
        return reverse(name, args=[a.trainee.pk, goal.code])

    return url


def _evidence_url(a):
    from django.conf import settings

    from veiviser.training.models import Evidence

    name = "evidence/permission-case.pdf"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PDF)
    goal = _goal(a)
    item = Evidence.objects.create(plan_goal=goal, file=name, created_by=a["alis"])
    return reverse("goal_evidence", args=[a.trainee.pk, goal.code, item.pk])


def _link_url(a):
    from veiviser.training.goals import create_recommendation_link

    goal = _submitted(a, "ALM-005")
    _link, raw = create_recommendation_link(
        plan_goal=goal, name="Sigrid Supervisør", email="sup@example.invalid", by=a["alis"]
    )
    return reverse("recommend_by_link", args=[raw])


def _catalogue_url(a):
    from veiviser.training.services import ensure_default_catalogue

    return reverse("catalogue_detail", args=[ensure_default_catalogue().pk])


CASES = [
    Case("goal_list", lambda a: reverse("goal_list", args=[a.trainee.pk]), READERS),
    # Creating the plan: ALIS, veileder, the municipality's managers and administrators.
    Case(
        "goal_list",
        lambda a: reverse("goal_list", args=[a.trainee.pk]),
        {
            **dict.fromkeys(("alis", "veileder", "leader", "coordinator", "admin"), 302),
            **dict.fromkeys(("supervisor", "regional", "national"), 403),
        },
        method="post",
    ),
    Case("goal_detail", _goal_url("goal_detail"), READERS),
    # Adding evidence: the ALIS only.
    Case(
        "goal_detail",
        _goal_url("goal_detail"),
        {
            **dict.fromkeys(READERS, 403),
            "alis": 302,
        },
        method="post",
        data={"text": "Journalnotat fra konsultasjon"},
    ),
    Case(
        "goal_act",
        _goal_url("goal_act", "ALM-002"),
        {**dict.fromkeys(READERS, 403), "alis": 302},
        method="post",
        data={"action": "submitted", "comment": "Klar"},
    ),
    Case(
        "goal_act",
        _goal_url("goal_act", "ALM-003", _ready),
        {**dict.fromkeys(READERS, 403), "leader": 302},
        method="post",
        data={"action": "approved"},
    ),
    Case(
        "goal_link",
        _goal_url("goal_link", "ALM-004", _submitted),
        {**dict.fromkeys(("alis", "veileder", "leader"), 302), "supervisor": 403, **NO_SIGN_OFF},
        method="post",
        data={"name": "Sigrid Supervisør", "email": "sup@example.invalid"},
    ),
    Case("goal_evidence", _evidence_url, READERS),
    # The one-time link works without logging in, for anyone who holds it.
    Case("recommend_by_link", _link_url, {**everyone(200), "anonymous": 200}),
    Case(
        "recommend_by_link",
        _link_url,
        {**everyone(200), "anonymous": 200},
        method="post",
        data={"comment": "Sett i praksis"},
    ),
    Case(
        "recommend_by_link",
        lambda a: reverse("recommend_by_link", args=["ukjent-lenke"]),
        {**everyone(404), "anonymous": 404},
    ),
    Case("catalogue_list", lambda a: reverse("catalogue_list"), everyone(200)),
    Case("catalogue_detail", _catalogue_url, everyone(200)),
    Case(
        "catalogue_import",
        lambda a: reverse("catalogue_import"),
        {**everyone(403), "admin": 200},
    ),
]
