"""The yearly cycle (/rekruttere-beholde/) and its API: readers are the oversight roles (leaders
and coordinators of their municipality, regional offices of their region, national and
administrators); ALIS, veileder, supervisor and users without a role get 403 everywhere. Lærdal's
pages: the foreign leader (Bergen) and the foreign region 404; writes: Lærdal's leader and
coordinator and the administrator, the regional office and national 403 — except comments,
which the regional office may write too."""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
OWN_MANAGERS_POST = {**OWN_MANAGERS, **dict.fromkeys(("leader", "coordinator", "admin"), 302)}
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _task(a):
    from veiviser.cycle.models import CycleTask

    task, _ = CycleTask.objects.get_or_create(
        municipality=a.laerdal,
        title="Presenter legetjenesten for formannskapet",
        defaults={"activity": 5, "responsible_role": "leader", "due": date(2026, 11, 1)},
    )
    return task


def _task_url(name):
    return lambda a: reverse(name, args=["4642", _task(a).pk])


def _evidence_url(a):
    from django.conf import settings

    from veiviser.cycle.models import TaskEvidence

    name = "cycle/permission-case.pdf"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PDF)
    task = _task(a)
    item = TaskEvidence.objects.create(task=task, file=name, created_by=a["leader"])
    return reverse("cycle_evidence_file", args=["4642", task.pk, item.pk])


def _entry_url(a):
    from veiviser.cycle.models import ProjectEntry

    entry, _ = ProjectEntry.objects.get_or_create(
        municipality=a.laerdal, kind="goal", title="Ingen hjemmel ledig over 6 måneder"
    )
    return reverse("cycle_entry_edit", args=["4642", entry.pk])


def _laerdal(name, *args):
    return lambda a: reverse(name, args=["4642", *args])


def _page(name, expect, url, **kwargs):
    return Case(name, url, expect, default=403, **kwargs)


CASES = [
    _page("cycle_overview", READERS, lambda a: reverse("cycle_overview")),
    _page("cycle_workspace", OWN_READERS, _laerdal("cycle_workspace")),
    _page("cycle_template", OWN_MANAGERS, _laerdal("cycle_template")),
    _page("cycle_task_create", OWN_MANAGERS, _laerdal("cycle_task_create")),
    _page("cycle_task_detail", OWN_READERS, _task_url("cycle_task_detail")),
    _page("cycle_task_edit", OWN_MANAGERS, _task_url("cycle_task_edit")),
    _page(
        "cycle_task_status",
        OWN_MANAGERS_POST,
        _task_url("cycle_task_status"),
        method="post",
        data={"status": "in_progress"},
    ),
    _page(
        "cycle_evidence_add",
        OWN_MANAGERS_POST,
        _task_url("cycle_evidence_add"),
        method="post",
        data={"text": "Presentert 12. november."},
    ),
    _page("cycle_evidence_file", OWN_READERS, _evidence_url),
    _page(
        "cycle_comment",
        {**OWN_MANAGERS_POST, "regional": 302},
        _laerdal("cycle_comment"),
        method="post",
        data={"text": "Godt arbeid med teamtreningen."},
    ),
    _page("cycle_assessment", OWN_READERS, _laerdal("cycle_assessment")),
    _page("cycle_assessment_edit", OWN_MANAGERS, _laerdal("cycle_assessment_edit", 2026)),
    _page("cycle_parameters_edit", OWN_MANAGERS, _laerdal("cycle_parameters_edit", 2026)),
    _page("cycle_project", OWN_READERS, _laerdal("cycle_project")),
    _page(
        "cycle_project",
        OWN_MANAGERS_POST,
        _laerdal("cycle_project"),
        method="post",
        data={"kind": "action", "title": "Slå sammen legekontorene"},
    ),
    _page("cycle_entry_edit", OWN_MANAGERS, _entry_url),
    Case("api:cycle_tasks", lambda a: "/api/cycle/4642/tasks", OWN_READERS, default=403, api=True),
    Case(
        "api:cycle_assessments",
        lambda a: "/api/cycle/4642/assessments?year=2026",
        OWN_READERS,
        default=403,
        api=True,
    ),
]
