"""Opaque cursors for keyset pagination: stable under inserts, no OFFSET scans.

A cursor is base64 of ``[sort, value, id]``. Clients can forge one, so decoding checks
its whole shape strictly (the sort it was made for, the value's kind, an aware datetime,
an id in the database's range) and refuses anything else with one readable 400.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any, Literal

import orjson

from rtcdesk.core.errors import InvalidInput
from rtcdesk.core.validation import MAX_ID, utc_instant

MAX_LIMIT = 200
MAX_CURSOR_CHARS = 2048
# The longest sort value a cursor may carry (the longest sortable column is 200 characters).
MAX_CURSOR_TEXT = 400

CursorKind = Literal["text", "datetime", "id"]


def encode_cursor(sort: str, value: Any, row_id: int) -> str:
    """An opaque cursor pointing just after the row with ``value`` and ``row_id``."""
    if isinstance(value, datetime):
        value = {"dt": value.isoformat()}
    elif hasattr(value, "value"):
        value = value.value
    raw = orjson.dumps([sort, value, row_id])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _invalid() -> InvalidInput:
    return InvalidInput("the cursor is not valid; start again from the first page")


def _is_id(value: Any) -> bool:
    return type(value) is int and 1 <= value <= MAX_ID


def _value_of(value: Any, kind: CursorKind) -> Any:
    """The decoded sort value if it has the shape ``kind`` asks for, else None."""
    if kind == "id":
        return value if _is_id(value) else None
    if kind == "text":
        ok = isinstance(value, str) and len(value) <= MAX_CURSOR_TEXT and "\x00" not in value
        return value if ok else None
    if not (isinstance(value, dict) and list(value) == ["dt"] and isinstance(value["dt"], str)):
        return None
    try:
        moment = datetime.fromisoformat(value["dt"][:64])
    except ValueError:
        return None
    try:
        return utc_instant(moment, "cursor")
    except InvalidInput:
        return None


def decode_cursor(cursor: str, sort: str, kind: CursorKind) -> tuple[Any, int]:
    """Return (value, id) from a cursor made for the same ``sort``; refuse anything else.

    ``kind`` is the sort value's shape: "text" (a string), "datetime" (timezone-aware) or
    "id" (a row id). Whatever else a client sends answers 400, never a server error.
    """
    if len(cursor) > MAX_CURSOR_CHARS:
        raise _invalid()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        decoded = orjson.loads(raw)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise _invalid() from exc
    if not (isinstance(decoded, list) and len(decoded) == 3):
        raise _invalid()
    cursor_sort, value, row_id = decoded
    if cursor_sort != sort:
        raise InvalidInput("the cursor belongs to a different sort order; start again")
    checked = _value_of(value, kind)
    if checked is None or not _is_id(row_id):
        raise _invalid()
    return checked, row_id


def clamp_limit(limit: int | None, default: int = 50) -> int:
    """A page size between 1 and MAX_LIMIT."""
    if limit is None:
        return default
    if limit < 1 or limit > MAX_LIMIT:
        raise InvalidInput(
            "limit must be between 1 and {MAX_LIMIT}", params={"MAX_LIMIT": MAX_LIMIT}
        )
    return limit
