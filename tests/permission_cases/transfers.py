"""Moving an ALIS between municipalities: the sending side (the Lærdal leader, coordinator,
administrator, or the ALIS) asks; the receiving side accepts or declines."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from tests.permissions import Case

READERS = (
    "alis",
    "veileder",
    "supervisor",
    "leader",
    "coordinator",
    "regional",
    "national",
    "admin",
)
ASKERS = ("alis", "leader", "coordinator", "admin")


def _pending(a):
    from veiviser.training.models import Transfer

    return Transfer.objects.create(
        trainee=a.trainee,
        from_municipality=a.laerdal,
        to_municipality=a.bergen,
        effective=date(2026, 12, 1),
    )


CASES = [
    Case(
        "trainee_transfer",
        lambda a: reverse("trainee_transfer", args=[a.trainee.pk]),
        {**dict.fromkeys(READERS, 403), **dict.fromkeys(ASKERS, 200)},
    ),
    Case(
        "transfer_list",
        lambda a: reverse("transfer_list"),
        dict.fromkeys((*READERS, "norole", "foreign_leader", "foreign_regional"), 200),
    ),
    # Visible to both sides; only the receiving side (Bergen's leader) and administrators may
    # accept. An empty POST is valid (the office is optional).
    Case(
        "transfer_accept",
        lambda a: reverse("transfer_accept", args=[_pending(a).pk]),
        {"foreign_leader": 302, "admin": 302, "alis": 403, "leader": 403, "coordinator": 403},
        method="post",
    ),
    Case(
        "transfer_close",
        lambda a: reverse("transfer_close", args=[_pending(a).pk]),
        {"foreign_leader": 302, "admin": 302, "alis": 302, "leader": 302, "coordinator": 302},
        method="post",
    ),
]
