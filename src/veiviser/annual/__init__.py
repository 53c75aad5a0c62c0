"""Årsrapport."""
