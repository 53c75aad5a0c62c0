"""The audit log page: a leader finds who did what to whom, and when, with filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from veiviser.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
OSLO = timezone.get_default_timezone()


def _event(actors: Any, summary: str, at: dt.datetime, **kw: Any) -> None:
    AuditEvent.objects.create(
        at=at,
        actor=actors["coordinator"],
        actor_name="Kai Koordinator",
        action=kw.pop("action", "update"),
        object_type="training.Trainee",
        object_repr=kw.pop("repr", "Tuva Nilsen"),
        municipality=actors.laerdal,
        summary=summary,
        **kw,
    )


def _summaries(response: Any) -> list[str]:
    return sorted(e.summary for e in response.context["page_obj"])


@pytest.fixture
def events(actors: Any) -> None:
    _event(actors, "endret tjeneste", dt.datetime(2026, 3, 1, 12, tzinfo=OSLO))
    # 00:30 in Oslo on 10 March is 23:30 UTC on 9 March: the day is Oslo's
    _event(actors, "så på", dt.datetime(2026, 3, 10, 0, 30, tzinfo=OSLO), action="view")
    _event(actors, "endret kurs", dt.datetime(2026, 4, 1, 12, tzinfo=OSLO), repr="Ola Hansen")


def test_the_log_is_filtered_by_action_name_and_oslo_days(
    client: Any, actors: Any, events: None
) -> None:
    client.force_login(actors["leader"])
    url = reverse("audit_list")
    assert _summaries(client.get(url, {"action": "view"})) == ["så på"]
    assert _summaries(client.get(url, {"q": "ola"})) == ["endret kurs"]
    assert _summaries(client.get(url, {"q": "koordinator"})) == [
        "endret kurs",
        "endret tjeneste",
        "så på",
    ]
    march_10 = client.get(url, {"since": "2026-03-10", "until": "2026-03-10"})
    assert _summaries(march_10) == ["så på"]
    assert _summaries(client.get(url, {"until": "2026-03-09"})) == ["endret tjeneste"]


def test_bad_filters_name_the_field_and_show_nothing(
    client: Any, actors: Any, events: None
) -> None:
    client.force_login(actors["leader"])
    url = reverse("audit_list")
    response = client.get(url, {"since": "2026-13-01"})
    assert response.status_code == 400
    assert "since" in response.context["form"].errors
    backwards = client.get(url, {"since": "2026-04-01", "until": "2026-03-01"})
    assert backwards.status_code == 400
    assert "until" in backwards.context["form"].errors
    assert _summaries(backwards) == []
    assert client.get(url, {"action": "burn"}).status_code == 400


def test_stored_dates_in_changes_are_shown_the_norwegian_way(client: Any, actors: Any) -> None:
    AuditEvent.objects.create(
        action="update",
        object_type="training.ServicePeriod",
        municipality=actors.laerdal,
        before={"start": "2024-06-19"},
        after={"start": "2025-06-19"},
    )
    client.force_login(actors["leader"])
    page = client.get(reverse("audit_list")).content.decode()
    assert "19.06.2024 → 19.06.2025" in page
