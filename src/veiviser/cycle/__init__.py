"""Rekruttere og beholde."""
