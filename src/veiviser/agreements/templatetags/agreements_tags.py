"""Template filters of the agreements pages: kroner and percent the Norwegian way."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from veiviser.rules.grant_worksheet import format_kroner

register = template.Library()

NBSP = "\u00a0"


@register.filter
def kroner(value: Any) -> str:
    """``1234567`` → ``1 234 567 kr`` (non-breaking spaces)."""
    if value in (None, ""):
        return "–"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{format_kroner(amount).replace(' ', NBSP)}{NBSP}kr"


@register.filter
def percent(value: Any) -> str:
    """``80.0`` → ``80 %``; ``62.5`` → ``62,5 %``."""
    if value in (None, ""):
        return "–"
    number = Decimal(str(value))
    text = f"{number:.0f}" if number == number.to_integral_value() else f"{number:.1f}"
    return f"{text.replace('.', ',')}{NBSP}%"


@register.filter
def share_percent(value: Any) -> str:
    """A 0–1 share as percent."""
    if value in (None, ""):
        return "–"
    return percent(Decimal(str(value)) * 100)


@register.filter
def isodate(value: Any) -> date | None:
    """An ISO date string (from stored JSON) as a date, for ``|date``."""
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@register.filter
def month_text(value: str) -> str:
    """``2025-01`` → ``01.2025``."""
    year, _, month = str(value).partition("-")
    return f"{month}.{year}"
