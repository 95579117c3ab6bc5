"""SLA tables: business calendars, versioned policies, each ticket's clocks and timers,
and the thresholds (warnings, breaches) reached, recorded once each.

A calendar row is the admin's data for a :class:`~rtcdesk.sla.calendar.CalendarSpec`
(``sla.specs`` turns one into the other). A policy is one plan tier x priority; its
versions are immutable, so a ticket keeps the version it was measured against.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from rtcdesk.accounts.models import ACTOR_NAME_MAX, PlanTier
from rtcdesk.db.base import Base, JSONType, UTCDateTime
from rtcdesk.db.types import bounded_by, enum_column
from rtcdesk.tickets.models import Priority


class SlaCalendar(Base):
    """A business calendar an admin edits: weekly hours in a zone, days off and on."""

    __tablename__ = "sla_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    always_open: Mapped[bool] = mapped_column(Boolean, default=False)
    # Follows China's official schedule (chinesecalendar plus the admin's years).
    follows_china: Mapped[bool] = mapped_column(Boolean, default=False)
    # Seven lists (Monday first) of "HH:MM-HH:MM" intervals.
    week: Mapped[list[list[str]]] = mapped_column(JSONType, default=list)
    # Hours of a make-up working day; null: Monday's.
    workday_hours: Mapped[list[str] | None] = mapped_column(JSONType)
    holidays: Mapped[list[str]] = mapped_column(JSONType, default=list)  # ISO dates
    extra_workdays: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # [{"day": ISO date, "hours": [...], "reason": str}]
    days: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    # [{"start": ISO instant, "end": ISO instant, "reason": str}]
    closures: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    # [{"year": int, "days_off": [ISO dates], "workdays": [ISO dates]}]
    official_years: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SlaPolicy(Base):
    """The SLA of one plan tier x priority; its targets live in immutable versions."""

    __tablename__ = "sla_policies"
    __table_args__ = (UniqueConstraint("plan_tier", "priority"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_tier: Mapped[PlanTier] = mapped_column(enum_column(PlanTier))
    priority: Mapped[Priority] = mapped_column(enum_column(Priority))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SlaPolicyVersion(Base):
    """One version of a policy's targets (business minutes); never changed once written."""

    __tablename__ = "sla_policy_versions"
    __table_args__ = (UniqueConstraint("policy_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("sla_policies.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    calendar_id: Mapped[int] = mapped_column(ForeignKey("sla_calendars.id", ondelete="RESTRICT"))
    first_response_minutes: Mapped[int | None] = mapped_column(Integer)
    next_reply_minutes: Mapped[int | None] = mapped_column(Integer)
    resolution_minutes: Mapped[int | None] = mapped_column(Integer)
    pause_on: Mapped[list[str]] = mapped_column(JSONType, default=list)
    warning_points: Mapped[list[float]] = mapped_column(JSONType, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(
        String(200), info=bounded_by("the editing actor's name", max_length=ACTOR_NAME_MAX)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TicketSla(Base):
    """A ticket's clocks as last computed, and the timers queued for them.

    Kept up to date in the same transaction as every change that moves a clock, so the
    snapshot plus the calendar tell the live state at any later instant.
    """

    __tablename__ = "ticket_sla"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    policy_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("sla_policy_versions.id", ondelete="RESTRICT")
    )
    calendar_id: Mapped[int | None] = mapped_column(
        ForeignKey("sla_calendars.id", ondelete="RESTRICT")
    )
    clocks: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    unknown_years: Mapped[list[int]] = mapped_column(JSONType, default=list)
    # job key -> ISO instant of the queued timer
    timers: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TicketSlaVersion(Base):
    """Which policy version a ticket was measured against from when, and why it changed."""

    __tablename__ = "ticket_sla_versions"
    __table_args__ = (Index("ix_ticket_sla_versions_ticket_at", "ticket_id", "at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    policy_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("sla_policy_versions.id", ondelete="RESTRICT")
    )
    # The plan tier and priority the version was chosen for: a change of either switches.
    plan_tier: Mapped[str] = mapped_column(String(32), info=bounded_by("a PlanTier value"))
    priority: Mapped[str] = mapped_column(String(8), info=bounded_by("a Priority value"))
    # created | priority | plan
    reason: Mapped[str] = mapped_column(String(20), info=bounded_by("created, priority or plan"))
    detail: Mapped[str] = mapped_column(
        String(200), default="", info=bounded_by("two plan tiers or priorities and an arrow")
    )


class SlaEvent(Base):
    """A threshold a clock reached (a warning point or the breach), recorded exactly once."""

    __tablename__ = "sla_events"
    __table_args__ = (
        UniqueConstraint("ticket_id", "target", "occurrence", "threshold"),
        Index("ix_sla_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(32), info=bounded_by("an sla.data.Target value"))
    # 1 for first response and resolution; the cycle's number for next reply
    occurrence: Mapped[int] = mapped_column(Integer)
    # "breach" or a warning point such as "75"
    threshold: Mapped[str] = mapped_column(
        String(16), info=bounded_by('"breach" or a warning percentage')
    )
    fraction: Mapped[float] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    policy_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("sla_policy_versions.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
