"""Kostnader og vikarplan."""
