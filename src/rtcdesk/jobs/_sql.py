"""Dialect helpers shared by the service and the worker-side store."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

NOTIFY_CHANNEL = "rtcdesk_jobs"


def dialect_name(session: Session) -> str:
    """The dialect of the connection ``session`` is bound to."""
    return session.get_bind().dialect.name


def upsert_insert(session: Session, table: Any) -> Any:
    """An INSERT that supports ``on_conflict_do_*`` on both SQLite and PostgreSQL."""
    if dialect_name(session) == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
