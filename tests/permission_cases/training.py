"""The ALIS list, progress page, trainee forms and the progress file."""

from __future__ import annotations

from django.urls import reverse

from tests.permissions import Case, everyone

RECORD_READERS = dict.fromkeys(
    ("alis", "veileder", "supervisor", "leader", "coordinator", "regional", "national", "admin"),
    200,
)
MANAGERS = {
    **dict.fromkeys(("alis", "veileder", "supervisor", "regional", "national"), 403),
    "leader": 200,
    "coordinator": 200,
    "admin": 200,
}
MANAGERS_ANYWHERE = {"leader": 200, "coordinator": 200, "foreign_leader": 200, "admin": 200}

CASES = [
    Case("trainee_list", lambda a: reverse("trainee_list"), everyone(200)),
    Case("trainee_create", lambda a: reverse("trainee_create"), MANAGERS_ANYWHERE, default=403),
    Case("progress_import", lambda a: reverse("progress_import"), MANAGERS_ANYWHERE, default=403),
    Case(
        "trainee_detail", lambda a: reverse("trainee_detail", args=[a.trainee.pk]), RECORD_READERS
    ),
    Case("trainee_edit", lambda a: reverse("trainee_edit", args=[a.trainee.pk]), MANAGERS),
    Case("mentor_add", lambda a: reverse("mentor_add", args=[a.trainee.pk]), MANAGERS),
    Case(
        "progress_export",
        lambda a: reverse("progress_export", args=[a.trainee.pk]),
        {**RECORD_READERS, "supervisor": 403, "regional": 403, "national": 403},
    ),
]

API_CASES = [
    Case("api:trainees", lambda a: "/api/trainees", everyone(200), api=True),
    Case(
        "api:readiness",
        lambda a: f"/api/trainees/{a.trainee.pk}/readiness",
        RECORD_READERS,
        api=True,
    ),
    Case(
        "api:progress_export",
        lambda a: f"/api/trainees/{a.trainee.pk}/progress",
        {**RECORD_READERS, "supervisor": 403, "regional": 403, "national": 403},
        api=True,
    ),
    Case(
        "api:progress_import",
        lambda a: "/api/progress",
        {
            **dict.fromkeys(("alis", "veileder", "supervisor", "regional", "national"), 403),
            "leader": 400,
            "coordinator": 400,
            "admin": 400,
        },
        method="post",
        api=True,
        data={"municipality": "4642", "file": {}},
        content_type="application/json",
    ),
]
CASES += API_CASES
