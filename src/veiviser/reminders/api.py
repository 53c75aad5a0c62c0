"""API endpoints of veiviser.reminders (mounted under /api/)."""

from ninja import Router

router = Router(tags=["reminders"])
