"""Output builders: stored schedules and on-call answers as the API's schemas."""

from __future__ import annotations

from rtcdesk.accounts.models import Agent
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.oncall.models import Layer, Override, Schedule
from rtcdesk.oncall.queries import OnCall, agents_by_id, time_text
from rtcdesk.oncall.rotation import Shift
from rtcdesk.oncall.schemas import (
    LayerOnCallOut,
    LayerOut,
    OnCallOut,
    OverrideOut,
    PersonOut,
    ResponderOut,
    RestrictionOut,
    ScheduleOut,
    ShiftOut,
)


def person(agent: Agent) -> PersonOut:
    """An agent as on-call answers name them."""
    return PersonOut(id=agent.id, name=agent.name, email=agent.email)


def _person_of(agents: dict[int, Agent], agent_id: int) -> PersonOut:
    agent = agents.get(agent_id)
    return person(agent) if agent else PersonOut(id=agent_id, name=str(agent_id), email="")


def layer_out(layer: Layer, agents: dict[int, Agent]) -> LayerOut:
    """A layer with its participants."""
    restriction = None
    if layer.restrict_weekdays:
        restriction = RestrictionOut(
            weekdays=list(layer.restrict_weekdays),
            start=time_text(layer.restrict_start_minute),
            end=time_text(layer.restrict_end_minute),
        )
    return LayerOut(
        id=layer.id,
        position=layer.position + 1,
        name=layer.name,
        handover=layer.handover,
        length_days=layer.length_days,
        handover_time=time_text(layer.handover_minute),
        starts_on=layer.starts_on,
        restriction=restriction,
        participants=[_person_of(agents, p.agent_id) for p in layer.participants],
    )


def schedule_out(uow: UnitOfWork, row: Schedule) -> ScheduleOut:
    """A schedule with its layers and manager."""
    ids = [p.agent_id for layer in row.layers for p in layer.participants]
    agents = agents_by_id(uow, [*ids, row.manager_agent_id])
    manager = row.manager_agent_id
    return ScheduleOut(
        id=row.id,
        name=row.name,
        description=row.description,
        timezone=row.timezone,
        group_id=row.group_id,
        manager=_person_of(agents, manager) if manager is not None else None,
        layers=[layer_out(layer, agents) for layer in row.layers],
        created_at=row.created_at,
        updated_at=row.updated_at,
        escalate_after_minutes=row.escalate_after_minutes,
        is_default=row.is_default,
    )


def on_call_out(answer: OnCall) -> OnCallOut:
    """Who is on call, per layer and in escalation order."""
    agents = answer.agents
    return OnCallOut(
        schedule_id=answer.schedule.id,
        schedule=answer.schedule.name,
        at=answer.at,
        timezone=answer.schedule.timezone,
        covered=answer.covered,
        layers=[
            LayerOnCallOut(
                layer_id=entry.layer.id,
                position=entry.layer.position + 1,
                name=entry.layer.name,
                agent=_person_of(agents, entry.shift.agent_id) if entry.shift else None,
                shift_start=entry.shift.start if entry.shift else None,
                shift_end=entry.shift.end if entry.shift else None,
                override_id=entry.shift.override_id if entry.shift else None,
            )
            for entry in answer.layers
        ],
        escalation=[
            ResponderOut(_person_of(agents, r.agent_id), r.layer_id, r.override_id)
            for r in answer.escalation
        ],
    )


def shift_out(shift: Shift, agents: dict[int, Agent]) -> ShiftOut:
    """A final shift."""
    return ShiftOut(
        layer_id=shift.layer_id,
        agent=_person_of(agents, shift.agent_id),
        start=shift.start,
        end=shift.end,
        override_id=shift.override_id,
    )


def override_out(row: Override, agents: dict[int, Agent]) -> OverrideOut:
    """An override as stored."""
    creator = row.created_by_agent_id
    return OverrideOut(
        id=row.id,
        schedule_id=row.schedule_id,
        layer_id=row.layer_id,
        agent=_person_of(agents, row.agent_id),
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        reason=row.reason,
        created_by=_person_of(agents, creator) if creator is not None else None,
        created_at=row.created_at,
    )
