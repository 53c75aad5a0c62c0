"""Helpers shared by the cycle views."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def apply_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form's fields (or the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def bound_data(request: Any) -> Any:
    """The POST data for a bound form (even when empty), None on GET."""
    return request.POST if request.method == "POST" else None
