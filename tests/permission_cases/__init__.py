"""Permission cases per area. Every module here defines ``CASES: list[Case]``; the matrix test
collects them all, and fails for any URL pattern no case covers."""

from __future__ import annotations

import importlib
import pkgutil

from tests.permissions import Case


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        cases.extend(module.CASES)
    return cases
