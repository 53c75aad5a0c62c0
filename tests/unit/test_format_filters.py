"""Shared template filters."""

from __future__ import annotations

from veiviser.web.templatetags.veiviser_format import month_key


def test_a_month_key_is_shown_month_dot_year() -> None:
    assert month_key("2026-02") == "02.2026"


def test_anything_else_is_left_as_it_is() -> None:
    assert month_key("2026-02-01") == "2026-02-01"
    assert month_key(None) is None
    assert month_key("feb") == "feb"
