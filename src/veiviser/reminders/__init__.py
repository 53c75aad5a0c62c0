"""Påminnelser."""
