"""The only write path of escalation: policies (admins), team leads, and carrying out the
steps of a policy when an SLA clock reaches a threshold (:func:`react`, the SLA reaction).

Functions take the caller's unit of work and never commit. :func:`react` runs inside the
``sla.threshold`` job's transaction, only in the worker whose ``sla_events`` insert won.
"""

from __future__ import annotations

from msgspec import UNSET
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from rtcdesk.accounts.access import SYSTEM, Actor
from rtcdesk.accounts.models import Agent, AgentRole, Group, Organization
from rtcdesk.core.errors import Conflict, InvalidInput, NotFound
from rtcdesk.core.validation import require_text
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.escalation import access, queries, texts
from rtcdesk.escalation.models import Escalation, EscalationPolicy
from rtcdesk.escalation.schemas import PolicyCreate, PolicyUpdate, StepIn
from rtcdesk.escalation.steps import (
    ADD,
    ASSIGNEE,
    BREACH,
    MANAGERS,
    REASSIGN,
    TEAM_LEAD,
    WARN,
    PolicyFacts,
    StepSpec,
    choose_policy,
    next_level,
    normalize_at,
    ordered,
    outcome,
    steps_at,
)
from rtcdesk.notifications import service as notifications
from rtcdesk.notifications.recipients import Recipients, resolve
from rtcdesk.notifications.service import ParamValue
from rtcdesk.routing import service as routing
from rtcdesk.sla.reactions import ThresholdReached
from rtcdesk.tickets.assignment import apply_route
from rtcdesk.tickets.models import Ticket
from rtcdesk.tickets.service import record_change


def _policy(uow: UnitOfWork, policy_id: int) -> EscalationPolicy:
    found = uow.session.get(EscalationPolicy, policy_id)
    if found is None:
        raise NotFound("escalation policy {policy_id} not found", params={"policy_id": policy_id})
    return found


def _steps(steps: list[StepIn]) -> list[dict[str, object]]:
    """Validated steps, ordered by when they fire; one step per threshold."""
    if not steps:
        raise InvalidInput("a policy needs at least one step", field="steps")
    specs: list[StepSpec] = []
    for step in steps:
        at = normalize_at(step.at)
        if at is None:
            raise InvalidInput(
                "a step is at “breach” or at a warning point between 1% and 99%, not {at}",
                params={"at": step.at},
                field="steps",
            )
        notify = tuple(dict.fromkeys(step.notify))
        if step.action == WARN and not notify:
            raise InvalidInput(
                "a warning step at {at} must notify someone", params={"at": at}, field="steps"
            )
        specs.append(StepSpec(at=at, action=step.action, notify=notify))
    seen: set[str] = set()
    for spec in specs:
        if spec.at in seen:
            raise InvalidInput(
                "two steps at {at}: put what happens there in one step",
                params={"at": spec.at},
                field="steps",
            )
        seen.add(spec.at)
    return [{"at": s.at, "action": s.action, "notify": list(s.notify)} for s in ordered(specs)]


def _check_default(uow: UnitOfWork, policy: EscalationPolicy) -> None:
    if not policy.is_default:
        return
    if policy.plan_tiers or policy.priorities or policy.targets:
        raise InvalidInput(
            "the default policy applies to every ticket: leave its scope empty",
            field="is_default",
        )
    other = uow.session.scalar(
        select(EscalationPolicy.name).where(
            EscalationPolicy.is_default.is_(True), EscalationPolicy.id != (policy.id or 0)
        )
    )
    if other is not None:
        raise Conflict("“{name}” is already the default policy", params={"name": other})


def _check_points(uow: UnitOfWork, policy: EscalationPolicy) -> None:
    """A warning step must be at a point some SLA policy in scope fires at: the SLA
    policies' warning points decide when clocks fire, escalation only what happens then."""
    points = queries.sla_points(uow)
    scoped = {
        key: fired
        for key, fired in points.items()
        if (not policy.plan_tiers or key[0] in policy.plan_tiers)
        and (not policy.priorities or key[1] in policy.priorities)
    }
    if not scoped:
        return
    known = sorted(set().union(*scoped.values()), key=float)
    for step in policy.steps:
        at = str(step["at"])
        if at != BREACH and not any(at in fired for fired in scoped.values()):
            raise InvalidInput(
                "no SLA policy in this scope warns at {at}% (their warning points: {known}); "
                "add the point to an SLA policy first",
                params={"at": at, "known": ", ".join(f"{p}%" for p in known) or "none"},
                field="steps",
            )


def _check_name(uow: UnitOfWork, name: str, policy_id: int | None) -> str:
    text = require_text(name, "name", max_length=120)
    clash = uow.session.scalar(
        select(EscalationPolicy.id).where(
            EscalationPolicy.name == text, EscalationPolicy.id != (policy_id or 0)
        )
    )
    if clash is not None:
        raise Conflict("an escalation policy named “{name}” exists already", params={"name": text})
    return text


def create_policy(uow: UnitOfWork, actor: Actor, data: PolicyCreate) -> EscalationPolicy:
    """Add an escalation policy (admins)."""
    access.check_can_edit(actor)
    now = uow.clock.now()
    policy = EscalationPolicy(
        name=_check_name(uow, data.name, None),
        enabled=data.enabled,
        is_default=data.is_default,
        plan_tiers=[t.value for t in dict.fromkeys(data.plan_tiers)],
        priorities=[p.value for p in dict.fromkeys(data.priorities)],
        targets=list(dict.fromkeys(data.targets)),
        steps=_steps(data.steps),
        created_at=now,
        updated_at=now,
    )
    _check_default(uow, policy)
    _check_points(uow, policy)
    uow.session.add(policy)
    uow.flush()
    return policy


def update_policy(
    uow: UnitOfWork, actor: Actor, policy_id: int, data: PolicyUpdate
) -> EscalationPolicy:
    """Change an escalation policy (admins); escalations already done stay as they were."""
    access.check_can_edit(actor)
    policy = _policy(uow, policy_id)
    if data.name is not UNSET:
        policy.name = _check_name(uow, data.name, policy.id)
    if data.steps is not UNSET:
        policy.steps = _steps(data.steps)
    if data.plan_tiers is not UNSET:
        policy.plan_tiers = [t.value for t in dict.fromkeys(data.plan_tiers)]
    if data.priorities is not UNSET:
        policy.priorities = [p.value for p in dict.fromkeys(data.priorities)]
    if data.targets is not UNSET:
        policy.targets = list(dict.fromkeys(data.targets))
    if data.is_default is not UNSET:
        policy.is_default = data.is_default
    if data.enabled is not UNSET:
        policy.enabled = data.enabled
    _check_default(uow, policy)
    _check_points(uow, policy)
    policy.updated_at = uow.clock.now()
    return policy


def delete_policy(uow: UnitOfWork, actor: Actor, policy_id: int) -> None:
    """Remove an escalation policy (admins); its escalations keep their rows."""
    access.check_can_edit(actor)
    uow.session.delete(_policy(uow, policy_id))
    uow.flush()


def set_group_lead(uow: UnitOfWork, actor: Actor, group_id: int, agent_id: int | None) -> Group:
    """Name the team lead escalations notify for a group (admins); None: the managers."""
    access.check_can_edit(actor)
    group = uow.session.get(Group, group_id)
    if group is None:
        raise NotFound("group {group_id} not found", params={"group_id": group_id})
    if agent_id is not None:
        lead = uow.session.get(Agent, agent_id)
        if lead is None or not lead.active:
            raise InvalidInput(
                "agent {agent_id} does not exist or is deactivated",
                params={"agent_id": agent_id},
                field="lead_agent_id",
            )
    group.lead_agent_id = agent_id
    return group


def policy_facts(row: EscalationPolicy) -> PolicyFacts:
    """A stored policy as the pure core's data."""
    return PolicyFacts(
        id=row.id,
        name=row.name,
        steps=tuple(
            StepSpec(
                at=str(s.get("at", "")),
                action=str(s.get("action", WARN)),
                notify=tuple(str(n) for n in s.get("notify", [])),
            )
            for s in row.steps
        ),
        plan_tiers=frozenset(row.plan_tiers),
        priorities=frozenset(row.priorities),
        targets=frozenset(row.targets),
        is_default=row.is_default,
        enabled=row.enabled,
    )


def _claim(uow: UnitOfWork, values: dict[str, object]) -> int | None:
    """Insert the escalation row; None when this (SLA event, step) was carried out before."""
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(Escalation)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["sla_event_id", "step"])
        .returning(Escalation.id)
    )
    return uow.session.execute(stmt).scalar_one_or_none()


def _audience(
    uow: UnitOfWork, ticket: Ticket, step: StepSpec, assignee_id: int | None
) -> Recipients:
    """The people a step notifies: the assignee, the team lead (the managers without one)."""
    people = Recipients()
    if ASSIGNEE in step.notify:
        people = people | Recipients.agents(assignee_id)
    lead_id = None
    if TEAM_LEAD in step.notify and ticket.group_id is not None:
        group = uow.session.get(Group, ticket.group_id)
        lead_id = group.lead_agent_id if group is not None else None
    if TEAM_LEAD in step.notify:
        people = people | (
            Recipients.agents(lead_id) if lead_id else Recipients.role(AgentRole.MANAGER)
        )
    if MANAGERS in step.notify:
        people = people | Recipients.role(AgentRole.MANAGER)
    return people


def react(uow: UnitOfWork, reached: ThresholdReached) -> None:
    """Carry out the steps of the ticket's escalation policy at the threshold reached."""
    ticket = uow.session.get(Ticket, reached.ticket_id)
    if ticket is None or ticket.merged_into_id is not None:
        return
    org = uow.session.get(Organization, ticket.organization_id)
    tier = org.plan_tier.value if org is not None else ""
    rows = uow.session.scalars(select(EscalationPolicy).order_by(EscalationPolicy.id))
    policy = choose_policy(
        [policy_facts(r) for r in rows], tier, ticket.priority.value, reached.target
    )
    if policy is None:
        return
    for index, step in steps_at(policy, reached.threshold):
        _carry_out(uow, ticket, org, policy, index, step, reached)


def _carry_out(
    uow: UnitOfWork,
    ticket: Ticket,
    org: Organization | None,
    policy: PolicyFacts,
    index: int,
    step: StepSpec,
    reached: ThresholdReached,
) -> None:
    """One step: pick the next level's agent when it hands over, record, place, notify."""
    assignee = uow.session.get(Agent, ticket.assignee_id) if ticket.assignee_id else None
    level: str | None = None
    picked = None
    if step.action in (REASSIGN, ADD):
        level = next_level(assignee.level.value if assignee is not None else None)
        if level is not None:
            exclude = frozenset({assignee.id}) if assignee is not None else frozenset()
            picked = routing.pick_for_level(uow, ticket, level, exclude=exclude)
    escalation_id = _claim(
        uow,
        {
            "ticket_id": ticket.id,
            "sla_event_id": reached.sla_event_id,
            "policy_id": policy.id,
            "target": reached.target,
            "occurrence": reached.occurrence,
            "step": index,
            "threshold": reached.threshold,
            "action": step.action,
            "from_agent_id": assignee.id if assignee is not None else None,
            "to_agent_id": picked.id if picked is not None else None,
            "level": level,
            "notified": [],
            "at": uow.clock.now(),
        },
    )
    if escalation_id is None:
        return
    audience = _audience(uow, ticket, step, ticket.assignee_id)
    if step.action in (REASSIGN, ADD) and picked is None:
        # Nobody to hand over to: the team lead hears of it whatever the step says.
        audience = audience | _audience(uow, ticket, StepSpec(step.at, WARN, (TEAM_LEAD,)), None)
    ending = outcome(step.action, level, picked is not None)
    params: dict[str, ParamValue] = {
        "ticket_id": ticket.id,
        "subject": ticket.subject,
        "organization": org.name if org is not None else "",
        "target": texts.TARGETS.get(reached.target, reached.target),
        "percent": round(reached.fraction * 100, 2) if reached.fraction else 100,
        "level": level or "",
    }
    link = f"/console/tickets/{ticket.id}"
    base_key = f"{reached.sla_event_id}:{index}"
    kind = texts.SLA_BREACH if reached.threshold == BREACH else texts.SLA_WARNING
    notified: list[int] = []
    if picked is not None:
        notifications.notify(
            uow,
            kind=texts.SLA_ESCALATED,
            key=f"sla.escalated:{base_key}",
            recipients=Recipients.agents(picked.id),
            params=params,
            link=link,
            ticket_id=ticket.id,
        )
        notified.append(picked.id)
    others = [a.id for a in resolve(uow, audience) if picked is None or a.id != picked.id]
    if others:
        notifications.notify(
            uow,
            kind=kind,
            key=f"{kind.name}:{base_key}",
            recipients=Recipients.agents(*others),
            params=params,
            link=link,
            ticket_id=ticket.id,
        )
        notified.extend(others)
    names = _names(uow, others)
    record = texts.encode(
        ending,
        target=reached.target,
        threshold=reached.threshold,
        level=level,
        agent=picked.name if picked is not None else None,
        people=names,
    )
    if step.action == REASSIGN and picked is not None:
        apply_route(
            uow,
            SYSTEM,
            ticket,
            group_id=ticket.group_id,
            assignee_id=picked.id,
            field=texts.HISTORY_FIELD,
            record=record,
        )
    else:
        record_change(uow, SYSTEM, ticket.id, texts.HISTORY_FIELD, None, record)
    row = uow.session.get(Escalation, escalation_id)
    if row is not None:
        row.notified = notified


def _names(uow: UnitOfWork, agent_ids: list[int]) -> list[str]:
    if not agent_ids:
        return []
    rows = uow.session.execute(select(Agent.id, Agent.name).where(Agent.id.in_(agent_ids)))
    found = {int(i): str(n) for i, n in rows}
    return [str(found[i]) for i in agent_ids if i in found]
