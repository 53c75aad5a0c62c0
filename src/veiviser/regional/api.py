"""API endpoints of veiviser.regional (mounted under /api/)."""

from ninja import Router

router = Router(tags=["regional"])
