"""Reads for routing pages and the API: rules, agents' loads, a ticket's decisions."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import ActorKind, Agent, AgentRole, agent_groups
from rtcdesk.core.errors import NotFound, PermissionDenied
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.routing import access
from rtcdesk.routing.models import RoutingRule
from rtcdesk.routing.reasons import HISTORY_FIELD, Reason, decode, describe
from rtcdesk.routing.schemas import (
    AgentLoadOut,
    AvailabilityOut,
    DecisionOut,
    ReasonPartOut,
    RuleOut,
)
from rtcdesk.tickets import access as ticket_access
from rtcdesk.tickets.models import Status, Ticket, TicketChange
from rtcdesk.tickets.schemas import ChangeOut

# Tickets that weigh on an agent: those waiting for the agent's work (on hold counts: the
# agent is chasing a colleague or a vendor). Waiting for the customer does not: the ball is
# in the customer's court, and counting it would fill every desk with silent tickets.
LOAD_STATUSES = (Status.NEW, Status.OPEN, Status.ON_HOLD)
# Roles routing hands tickets to; administrators are not picked automatically.
ROUTABLE_ROLES = (AgentRole.AGENT, AgentRole.TAM, AgentRole.MANAGER)


def load_counts(uow: UnitOfWork, *, exclude_ticket_id: int | None = None) -> dict[int, int]:
    """Open tickets assigned to each agent (``exclude_ticket_id`` not counted).

    Read from the (assignee, status) index alone: a merged ticket is closed for good, so
    no load status holds one, and asking for ``merged_into_id`` too would read every
    assigned ticket's row (40 ms instead of 7 at 100,000 tickets).
    """
    stmt = (
        select(Ticket.assignee_id, func.count())
        .where(Ticket.assignee_id.is_not(None), Ticket.status.in_(LOAD_STATUSES))
        .group_by(Ticket.assignee_id)
    )
    if exclude_ticket_id is not None:
        stmt = stmt.where(Ticket.id != exclude_ticket_id)
    return {int(agent_id): int(n) for agent_id, n in uow.session.execute(stmt) if agent_id}


def memberships(uow: UnitOfWork) -> dict[int, set[int]]:
    """agent id -> ids of the groups the agent belongs to."""
    found: dict[int, set[int]] = {}
    for agent_id, group_id in uow.session.execute(
        select(agent_groups.c.agent_id, agent_groups.c.group_id)
    ):
        found.setdefault(int(agent_id), set()).add(int(group_id))
    return found


def ordered_rules(uow: UnitOfWork) -> list[RoutingRule]:
    """Every rule in the order routing tries them."""
    return list(
        uow.session.scalars(select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id))
    )


def rules(uow: UnitOfWork, actor: Actor) -> list[RoutingRule]:
    """The rules, first tried first (staff)."""
    access.check_can_read(actor)
    return ordered_rules(uow)


def get_rule(uow: UnitOfWork, actor: Actor, rule_id: int) -> RoutingRule:
    """One rule (staff)."""
    access.check_can_read(actor)
    found = uow.session.get(RoutingRule, rule_id)
    if found is None:
        raise NotFound("routing rule {rule_id} not found", params={"rule_id": rule_id})
    return found


def availability(uow: UnitOfWork, actor: Actor) -> AvailabilityOut:
    """The calling agent's availability, open load and capacity."""
    agent = uow.session.get(Agent, actor.id) if actor.kind is ActorKind.AGENT else None
    if agent is None:
        raise PermissionDenied("only support agents have an availability")
    return AvailabilityOut(
        availability=agent.availability,
        load=load_counts(uow).get(agent.id, 0),
        max_load=agent.max_load,
    )


def rule_out(rule: RoutingRule) -> RuleOut:
    """API shape of a rule."""
    return RuleOut(
        id=rule.id,
        position=rule.position,
        name=rule.name,
        enabled=rule.enabled,
        categories=list(rule.categories),
        skills=list(rule.skills),
        languages=list(rule.languages),
        plan_tiers=list(rule.plan_tiers),
        organization_ids=list(rule.organization_ids),
        group_id=rule.group_id,
        min_level=rule.min_level,
        assign=rule.assign,
        created_at=rule.created_at,
        updated_at=rule.updated_at,
    )


def agent_loads(uow: UnitOfWork, actor: Actor) -> list[AgentLoadOut]:
    """Active agents with availability, open load and capacity (staff)."""
    access.check_can_read(actor)
    loads = load_counts(uow)
    groups = memberships(uow)
    agents = uow.session.scalars(
        select(Agent).where(Agent.active.is_(True)).order_by(Agent.name, Agent.id)
    )
    return [
        AgentLoadOut(
            id=a.id,
            name=a.name,
            level=a.level,
            availability=a.availability,
            load=loads.get(a.id, 0),
            max_load=a.max_load,
            skills=list(a.skills),
            languages=list(a.languages),
            group_ids=sorted(groups.get(a.id, set())),
            takes_tickets=a.role in ROUTABLE_ROLES,
        )
        for a in agents
    ]


def decision_out(change: TicketChange, reason: Reason) -> DecisionOut:
    """API shape of one recorded decision (its sentence in English)."""
    return DecisionOut(
        at=change.at,
        actor_name=change.actor_name,
        trigger=reason.trigger,
        rule_id=reason.rule_id,
        group_id=reason.group_id,
        group=reason.group,
        agent_id=reason.agent_id,
        agent=reason.agent,
        parts=[ReasonPartOut(kind=p.kind, value=p.value) for p in reason.parts],
        text=describe(reason),
    )


def decisions(uow: UnitOfWork, actor: Actor, ticket_id: int) -> list[DecisionOut]:
    """Every routing decision on a ticket, oldest first (staff)."""
    access.check_can_read(actor)
    ticket = ticket_access.get_ticket(uow, actor, ticket_id)
    changes = uow.session.scalars(
        select(TicketChange)
        .where(TicketChange.ticket_id == ticket.id, TicketChange.field == HISTORY_FIELD)
        .order_by(TicketChange.at, TicketChange.id)
    )
    out = []
    for change in changes:
        reason = decode(change.new_value)
        if reason is not None:
            out.append(decision_out(change, reason))
    return out


def reasons_in(history: Iterable[ChangeOut]) -> dict[int, Reason]:
    """History entry id -> its routing reason, for the entries that record one."""
    found: dict[int, Reason] = {}
    for entry in history:
        if entry.field != HISTORY_FIELD:
            continue
        reason = decode(entry.new_value)
        if reason is not None:
            found[entry.id] = reason
    return found
