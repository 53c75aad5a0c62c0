"""Serialise transactions that work on the same thing before it exists as a row to lock.

``serialize("progress:d-81f3")`` takes PostgreSQL's transaction-level advisory lock for each
key (in sorted order, so two callers never deadlock); it is released at commit or rollback.
SQLite already lets one writer at a time through its database lock, so there it does nothing.
Must be called inside ``transaction.atomic``.
"""

from __future__ import annotations

import hashlib

from django.db import connection


def _lock_id(key: str) -> int:
    """A stable signed 64-bit number for ``key`` (PostgreSQL's advisory lock id)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


def serialize(*keys: str) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(set(keys)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_id(key)])
