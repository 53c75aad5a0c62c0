"""The administrator's job page (background job results; POST enqueues the reminder run)."""

from __future__ import annotations

from django.urls import reverse

from tests.permissions import Case

CASES = [
    Case("job_list", lambda a: reverse("job_list"), {"admin": 200}, default=403),
    Case("job_list", lambda a: reverse("job_list"), {"admin": 302}, default=403, method="post"),
]
