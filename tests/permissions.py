"""The reusable permission check: every page and API endpoint, every actor.

A ``Case`` names a URL (built from the ``actors`` fixture), a method and the expected status for
each actor; actors left out expect ``default``. Anonymous users are redirected to the login page
(pages) or get 401 (API). ``test_every_url_is_covered`` fails when a URL pattern has no case, so
the matrix grows with the code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ACTORS = (
    "anonymous",
    "norole",
    "alis",
    "veileder",
    "supervisor",
    "leader",
    "coordinator",
    "foreign_leader",
    "regional",
    "foreign_regional",
    "national",
    "admin",
)


@dataclass
class Case:
    name: str  # the URL name it covers
    url: Callable[[Any], str]
    expect: dict[str, int]
    default: int = 404
    method: str = "get"
    data: dict[str, Any] | Callable[[Any], dict[str, Any]] = field(default_factory=dict)
    api: bool = False
    content_type: str | None = None

    def expected(self, actor: str) -> int:
        if actor in self.expect:
            return self.expect[actor]
        if actor == "anonymous":
            return 401 if self.api else 302
        return self.default


def request_as(client: Any, actors: Any, case: Case, actor: str) -> Any:
    if actor != "anonymous":
        client.force_login(actors[actor])
    url = case.url(actors)
    data = case.data(actors) if callable(case.data) else case.data
    kwargs = {"content_type": case.content_type} if case.content_type else {}
    response = getattr(client, case.method)(url, data=data, **kwargs)
    if actor != "anonymous":
        client.logout()
    return response


def everyone(status: int) -> dict[str, int]:
    return {a: status for a in ACTORS if a != "anonymous"}
