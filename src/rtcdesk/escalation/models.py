"""Escalation tables: the policies an admin edits and every escalation that happened.

A policy's steps are plain data (``steps.StepSpec`` as JSON): at an SLA warning point or
the breach, whom to warn and whether to hand the ticket to the next level. An
``escalations`` row is written once per (``sla_events`` row, step), so metrics can count
escalations by ticket, target, level or agent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rtcdesk.db.base import Base, JSONType, UTCDateTime
from rtcdesk.db.types import bounded_by


class EscalationPolicy(Base):
    """What happens at a ticket's SLA warning points and breach, for a scope of tickets.

    Scope: plan tiers, priorities and targets (each an empty list for "any"). The policy
    with the most specific matching scope applies; the default policy when none matches.
    """

    __tablename__ = "escalation_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    plan_tiers: Mapped[list[str]] = mapped_column(JSONType, default=list)
    priorities: Mapped[list[str]] = mapped_column(JSONType, default=list)
    targets: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # [{"at": "75" | "breach", "action": "warn" | "reassign" | "add", "notify": [...]}]
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Escalation(Base):
    """One step of a policy carried out for one SLA threshold of one ticket."""

    __tablename__ = "escalations"
    __table_args__ = (
        UniqueConstraint("sla_event_id", "step"),
        Index("ix_escalations_ticket_at", "ticket_id", "at"),
        Index("ix_escalations_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    sla_event_id: Mapped[int] = mapped_column(ForeignKey("sla_events.id", ondelete="CASCADE"))
    policy_id: Mapped[int | None] = mapped_column(
        ForeignKey("escalation_policies.id", ondelete="SET NULL")
    )
    target: Mapped[str] = mapped_column(String(32), info=bounded_by("an sla.data.Target value"))
    occurrence: Mapped[int] = mapped_column(Integer)
    # The step's index in its policy's steps when it ran.
    step: Mapped[int] = mapped_column(Integer)
    threshold: Mapped[str] = mapped_column(
        String(16), info=bounded_by('"breach" or a warning percentage (sla_events.threshold)')
    )
    # warn | reassign | add (what was done; "reassign" with no to_agent: nobody was free)
    action: Mapped[str] = mapped_column(String(16), info=bounded_by("a steps.ACTIONS value"))
    from_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    to_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    # The level handed to (L2, L3); null for a warning.
    level: Mapped[str | None] = mapped_column(String(8), info=bounded_by("an AgentLevel value"))
    # Agent ids this step notified (their own settings choose the channels).
    notified: Mapped[list[int]] = mapped_column(JSONType, default=list)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
