"""The regional office's pages and API (/region/, /api/regional/).

Readers: the regional office of Lærdal's region (ALIS Vest), national readers and
administrators; the other region's office gets 404 for ALIS Vest; municipal roles and users
without a role 403. Writes (pool profiles, couplings): the regional office and administrators;
national readers 403.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from tests.permissions import Case

NOT_READERS = dict.fromkeys(
    ("alis", "veileder", "supervisor", "leader", "coordinator", "foreign_leader", "norole"), 403
)
READERS = {
    **NOT_READERS,
    **dict.fromkeys(("regional", "national", "admin"), 200),
    "foreign_regional": 404,
}
MANAGERS = {**READERS, "national": 403}


def _region(a):
    return a.laerdal.regional_office_id


def _profile(a):
    from veiviser.regional.models import VeilederProfile

    profile, _ = VeilederProfile.objects.get_or_create(
        region_id=_region(a),
        person=a["veileder"].person,
        defaults={"approved_on": date(2024, 1, 1), "capacity": 3},
    )
    return profile


def _connect_data(a):
    """A new ALIS in Bergen without a veileder, and the pool's veileder from Lærdal."""
    from veiviser.core.models import Person
    from veiviser.training.models import Trainee

    person = Person.objects.create(
        given_name="Ny", family_name="Alis", is_doctor=True, home_municipality=a.bergen
    )
    trainee = Trainee.objects.create(
        person=person, municipality=a.bergen, training_start=date(2025, 9, 1)
    )
    profile = _profile(a)
    profile.municipalities.add(a.bergen)
    return {"trainee": trainee.pk, "profile": profile.pk, "starts": "2026-01-05"}


CASES = [
    Case(
        "region_index",
        lambda a: reverse("region_index"),
        {
            **NOT_READERS,
            "regional": 302,
            "foreign_regional": 302,
            "national": 200,
            "admin": 200,
        },
    ),
    Case(
        "region_dashboard",
        lambda a: reverse("region_dashboard", args=[_region(a)]),
        READERS,
    ),
    Case("region_quality", lambda a: reverse("region_quality", args=[_region(a)]), READERS),
    Case("veileder_pool", lambda a: reverse("veileder_pool", args=[_region(a)]), READERS),
    Case(
        "veileder_profile_create",
        lambda a: reverse("veileder_profile_create", args=[_region(a)]),
        MANAGERS,
    ),
    Case(
        "veileder_profile_edit",
        lambda a: reverse("veileder_profile_edit", args=[_region(a), _profile(a).pk]),
        MANAGERS,
    ),
    Case("region_matching", lambda a: reverse("region_matching", args=[_region(a)]), READERS),
    Case("region_connect", lambda a: reverse("region_connect", args=[_region(a)]), MANAGERS),
    Case(
        "region_connect",
        lambda a: reverse("region_connect", args=[_region(a)]),
        {**MANAGERS, "regional": 302, "admin": 302},
        method="post",
        data=_connect_data,
    ),
    Case(
        "api:regional_dashboard",
        lambda a: f"/api/regional/{_region(a)}/dashboard",
        READERS,
        api=True,
    ),
    Case(
        "api:regional_quality",
        lambda a: f"/api/regional/{_region(a)}/quality",
        READERS,
        api=True,
    ),
]
