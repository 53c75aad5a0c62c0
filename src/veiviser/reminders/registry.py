"""Due items: what a person should do soon, from every part of Veiviser.

Each app that has due items defines a module ``<app>/reminders.py`` with a function

    def due_items(user, today: date) -> list[DueItem]

returning the items that concern ``user`` (within the user's scope, never anyone else's).
``collect(user, today)`` gathers them from every installed app, most urgent first; the start
page lists them and the reminder job emails them (once per ``key``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps

SEVERITIES = ("danger", "warning", "info")


@dataclass(frozen=True)
class DueItem:
    key: (
        str  # stable identity, e.g. "supervision:trainee-12:2026-10"; an email is sent once per key
    )
    kind: str  # e.g. "supervision", "signoff", "cycle_task", "locum", "annual_report"
    title: str  # bokmål, already translated for the user
    url: str  # where to act
    due: date | None = None
    severity: str = "info"  # "danger", "warning" or "info"
    detail: str = ""

    def sort_key(self) -> tuple[int, date, str]:
        return (SEVERITIES.index(self.severity), self.due or date.max, self.title)


Provider = Callable[[Any, date], list[DueItem]]


def providers() -> list[Provider]:
    found: list[Provider] = []
    for config in apps.get_app_configs():
        name = f"{config.name}.reminders"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        provider = getattr(module, "due_items", None)
        if provider is not None:
            found.append(provider)
    return found


def collect(user: Any, today: date) -> list[DueItem]:
    """Every app's due items for ``user``, most urgent first."""
    items: list[DueItem] = []
    if not getattr(user, "is_authenticated", False):
        return items
    for provider in providers():
        items.extend(provider(user, today))
    return sorted(items, key=DueItem.sort_key)
