"""Formatting filters shared by the apps' templates."""

from __future__ import annotations

import re

from django import template

register = template.Library()

MONTH_KEY = re.compile(r"(\d{4})-(\d{2})")


@register.filter
def month_key(value: object) -> object:
    """A rules month key ``2026-02`` shown the Norwegian way, ``02.2026``; anything else as is."""
    match = MONTH_KEY.fullmatch(str(value))
    return f"{match[2]}.{match[1]}" if match else value
