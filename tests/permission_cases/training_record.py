"""The parts of an ALIS's training record (service, leave, supervision sessions, group
supervision, courses) and their uploaded files.

Readers of the Lærdal ALIS's record get 200 on the lists and the files; outsiders (no role,
Bergen's leader, another region) 404; readers who may not write a part 403 on adding, editing
and deleting it; writers (``services.WRITERS`` + administrators) 200 on the forms and 302 on a
valid POST. Items are made through the ORM in the url lambda, as the organisation cases do.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
MANAGERS = ("leader", "coordinator", "admin")
WRITERS = {
    "service": MANAGERS,
    "leave": MANAGERS,
    "session": (*MANAGERS, "alis", "veileder"),
    "group": (*MANAGERS, "alis"),
    "course": (*MANAGERS, "alis"),
}
PDF = b"%PDF-1.4\n% Veiviser permission case\n%%EOF\n"


def _stored_file(folder: str) -> str:
    """A small PDF in MEDIA_ROOT (the same name every time, so nothing piles up)."""
    from django.conf import settings

    name = f"{folder}/permission-case.pdf"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PDF)
    return name


def _service(a):
    from veiviser.training.models import ServicePeriod

    return ServicePeriod.objects.create(
        trainee=a.trainee, start=date(2022, 9, 1), percent=100, arena="open_practice"
    )


def _leave(a):
    from veiviser.training.models import LeavePeriod

    return LeavePeriod.objects.create(
        trainee=a.trainee, start=date(2023, 1, 1), end=date(2023, 1, 31), kind="sick"
    )


def _session(a):
    from veiviser.training.models import SupervisionSession

    return SupervisionSession.objects.create(
        trainee=a.trainee, date=date(2023, 2, 1), hours=1, minutes="Privat referat"
    )


def _group(a):
    from veiviser.training.models import GroupSupervision

    return GroupSupervision.objects.create(
        trainee=a.trainee,
        start=date(2023, 1, 1),
        hours=10,
        group="Sogn",
        diploma=True,
        diploma_file=_stored_file("diplomas"),
    )


def _course(a):
    from veiviser.training.models import Course

    return Course.objects.create(
        trainee=a.trainee,
        kind="grunnkurs_a",
        hours=30,
        completed=date(2023, 4, 1),
        certificate=_stored_file("certificates"),
    )


MAKE = {
    "service": _service,
    "leave": _leave,
    "session": _session,
    "group": _group,
    "course": _course,
}
VALID = {
    "service": lambda a: {
        "start": "2023-01-01",
        "end": "2023-06-30",
        "percent": "100",
        "arena": "open_practice",
        "municipality": a.laerdal.pk,
    },
    "leave": lambda a: {
        "start": "2023-02-01",
        "end": "2023-02-28",
        "percent": "100",
        "kind": "sick",
    },
    "session": lambda a: {"date": "2023-03-01", "hours": "1.5"},
    "group": lambda a: {"start": "2023-01-01", "hours": "10", "group": "Sogn"},
    "course": lambda a: {"kind": "grunnkurs_a", "hours": "30", "completed": "2023-04-01"},
}


def _expect(writers: tuple[str, ...], ok: int) -> dict[str, int]:
    return {actor: ok if actor in writers else 403 for actor in READERS}


def _cases(part: str) -> list[Case]:
    writers, make, valid = WRITERS[part], MAKE[part], VALID[part]

    def list_url(a):
        return reverse(f"{part}_list", args=[a.trainee.pk])

    def item_url(name):
        return lambda a: reverse(f"{part}_{name}", args=[a.trainee.pk, make(a).pk])

    return [
        Case(f"{part}_list", list_url, dict.fromkeys(READERS, 200)),
        Case(f"{part}_list", list_url, _expect(writers, 302), method="post", data=valid),
        Case(f"{part}_edit", item_url("edit"), _expect(writers, 200)),
        Case(f"{part}_edit", item_url("edit"), _expect(writers, 302), method="post", data=valid),
        Case(f"{part}_delete", item_url("delete"), _expect(writers, 200)),
        Case(f"{part}_delete", item_url("delete"), _expect(writers, 302), method="post"),
    ]


CASES = [case for part in WRITERS for case in _cases(part)] + [
    Case(
        "group_diploma",
        lambda a: reverse("group_diploma", args=[a.trainee.pk, _group(a).pk]),
        dict.fromkeys(READERS, 200),
    ),
    Case(
        "course_certificate",
        lambda a: reverse("course_certificate", args=[a.trainee.pk, _course(a).pk]),
        dict.fromkeys(READERS, 200),
    ),
    Case(
        "topic_plan",
        lambda a: reverse("topic_plan", args=[a.trainee.pk]),
        dict.fromkeys(READERS, 200),
    ),
]
