"""The parts of an ALIS's training record, under /alis/<pk>/: list and add, edit, delete, and
the uploaded diplomas and course certificates (streamed after the scoped lookup)."""

from django.urls import path

from veiviser.training.views import record, topics

# URL segment → part (see views.record.PARTS); names are <part>_list, _edit, _delete.
SEGMENTS = {
    "tjeneste": "service",
    "permisjon": "leave",
    "veiledning": "session",
    "gruppe": "group",
    "kurs": "course",
}

urlpatterns = [
    pattern
    for segment, part in SEGMENTS.items()
    for pattern in (
        path(f"<int:pk>/{segment}/", record.item_list, {"part": part}, name=f"{part}_list"),
        path(
            f"<int:pk>/{segment}/<int:item>/",
            record.item_edit,
            {"part": part},
            name=f"{part}_edit",
        ),
        path(
            f"<int:pk>/{segment}/<int:item>/slett/",
            record.item_delete,
            {"part": part},
            name=f"{part}_delete",
        ),
    )
] + [
    path("<int:pk>/veiledning/emneplan/", topics.topic_plan_page, name="topic_plan"),
    path(
        "<int:pk>/gruppe/<int:item>/diplom/",
        record.item_file,
        {"part": "group"},
        name="group_diploma",
    ),
    path(
        "<int:pk>/kurs/<int:item>/kursbevis/",
        record.item_file,
        {"part": "course"},
        name="course_certificate",
    ),
]
