"""Tables of the email channel: support mailboxes, organizations' mail domains, every
inbound mail by its Message-ID, the quarantine (held and unreadable mail, raw bytes in the
file store) and the addresses that bounced."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from rtcdesk.accounts.models import Language
from rtcdesk.db.base import Base, UTCDateTime
from rtcdesk.db.types import bounded_by, enum_column
from rtcdesk.tickets.models import Category

MESSAGE_ID_MAX = 500
SUBJECT_MAX = 300
DETAIL_MAX = 500


class UnknownSenderPolicy(StrEnum):
    """What a mail from an address of no known organization does."""

    CREATE = "create"  # a new contact in the mailbox's organization for unknown senders
    HOLD = "hold"  # held in the quarantine for an admin


class ForeignReplyPolicy(StrEnum):
    """What a reply to a ticket from someone outside the ticket's organization does."""

    HOLD = "hold"
    NEW_TICKET = "new_ticket"


class Outcome(StrEnum):
    """What became of one inbound mail."""

    CREATED = "created"  # a new ticket
    APPENDED = "appended"  # a reply on an existing ticket
    HELD = "held"  # in the quarantine for review
    QUARANTINED = "quarantined"  # unreadable, kept raw
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    OWN_ADDRESS = "own_address"


class ImapSecurity(StrEnum):
    """How the poller talks to the IMAP server."""

    SSL = "ssl"  # IMAPS, port 993
    STARTTLS = "starttls"
    NONE = "none"  # plain text: only for a server on this machine or a trusted network


class QuarantineKind(StrEnum):
    """Held mail can be released into a ticket; unreadable mail only viewed or deleted."""

    HELD = "held"
    UNREADABLE = "unreadable"


class Mailbox(Base):
    """A support address: where its mail goes (group, category, language) and its policies."""

    __tablename__ = "email_mailboxes"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    category: Mapped[Category] = mapped_column(
        enum_column(Category), default=Category.TROUBLESHOOTING
    )
    language: Mapped[Language] = mapped_column(enum_column(Language), default=Language.ZH_CN)
    unknown_sender_policy: Mapped[UnknownSenderPolicy] = mapped_column(
        enum_column(UnknownSenderPolicy), default=UnknownSenderPolicy.HOLD
    )
    # Where "create" puts a sender of no known organization.
    unknown_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )
    foreign_reply_policy: Mapped[ForeignReplyPolicy] = mapped_column(
        enum_column(ForeignReplyPolicy), default=ForeignReplyPolicy.HOLD
    )
    rate_limit_per_hour: Mapped[int] = mapped_column(Integer, default=30)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # IMAP polling (empty host: the mailbox receives through the SMTP listener only).
    imap_host: Mapped[str | None] = mapped_column(String(253))
    imap_port: Mapped[int | None] = mapped_column(Integer)
    imap_security: Mapped[ImapSecurity] = mapped_column(
        enum_column(ImapSecurity), default=ImapSecurity.SSL
    )
    imap_user: Mapped[str | None] = mapped_column(String(254))
    imap_password: Mapped[str | None] = mapped_column(String(500))
    imap_folder: Mapped[str] = mapped_column(String(200), default="INBOX")
    # Where taken-in mail is moved; none: it stays in the folder, marked seen.
    imap_done_folder: Mapped[str | None] = mapped_column(String(200))


class EmailDomain(Base):
    """A mail domain of one organization: unknown senders there become its contacts."""

    __tablename__ = "email_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), unique=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )


class InboundMessage(Base):
    """One inbound mail, once: its Message-ID is unique, so a mail seen twice (a poller that
    crashed before marking it seen, a second delivery) is taken in once."""

    __tablename__ = "email_inbound"
    __table_args__ = (Index("ix_email_inbound_sender_received", "sender", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(
        String(MESSAGE_ID_MAX),
        unique=True,
        info=bounded_by("headers.MAX_MESSAGE_ID or a sha256 id", max_length=MESSAGE_ID_MAX),
    )
    mailbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("email_mailboxes.id", ondelete="SET NULL"), index=True
    )
    sender: Mapped[str | None] = mapped_column(
        String(254), info=bounded_by("headers.MAX_EMAIL", max_length=254)
    )
    subject: Mapped[str] = mapped_column(
        String(SUBJECT_MAX), default="", info=bounded_by("cut to fit", max_length=SUBJECT_MAX)
    )
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome))
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), index=True
    )
    ticket_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )
    raw_sha256: Mapped[str] = mapped_column(
        String(64), info=bounded_by("a sha256 hex digest", max_length=64)
    )
    size: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class QuarantinedMail(Base):
    """A mail kept out of the tickets, raw, with the reason, for an admin to review."""

    __tablename__ = "email_quarantine"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[QuarantineKind] = mapped_column(enum_column(QuarantineKind))
    reason: Mapped[str] = mapped_column(
        String(32),
        info=bounded_by("a reason code of errors.REASONS or HOLD_REASONS", max_length=32),
    )
    detail: Mapped[str] = mapped_column(
        String(DETAIL_MAX), default="", info=bounded_by("cut to fit", max_length=DETAIL_MAX)
    )
    mailbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("email_mailboxes.id", ondelete="SET NULL"), index=True
    )
    raw_sha256: Mapped[str] = mapped_column(
        String(64), unique=True, info=bounded_by("a sha256 hex digest", max_length=64)
    )
    size: Mapped[int] = mapped_column(Integer)
    sender: Mapped[str | None] = mapped_column(
        String(254), info=bounded_by("headers.MAX_EMAIL", max_length=254)
    )
    subject: Mapped[str] = mapped_column(
        String(SUBJECT_MAX), default="", info=bounded_by("cut to fit", max_length=SUBJECT_MAX)
    )
    message_id: Mapped[str | None] = mapped_column(
        String(MESSAGE_ID_MAX), info=bounded_by("headers.MAX_MESSAGE_ID", max_length=MESSAGE_ID_MAX)
    )
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class BouncedAddress(Base):
    """An address our mail could not be delivered to, from the last bounce (DSN) seen."""

    __tablename__ = "email_bounces"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(
        String(254), unique=True, info=bounded_by("headers.MAX_EMAIL", max_length=254)
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str | None] = mapped_column(
        String(32), info=bounded_by("a DSN status code, cut", max_length=32)
    )
    diagnostic: Mapped[str] = mapped_column(
        String(DETAIL_MAX), default="", info=bounded_by("cut to fit", max_length=DETAIL_MAX)
    )
    permanent: Mapped[bool] = mapped_column(Boolean, default=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    bounced_at: Mapped[datetime] = mapped_column(UTCDateTime)
