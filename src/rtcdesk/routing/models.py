"""Routing rules an admin edits, and the round-robin cursors web processes share."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from rtcdesk.accounts.models import AgentLevel
from rtcdesk.db.base import Base, JSONType, UTCDateTime
from rtcdesk.db.types import bounded_by, enum_column


class RoutingRule(Base):
    """Conditions on a new ticket and where it goes; rules are tried in ``position`` order."""

    __tablename__ = "routing_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(120))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Conditions: each an empty list (anything) or the values that match.
    categories: Mapped[list[str]] = mapped_column(JSONType, default=list)
    skills: Mapped[list[str]] = mapped_column(JSONType, default=list)
    languages: Mapped[list[str]] = mapped_column(JSONType, default=list)
    plan_tiers: Mapped[list[str]] = mapped_column(JSONType, default=list)
    organization_ids: Mapped[list[int]] = mapped_column(JSONType, default=list)
    # Actions.
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    min_level: Mapped[AgentLevel] = mapped_column(enum_column(AgentLevel), default=AgentLevel.L1)
    assign: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RoutingCursor(Base):
    """The last agent picked in a round-robin scope (``group:<id>`` or ``all``).

    Moved only by a conditional UPDATE on ``turns`` (compare and set), so two web
    processes routing at once never both take the same turn.
    """

    __tablename__ = "routing_cursors"

    scope: Mapped[str] = mapped_column(
        String(64), primary_key=True, info=bounded_by("group:<id> or all")
    )
    last_agent_id: Mapped[int | None] = mapped_column(Integer)
    turns: Mapped[int] = mapped_column(Integer, default=0)
