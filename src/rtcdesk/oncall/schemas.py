"""Request and response bodies for on-call schedules, layers, overrides and who is on call."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from rtcdesk.core.validation import Id, stored
from rtcdesk.oncall.rotation import Handover

ScheduleName = Annotated[str, stored("oncall_schedules.name", min_length=1, max_length=120)]
LayerName = Annotated[str, stored("oncall_layers.name", min_length=1, max_length=120)]
TimeZone = Annotated[str, stored("oncall_schedules.timezone", min_length=1, max_length=64)]
# "HH:MM", 00:00 to 23:59; checked again by the service for a readable message.
TimeOfDay = Annotated[str, Meta(min_length=1, max_length=5)]
Description = Annotated[str, Meta(max_length=2000)]
Reason = Annotated[str, stored("oncall_overrides.reason", max_length=500)]
Participants = Annotated[list[Id], Meta(max_length=50)]
LengthDays = Annotated[int, Meta(ge=1, le=365)]
Weekday = Annotated[int, Meta(ge=0, le=6)]


# Minutes an unacknowledged page waits before the next person is paged.
EscalateMinutes = Annotated[int, Meta(ge=1, le=120)]


class ScheduleCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new on-call schedule (admins)."""

    name: ScheduleName
    timezone: TimeZone
    description: Description = ""
    group_id: Id | None = None
    manager_agent_id: Id | None = None
    escalate_after_minutes: EscalateMinutes = 5
    is_default: bool = False


class ScheduleUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change on a schedule; absent fields stay as they are."""

    name: ScheduleName | UnsetType = UNSET
    timezone: TimeZone | UnsetType = UNSET
    description: Description | UnsetType = UNSET
    group_id: Id | UnsetType | None = UNSET
    manager_agent_id: Id | UnsetType | None = UNSET
    escalate_after_minutes: EscalateMinutes | UnsetType = UNSET
    is_default: bool | UnsetType = UNSET


class RestrictionIn(msgspec.Struct, forbid_unknown_fields=True):
    """On call only from ``start`` to ``end`` (local; end <= start runs past midnight) on
    these weekdays (0 = Monday)."""

    weekdays: Annotated[list[Weekday], Meta(min_length=1, max_length=7)]
    start: TimeOfDay
    end: TimeOfDay


class LayerCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new layer (escalation tier) at the end of a schedule."""

    name: LayerName
    starts_on: date
    participant_ids: Participants = msgspec.field(default_factory=list)
    handover: Handover = Handover.WEEKLY
    length_days: LengthDays = 7
    handover_time: TimeOfDay = "09:00"
    restriction: RestrictionIn | None = None


class LayerUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change on a layer; ``position`` (1 = paged first) moves it."""

    name: LayerName | UnsetType = UNSET
    starts_on: date | UnsetType = UNSET
    participant_ids: Participants | UnsetType = UNSET
    handover: Handover | UnsetType = UNSET
    length_days: LengthDays | UnsetType = UNSET
    handover_time: TimeOfDay | UnsetType = UNSET
    restriction: RestrictionIn | UnsetType | None = UNSET
    position: Annotated[int, Meta(ge=1, le=50)] | UnsetType = UNSET


class OverrideCreate(msgspec.Struct, forbid_unknown_fields=True):
    """``agent_id`` covers whoever is on call on ``layer_id`` (None: every layer)."""

    agent_id: Id
    starts_at: datetime
    ends_at: datetime
    layer_id: Id | None = None
    reason: Reason = ""


class PersonOut(msgspec.Struct):
    """An agent as on-call answers name them."""

    id: int
    name: str
    email: str


class RestrictionOut(msgspec.Struct):
    """A layer's restriction."""

    weekdays: list[int]
    start: str
    end: str


class LayerOut(msgspec.Struct):
    """A layer with its participants in rotation order."""

    id: int
    position: int
    name: str
    handover: Handover
    length_days: int
    handover_time: str
    starts_on: date
    restriction: RestrictionOut | None
    participants: list[PersonOut]


class ScheduleOut(msgspec.Struct):
    """A schedule with its layers."""

    id: int
    name: str
    description: str
    timezone: str
    group_id: int | None
    manager: PersonOut | None
    layers: list[LayerOut]
    created_at: datetime
    updated_at: datetime
    escalate_after_minutes: int = 5  # an unacknowledged page goes to the next person then
    is_default: bool = False  # pages tickets whose team has no schedule of its own


class LayerOnCallOut(msgspec.Struct):
    """Who is on call on one layer at an instant (``agent`` None: nobody)."""

    layer_id: int
    position: int
    name: str
    agent: PersonOut | None
    shift_start: datetime | None
    shift_end: datetime | None
    override_id: int | None


class ResponderOut(msgspec.Struct):
    """One step of the escalation: a layer's on-call agent, or the manager (layer None)."""

    agent: PersonOut
    layer_id: int | None
    override_id: int | None


class OnCallOut(msgspec.Struct):
    """Who is on call for a schedule at ``at``, per layer and in escalation order."""

    schedule_id: int
    schedule: str
    at: datetime
    timezone: str
    covered: bool
    layers: list[LayerOnCallOut]
    escalation: list[ResponderOut]


class ShiftOut(msgspec.Struct):
    """A final shift (overrides applied)."""

    layer_id: int
    agent: PersonOut
    start: datetime
    end: datetime
    override_id: int | None


class OverrideOut(msgspec.Struct):
    """An override as stored."""

    id: int
    schedule_id: int
    layer_id: int | None
    agent: PersonOut
    starts_at: datetime
    ends_at: datetime
    reason: str
    created_by: PersonOut | None
    created_at: datetime


class ScheduleSummaryOut(msgspec.Struct):
    """A schedule in the list, with who is on call now."""

    id: int
    name: str
    timezone: str
    group_id: int | None
    on_call: OnCallOut
