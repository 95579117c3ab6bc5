"""On-call schedules, their layers (rotations) with participants in order, and overrides."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rtcdesk.db.base import Base, JSONType, UTCDateTime
from rtcdesk.db.types import enum_column
from rtcdesk.oncall.rotation import Handover


class Schedule(Base):
    """A 7x24 schedule: who answers pages for a team, in an IANA time zone."""

    __tablename__ = "oncall_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), index=True
    )
    manager_agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    layers: Mapped[list[Layer]] = relationship(
        order_by="Layer.position", cascade="all, delete-orphan", lazy="selectin"
    )


class Layer(Base):
    """One escalation tier of a schedule: a rotation of participants."""

    __tablename__ = "oncall_layers"

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("oncall_schedules.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    handover: Mapped[Handover] = mapped_column(enum_column(Handover), default=Handover.WEEKLY)
    length_days: Mapped[int] = mapped_column(Integer, default=7)
    # Local wall-clock times as minutes since midnight, in the schedule's zone.
    handover_minute: Mapped[int] = mapped_column(Integer, default=540)
    starts_on: Mapped[date] = mapped_column(Date)
    # A restriction to some hours of some weekdays (0 = Monday); null weekdays: none.
    restrict_weekdays: Mapped[list[int] | None] = mapped_column(JSONType)
    restrict_start_minute: Mapped[int | None] = mapped_column(Integer)
    restrict_end_minute: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    participants: Mapped[list[Participant]] = relationship(
        order_by="Participant.position", cascade="all, delete-orphan", lazy="selectin"
    )


class Participant(Base):
    """An agent's turn in a layer's rotation (position 0 is on first)."""

    __tablename__ = "oncall_participants"

    layer_id: Mapped[int] = mapped_column(
        ForeignKey("oncall_layers.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)


class Override(Base):
    """An agent covering for whoever is on call on one layer (or every layer) for a span."""

    __tablename__ = "oncall_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("oncall_schedules.id", ondelete="CASCADE"), index=True
    )
    layer_id: Mapped[int | None] = mapped_column(
        ForeignKey("oncall_layers.id", ondelete="CASCADE"), index=True
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_by_agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


__all__ = ["Layer", "Override", "Participant", "Schedule"]
