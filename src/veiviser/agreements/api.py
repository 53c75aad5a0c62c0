"""API endpoints of veiviser.agreements (mounted under /api/)."""

from ninja import Router

router = Router(tags=["agreements"])
