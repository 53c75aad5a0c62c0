"""Number formats of the planning pages: kroner Norwegian style and FTE."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()

NBSP = "\u00a0"


def format_kroner(value: Any) -> str:
    """``1234567.4`` → ``1 234 567 kr`` (non-breaking spaces; negative with a minus sign)."""
    if value is None or value == "":
        return "–"
    try:
        amount = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "−" if amount < 0 else ""
    digits = f"{abs(int(amount)):,}".replace(",", NBSP)
    return f"{sign}{digits}{NBSP}kr"


def format_percent(value: Any, places: int = 1) -> str:
    """A share 0–1 as a percent with a decimal comma: ``0.0512`` → ``5,1 %``."""
    if value is None or value == "":
        return "–"
    number = (Decimal(value) * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{number}".replace(".", ",") + f"{NBSP}%"


def format_fte(value: Any) -> str:
    """FTE with two decimals and a decimal comma: ``Decimal('0.5')`` → ``0,50``."""
    if value is None or value == "":
        return "–"
    number = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{number}".replace(".", ",")


@register.filter
def kroner(value: Any) -> str:
    return format_kroner(value)


@register.filter
def share(value: Any) -> str:
    return format_percent(value)


@register.filter
def fte(value: Any) -> str:
    return format_fte(value)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None
