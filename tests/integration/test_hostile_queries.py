"""No page answers 500 to a hostile query string: every GET page of the permission matrix is
requested, as an administrator and as a leader, with every query parameter the views read set
to values that broke lookups before (unicode digits that ``str.isdigit`` accepts but ``int``
refuses, integers past the database's range, impossible dates, very long text). Each form of
the matrix is posted the same way, one field at a time."""

from __future__ import annotations

from typing import Any

import pytest

from tests.permission_cases import all_cases

pytestmark = pytest.mark.django_db

KEYS = [
    "page",
    "alis",
    "ar",
    "aar",
    "year",
    "fra",
    "til",
    "dato",
    "kommune",
    "region",
    "program",
    "type",
    "status",
    "state",
    "rolle",
    "registered",
    "q",
    "versjon",
    "stilling",
    "format",
    "last_ned",
    "aktivitet",
    "uker",
    "code",
    "next",
    "error",
    "iss",
]
VALUES = ("²", "9" * 25, "2026-99-99", "x" * 300)
PAGES = [c for c in all_cases() if c.method == "get" and not c.api]


@pytest.mark.parametrize("case", PAGES, ids=[c.name for c in PAGES])
def test_no_page_answers_500_to_a_hostile_query(client: Any, actors: Any, case: Any) -> None:
    url = case.url(actors)
    for actor in ("admin", "leader"):
        client.force_login(actors[actor])
        for value in VALUES:
            response = client.get(url, dict.fromkeys(KEYS, value))
            assert response.status_code < 500, (actor, url, value)


def test_a_unicode_digit_in_a_cost_file_is_a_named_error(client: Any, actors: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(actors["leader"])
    text = f"alis;year;category;amount\nvv-{actors.trainee.pk};2025²;other;5\n"
    file = SimpleUploadedFile("kostnader.csv", text.encode(), content_type="text/csv")
    response = client.post(reverse("cost_import", args=["4642"]), {"file": file})
    assert response.status_code == 400
    assert "linje 2, kolonne «year»" in response.content.decode()


FORM_POSTS = [c for c in all_cases() if c.method == "post" and not c.api and not c.content_type]


@pytest.mark.parametrize("case", FORM_POSTS, ids=[c.name for c in FORM_POSTS])
def test_no_form_answers_500_to_a_hostile_field(client: Any, actors: Any, case: Any) -> None:
    """Each form of the permission matrix, posted by an actor it lets in, with each of its
    fields in turn set to a hostile value (the rest as the matrix posts them)."""
    allowed = [a for a, status in case.expect.items() if status < 400 and a != "anonymous"]
    client.force_login(actors[(allowed or ["admin"])[0]])
    url = case.url(actors)
    data = case.data(actors) if callable(case.data) else dict(case.data)
    for key in list(data) or ["unexpected"]:
        for value in (*VALUES, "-1"):
            response = client.post(url, {**data, key: value})
            assert response.status_code < 500, (url, key, value[:20])
