"""Request and response bodies of the SLA domain: calendars, policy versions, live clocks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import Meta

from rtcdesk.accounts.models import PlanTier
from rtcdesk.core.validation import stored
from rtcdesk.tickets.models import Priority, Status

Name = Annotated[str, stored("sla_calendars.name", min_length=1, max_length=120)]
Ranges = Annotated[list[Annotated[str, Meta(max_length=20)]], Meta(max_length=12)]
Dates = Annotated[list[Annotated[str, Meta(max_length=10)]], Meta(max_length=400)]
Minutes = Annotated[int, Meta(ge=1, le=5_256_000)]  # up to ten years


class DayIn(msgspec.Struct, forbid_unknown_fields=True):
    """One date with its own hours (empty: closed)."""

    day: Annotated[str, Meta(max_length=10)]
    hours: Ranges = msgspec.field(default_factory=list)
    reason: Annotated[str, Meta(max_length=200)] = ""


class ClosureIn(msgspec.Struct, forbid_unknown_fields=True):
    """A closed span between two instants."""

    start: datetime
    end: datetime
    reason: Annotated[str, Meta(max_length=200)] = ""


class OfficialYearIn(msgspec.Struct, forbid_unknown_fields=True):
    """An admin's official schedule for one year (the State Council's notice)."""

    year: Annotated[int, Meta(ge=2000, le=2040)]
    days_off: Dates = msgspec.field(default_factory=list)
    workdays: Dates = msgspec.field(default_factory=list)


class CalendarIn(msgspec.Struct, forbid_unknown_fields=True):
    """A business calendar as an admin writes it."""

    name: Name
    timezone: Annotated[str, stored("sla_calendars.timezone", max_length=64)] = "UTC"
    always_open: bool = False
    follows_china: bool = False
    # Seven lists, Monday first, of "HH:MM-HH:MM" intervals.
    week: Annotated[list[Ranges], Meta(max_length=7)] = msgspec.field(default_factory=list)
    workday_hours: Ranges | None = None
    holidays: Dates = msgspec.field(default_factory=list)
    extra_workdays: Dates = msgspec.field(default_factory=list)
    days: Annotated[list[DayIn], Meta(max_length=400)] = msgspec.field(default_factory=list)
    closures: Annotated[list[ClosureIn], Meta(max_length=400)] = msgspec.field(default_factory=list)
    official_years: Annotated[list[OfficialYearIn], Meta(max_length=41)] = msgspec.field(
        default_factory=list
    )


class CalendarOut(msgspec.Struct):
    """A stored calendar with what it knows of official years."""

    id: int
    name: str
    timezone: str
    always_open: bool
    follows_china: bool
    week: list[list[str]]
    workday_hours: list[str] | None
    holidays: list[str]
    extra_workdays: list[str]
    days: list[DayIn]
    closures: list[ClosureIn]
    official_years: list[OfficialYearIn]
    known_years: list[int] | None
    updated_at: datetime


class PolicyIn(msgspec.Struct, forbid_unknown_fields=True):
    """New targets for a plan tier x priority: saved as the policy's next version."""

    plan_tier: PlanTier
    priority: Priority
    calendar_id: Annotated[int, Meta(ge=1)]
    first_response_minutes: Minutes | None = None
    next_reply_minutes: Minutes | None = None
    resolution_minutes: Minutes | None = None
    pause_on: Annotated[list[Status], Meta(max_length=len(Status))] = msgspec.field(
        default_factory=lambda: [Status.PENDING_CUSTOMER, Status.ON_HOLD]
    )
    warning_points: Annotated[list[float], Meta(max_length=5)] = msgspec.field(
        default_factory=lambda: [0.75]
    )
    note: Annotated[str, Meta(max_length=500)] = ""


class PolicyVersionOut(msgspec.Struct):
    """One immutable version of a policy."""

    id: int
    policy_id: int
    plan_tier: PlanTier
    priority: Priority
    number: int
    calendar_id: int
    calendar_name: str
    first_response_minutes: int | None
    next_reply_minutes: int | None
    resolution_minutes: int | None
    pause_on: list[str]
    warning_points: list[float]
    note: str
    created_by: str
    created_at: datetime


class ClockOut(msgspec.Struct):
    """One live clock of a ticket: times are instants, durations whole seconds."""

    target: str  # first_response | next_reply | resolution
    occurrence: int
    state: str  # running | paused | met | breached | cancelled
    goal_seconds: int
    elapsed_seconds: int
    # Business time left; negative: how far past the target a breached clock is.
    remaining_seconds: int
    started_at: datetime
    deadline: datetime | None
    breached_at: datetime | None
    stopped_at: datetime | None
    stopped_by: str | None
    paused_since: datetime | None
    policy_version_id: int | None


class VersionSpanOut(msgspec.Struct):
    """Which policy version a ticket was measured against from when, and why."""

    policy_version_id: int | None
    at: datetime
    reason: str
    detail: str


class SlaOut(msgspec.Struct):
    """A ticket's SLA as the support team sees it."""

    policy_version_id: int | None
    calendar_id: int | None
    calendar_name: str | None
    clocks: list[ClockOut]
    versions: list[VersionSpanOut]
    # Local years the clocks touch whose official holiday schedule is not known yet.
    unknown_years: list[int]
    next_deadline: datetime | None
