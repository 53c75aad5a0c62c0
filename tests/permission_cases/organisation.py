"""Pages and API endpoints of the organisation model, accounts and audit log."""

from __future__ import annotations

from django.urls import reverse

from tests.permissions import Case, everyone

OWN_READERS = dict.fromkeys(
    ("alis", "veileder", "supervisor", "leader", "coordinator", "regional", "national", "admin"),
    200,
)
MANAGERS_OF_OWN = {
    **dict.fromkeys(("alis", "veileder", "supervisor", "regional", "national"), 403),
    "leader": 200,
    "coordinator": 200,
    "admin": 200,
}
OVERSIGHT = dict.fromkeys(
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
)


def _newcomer(actors):
    from veiviser.core.models import Person

    person, _ = Person.objects.get_or_create(
        given_name="Ny", family_name="Lege", home_municipality=actors.laerdal, is_doctor=True
    )
    return person


def _leader_token(actors):
    from veiviser.accounts.services import create_api_token

    token, _raw = create_api_token(user=actors["leader"], name="t", by=actors["leader"])
    return token


def _veileder_role(actors):
    return actors["veileder"].role_assignments.get()


CASES = [
    Case("healthz", lambda a: "/healthz", {**everyone(200), "anonymous": 200}),
    Case("home", lambda a: reverse("home"), everyone(200)),
    Case("about", lambda a: reverse("about"), {**everyone(200), "anonymous": 200}),
    Case("login", lambda a: reverse("login"), {**everyone(302), "anonymous": 200}),
    Case("logout", lambda a: reverse("logout"), {**everyone(302), "anonymous": 302}, method="post"),
    Case(
        "set_language",
        lambda a: reverse("set_language"),
        {**everyone(302), "anonymous": 302},
        method="post",
        data={"language": "nn"},
    ),
    Case("oidc_login", lambda a: reverse("oidc_login", args=["unknown"]), {"anonymous": 404}),
    Case("oidc_callback", lambda a: reverse("oidc_callback", args=["unknown"]), {"anonymous": 404}),
    Case("municipality_list", lambda a: reverse("municipality_list"), everyone(200)),
    Case(
        "my_municipality",
        lambda a: reverse("my_municipality"),
        {"leader": 302, "coordinator": 302, "foreign_leader": 302, "admin": 302},
    ),
    Case(
        "centrality_import", lambda a: reverse("centrality_import"), {**everyone(403), "admin": 200}
    ),
    Case(
        "municipality_detail", lambda a: reverse("municipality_detail", args=["4642"]), OWN_READERS
    ),
    Case(
        "municipality_edit", lambda a: reverse("municipality_edit", args=["4642"]), MANAGERS_OF_OWN
    ),
    Case("office_create", lambda a: reverse("office_create", args=["4642"]), MANAGERS_OF_OWN),
    Case(
        "office_edit", lambda a: reverse("office_edit", args=["4642", a.office.pk]), MANAGERS_OF_OWN
    ),
    Case("regional_office_list", lambda a: reverse("regional_office_list"), everyone(200)),
    Case("person_list", lambda a: reverse("person_list"), OVERSIGHT, default=403),
    Case(
        "person_create",
        lambda a: reverse("person_create"),
        {"leader": 200, "coordinator": 200, "foreign_leader": 200, "admin": 200},
        default=403,
    ),
    Case(
        "person_detail", lambda a: reverse("person_detail", args=[a.trainee.person_id]), OWN_READERS
    ),
    Case(
        "person_edit", lambda a: reverse("person_edit", args=[a.trainee.person_id]), MANAGERS_OF_OWN
    ),
    Case(
        "person_create_user",
        lambda a: reverse("person_create_user", args=[_newcomer(a).pk]),
        {"leader": 302, "coordinator": 302, "admin": 302, "regional": 403, "national": 403},
        method="post",
        data={"username": "nylege", "password": "et-langt-passord-9"},
    ),
    Case(
        "role_add",
        lambda a: reverse("role_add", args=[a["veileder"].person_id]),
        {
            "leader": 302,
            "coordinator": 302,
            "admin": 302,
            "alis": 403,
            "veileder": 403,
            "regional": 403,
            "national": 403,
        },
        method="post",
        data=lambda a: {"role": "supervisor", "municipality": a.laerdal.pk},
    ),
    Case(
        "role_remove",
        lambda a: reverse("role_remove", args=[a["veileder"].person_id, _veileder_role(a).pk]),
        {
            "leader": 302,
            "coordinator": 302,
            "admin": 302,
            "alis": 403,
            "veileder": 403,
            "regional": 403,
            "national": 403,
        },
        method="post",
    ),
    Case(
        "audit_list",
        lambda a: reverse("audit_list"),
        {"leader": 200, "foreign_leader": 200, "admin": 200},
        default=403,
    ),
    Case("token_list", lambda a: reverse("token_list"), everyone(200)),
    Case(
        "token_revoke",
        lambda a: reverse("token_revoke", args=[_leader_token(a).pk]),
        {"leader": 302},
        method="post",
    ),
    # The API: tokens or session; anonymous gets 401.
    Case(
        "api:openapi-json",
        lambda a: "/api/openapi.json",
        {**everyone(200), "anonymous": 200},
        api=True,
    ),
    Case("api:openapi-view", lambda a: "/api/docs", {**everyone(200), "anonymous": 200}, api=True),
    Case("api:api-root", lambda a: "/api/", {"anonymous": 404}, api=True),
    Case("api:me", lambda a: "/api/me", everyone(200), api=True),
    Case("api:regional_offices", lambda a: "/api/regional-offices", everyone(200), api=True),
    Case("api:municipalities", lambda a: "/api/municipalities", everyone(200), api=True),
    Case("api:municipality", lambda a: "/api/municipalities/4642", OWN_READERS, api=True),
    Case(
        "api:municipality_offices",
        lambda a: "/api/municipalities/4642/offices",
        OWN_READERS,
        api=True,
    ),
    Case(
        "api:municipality_positions",
        lambda a: "/api/municipalities/4642/positions",
        OWN_READERS,
        api=True,
    ),
]
