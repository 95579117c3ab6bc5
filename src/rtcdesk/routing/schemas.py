"""Request and response bodies for routing rules, availability and decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from rtcdesk.accounts.models import AgentLevel, Availability, PlanTier
from rtcdesk.core.validation import Id, stored
from rtcdesk.tickets.models import Category
from rtcdesk.tickets.schemas import TicketOut

RuleName = Annotated[str, stored("routing_rules.name", min_length=1, max_length=120)]
Categories = Annotated[list[Category], Meta(max_length=len(Category))]
PlanTiers = Annotated[list[PlanTier], Meta(max_length=len(PlanTier))]
Codes = Annotated[list[Annotated[str, Meta(max_length=32)]], Meta(max_length=32)]
Position = Annotated[int, Meta(ge=1, le=10_000)]


class RuleCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new routing rule; empty condition lists match any ticket."""

    name: RuleName
    categories: Categories = msgspec.field(default_factory=list)
    skills: Codes = msgspec.field(default_factory=list)
    languages: Codes = msgspec.field(default_factory=list)
    plan_tiers: PlanTiers = msgspec.field(default_factory=list)
    organization_ids: Annotated[list[Id], Meta(max_length=100)] = msgspec.field(
        default_factory=list
    )
    group_id: Id | None = None
    min_level: AgentLevel = AgentLevel.L1
    assign: bool = True
    enabled: bool = True
    position: Position | None = None


class RuleUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change on a rule; absent fields stay as they are."""

    name: RuleName | UnsetType = UNSET
    categories: Categories | UnsetType = UNSET
    skills: Codes | UnsetType = UNSET
    languages: Codes | UnsetType = UNSET
    plan_tiers: PlanTiers | UnsetType = UNSET
    organization_ids: Annotated[list[Id], Meta(max_length=100)] | UnsetType = UNSET
    group_id: Id | UnsetType | None = UNSET
    min_level: AgentLevel | UnsetType = UNSET
    assign: bool | UnsetType = UNSET
    enabled: bool | UnsetType = UNSET
    position: Position | UnsetType = UNSET


class RuleOut(msgspec.Struct):
    """A rule as the API shows it."""

    id: int
    position: int
    name: str
    enabled: bool
    categories: list[str]
    skills: list[str]
    languages: list[str]
    plan_tiers: list[str]
    organization_ids: list[int]
    group_id: int | None
    min_level: AgentLevel
    assign: bool
    created_at: datetime
    updated_at: datetime


class AgentLoadOut(msgspec.Struct):
    """An agent as routing sees them: availability, load and capacity."""

    id: int
    name: str
    level: AgentLevel
    availability: Availability
    load: int
    max_load: int
    skills: list[str]
    languages: list[str]
    group_ids: list[int]
    takes_tickets: bool


class ReasonPartOut(msgspec.Struct):
    """One fact behind a decision, e.g. kind "skill", value "video"."""

    kind: str
    value: str


class DecisionOut(msgspec.Struct):
    """A recorded routing decision: where the ticket went, why, and the sentence in English."""

    at: datetime
    actor_name: str
    trigger: str
    rule_id: int | None
    group_id: int | None
    group: str | None
    agent_id: int | None
    agent: str | None
    parts: list[ReasonPartOut]
    text: str


class RerouteOut(msgspec.Struct):
    """A ticket after re-routing, with the decision taken."""

    ticket: TicketOut
    decision: DecisionOut


class AvailabilityOut(msgspec.Struct):
    """The caller's availability and current load."""

    availability: Availability
    load: int
    max_load: int
