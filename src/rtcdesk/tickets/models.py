"""Tickets, their conversation, attachments, history, links, tags and saved views.

Later capabilities (SLA clocks, email threading, chat, diagnostics reports, satisfaction)
add their own tables that point at ``tickets.id``; the ticket row itself keeps only what
every ticket has.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rtcdesk.accounts.models import ACTOR_NAME_MAX, ActorKind, Agent, Contact, Group, Organization
from rtcdesk.db.base import Base, JSONType, UTCDateTime
from rtcdesk.db.types import bounded_by, enum_column
from rtcdesk.files.sniff import SAFE_FILENAME_MAX


class Category(StrEnum):
    """The four support layers of the mission."""

    INTEGRATION = "integration"
    ADVANCED_TUNING = "advanced_tuning"
    TROUBLESHOOTING = "troubleshooting"
    CONSULTING = "consulting"


class Priority(StrEnum):
    """P1 is the most urgent."""

    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


class Urgency(StrEnum):
    """How soon the customer needs it."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Impact(StrEnum):
    """How many of the customer's end users suffer."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Status(StrEnum):
    """Ticket life cycle; transitions are in ``tickets/workflow.py``."""

    NEW = "new"
    OPEN = "open"
    PENDING_CUSTOMER = "pending_customer"
    ON_HOLD = "on_hold"
    SOLVED = "solved"
    CLOSED = "closed"


class Channel(StrEnum):
    """Where a ticket or message came from."""

    PORTAL = "portal"
    EMAIL = "email"
    CHAT = "chat"
    PHONE = "phone"
    API = "api"
    PROACTIVE = "proactive"
    CONSOLE = "console"
    SYSTEM = "system"  # written by rtcdesk itself: diagnosis notes, lab results


class MessageKind(StrEnum):
    """Public replies reach the customer; internal notes never do."""

    PUBLIC = "public"
    INTERNAL = "internal"


class LinkKind(StrEnum):
    """How two tickets relate."""

    RELATED = "related"
    DUPLICATE = "duplicate"


class Ticket(Base):
    """One support request from an organization."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_org_created", "organization_id", "created_at", "id"),
        Index("ix_tickets_status_priority", "status", "priority", "id"),
        Index("ix_tickets_assignee_status", "assignee_id", "status"),
        Index("ix_tickets_updated", "updated_at", "id"),
        Index("ix_tickets_created", "created_at", "id"),
        Index("ix_tickets_status_updated", "status", "updated_at", "id"),
        Index("ix_tickets_status_created", "status", "created_at", "id"),
        Index("ix_tickets_sla_due", "sla_due_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT")
    )
    requester_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(String(300))
    category: Mapped[Category] = mapped_column(enum_column(Category))
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), default=Urgency.MEDIUM)
    impact: Mapped[Impact] = mapped_column(enum_column(Impact), default=Impact.MEDIUM)
    priority: Mapped[Priority] = mapped_column(enum_column(Priority))
    priority_override_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[Status] = mapped_column(enum_column(Status), default=Status.NEW)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    language: Mapped[str] = mapped_column(
        String(8), default="en", info=bounded_by("a Language value")
    )
    platform: Mapped[str | None] = mapped_column(String(32))
    sdk_version: Mapped[str | None] = mapped_column(String(64))
    app_id: Mapped[str | None] = mapped_column(String(128))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), index=True
    )
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL")
    )
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_customer_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_agent_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    solved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Kept by the SLA domain (through ``service.set_sla_due``): the earliest deadline of a
    # clock still open (running, or breached and not stopped) and the first-response
    # promise the customer sees. Null: no such clock.
    sla_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_response_due: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization] = relationship(lazy="raise")
    requester: Mapped[Contact | None] = relationship(lazy="raise")
    assignee: Mapped[Agent | None] = relationship(lazy="raise")
    group: Mapped[Group | None] = relationship(lazy="raise")
    tags: Mapped[list[TicketTag]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="TicketTag.tag"
    )


class TicketTag(Base):
    """A free-form label on a ticket (lower-case, no spaces)."""

    __tablename__ = "ticket_tags"

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class Message(Base):
    """A public reply or an internal note on a ticket."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_ticket_created", "ticket_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    kind: Mapped[MessageKind] = mapped_column(enum_column(MessageKind))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    author_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    author_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    author_name: Mapped[str] = mapped_column(
        String(200), info=bounded_by("Actor.name or a contact's name", max_length=ACTOR_NAME_MAX)
    )
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    moved_from_ticket_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    attachments: Mapped[list[Attachment]] = relationship(
        lazy="selectin", order_by="Attachment.id", viewonly=True
    )


class Attachment(Base):
    """A file on a ticket; the bytes live in the content-addressed file store."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64), index=True, info=bounded_by("sha256 hex"))
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(120), info=bounded_by("sniffed type"))
    filename: Mapped[str] = mapped_column(
        String(255), info=bounded_by("files.sniff.safe_filename", max_length=SAFE_FILENAME_MAX)
    )
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_by_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    uploaded_by_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TicketChange(Base):
    """One field change on a ticket: the audit history."""

    __tablename__ = "ticket_changes"
    __table_args__ = (Index("ix_ticket_changes_ticket_at", "ticket_id", "at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_kind: Mapped[ActorKind] = mapped_column(enum_column(ActorKind))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(
        String(200), info=bounded_by("Actor.name", max_length=ACTOR_NAME_MAX)
    )
    field: Mapped[str] = mapped_column(String(64), info=bounded_by("a field name"))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class TicketLink(Base):
    """A relation between two tickets; ``duplicate`` links record merges."""

    __tablename__ = "ticket_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LinkKind] = mapped_column(enum_column(LinkKind))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))


class SavedView(Base):
    """A named ticket-list filter an agent keeps (optionally shared with everyone)."""

    __tablename__ = "saved_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    filters: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
