"""API endpoints of veiviser.planning (mounted under /api/)."""

from ninja import Router

router = Router(tags=["planning"])
