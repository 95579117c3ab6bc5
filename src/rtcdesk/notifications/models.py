"""Notifications (one per event and recipient), their deliveries per channel, preferences."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rtcdesk.db.base import Base, JSONType, UTCDateTime
from rtcdesk.db.types import bounded_by, enum_column


class DeliveryStatus(StrEnum):
    """Where one delivery stands."""

    QUEUED = "queued"
    RETRYING = "retrying"  # an attempt failed; the job's backoff tries again
    SENT = "sent"
    FAILED = "failed"  # refused for good, or out of attempts
    SKIPPED = "skipped"  # the channel is not configured (e.g. no SMTP relay)


class Notification(Base):
    """What one person was told: a kind, its fields and where it points.

    The text is not stored: it is rendered from the kind and ``params`` in the reader's
    language whenever it is shown or sent. ``in_app`` says whether it is in their inbox.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        # Idempotency: one notification per event key and recipient.
        UniqueConstraint("key", "agent_id"),
        Index("ix_notifications_inbox", "agent_id", "in_app", "id"),
        Index("ix_notifications_unread", "agent_id", "in_app", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(80), info=bounded_by("a registered kind"))
    key: Mapped[str] = mapped_column(String(200), info=bounded_by("a key made of the event's ids"))
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    link: Mapped[str | None] = mapped_column(
        String(500), info=bounded_by("a console path built from ids")
    )
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), index=True
    )
    in_app: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Delivery(Base):
    """One notification on one channel: the delivery log admins read."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (
        # Idempotency: one delivery per (event key, recipient) and channel.
        UniqueConstraint("notification_id", "channel"),
        Index("ix_notification_deliveries_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(40), info=bounded_by("a registered channel"))
    status: Mapped[DeliveryStatus] = mapped_column(enum_column(DeliveryStatus))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Preference(Base):
    """A person's choice for one kind on one channel (no row: the kind's default)."""

    __tablename__ = "notification_preferences"

    agent_id: Mapped[int] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(80), primary_key=True)
    channel: Mapped[str] = mapped_column(String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)


__all__ = ["Delivery", "DeliveryStatus", "Notification", "Preference"]
