"""Reads for on-call: schedules as plain specs, who is on call at T, shifts of a window.

The paging side asks through three functions that need no actor (rtcdesk itself asks):
:func:`escalation` ("who, in order, for schedule S at T": layer 1, layer 2, ..., then the
manager), :func:`schedule_covers` ("is anyone on call for S at T", restricted layers may
leave gaps) and :func:`schedules_for_group` (the schedules covering a team).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import Agent
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.oncall import access
from rtcdesk.oncall.models import Layer, Override, Schedule
from rtcdesk.oncall.rotation import (
    LayerSpec,
    OverrideSpec,
    Responder,
    Restriction,
    ScheduleSpec,
    Shift,
    covers,
    escalation_order,
    on_call_at,
    shifts,
)
from rtcdesk.oncall.service import get_schedule, minutes_to_time

# Overrides are at most 90 days long: ones further off cannot touch a window.
_OVERRIDE_REACH = timedelta(days=91)


def schedules(uow: UnitOfWork, actor: Actor) -> list[Schedule]:
    """Every schedule, by name (support staff)."""
    access.check_can_view(actor)
    return list(uow.session.scalars(select(Schedule).order_by(Schedule.name)))


def schedule(uow: UnitOfWork, actor: Actor, schedule_id: int) -> Schedule:
    """One schedule (support staff)."""
    access.check_can_view(actor)
    return get_schedule(uow, schedule_id)


def schedule_named(uow: UnitOfWork, actor: Actor, name: str) -> Schedule | None:
    """The schedule called ``name``, if any (support staff)."""
    access.check_can_view(actor)
    return uow.session.scalar(select(Schedule).where(Schedule.name == name))


def overrides(uow: UnitOfWork, schedule_id: int, start: datetime, end: datetime) -> list[Override]:
    """The overrides of a schedule overlapping [start, end), oldest first."""
    return list(
        uow.session.scalars(
            select(Override)
            .where(
                Override.schedule_id == schedule_id,
                Override.ends_at > start,
                Override.starts_at < end,
            )
            .order_by(Override.id)
        )
    )


def layer_spec(layer: Layer) -> LayerSpec:
    """A stored layer as the rotation core's plain data."""
    restriction = None
    if layer.restrict_weekdays:
        restriction = Restriction(
            frozenset(layer.restrict_weekdays),
            minutes_to_time(layer.restrict_start_minute or 0),
            minutes_to_time(layer.restrict_end_minute or 0),
        )
    return LayerSpec(
        id=layer.id,
        name=layer.name,
        participants=tuple(p.agent_id for p in layer.participants),
        handover=layer.handover,
        length_days=layer.length_days,
        handover_time=minutes_to_time(layer.handover_minute),
        starts_on=layer.starts_on,
        restriction=restriction,
    )


def spec_of(uow: UnitOfWork, row: Schedule, start: datetime, end: datetime) -> ScheduleSpec:
    """The plain spec of ``row`` with the overrides that can matter in [start, end)."""
    longest = max((layer.length_days for layer in row.layers), default=1)
    reach = _OVERRIDE_REACH + timedelta(days=longest + 1)
    return ScheduleSpec(
        timezone=row.timezone,
        layers=tuple(layer_spec(layer) for layer in row.layers),
        overrides=tuple(
            OverrideSpec(o.id, o.agent_id, o.starts_at, o.ends_at, o.layer_id)
            for o in overrides(uow, row.id, start - reach, end + reach)
        ),
        manager_id=row.manager_agent_id,
    )


def agents_by_id(uow: UnitOfWork, ids: Iterable[int | None]) -> dict[int, Agent]:
    """The agents with these ids."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {a.id: a for a in uow.session.scalars(select(Agent).where(Agent.id.in_(wanted)))}


@dataclass(frozen=True)
class LayerOnCall:
    """Who is on one layer at an instant (``shift`` None: nobody)."""

    layer: Layer
    shift: Shift | None


@dataclass(frozen=True)
class OnCall:
    """A schedule at an instant: each layer's shift, the escalation order, the people."""

    schedule: Schedule
    at: datetime
    layers: list[LayerOnCall]
    escalation: list[Responder]
    covered: bool
    agents: dict[int, Agent]


def on_call(uow: UnitOfWork, actor: Actor, row: Schedule, at: datetime) -> OnCall:
    """Who is on call for ``row`` at ``at`` (support staff)."""
    access.check_can_view(actor)
    spec = spec_of(uow, row, at, at)
    by_layer = on_call_at(spec, at)
    order = escalation_order(spec, at)
    ids = [s.agent_id for s in by_layer.values() if s] + [r.agent_id for r in order]
    return OnCall(
        schedule=row,
        at=at,
        layers=[LayerOnCall(layer, by_layer[layer.id]) for layer in row.layers],
        escalation=order,
        covered=any(by_layer.values()),
        agents=agents_by_id(uow, ids),
    )


def shift_list(
    uow: UnitOfWork, actor: Actor, row: Schedule, start: datetime, end: datetime
) -> tuple[list[Shift], dict[int, Agent]]:
    """The final shifts of ``row`` in [start, end) and the agents in them (support staff)."""
    access.check_can_view(actor)
    found = shifts(spec_of(uow, row, start, end), start, end)
    return found, agents_by_id(uow, (s.agent_id for s in found))


def escalation(uow: UnitOfWork, schedule_id: int, at: datetime) -> list[Responder]:
    """Who to page for schedule ``schedule_id`` at ``at``: each layer's on-call agent in
    layer order (empty layers skipped, nobody twice), then the schedule's manager."""
    row = get_schedule(uow, schedule_id)
    return escalation_order(spec_of(uow, row, at, at), at)


def schedule_covers(uow: UnitOfWork, schedule_id: int, at: datetime) -> bool:
    """Whether anyone on any layer of ``schedule_id`` is on call at ``at``."""
    row = get_schedule(uow, schedule_id)
    return covers(spec_of(uow, row, at, at), at)


def schedules_for_group(uow: UnitOfWork, group_id: int) -> list[Schedule]:
    """The schedules covering the team ``group_id``, by name."""
    return list(
        uow.session.scalars(
            select(Schedule).where(Schedule.group_id == group_id).order_by(Schedule.name)
        )
    )


def time_text(minutes: int | None) -> str:
    """``HH:MM`` of a stored minute of the day."""
    value = minutes_to_time(minutes or 0)
    return f"{value.hour:02d}:{value.minute:02d}"


def on_shift(uow: UnitOfWork, group_id: int, at: datetime) -> frozenset[int] | None:
    """The agents on call at ``at`` on any layer of the schedules covering team ``group_id``;
    None when the team has no schedule or none of them has anyone on call then."""
    found: set[int] = set()
    for row in schedules_for_group(uow, group_id):
        shifts_now = on_call_at(spec_of(uow, row, at, at), at)
        found.update(s.agent_id for s in shifts_now.values() if s is not None)
    return frozenset(found) if found else None
