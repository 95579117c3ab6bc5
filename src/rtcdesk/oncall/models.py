"""On-call schedules, their layers (rotations) with participants in order, and overrides."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rtcdesk.db.base import Base, JSONType, UTCDateTime
from rtcdesk.db.types import bounded_by, enum_column
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
    # Paging: minutes an unacknowledged page waits before the next layer is paged, and
    # whether this schedule covers tickets no other schedule's team covers.
    escalate_after_minutes: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
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


class PageState(StrEnum):
    """Where a page stands: waiting for someone, taken, or over with the ticket."""

    TRIGGERED = "triggered"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class StepState(StrEnum):
    """One person's page: waiting, passed on to the next step, taken, or over."""

    TRIGGERED = "triggered"
    ESCALATED = "escalated"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class Page(Base):
    """A ticket paging the on-call chain: who was paged, in order, until someone took it."""

    __tablename__ = "oncall_pages"
    __table_args__ = (Index("ix_oncall_pages_state_created", "state", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    schedule_id: Mapped[int | None] = mapped_column(
        ForeignKey("oncall_schedules.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(
        String(40),
        info=bounded_by("a reason code checked by oncall.paging.page_now", max_length=40),
    )
    state: Mapped[PageState] = mapped_column(enum_column(PageState), default=PageState.TRIGGERED)
    # The chain decided when the page fired: [{"agent_id", "layer_id", "role"}, ...].
    plan: Mapped[list[dict[str, int | str | None]]] = mapped_column(JSONType)
    step: Mapped[int] = mapped_column(Integer, default=0)
    escalations: Mapped[int] = mapped_column(Integer, default=0)
    escalate_after_minutes: Mapped[int] = mapped_column(Integer, default=5)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acked_by_agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL")
    )
    acked_via: Mapped[str | None] = mapped_column(
        String(16), info=bounded_by("one of oncall.acks.VIAS")
    )
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    steps: Mapped[list[PageStep]] = relationship(
        order_by="PageStep.step", cascade="all, delete-orphan", lazy="selectin"
    )


class PageStep(Base):
    """One person paged as step ``step`` of a page (layer 1 is step 0)."""

    __tablename__ = "oncall_page_steps"
    __table_args__ = (UniqueConstraint("page_id", "step", name="uq_oncall_page_steps_step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("oncall_pages.id", ondelete="CASCADE"))
    step: Mapped[int] = mapped_column(Integer)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    layer_id: Mapped[int | None] = mapped_column(
        ForeignKey("oncall_layers.id", ondelete="SET NULL")
    )
    # "layer", "manager", "named" (the first engineer a caller chose), "backup".
    role: Mapped[str] = mapped_column(
        String(16), info=bounded_by("layer, manager, named or backup (oncall.paging.plan_for)")
    )
    state: Mapped[StepState] = mapped_column(enum_column(StepState), default=StepState.TRIGGERED)
    paged_at: Mapped[datetime] = mapped_column(UTCDateTime)
    link_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


__all__ = [
    "Layer",
    "Override",
    "Page",
    "PageState",
    "PageStep",
    "Participant",
    "Schedule",
    "StepState",
]
