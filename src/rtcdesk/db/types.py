"""Column helpers shared by every domain's models."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Enum


def enum_column(enum_cls: type[StrEnum]) -> Any:
    """A VARCHAR column holding a StrEnum's values (no native enum: easy to extend later)."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def bounded_by(why: str, *, max_length: int | None = None) -> dict[str, Any]:
    """Column ``info`` of a sized text column no client field fills as such: how rtcdesk
    bounds what it writes there (``max_length``: the constant that does, checked against the
    column by ``tests/unit/test_stored_lengths.py``)."""
    return {"bounded_by": why, "max_length": max_length}
