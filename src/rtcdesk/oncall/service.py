"""The only write path for on-call schedules, layers and overrides."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from msgspec import UNSET
from sqlalchemy import select

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import ActorKind, Agent, Group
from rtcdesk.core.errors import Conflict, InvalidInput, NotFound
from rtcdesk.core.validation import check_timezone, require_text, utc_instant
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.oncall import access
from rtcdesk.oncall.models import Layer, Override, Participant, Schedule
from rtcdesk.oncall.rotation import length_of
from rtcdesk.oncall.schemas import (
    LayerCreate,
    LayerUpdate,
    OverrideCreate,
    RestrictionIn,
    ScheduleCreate,
    ScheduleUpdate,
)

MAX_LAYERS = 10
MAX_PARTICIPANTS = 50
MAX_OVERRIDE = timedelta(days=90)
_TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")


def parse_time_of_day(text: str, field: str) -> int:
    """Minutes since midnight of ``"HH:MM"`` (00:00 to 23:59), or a readable refusal."""
    match = _TIME.match(text.strip())
    if match is None:
        raise InvalidInput(
            "{value!r} is not a time of day; use HH:MM, e.g. 09:00",
            params={"value": text},
            field=field,
        )
    return int(match.group(1)) * 60 + int(match.group(2))


def parse_instant(text: str, field: str) -> datetime:
    """An ISO 8601 instant with a time zone (``2026-03-05T10:00+08:00``, ``...Z``) in UTC."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            "{value!r} is not a date and time; use ISO 8601, e.g. 2026-03-05T10:00:00+08:00",
            params={"value": text},
            field=field,
        ) from None
    return utc_instant(value, field)


def minutes_to_time(minutes: int) -> time:
    """The ``time`` of a minute of the day."""
    return time(minutes // 60, minutes % 60)


def get_schedule(uow: UnitOfWork, schedule_id: int) -> Schedule:
    """The schedule with ``schedule_id``, or NotFound."""
    found = uow.session.get(Schedule, schedule_id)
    if found is None:
        raise NotFound(
            "on-call schedule {schedule_id} not found", params={"schedule_id": schedule_id}
        )
    return found


def _layer_of(schedule: Schedule, layer_id: int, field: str | None = None) -> Layer:
    for layer in schedule.layers:
        if layer.id == layer_id:
            return layer
    raise NotFound(
        "layer {layer_id} is not part of schedule {schedule_id}",
        params={"layer_id": layer_id, "schedule_id": schedule.id},
        field=field,
    )


def _active_agent(uow: UnitOfWork, agent_id: int, field: str) -> Agent:
    agent = uow.session.get(Agent, agent_id)
    if agent is None or not agent.active:
        raise InvalidInput(
            "{agent_id} is not an active agent", params={"agent_id": agent_id}, field=field
        )
    return agent


def _check_name(uow: UnitOfWork, name: str, exclude_id: int | None = None) -> str:
    name = require_text(name, "name", max_length=120)
    existing = uow.session.scalar(select(Schedule.id).where(Schedule.name == name))
    if existing is not None and existing != exclude_id:
        raise Conflict(
            "an on-call schedule named {name!r} already exists", params={"name": name}, field="name"
        )
    return name


def _check_group(uow: UnitOfWork, group_id: int | None) -> int | None:
    if group_id is not None and uow.session.get(Group, group_id) is None:
        raise InvalidInput(
            "group {group_id} does not exist", params={"group_id": group_id}, field="group_id"
        )
    return group_id


def _check_manager(uow: UnitOfWork, agent_id: int | None) -> int | None:
    if agent_id is not None:
        _active_agent(uow, agent_id, "manager_agent_id")
    return agent_id


def create_schedule(uow: UnitOfWork, actor: Actor, data: ScheduleCreate) -> Schedule:
    """Create an on-call schedule without layers yet (admins)."""
    access.check_can_edit_schedules(actor)
    now = uow.clock.now()
    schedule = Schedule(
        name=_check_name(uow, data.name),
        description=_description(data.description),
        timezone=check_timezone(data.timezone),
        group_id=_check_group(uow, data.group_id),
        manager_agent_id=_check_manager(uow, data.manager_agent_id),
        escalate_after_minutes=_check_minutes(data.escalate_after_minutes),
        is_default=data.is_default,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(schedule)
    uow.flush()
    return schedule


def update_schedule(
    uow: UnitOfWork, actor: Actor, schedule_id: int, data: ScheduleUpdate
) -> Schedule:
    """Change a schedule's name, zone, description, group or manager (admins)."""
    access.check_can_edit_schedules(actor)
    schedule = get_schedule(uow, schedule_id)
    if data.name is not UNSET:
        schedule.name = _check_name(uow, data.name, exclude_id=schedule.id)
    if data.timezone is not UNSET:
        schedule.timezone = check_timezone(data.timezone)
    if data.description is not UNSET:
        schedule.description = _description(data.description)
    if data.group_id is not UNSET:
        schedule.group_id = _check_group(uow, data.group_id)
    if data.manager_agent_id is not UNSET:
        schedule.manager_agent_id = _check_manager(uow, data.manager_agent_id)
    if data.escalate_after_minutes is not UNSET:
        schedule.escalate_after_minutes = _check_minutes(data.escalate_after_minutes)
    if data.is_default is not UNSET:
        schedule.is_default = data.is_default
    schedule.updated_at = uow.clock.now()
    uow.flush()
    return schedule


def delete_schedule(uow: UnitOfWork, actor: Actor, schedule_id: int) -> None:
    """Delete a schedule with its layers and overrides (admins)."""
    access.check_can_edit_schedules(actor)
    uow.session.delete(get_schedule(uow, schedule_id))
    uow.flush()


def _check_minutes(minutes: int) -> int:
    if not 1 <= minutes <= 120:
        raise InvalidInput("pages escalate after 1 to 120 minutes", field="escalate_after_minutes")
    return minutes


def _description(text: str) -> str:
    if len(text) > 2000:
        raise InvalidInput("the description is longer than 2000 characters", field="description")
    return text.strip()


def _participants(uow: UnitOfWork, agent_ids: list[int]) -> list[Participant]:
    if len(agent_ids) > MAX_PARTICIPANTS:
        raise InvalidInput(
            "a layer has at most {max} participants",
            params={"max": MAX_PARTICIPANTS},
            field="participant_ids",
        )
    return [
        Participant(position=i, agent_id=_active_agent(uow, agent_id, "participant_ids").id)
        for i, agent_id in enumerate(agent_ids)
    ]


def _restriction(layer: Layer, restriction: RestrictionIn | None) -> None:
    if restriction is None:
        layer.restrict_weekdays = None
        layer.restrict_start_minute = layer.restrict_end_minute = None
        return
    if not restriction.weekdays or not set(restriction.weekdays) <= set(range(7)):
        raise InvalidInput("choose weekdays from Monday to Sunday", field="restrict_weekdays")
    layer.restrict_weekdays = sorted(set(restriction.weekdays))
    layer.restrict_start_minute = parse_time_of_day(restriction.start, "restrict_start")
    layer.restrict_end_minute = parse_time_of_day(restriction.end, "restrict_end")


def add_layer(uow: UnitOfWork, actor: Actor, schedule_id: int, data: LayerCreate) -> Layer:
    """Add a layer at the end of a schedule's escalation order (admins)."""
    access.check_can_edit_schedules(actor)
    schedule = get_schedule(uow, schedule_id)
    if len(schedule.layers) >= MAX_LAYERS:
        raise InvalidInput(
            "a schedule has at most {max} layers", params={"max": MAX_LAYERS}, field="name"
        )
    now = uow.clock.now()
    layer = Layer(
        position=len(schedule.layers),
        name=require_text(data.name, "name", max_length=120),
        handover=data.handover,
        length_days=length_of(data.handover, data.length_days),
        handover_minute=parse_time_of_day(data.handover_time, "handover_time"),
        starts_on=data.starts_on,
        created_at=now,
        updated_at=now,
    )
    _restriction(layer, data.restriction)
    layer.participants = _participants(uow, data.participant_ids)
    schedule.layers.append(layer)
    schedule.updated_at = now
    uow.flush()
    return layer


def update_layer(
    uow: UnitOfWork, actor: Actor, schedule_id: int, layer_id: int, data: LayerUpdate
) -> Layer:
    """Change a layer's rotation, participants, restriction or place (admins)."""
    access.check_can_edit_schedules(actor)
    schedule = get_schedule(uow, schedule_id)
    layer = _layer_of(schedule, layer_id)
    if data.name is not UNSET:
        layer.name = require_text(data.name, "name", max_length=120)
    if data.starts_on is not UNSET:
        layer.starts_on = data.starts_on
    if data.handover is not UNSET:
        layer.handover = data.handover
    if data.length_days is not UNSET:
        layer.length_days = data.length_days
    layer.length_days = length_of(layer.handover, layer.length_days)
    if data.handover_time is not UNSET:
        layer.handover_minute = parse_time_of_day(data.handover_time, "handover_time")
    if data.restriction is not UNSET:
        _restriction(layer, data.restriction)
    if data.participant_ids is not UNSET:
        layer.participants.clear()
        uow.flush()  # the old rows go before new ones take their positions
        layer.participants.extend(_participants(uow, data.participant_ids))
    if data.position is not UNSET:
        _move(schedule, layer, data.position - 1)
    layer.updated_at = schedule.updated_at = uow.clock.now()
    uow.flush()
    return layer


def _move(schedule: Schedule, layer: Layer, index: int) -> None:
    order = [other for other in schedule.layers if other.id != layer.id]
    order.insert(min(index, len(order)), layer)
    for position, each in enumerate(order):
        each.position = position
    schedule.layers.sort(key=lambda each: each.position)


def remove_layer(uow: UnitOfWork, actor: Actor, schedule_id: int, layer_id: int) -> None:
    """Remove a layer (and its overrides); the layers below move up (admins)."""
    access.check_can_edit_schedules(actor)
    schedule = get_schedule(uow, schedule_id)
    layer = _layer_of(schedule, layer_id)
    for override in uow.session.scalars(select(Override).where(Override.layer_id == layer.id)):
        uow.session.delete(override)
    schedule.layers.remove(layer)
    for position, each in enumerate(schedule.layers):
        each.position = position
    schedule.updated_at = uow.clock.now()
    uow.flush()


def add_override(uow: UnitOfWork, actor: Actor, schedule_id: int, data: OverrideCreate) -> Override:
    """Put an agent in place of whoever is on call for a span (see ``access`` for who may)."""
    access.check_can_view(actor)
    schedule = get_schedule(uow, schedule_id)
    access.check_can_add_override(actor, data.agent_id)
    _active_agent(uow, data.agent_id, "agent_id")
    starts_at = utc_instant(data.starts_at, "starts_at")
    ends_at = utc_instant(data.ends_at, "ends_at")
    if ends_at <= starts_at:
        raise InvalidInput("the override must end after it starts", field="ends_at")
    if ends_at - starts_at > MAX_OVERRIDE:
        raise InvalidInput(
            "an override lasts at most {days} days; change the rotation for longer",
            params={"days": MAX_OVERRIDE.days},
            field="ends_at",
        )
    if data.layer_id is not None:
        _layer_of(schedule, data.layer_id, field="layer_id")
    override = Override(
        schedule_id=schedule.id,
        layer_id=data.layer_id,
        agent_id=data.agent_id,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=data.reason.strip()[:500],
        created_by_agent_id=actor.id if actor.kind is ActorKind.AGENT else None,
        created_at=uow.clock.now(),
    )
    uow.session.add(override)
    uow.flush()
    return override


def remove_override(uow: UnitOfWork, actor: Actor, schedule_id: int, override_id: int) -> None:
    """Delete an override (see ``access`` for who may)."""
    access.check_can_view(actor)
    override = uow.session.get(Override, override_id)
    if override is None or override.schedule_id != schedule_id:
        raise NotFound("override {override_id} not found", params={"override_id": override_id})
    access.check_can_remove_override(actor, override.agent_id, override.ends_at, uow.clock.now())
    uow.session.delete(override)
    uow.flush()
