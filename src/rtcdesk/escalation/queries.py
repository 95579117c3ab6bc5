"""Reads for escalation pages and the API: policies, the SLA warning points they rely on,
and a ticket's escalations."""

from __future__ import annotations

from sqlalchemy import select

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import Agent
from rtcdesk.core.errors import NotFound
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.escalation import access, texts
from rtcdesk.escalation.models import Escalation, EscalationPolicy
from rtcdesk.escalation.schemas import EscalationOut, PolicyOut, StepOut
from rtcdesk.escalation.steps import BREACH, outcome
from rtcdesk.sla.models import SlaPolicy, SlaPolicyVersion
from rtcdesk.sla.tracking import point_name
from rtcdesk.tickets import access as ticket_access


def policies(uow: UnitOfWork, actor: Actor) -> list[EscalationPolicy]:
    """Every escalation policy, the default first, then by name (staff)."""
    access.check_can_read(actor)
    return list(
        uow.session.scalars(
            select(EscalationPolicy).order_by(
                EscalationPolicy.is_default.desc(), EscalationPolicy.name
            )
        )
    )


def get_policy(uow: UnitOfWork, actor: Actor, policy_id: int) -> EscalationPolicy:
    """One escalation policy (staff)."""
    access.check_can_read(actor)
    found = uow.session.get(EscalationPolicy, policy_id)
    if found is None:
        raise NotFound("escalation policy {policy_id} not found", params={"policy_id": policy_id})
    return found


def sla_points(uow: UnitOfWork) -> dict[tuple[str, str], frozenset[str]]:
    """(plan tier, priority) -> the warning points the newest SLA policy version fires at."""
    rows = uow.session.execute(
        select(
            SlaPolicy.plan_tier,
            SlaPolicy.priority,
            SlaPolicyVersion.number,
            SlaPolicyVersion.warning_points,
        ).join(SlaPolicyVersion, SlaPolicyVersion.policy_id == SlaPolicy.id)
    ).all()
    newest: dict[tuple[str, str], tuple[int, frozenset[str]]] = {}
    for tier, priority, number, points in rows:
        key = (tier.value, priority.value)
        if key not in newest or number > newest[key][0]:
            newest[key] = (number, frozenset(point_name(float(p)) for p in points))
    return {key: found for key, (_n, found) in newest.items()}


def unmatched(policy: EscalationPolicy, points: dict[tuple[str, str], frozenset[str]]) -> list[str]:
    """Warning steps an SLA policy in the policy's scope never fires: "90% → premium P2"."""
    out = []
    for step in policy.steps:
        at = str(step.get("at"))
        if at == BREACH:
            continue
        for (tier, priority), fired in sorted(points.items()):
            in_scope = (not policy.plan_tiers or tier in policy.plan_tiers) and (
                not policy.priorities or priority in policy.priorities
            )
            if in_scope and at not in fired:
                out.append(f"{at}% → {tier} {priority}")
    return out


def policy_out(
    policy: EscalationPolicy, points: dict[tuple[str, str], frozenset[str]]
) -> PolicyOut:
    """A policy as the API shows it."""
    return PolicyOut(
        id=policy.id,
        name=policy.name,
        enabled=policy.enabled,
        is_default=policy.is_default,
        plan_tiers=list(policy.plan_tiers),
        priorities=list(policy.priorities),
        targets=list(policy.targets),
        steps=[
            StepOut(
                at=str(s.get("at")),
                action=str(s.get("action")),
                notify=[str(n) for n in s.get("notify", [])],
            )
            for s in policy.steps
        ],
        unmatched=unmatched(policy, points),
        created_at=policy.created_at,
        updated_at=policy.updated_at,
    )


def _reason(row: Escalation, names: dict[int, str]) -> str:
    """The sentence the ticket's history shows for this escalation, in English."""
    people = tuple(names[i] for i in row.notified if i in names and i != row.to_agent_id)
    entry = texts.Entry(
        outcome=outcome(row.action, row.level, row.to_agent_id is not None),
        target=row.target,
        threshold=row.threshold,
        level=row.level,
        agent=names.get(row.to_agent_id or 0),
        people=people,
    )
    return texts.describe(entry)


def for_ticket(uow: UnitOfWork, actor: Actor, ticket_id: int) -> list[EscalationOut]:
    """The escalations of a ticket, oldest first (staff; customers are refused)."""
    access.check_can_read(actor)
    ticket = ticket_access.get_ticket(uow, actor, ticket_id)
    rows = list(
        uow.session.scalars(
            select(Escalation)
            .where(Escalation.ticket_id == ticket.id)
            .order_by(Escalation.at, Escalation.id)
        )
    )
    ids = {i for r in rows for i in (r.from_agent_id, r.to_agent_id, *r.notified) if i is not None}
    names = (
        {
            int(i): str(n)
            for i, n in uow.session.execute(select(Agent.id, Agent.name).where(Agent.id.in_(ids)))
        }
        if ids
        else {}
    )
    policy_ids = {r.policy_id for r in rows if r.policy_id is not None}
    policy_names = (
        {
            int(i): str(n)
            for i, n in uow.session.execute(
                select(EscalationPolicy.id, EscalationPolicy.name).where(
                    EscalationPolicy.id.in_(policy_ids)
                )
            )
        }
        if policy_ids
        else {}
    )
    return [
        EscalationOut(
            id=r.id,
            ticket_id=r.ticket_id,
            sla_event_id=r.sla_event_id,
            policy_id=r.policy_id,
            policy_name=policy_names.get(r.policy_id or 0),
            target=r.target,
            occurrence=r.occurrence,
            step=r.step,
            threshold=r.threshold,
            action=r.action,
            from_agent_id=r.from_agent_id,
            from_agent_name=names.get(r.from_agent_id or 0),
            to_agent_id=r.to_agent_id,
            to_agent_name=names.get(r.to_agent_id or 0),
            level=r.level,
            notified_agent_ids=[int(i) for i in r.notified],
            at=r.at,
            reason=_reason(r, names),
        )
        for r in rows
    ]
