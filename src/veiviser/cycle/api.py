"""API endpoints of veiviser.cycle (mounted under /api/)."""

from ninja import Router

router = Router(tags=["cycle"])
