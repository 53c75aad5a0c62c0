"""Versioned rulesets: every number the ALIS rules use, in one place.

A verdict always names the ruleset it used (see ``docs/adr/``), so that a municipality can see
which version of Helsedirektoratet's rules judged a doctor. Parameters carry the names of the
table in ``rules.md``; values marked *(our reading)* there are choices of ours, kept here as
parameters so that they can change without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ALIS_2019",
    "RULESETS",
    "Ruleset",
    "UnknownRuleset",
    "get_ruleset",
]


@dataclass(frozen=True, slots=True)
class Ruleset:
    """The parameters of one version of the ALIS rules (see ``rules.md``)."""

    name: str
    # Service time, in counted FTE-months.
    general_practice_min_months: float = 54
    open_practice_min_months: float = 24
    open_practice_max_counted_months: float = 54
    other_gp_max_counted_months: float = 30
    institution_min_months: float = 6
    # A day counts only if the effective counted service that day is at least this fraction.
    min_day_fraction: float = 0.5
    # Individual supervision: hours per month in this many months per training year.
    supervision_hours_per_month: float = 4
    supervision_months_per_year: float = 10.5
    # Group supervision.
    group_min_months: float = 24
    group_min_hours: float = 120
    group_open_practice_min_months: float = 12
    # "while in >= 50 % open practice" (the effective open_practice share on the day).
    group_open_practice_min_fraction: float = 0.5
    # Recommended learning activities (never blocking).
    recommended_course_kinds: tuple[str, ...] = (
        "grunnkurs_a",
        "grunnkurs_b",
        "grunnkurs_c",
        "grunnkurs_d",
        "akuttmedisin",
    )
    emnekurs_min_subjects: int = 6
    emnekurs_min_hours: float = 15
    # "vesentlig del" at a registered institution has no number in the regulation; this is the
    # share at which the informational requirement shows as met (our reading, ADR 0006).
    registered_institution_info_share: float = 0.5

    @property
    def supervision_hours_per_year(self) -> float:
        """Hours of individual supervision in a fully active training year (42 in ALIS-2019)."""
        return self.supervision_hours_per_month * self.supervision_months_per_year


ALIS_2019 = Ruleset(name="ALIS-2019")
"""The new scheme's rules, in force from 1 March 2019."""

RULESETS: dict[str, Ruleset] = {ALIS_2019.name: ALIS_2019}
"""Every known ruleset by name."""


class UnknownRuleset(LookupError):
    """Raised by :func:`get_ruleset` for a name that is not a known ruleset."""

    def __init__(self, name: str) -> None:
        self.name = name
        known = ", ".join(sorted(RULESETS))
        super().__init__(f"unknown ruleset {name!r} (known: {known})")


def get_ruleset(name: str) -> Ruleset:
    """Return the ruleset called ``name``; raise :class:`UnknownRuleset` if there is none."""
    try:
        return RULESETS[name]
    except KeyError:
        raise UnknownRuleset(name) from None
