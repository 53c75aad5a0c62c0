"""Avtaler og tilskudd."""
