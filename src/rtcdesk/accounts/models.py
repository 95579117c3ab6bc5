"""Organizations (the vendor's customers), their contacts, agents, groups and credentials."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rtcdesk.db.base import Base, JSONType, UTCDateTime
from rtcdesk.db.types import bounded_by, enum_column


class PlanTier(StrEnum):
    """Support plan of an organization; entitlements and SLAs hang off it."""

    FREE = "free"
    STANDARD = "standard"
    PREMIUM = "premium"
    ENTERPRISE = "enterprise"
    STRATEGIC = "strategic"


class Language(StrEnum):
    """Languages rtcdesk speaks."""

    ZH_CN = "zh-CN"
    EN = "en"


class AgentRole(StrEnum):
    """What an agent may do in the console."""

    ADMIN = "admin"
    MANAGER = "manager"
    AGENT = "agent"
    TAM = "tam"


class Availability(StrEnum):
    """Whether an agent takes new tickets now (routing skips agents who are away)."""

    AVAILABLE = "available"
    AWAY = "away"


DEFAULT_MAX_LOAD = 8


class AgentLevel(StrEnum):
    """Support tier of an engineer."""

    L1 = "L1"
    L2 = "L2"
    L3 = "L3"


SKILLS: tuple[str, ...] = (
    "audio",
    "video",
    "network",
    "ios",
    "android",
    "web",
    "windows",
    "macos",
    "linux",
    "flutter",
    "react-native",
    "unity",
    "electron",
    "server",
    "recording",
    "streaming",
)

PLATFORMS: tuple[str, ...] = (
    "ios",
    "android",
    "web",
    "windows",
    "macos",
    "linux",
    "flutter",
    "react-native",
    "unity",
    "electron",
    "server",
)


agent_groups = Table(
    "agent_groups",
    Base.metadata,
    Column("agent_id", ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
)


class Organization(Base):
    """A customer of the RTC vendor: an app developer company."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    plan_tier: Mapped[PlanTier] = mapped_column(enum_column(PlanTier), default=PlanTier.FREE)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    language: Mapped[Language] = mapped_column(enum_column(Language), default=Language.EN)
    tam_agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), index=True
    )
    sdk_platforms: Mapped[list[str]] = mapped_column(JSONType, default=list)
    app_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    share_tickets: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    tam: Mapped[Agent | None] = relationship(foreign_keys=[tam_agent_id], lazy="select")


class Contact(Base):
    """A developer at a customer organization who asks for help."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[Language] = mapped_column(enum_column(Language), default=Language.EN)
    password_hash: Mapped[str | None] = mapped_column(
        String(200), info=bounded_by("an argon2id hash, about 100 characters")
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    organization: Mapped[Organization] = relationship(lazy="joined")


class Group(Base):
    """A team of agents tickets can be routed to (e.g. Audio L2, Web SDK)."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # Who escalations notify as the team lead (none: the managers).
    lead_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))


class Agent(Base):
    """A support engineer (or manager, admin, technical account manager)."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[AgentRole] = mapped_column(enum_column(AgentRole), default=AgentRole.AGENT)
    level: Mapped[AgentLevel] = mapped_column(enum_column(AgentLevel), default=AgentLevel.L1)
    skills: Mapped[list[str]] = mapped_column(JSONType, default=list)
    languages: Mapped[list[str]] = mapped_column(JSONType, default=list)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    availability: Mapped[Availability] = mapped_column(
        enum_column(Availability), default=Availability.AVAILABLE
    )
    # Most open tickets routing assigns to this agent at once (admins set it).
    max_load: Mapped[int] = mapped_column(Integer, default=DEFAULT_MAX_LOAD)
    password_hash: Mapped[str | None] = mapped_column(
        String(200), info=bounded_by("an argon2id hash, about 100 characters")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    groups: Mapped[list[Group]] = relationship(secondary=agent_groups, lazy="select")


# The longest name an actor carries (``Actor.name``, cut to fit where it is derived): the
# size of every column that copies it (message authors, history, the audit log).
ACTOR_NAME_MAX = 200


class ActorKind(StrEnum):
    """Who is acting: a person, an organization's integration, or rtcdesk itself."""

    AGENT = "agent"
    CONTACT = "contact"
    ORGANIZATION_TOKEN = "organization_token"  # noqa: S105
    SYSTEM = "system"


class TokenKind(StrEnum):
    """Whom an API token acts for."""

    AGENT = "agent"
    ORGANIZATION = "organization"


class ApiToken(Base):
    """A revocable bearer token; only its sha256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[TokenKind] = mapped_column(enum_column(TokenKind))
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, info=bounded_by("sha256 hex"))
    prefix: Mapped[str] = mapped_column(
        String(16), info=bounded_by("the secret's first characters")
    )
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignInThrottle(Base):
    """Failed (or still running) sign-ins of one email in the current fixed window.

    One row per email, changed only by single conditional UPDATEs so parallel attempts
    cannot all pass a count taken before any of them was recorded.
    """

    __tablename__ = "sign_in_throttles"

    email: Mapped[str] = mapped_column(
        String(254), primary_key=True, info=bounded_by("the sign-in email, cut", max_length=254)
    )
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """Something done to a person's account by someone else (an admin setting a password).

    Rows are only ever added; names are copied so an entry still reads after the people
    in it are renamed or removed.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    action: Mapped[str] = mapped_column(String(60), info=bounded_by("a constant"))
    actor_kind: Mapped[str] = mapped_column(String(20), info=bounded_by("ActorKind"))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(
        String(400), info=bounded_by("Actor.name", max_length=ACTOR_NAME_MAX)
    )
    target_kind: Mapped[str] = mapped_column(String(20), info=bounded_by("agent or contact"))
    target_id: Mapped[int | None] = mapped_column(Integer)
    target_email: Mapped[str] = mapped_column(
        String(254), info=bounded_by("a copy of an account's email", max_length=254)
    )


class PasswordReset(Base):
    """A password reset link an admin issued for a person: single-use and expiring.

    Only the sha256 of the link's secret is stored; using it (or issuing a newer one for the
    same person) sets ``used_at``, after which the link opens nothing.
    """

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, info=bounded_by("sha256 hex"))
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    created_by_agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebSession(Base):
    """A signed-in browser: agents in the console, contacts in the portal.

    Stored server-side so any number of stateless web processes share it.
    """

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, info=bounded_by("sha256 hex"))
    csrf_token: Mapped[str] = mapped_column(String(64), info=bounded_by("a random token"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


__all__ = [
    "ACTOR_NAME_MAX",
    "DEFAULT_MAX_LOAD",
    "PLATFORMS",
    "SKILLS",
    "ActorKind",
    "Agent",
    "AgentLevel",
    "AgentRole",
    "ApiToken",
    "AuditEntry",
    "Availability",
    "Contact",
    "Group",
    "Language",
    "Organization",
    "PasswordReset",
    "PlanTier",
    "SignInThrottle",
    "TokenKind",
    "WebSession",
    "agent_groups",
]
