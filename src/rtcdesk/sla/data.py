"""The SLA core's plain data: policy target versions, ticket events in, clock results out.

These frozen dataclasses are the seam to the rest of rtcdesk: the tickets domain turns its
history into events, a policy table yields :class:`SlaTargets`, and the console, API and
timers read :class:`TicketClocks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Status(StrEnum):
    """Ticket statuses as the tickets domain names them (values are stored strings)."""

    NEW = "new"
    OPEN = "open"
    PENDING_CUSTOMER = "pending_customer"
    ON_HOLD = "on_hold"
    SOLVED = "solved"
    CLOSED = "closed"


DONE = frozenset({Status.SOLVED, Status.CLOSED})
DEFAULT_PAUSE = frozenset({Status.PENDING_CUSTOMER, Status.ON_HOLD})


class Target(StrEnum):
    """What a clock measures."""

    FIRST_RESPONSE = "first_response"
    NEXT_REPLY = "next_reply"
    RESOLUTION = "resolution"


class StopReason(StrEnum):
    """What stopped a clock."""

    AGENT_REPLY = "agent_reply"
    SOLVED = "solved"
    MERGED = "merged"


class ClockState(StrEnum):
    """Where a clock stands at ``now``."""

    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class SlaTargets:
    """One version of a policy's targets; a missing target means no clock for it."""

    version: str
    first_response: timedelta | None = None
    next_reply: timedelta | None = None
    resolution: timedelta | None = None
    pause_on: frozenset[Status] = DEFAULT_PAUSE

    def __post_init__(self) -> None:
        for which in Target:
            goal = self.goal(which)
            if goal is not None and goal <= timedelta(0):
                raise ValueError(f"{which} target must be positive: {goal}")

    def goal(self, target: Target) -> timedelta | None:
        """The business time allowed for ``target``."""
        return {
            Target.FIRST_RESPONSE: self.first_response,
            Target.NEXT_REPLY: self.next_reply,
            Target.RESOLUTION: self.resolution,
        }[target]


@dataclass(frozen=True)
class Created:
    """The ticket was created, measured against ``targets``."""

    at: datetime
    targets: SlaTargets


@dataclass(frozen=True)
class CustomerMessage:
    """The customer wrote (portal, email, chat)."""

    at: datetime


@dataclass(frozen=True)
class AgentReply:
    """An agent's public reply: the only event that answers the customer."""

    at: datetime


@dataclass(frozen=True)
class InternalNote:
    """An internal note; no clock notices it."""

    at: datetime


@dataclass(frozen=True)
class AutoAcknowledgement:
    """An automatic 'we received your request'; no clock notices it."""

    at: datetime


@dataclass(frozen=True)
class StatusChanged:
    """The ticket moved to ``status`` (solved -> open is a reopen)."""

    at: datetime
    status: Status


@dataclass(frozen=True)
class TargetsChanged:
    """Priority or plan changed, so another policy version applies."""

    at: datetime
    targets: SlaTargets
    reason: str = ""


@dataclass(frozen=True)
class Merged:
    """The ticket was merged into another; its clocks stop."""

    at: datetime
    into: int | None = None


TicketEvent = (
    Created
    | CustomerMessage
    | AgentReply
    | InternalNote
    | AutoAcknowledgement
    | StatusChanged
    | TargetsChanged
    | Merged
)


@dataclass(frozen=True)
class Interval:
    """A span of time; ``end`` is None while it lasts."""

    start: datetime
    end: datetime | None


@dataclass(frozen=True)
class VersionSpan:
    """Which targets version was in force when."""

    version: str
    since: datetime
    until: datetime | None
    reason: str


@dataclass(frozen=True)
class ClockResult:
    """One clock at ``now``: its target, deadline, pauses, elapsed and remaining time."""

    target: Target
    version: str
    goal: timedelta
    state: ClockState
    started_at: datetime
    deadline: datetime | None
    breached_at: datetime | None
    stopped_at: datetime | None
    stopped_by: StopReason | None
    paused: tuple[Interval, ...]
    elapsed: timedelta
    remaining: timedelta


@dataclass(frozen=True)
class TicketClocks:
    """Every clock of one ticket at ``now``."""

    now: datetime
    first_response: ClockResult | None
    next_reply: ClockResult | None
    next_reply_history: tuple[ClockResult, ...]
    resolution: ClockResult | None
    versions: tuple[VersionSpan, ...]
    unknown_years: tuple[int, ...]
