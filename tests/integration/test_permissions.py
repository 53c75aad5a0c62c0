"""The permission matrix: every page and API endpoint × every actor (see tests/permissions.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import get_resolver

from tests.permission_cases import all_cases
from tests.permissions import ACTORS, request_as

CASES = all_cases()


def _url_names(resolver: Any = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if hasattr(pattern, "url_patterns"):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _url_names(pattern, ns)
        elif pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_is_covered_by_a_permission_case() -> None:
    covered = {case.name for case in CASES}
    assert _url_names() - covered == set()


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_access(client: Any, actors: Any, case: Any, actor: str) -> None:
    response = request_as(client, actors, case, actor)
    expected = case.expected(actor)
    assert response.status_code == expected, (
        f"{case.method.upper()} {case.name} as {actor}: {response.status_code}, expected {expected}"
    )
    if actor == "anonymous" and expected == 302:
        assert "/logg-inn/" in response["Location"] or case.name in ("logout", "set_language")
