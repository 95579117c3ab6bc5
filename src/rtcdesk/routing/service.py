"""The only write path for routing: rules (admins) and routing a ticket (creation, re-route)."""

from __future__ import annotations

from dataclasses import replace

from msgspec import UNSET
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from rtcdesk.accounts.access import SYSTEM, Actor
from rtcdesk.accounts.models import SKILLS, Agent, Availability, Group, Organization
from rtcdesk.accounts.service import LANGUAGE_CODES
from rtcdesk.core.errors import InvalidInput, NotFound
from rtcdesk.core.validation import check_choices, require_text
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.oncall import hours
from rtcdesk.oncall import queries as oncall_queries
from rtcdesk.oncall.handlers import policy_calendar
from rtcdesk.routing import access, queries
from rtcdesk.routing.decide import (
    AgentFacts,
    Decision,
    ReasonPart,
    RuleFacts,
    TicketFacts,
    decide,
    matched_rule,
    pick_at_level,
)
from rtcdesk.routing.models import RoutingCursor, RoutingRule
from rtcdesk.routing.reasons import HISTORY_FIELD, encode
from rtcdesk.routing.schemas import RuleCreate, RuleUpdate
from rtcdesk.routing.skills import ticket_skills
from rtcdesk.tickets import access as ticket_access
from rtcdesk.tickets.assignment import apply_route, has_history
from rtcdesk.tickets.models import Message, Ticket

# Compare-and-set attempts on a round-robin cursor before leaving the ticket in its queue.
MAX_TURN_ATTEMPTS = 5


def _rule(uow: UnitOfWork, rule_id: int) -> RoutingRule:
    rule = uow.session.get(RoutingRule, rule_id)
    if rule is None:
        raise NotFound("routing rule {rule_id} not found", params={"rule_id": rule_id})
    return rule


def _check_group(uow: UnitOfWork, group_id: int | None) -> None:
    if group_id is not None and uow.session.get(Group, group_id) is None:
        raise InvalidInput(
            "group {group_id} does not exist", params={"group_id": group_id}, field="group_id"
        )


def _check_organizations(uow: UnitOfWork, org_ids: list[int]) -> list[int]:
    wanted = list(dict.fromkeys(org_ids))
    found = set(uow.session.scalars(select(Organization.id).where(Organization.id.in_(wanted))))
    missing = [str(i) for i in wanted if i not in found]
    if missing:
        raise InvalidInput(
            "unknown organization: {missing}",
            params={"missing": ", ".join(missing)},
            field="organization_ids",
        )
    return wanted


def _check_rule(rule: RoutingRule) -> None:
    if not rule.assign and rule.group_id is None:
        raise InvalidInput(
            "a rule that leaves tickets in a queue needs a group to queue them in",
            field="group_id",
        )


def _place(uow: UnitOfWork, rule: RoutingRule, position: int | None) -> None:
    """Put ``rule`` at ``position`` (1 = tried first; None = last) and renumber the rest."""
    others = [r for r in queries.ordered_rules(uow) if r.id != rule.id]
    index = len(others) if position is None else min(max(position - 1, 0), len(others))
    others.insert(index, rule)
    for number, each in enumerate(others, start=1):
        each.position = number


def create_rule(uow: UnitOfWork, actor: Actor, data: RuleCreate) -> RoutingRule:
    """Add a routing rule (admins)."""
    access.check_can_edit_rules(actor)
    _check_group(uow, data.group_id)
    now = uow.clock.now()
    rule = RoutingRule(
        position=0,
        name=require_text(data.name, "name", max_length=120),
        enabled=data.enabled,
        categories=[c.value for c in dict.fromkeys(data.categories)],
        skills=check_choices(data.skills, SKILLS, "skill", field="skills"),
        languages=check_choices(data.languages, LANGUAGE_CODES, "language", field="languages"),
        plan_tiers=[t.value for t in dict.fromkeys(data.plan_tiers)],
        organization_ids=_check_organizations(uow, data.organization_ids),
        group_id=data.group_id,
        min_level=data.min_level,
        assign=data.assign,
        created_at=now,
        updated_at=now,
    )
    _check_rule(rule)
    uow.session.add(rule)
    _place(uow, rule, data.position)
    uow.flush()
    return rule


def update_rule(uow: UnitOfWork, actor: Actor, rule_id: int, data: RuleUpdate) -> RoutingRule:
    """Change a routing rule (admins)."""
    access.check_can_edit_rules(actor)
    rule = _rule(uow, rule_id)
    if data.name is not UNSET:
        rule.name = require_text(data.name, "name", max_length=120)
    if data.categories is not UNSET:
        rule.categories = [c.value for c in dict.fromkeys(data.categories)]
    if data.skills is not UNSET:
        rule.skills = check_choices(data.skills, SKILLS, "skill", field="skills")
    if data.languages is not UNSET:
        rule.languages = check_choices(
            data.languages, LANGUAGE_CODES, "language", field="languages"
        )
    if data.plan_tiers is not UNSET:
        rule.plan_tiers = [t.value for t in dict.fromkeys(data.plan_tiers)]
    if data.organization_ids is not UNSET:
        rule.organization_ids = _check_organizations(uow, data.organization_ids)
    if data.group_id is not UNSET:
        _check_group(uow, data.group_id)
        rule.group_id = data.group_id
    if data.min_level is not UNSET:
        rule.min_level = data.min_level
    if data.assign is not UNSET:
        rule.assign = data.assign
    if data.enabled is not UNSET:
        rule.enabled = data.enabled
    _check_rule(rule)
    if data.position is not UNSET:
        _place(uow, rule, data.position)
    rule.updated_at = uow.clock.now()
    return rule


def delete_rule(uow: UnitOfWork, actor: Actor, rule_id: int) -> None:
    """Remove a routing rule (admins); the others close up."""
    access.check_can_edit_rules(actor)
    rule = _rule(uow, rule_id)
    uow.session.delete(rule)
    uow.flush()
    for number, each in enumerate(queries.ordered_rules(uow), start=1):
        each.position = number


def _rule_facts(uow: UnitOfWork) -> list[RuleFacts]:
    names = dict(uow.session.execute(select(Group.id, Group.name)).all())
    rows = uow.session.execute(
        select(
            RoutingRule.id,
            RoutingRule.name,
            RoutingRule.categories,
            RoutingRule.skills,
            RoutingRule.languages,
            RoutingRule.plan_tiers,
            RoutingRule.organization_ids,
            RoutingRule.group_id,
            RoutingRule.min_level,
            RoutingRule.assign,
        )
        .where(RoutingRule.enabled.is_(True))
        .order_by(RoutingRule.position, RoutingRule.id)
    )
    return [
        RuleFacts(
            id=rule_id,
            name=name,
            categories=frozenset(categories),
            skills=frozenset(skills),
            languages=frozenset(languages),
            plan_tiers=frozenset(tiers),
            organization_ids=frozenset(org_ids),
            group_id=group_id,
            group_name=names.get(group_id) if group_id is not None else None,
            min_level=min_level.value,
            assign=assign,
        )
        for (
            rule_id,
            name,
            categories,
            skills,
            languages,
            tiers,
            org_ids,
            group_id,
            min_level,
            assign,
        ) in rows
    ]


def _agent_facts(uow: UnitOfWork, exclude_ticket_id: int) -> list[AgentFacts]:
    loads = queries.load_counts(uow, exclude_ticket_id=exclude_ticket_id)
    groups = queries.memberships(uow)
    # Columns, not ORM objects: this runs in every ticket's creation.
    rows = uow.session.execute(
        select(
            Agent.id,
            Agent.name,
            Agent.level,
            Agent.skills,
            Agent.languages,
            Agent.availability,
            Agent.max_load,
        ).where(Agent.active.is_(True), Agent.role.in_(queries.ROUTABLE_ROLES))
    )
    return [
        AgentFacts(
            id=agent_id,
            name=name,
            level=level.value,
            skills=frozenset(skills),
            languages=frozenset(languages),
            groups=frozenset(groups.get(agent_id, set())),
            available=availability is Availability.AVAILABLE,
            load=loads.get(agent_id, 0),
            capacity=max_load,
        )
        for agent_id, name, level, skills, languages, availability, max_load in rows
    ]


def _ticket_facts(uow: UnitOfWork, ticket: Ticket) -> TicketFacts:
    org = uow.session.get(Organization, ticket.organization_id)
    assert org is not None  # noqa: S101  (tickets always belong to an organization)
    first_body = uow.session.scalar(
        select(Message.body_text)
        .where(Message.ticket_id == ticket.id)
        .order_by(Message.id)
        .limit(1)
    )
    return TicketFacts(
        category=ticket.category.value,
        language=ticket.language,
        skills=ticket_skills(
            ticket.platform, [t.tag for t in ticket.tags], [ticket.subject, first_body or ""]
        ),
        plan_tier=org.plan_tier.value,
        organization_id=org.id,
        tam_agent_id=org.tam_agent_id,
    )


def cursors(uow: UnitOfWork) -> dict[str, tuple[int | None, int]]:
    """Round-robin scope -> (last agent picked, turns taken), as committed now."""
    # Plain rows, not ORM objects: a retry must see what others committed meanwhile.
    rows = uow.session.execute(
        select(RoutingCursor.scope, RoutingCursor.last_agent_id, RoutingCursor.turns)
    )
    return {scope: (last, turns) for scope, last, turns in rows}


def take_turn(
    uow: UnitOfWork, scope: str, seen: tuple[int | None, int] | None, agent_id: int
) -> bool:
    """Move ``scope``'s cursor to ``agent_id`` if nobody moved it since it was read."""
    if seen is None:
        dialect = uow.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        uow.session.execute(
            insert(RoutingCursor)
            .values(scope=scope, last_agent_id=None, turns=0)
            .on_conflict_do_nothing(index_elements=["scope"])
        )
    turns = seen[1] if seen is not None else 0
    moved = uow.session.execute(
        update(RoutingCursor)
        .where(RoutingCursor.scope == scope, RoutingCursor.turns == turns)
        .values(last_agent_id=agent_id, turns=RoutingCursor.turns + 1)
        .execution_options(synchronize_session=False)
    )
    return moved.rowcount == 1  # type: ignore[attr-defined, no-any-return]


def route_ticket(
    uow: UnitOfWork,
    actor: Actor,
    ticket: Ticket,
    *,
    trigger: str,
    on_shift: frozenset[int] | None = None,
) -> Decision:
    """Decide where ``ticket`` goes, take the round-robin turn, place it and record why.

    ``on_shift`` (agent ids on shift now) defaults to :func:`shift_now` for the group the
    matching rule names: outside the team's business hours, the agents on call on its
    schedules. The ticket's own assignment does not count in anyone's load.
    """
    facts = _ticket_facts(uow, ticket)
    rules = _rule_facts(uow)
    if on_shift is None:
        rule = matched_rule(facts, rules)
        on_shift = shift_now(uow, ticket, rule.group_id if rule else None)
    for _attempt in range(MAX_TURN_ATTEMPTS):
        seen_cursors = cursors(uow)
        decision = decide(
            facts,
            rules,
            _agent_facts(uow, ticket.id),
            {scope: last for scope, (last, _turns) in seen_cursors.items() if last is not None},
            on_shift=on_shift,
        )
        if on_shift is not None:
            first, *rest = decision.reason_parts
            decision = replace(decision, reason_parts=(first, ReasonPart("on_shift"), *rest))
        if decision.agent_id is None or decision.scope is None:
            break
        if take_turn(uow, decision.scope, seen_cursors.get(decision.scope), decision.agent_id):
            break
    else:
        decision = replace(
            decision,
            agent_id=None,
            agent_name=None,
            scope=None,
            reason_parts=(*decision.reason_parts[:-1], ReasonPart("busy")),
        )
    apply_route(
        uow,
        actor,
        ticket,
        group_id=decision.group_id,
        assignee_id=decision.agent_id,
        field=HISTORY_FIELD,
        record=encode(decision, trigger),
    )
    return decision


def shift_now(uow: UnitOfWork, ticket: Ticket, group_id: int | None) -> frozenset[int] | None:
    """The agents routing may pick for ``ticket`` now by the on-call schedules of its team.

    None (availability alone counts) inside the team's business hours (the calendar of the
    ticket's SLA policy, as paging reads it), when there is no team, and when no schedule
    of the team has anyone on call now. Otherwise the agents on call now on its schedules.
    """
    if group_id is None:
        return None
    now = uow.clock.now()
    if not hours.outside_business_hours(hours.team_calendar(policy_calendar(uow, ticket)), now):
        return None
    return oncall_queries.on_shift(uow, group_id, now)


def pick_for_level(
    uow: UnitOfWork, ticket: Ticket, level: str, *, exclude: frozenset[int] = frozenset()
) -> AgentFacts | None:
    """The agent to hand ``ticket`` to at ``level`` (escalation): the least loaded free
    agent of that level in its group (on shift outside business hours), else above it."""
    return pick_at_level(
        _agent_facts(uow, ticket.id),
        level=level,
        group_id=ticket.group_id,
        on_shift=shift_now(uow, ticket, ticket.group_id),
        exclude=exclude,
    )


def route_new_ticket(uow: UnitOfWork, ticket_id: int) -> Decision | None:
    """Route a ticket just created, unless someone already placed it or it was routed."""
    ticket = uow.session.get(Ticket, ticket_id)
    if ticket is None or ticket.merged_into_id is not None:
        return None
    if ticket.assignee_id is not None or ticket.group_id is not None:
        return None
    if has_history(uow, ticket.id, HISTORY_FIELD):
        return None
    return route_ticket(uow, SYSTEM, ticket, trigger="created")


def reroute(uow: UnitOfWork, actor: Actor, ticket_id: int) -> tuple[Ticket, Decision]:
    """Route a ticket again as if it were new (agents), recording who asked."""
    access.check_can_reroute(actor)
    ticket = ticket_access.get_ticket(uow, actor, ticket_id)
    if ticket.merged_into_id is not None:
        raise InvalidInput(
            "ticket {ticket_id} was merged into #{ticket_merged_into_id}",
            params={"ticket_id": ticket_id, "ticket_merged_into_id": ticket.merged_into_id},
        )
    return ticket, route_ticket(uow, actor, ticket, trigger="reroute")
