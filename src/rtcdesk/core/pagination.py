"""Opaque cursors for keyset pagination: stable under inserts, no OFFSET scans."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

import orjson

from rtcdesk.core.errors import InvalidInput

MAX_LIMIT = 200


def encode_cursor(sort: str, value: Any, row_id: int) -> str:
    """An opaque cursor pointing just after the row with ``value`` and ``row_id``."""
    if isinstance(value, datetime):
        value = {"dt": value.isoformat()}
    elif hasattr(value, "value"):
        value = value.value
    raw = orjson.dumps([sort, value, row_id])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    """Return (value, id) from a cursor made for the same ``sort``; refuse anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, value, row_id = orjson.loads(raw)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise InvalidInput("the cursor is not valid; start again from the first page") from exc
    if cursor_sort != sort or not isinstance(row_id, int):
        raise InvalidInput("the cursor belongs to a different sort order; start again")
    if isinstance(value, dict) and "dt" in value:
        try:
            value = datetime.fromisoformat(value["dt"])
        except (TypeError, ValueError) as exc:
            raise InvalidInput("the cursor is not valid; start again") from exc
    return value, row_id


def clamp_limit(limit: int | None, default: int = 50) -> int:
    """A page size between 1 and MAX_LIMIT."""
    if limit is None:
        return default
    if limit < 1 or limit > MAX_LIMIT:
        raise InvalidInput(
            "limit must be between 1 and {MAX_LIMIT}", params={"MAX_LIMIT": MAX_LIMIT}
        )
    return limit
