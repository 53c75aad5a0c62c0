"""Formatting filters shared by the apps' templates."""

from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime

register = template.Library()

MONTH_KEY = re.compile(r"(\d{4})-(\d{2})")


@register.filter
def month_key(value: object) -> object:
    """A rules month key ``2026-02`` shown the Norwegian way, ``02.2026``; anything else as is."""
    match = MONTH_KEY.fullmatch(str(value))
    return f"{match[2]}.{match[1]}" if match else value


ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@register.filter
def shown_value(value: object) -> object:
    """A stored value as the audit log shows it: an ISO date as 19.06.2024, an ISO time stamp
    as 19.06.2024 12:15 in Oslo time, anything else as it is."""
    text = str(value)
    match = ISO_DATE.fullmatch(text)
    if match:
        return f"{match[3]}.{match[2]}.{match[1]}"
    if len(text) > 10 and text[10:11] == "T" and ISO_DATE.fullmatch(text[:10]):
        try:
            moment = parse_datetime(text)
        except ValueError:
            moment = None
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, dt.UTC)
            return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")
    return value
