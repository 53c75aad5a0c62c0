"""Helpers shared by the cycle views."""

from __future__ import annotations

from typing import Any


def bound_data(request: Any) -> Any:
    """The POST data for a bound form (even when empty), None on GET."""
    return request.POST if request.method == "POST" else None
