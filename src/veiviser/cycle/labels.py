"""The rules' bokmål labels (marked for extraction there) translated for the current language."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from veiviser.rules import recruit_retain as rr


def item_labels() -> dict[str, str]:
    """Self-assessment item code → its label ("3. Planlegg hvem …" or the criterion)."""
    labels = {a.code: f"{a.number}. {gettext(a.name)}" for a in rr.ACTIVITIES}
    labels.update({c.code: gettext(c.name) for c in rr.CRITERIA})
    return labels


def activity_choices() -> list[tuple[int, object]]:
    return [
        (a.number, format_lazy("{}. {}", a.number, gettext_lazy(a.name))) for a in rr.ACTIVITIES
    ]


def lazy_choices(pairs: tuple[tuple[object, str], ...] | list[tuple[object, str]]) -> list:
    return [(value, gettext_lazy(label)) for value, label in pairs]
