"""The demo world's annual reports (``veiviser.demo.world`` calls this module; the annual
report app has nothing else to add, and the reminders themselves come from the data)."""

from __future__ import annotations


def build_demo() -> None:
    from veiviser.annual.demo import build_demo as build_annual

    build_annual()
