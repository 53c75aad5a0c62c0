"""Limit/offset pagination with bounded numbers: ninja's own accepts any integer, and a limit or
offset past the database's 64-bit integers turned into a 500. Here a limit above ``MAX_LIMIT``
or an offset above ``MAX_OFFSET`` is a 422 naming the field."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
MAX_OFFSET = 2**31 - 1


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
