"""Request and response bodies for escalation policies and the escalations of a ticket."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from rtcdesk.accounts.models import PlanTier
from rtcdesk.core.validation import stored
from rtcdesk.escalation.steps import MAX_STEPS
from rtcdesk.tickets.models import Priority

PolicyName = Annotated[str, stored("escalation_policies.name", min_length=1, max_length=120)]
PlanTiers = Annotated[list[PlanTier], Meta(max_length=len(PlanTier))]
Priorities = Annotated[list[Priority], Meta(max_length=len(Priority))]
TargetName = Literal["first_response", "next_reply", "resolution"]
Targets = Annotated[list[TargetName], Meta(max_length=3)]
Audience = Literal["assignee", "team_lead", "managers"]


class StepIn(msgspec.Struct, forbid_unknown_fields=True):
    """One step: at an SLA warning point ("75") or the breach ("breach"), do ``action``."""

    at: Annotated[str, Meta(min_length=1, max_length=16)]
    action: Literal["warn", "reassign", "add"] = "warn"
    notify: Annotated[list[Audience], Meta(max_length=3)] = msgspec.field(
        default_factory=lambda: ["assignee"]
    )


Steps = Annotated[list[StepIn], Meta(max_length=MAX_STEPS)]


class PolicyCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new escalation policy; empty scope lists match any ticket."""

    name: PolicyName
    steps: Steps
    plan_tiers: PlanTiers = msgspec.field(default_factory=list)
    priorities: Priorities = msgspec.field(default_factory=list)
    targets: Targets = msgspec.field(default_factory=list)
    is_default: bool = False
    enabled: bool = True


class PolicyUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change on a policy; absent fields stay as they are."""

    name: PolicyName | UnsetType = UNSET
    steps: Steps | UnsetType = UNSET
    plan_tiers: PlanTiers | UnsetType = UNSET
    priorities: Priorities | UnsetType = UNSET
    targets: Targets | UnsetType = UNSET
    is_default: bool | UnsetType = UNSET
    enabled: bool | UnsetType = UNSET


class StepOut(msgspec.Struct):
    """A step as stored."""

    at: str
    action: str
    notify: list[str]


class PolicyOut(msgspec.Struct):
    """An escalation policy, with the SLA policies whose warning points lack a step's point."""

    id: int
    name: str
    enabled: bool
    is_default: bool
    plan_tiers: list[str]
    priorities: list[str]
    targets: list[str]
    steps: list[StepOut]
    # "75 -> premium P2": warning steps that an SLA policy in scope never fires.
    unmatched: list[str]
    created_at: datetime
    updated_at: datetime


class EscalationOut(msgspec.Struct):
    """One escalation carried out on a ticket (staff only)."""

    id: int
    ticket_id: int
    sla_event_id: int
    policy_id: int | None
    policy_name: str | None
    target: str
    occurrence: int
    step: int
    threshold: str
    action: str
    from_agent_id: int | None
    from_agent_name: str | None
    to_agent_id: int | None
    to_agent_name: str | None
    level: str | None
    notified_agent_ids: list[int]
    at: datetime
    reason: str
