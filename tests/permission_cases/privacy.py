"""The privacy tools in the browser (/personer/<pk>/personvern/…, /personvern/sletting/):
administrators only. Every other logged-in actor gets 403 whatever the person (the right is
checked before the lookup, so an id reveals nothing); anonymous users go to the login page.
The POST cases send no confirmation: the administrator gets 400 and nothing changes."""

from __future__ import annotations

from django.urls import reverse

from tests.permissions import Case, everyone

ADMIN_ONLY = {**everyone(403), "admin": 200}
ADMIN_ONLY_BAD_INPUT = {**everyone(403), "admin": 400}


def _person(a):
    return a.trainee.person_id


CASES = [
    Case(
        "privacy_export",
        lambda a: reverse("privacy_export", args=[_person(a)]),
        ADMIN_ONLY,
    ),
    Case(
        "privacy_erase",
        lambda a: reverse("privacy_erase", args=[_person(a)]),
        ADMIN_ONLY,
    ),
    Case(
        "privacy_erase",
        lambda a: reverse("privacy_erase", args=[_person(a)]),
        ADMIN_ONLY_BAD_INPUT,
        method="post",
    ),
    Case("privacy_purge", lambda a: reverse("privacy_purge"), ADMIN_ONLY),
    Case(
        "privacy_purge",
        lambda a: reverse("privacy_purge"),
        ADMIN_ONLY_BAD_INPUT,
        method="post",
    ),
]
