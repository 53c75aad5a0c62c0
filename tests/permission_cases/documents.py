"""The documents: the municipality's general training plan, the individual plan and the service
certificate as PDF (docs/adr/0043-document-access.md)."""

from __future__ import annotations

from django.urls import reverse

from tests.permissions import Case

# The general plan: the municipality's managers, its regional office, national, admin.
PLAN_READERS = dict.fromkeys(("leader", "coordinator", "regional", "national", "admin"), 200)
PLAN_EDITORS = {
    "leader": 200,
    "coordinator": 200,
    "admin": 200,
    "regional": 403,
    "national": 403,
}
PLAN_SAVERS = {
    "leader": 302,
    "coordinator": 302,
    "admin": 302,
    "regional": 403,
    "national": 403,
}
# The individual plan: everyone who sees the ALIS's record.
RECORD_READERS = dict.fromkeys(
    (
        "alis",
        "veileder",
        "supervisor",
        "leader",
        "coordinator",
        "regional",
        "national",
        "admin",
    ),
    200,
)
# The certificate: the municipality's managers, admin and the ALIS; others who see the record 403.
CERTIFICATE = {
    "alis": 200,
    "leader": 200,
    "coordinator": 200,
    "admin": 200,
    "veileder": 403,
    "supervisor": 403,
    "regional": 403,
    "national": 403,
}


def _plan_form(actors):
    from veiviser.documents.starter import starting_text

    data = starting_text(actors.laerdal, [actors.office])
    data.update(responsible_name="Åse Ødegård", responsible_title="Kommuneoverlege")
    return data


CASES = [
    Case(
        "municipal_plan",
        lambda a: reverse("municipal_plan", args=["4642"]),
        PLAN_READERS,
    ),
    Case(
        "municipal_plan_edit",
        lambda a: reverse("municipal_plan_edit", args=["4642"]),
        PLAN_EDITORS,
    ),
    Case(
        "municipal_plan_edit",
        lambda a: reverse("municipal_plan_edit", args=["4642"]),
        PLAN_SAVERS,
        method="post",
        data=_plan_form,
    ),
    Case(
        "municipal_plan_pdf",
        lambda a: reverse("municipal_plan_pdf", args=["4642"]),
        PLAN_READERS,
    ),
    Case(
        "training_plan_pdf",
        lambda a: reverse("training_plan_pdf", args=[a.trainee.pk]),
        RECORD_READERS,
    ),
    Case(
        "service_certificate_pdf",
        lambda a: reverse("service_certificate_pdf", args=[a.trainee.pk, "4642"]),
        CERTIFICATE,
    ),
    Case(
        "service_certificate_pdf",
        lambda a: reverse("service_certificate_pdf", args=[a.trainee.pk, "1804"]),
        {},  # no service in Bodø: not a municipality of this ALIS, for everyone
    ),
]
