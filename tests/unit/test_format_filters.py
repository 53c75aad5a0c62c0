"""Shared template filters."""

from __future__ import annotations

from veiviser.web.templatetags.veiviser_format import month_key


def test_a_month_key_is_shown_month_dot_year() -> None:
    assert month_key("2026-02") == "02.2026"


def test_anything_else_is_left_as_it_is() -> None:
    assert month_key("2026-02-01") == "2026-02-01"
    assert month_key(None) is None
    assert month_key("feb") == "feb"


def test_a_stored_date_is_shown_day_month_year() -> None:
    from veiviser.web.templatetags.veiviser_format import shown_value

    assert shown_value("2024-06-19") == "19.06.2024"
    assert shown_value("2024-06-19T10:15:00+00:00") == "19.06.2024 12:15"  # Oslo summer time
    assert shown_value("2024-12-19T10:15:00") == "19.12.2024 11:15"  # stored UTC, shown Oslo
    assert shown_value("2024-13-19T10:15:00") == "2024-13-19T10:15:00"
    assert shown_value("Lærdal") == "Lærdal"
    assert shown_value(None) is None
    assert shown_value(3) == 3
