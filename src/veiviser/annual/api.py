"""API endpoints of veiviser.annual (mounted under /api/)."""

from ninja import Router

router = Router(tags=["annual"])
