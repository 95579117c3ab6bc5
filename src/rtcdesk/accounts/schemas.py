"""Request and response bodies for organizations, contacts, agents, groups and tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from rtcdesk.accounts.models import (
    DEFAULT_MAX_LOAD,
    AgentLevel,
    AgentRole,
    Availability,
    Language,
    PlanTier,
    TokenKind,
)
from rtcdesk.core.validation import Id, stored

# Each text field that is stored names its column: tests/unit/test_stored_lengths.py holds
# the limits here against the columns' sizes.
OrganizationName = Annotated[str, stored("organizations.name", min_length=1, max_length=200)]
ContactName = Annotated[str, stored("contacts.name", min_length=1, max_length=200)]
AgentName = Annotated[str, stored("agents.name", min_length=1, max_length=200)]
ContactEmail = Annotated[str, stored("contacts.email", min_length=3, max_length=254)]
AgentEmail = Annotated[str, stored("agents.email", min_length=3, max_length=254)]
# Stored only as an argon2id hash.
Password = Annotated[str, Meta(min_length=8, max_length=200)]
# A password being checked, not set: any length a stored one might have had.
CurrentPassword = Annotated[str, Meta(max_length=200)]
OrganizationTimeZone = Annotated[str, stored("organizations.timezone", min_length=1, max_length=64)]
AgentTimeZone = Annotated[str, stored("agents.timezone", min_length=1, max_length=64)]
ShortList = Annotated[list[Annotated[str, Meta(max_length=128)]], Meta(max_length=50)]
# How many open tickets routing may give one agent at once (0: routing never picks them).
MaxLoad = Annotated[int, Meta(ge=0, le=200)]
Notes = Annotated[str, stored("organizations.notes", max_length=20000)]
GroupIds = Annotated[list[Id], Meta(max_length=100)]


class OrganizationCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new customer organization."""

    name: OrganizationName
    plan_tier: PlanTier = PlanTier.FREE
    timezone: OrganizationTimeZone = "UTC"
    language: Language = Language.EN
    tam_agent_id: Id | None = None
    sdk_platforms: ShortList = msgspec.field(default_factory=list)
    app_ids: ShortList = msgspec.field(default_factory=list)
    share_tickets: bool = False
    notes: Notes = ""


class OrganizationUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change on an organization; absent fields stay as they are."""

    name: OrganizationName | UnsetType = UNSET
    plan_tier: PlanTier | UnsetType = UNSET
    timezone: OrganizationTimeZone | UnsetType = UNSET
    language: Language | UnsetType = UNSET
    tam_agent_id: Id | UnsetType | None = UNSET
    sdk_platforms: ShortList | UnsetType = UNSET
    app_ids: ShortList | UnsetType = UNSET
    share_tickets: bool | UnsetType = UNSET
    notes: Notes | UnsetType = UNSET


class OrganizationOut(msgspec.Struct):
    """An organization as the API shows it."""

    id: int
    name: str
    plan_tier: PlanTier
    timezone: str
    language: Language
    tam_agent_id: int | None
    sdk_platforms: list[str]
    app_ids: list[str]
    share_tickets: bool
    notes: str | None
    created_at: datetime
    updated_at: datetime


class ContactCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new developer at a customer organization."""

    organization_id: Id
    email: ContactEmail
    name: ContactName
    language: Language = Language.EN
    password: Password | None = None


class ContactUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change on a contact."""

    name: ContactName | UnsetType = UNSET
    language: Language | UnsetType = UNSET
    active: bool | UnsetType = UNSET
    password: Password | UnsetType = UNSET
    # Needed to change one's own password (not when an admin sets someone else's).
    current_password: CurrentPassword | UnsetType = UNSET


class ContactOut(msgspec.Struct):
    """A contact as the API shows it."""

    id: int
    organization_id: int
    email: str
    name: str
    language: Language
    active: bool
    created_at: datetime


class AgentCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new support engineer."""

    email: AgentEmail
    name: AgentName
    role: AgentRole = AgentRole.AGENT
    level: AgentLevel = AgentLevel.L1
    skills: ShortList = msgspec.field(default_factory=list)
    languages: ShortList = msgspec.field(default_factory=lambda: ["en"])
    timezone: AgentTimeZone = "UTC"
    group_ids: GroupIds = msgspec.field(default_factory=list)
    max_load: MaxLoad = DEFAULT_MAX_LOAD
    password: Password | None = None


class AgentUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change on an agent."""

    name: AgentName | UnsetType = UNSET
    role: AgentRole | UnsetType = UNSET
    level: AgentLevel | UnsetType = UNSET
    skills: ShortList | UnsetType = UNSET
    languages: ShortList | UnsetType = UNSET
    timezone: AgentTimeZone | UnsetType = UNSET
    group_ids: GroupIds | UnsetType = UNSET
    active: bool | UnsetType = UNSET
    max_load: MaxLoad | UnsetType = UNSET
    password: Password | UnsetType = UNSET
    # Needed to change one's own password (not when an admin sets someone else's).
    current_password: CurrentPassword | UnsetType = UNSET


class AgentOut(msgspec.Struct):
    """An agent as the API shows it."""

    id: int
    email: str
    name: str
    role: AgentRole
    level: AgentLevel
    skills: list[str]
    languages: list[str]
    timezone: str
    active: bool
    group_ids: list[int]
    availability: Availability
    max_load: int


class GroupCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new team."""

    name: Annotated[str, stored("groups.name", min_length=1, max_length=120)]
    description: Annotated[str, stored("groups.description", max_length=2000)] = ""


class GroupOut(msgspec.Struct):
    """A team as the API shows it."""

    id: int
    name: str
    description: str


class TokenCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new API token, for an agent or for an organization's integration."""

    kind: TokenKind
    name: Annotated[str, stored("api_tokens.name", min_length=1, max_length=120)]
    agent_id: Id | None = None
    organization_id: Id | None = None


class TokenOut(msgspec.Struct):
    """A token as listed; the secret is only shown once, at creation."""

    id: int
    kind: TokenKind
    name: str
    prefix: str
    agent_id: int | None
    organization_id: int | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    token: str | None = None


class AvailabilityIn(msgspec.Struct, forbid_unknown_fields=True):
    """An agent marking themself available for new tickets, or away."""

    availability: Availability


class MeOut(msgspec.Struct):
    """Who the caller is."""

    kind: str
    id: int | None
    name: str
    role: str | None
    organization_id: int | None
