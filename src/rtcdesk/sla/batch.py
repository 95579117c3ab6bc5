"""The clocks of many tickets at once: :func:`compute_clocks` vectorised with numpy.

Events arrive as columns (every ticket's events consecutive, in time order), targets as
one row per ticket (the ticket's current policy version). Each instant is turned into a
business position once, with one ``searchsorted`` over the calendar's intervals; pauses
become per-segment sums and each deadline is one inverse lookup. The results equal
:func:`rtcdesk.sla.clock.compute_clocks` clock by clock, except that every clock is judged
against the ticket's current targets (the scalar path keeps a stopped clock's old version)
and only the open next-reply cycle is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from rtcdesk.sla.calendar import BusinessCalendar, CalendarRangeError, to_us
from rtcdesk.sla.data import (
    AgentReply,
    ClockState,
    Created,
    CustomerMessage,
    Merged,
    SlaTargets,
    Status,
    StatusChanged,
    Target,
    TicketEvent,
)

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
NO_TIME = np.iinfo(np.int64).min
NO_GOAL = -1
_LAST = 2**62  # the end of a ticket's last status segment, in business positions
_BIG = np.iinfo(np.int64).max
_MICRO = timedelta(microseconds=1)


class Kind(IntEnum):
    """Event codes of the columnar form."""

    CREATED = 0
    CUSTOMER_MESSAGE = 1
    AGENT_REPLY = 2
    IGNORED = 3  # internal notes, automatic acknowledgements, targets changes
    OPEN = 4  # new or open
    PENDING = 5
    ON_HOLD = 6
    SOLVED = 7
    CLOSED = 8
    MERGED = 9


class Code(IntEnum):
    """Clock states of the columnar form (NONE: no target, or no open cycle)."""

    NONE = 0
    RUNNING = 1
    PAUSED = 2
    MET = 3
    BREACHED = 4
    CANCELLED = 5


STATE_OF_CODE = {
    Code.RUNNING: ClockState.RUNNING,
    Code.PAUSED: ClockState.PAUSED,
    Code.MET: ClockState.MET,
    Code.BREACHED: ClockState.BREACHED,
    Code.CANCELLED: ClockState.CANCELLED,
}
PAUSE_PENDING, PAUSE_HOLD = 1, 2


@dataclass(frozen=True)
class EventColumns:
    """Ticket i's events are ``at[offsets[i]:offsets[i + 1]]``, the first one CREATED."""

    offsets: Ints
    at: Ints
    kind: npt.NDArray[np.int8]


@dataclass(frozen=True)
class TargetColumns:
    """Per ticket: business microseconds allowed (NO_GOAL: none) and pausing statuses."""

    first_response: Ints
    next_reply: Ints
    resolution: Ints
    pause: npt.NDArray[np.uint8]


@dataclass(frozen=True)
class BatchClock:
    """One target's clock for every ticket (NO_TIME where there is no such instant)."""

    state: npt.NDArray[np.int8]
    started: Ints
    deadline: Ints
    elapsed: Ints


@dataclass(frozen=True)
class BatchClocks:
    """Every ticket's three clocks."""

    first_response: BatchClock
    next_reply: BatchClock
    resolution: BatchClock


def compute_batch(
    calendar: BusinessCalendar, events: EventColumns, targets: TargetColumns, now_us: int
) -> BatchClocks:
    """The clocks of every ticket at ``now_us`` (all events must be at or before it)."""
    if np.any(events.at > now_us) or np.any(events.at < calendar.lower) or now_us > calendar.upper:
        raise CalendarRangeError(f"{calendar.name}: events outside the calendar or after now")
    count = len(events.offsets) - 1
    firsts = events.offsets[:-1]
    ticket = np.repeat(np.arange(count), np.diff(events.offsets))
    index = np.arange(len(events.at))
    kind = events.kind

    def first_where(mask: Bools) -> Ints:
        return np.minimum.reduceat(np.where(mask, index, _BIG), firsts)

    def last_where(mask: Bools) -> Ints:
        return np.maximum.reduceat(np.where(mask, index, -1), firsts)

    merge = first_where(kind == Kind.MERGED)
    merged = merge < _BIG
    live = index <= merge[ticket]
    done = (kind == Kind.SOLVED) | (kind == Kind.CLOSED)
    closer = live & ((kind == Kind.AGENT_REPLY) | done)
    created = events.at[firsts]
    merge_at = np.where(merged, events.at[np.minimum(merge, len(index) - 1)], NO_TIME)

    # The status segments every clock is measured over, with their business positions.
    is_status = live & ((kind == Kind.CREATED) | ((kind >= Kind.OPEN) & (kind <= Kind.CLOSED)))
    rows = np.flatnonzero(is_status)
    seg_ticket = ticket[rows]
    seg_kind = kind[rows]
    seg_start = calendar.positions(events.at[rows])
    is_last = np.r_[seg_ticket[1:] != seg_ticket[:-1], True]
    seg_end = np.where(is_last, _LAST, np.r_[seg_start[1:], _LAST])
    pause = targets.pause[seg_ticket]
    active = ~(
        (seg_kind == Kind.SOLVED)
        | (seg_kind == Kind.CLOSED)
        | ((seg_kind == Kind.PENDING) & (pause & PAUSE_PENDING > 0))
        | ((seg_kind == Kind.ON_HOLD) & (pause & PAUSE_HOLD > 0))
    )
    segments = _Segments(seg_ticket, seg_start, seg_end, active, is_last, firsts_of(seg_ticket))

    # First response: stopped by the first reply or solve, or by the merge.
    first_closer = first_where(closer)
    stop = np.minimum(first_closer, merge)
    first_stop = np.where(stop < _BIG, events.at[np.minimum(stop, len(index) - 1)], NO_TIME)
    first_merged = merged & (merge < first_closer)

    # Resolution: stopped while the trailing statuses are solved/closed, or by the merge.
    not_done = last_where(is_status & ~done)
    trailing_done = first_where(is_status & done & (index > not_done[ticket]))
    solved_at = np.where(
        trailing_done < _BIG, events.at[np.minimum(trailing_done, len(index) - 1)], NO_TIME
    )
    resolution_stop = np.where(merged, merge_at, solved_at)

    # Next reply: the first customer message after the last reply or solve.
    last_closer = last_where(closer)
    waiting = first_where(
        live
        & (kind == Kind.CUSTOMER_MESSAGE)
        & (last_closer[ticket] >= 0)
        & (index > last_closer[ticket])
    )
    has_cycle = waiting < _BIG
    cycle_start = np.where(has_cycle, events.at[np.minimum(waiting, len(index) - 1)], NO_TIME)

    return BatchClocks(
        first_response=_clock(
            calendar, segments, created, first_stop, first_merged, targets.first_response, now_us
        ),
        next_reply=_clock(
            calendar,
            segments,
            cycle_start,
            np.where(has_cycle, merge_at, NO_TIME),
            merged & has_cycle,
            np.where(has_cycle, targets.next_reply, NO_GOAL),
            now_us,
        ),
        resolution=_clock(
            calendar, segments, created, resolution_stop, merged, targets.resolution, now_us
        ),
    )


@dataclass(frozen=True)
class _Segments:
    ticket: Ints
    start: Ints
    end: Ints
    active: Bools
    is_last: Bools
    group_first: Ints


def firsts_of(group: Ints) -> Ints:
    """For each row of a grouped, sorted array, the row where its group begins."""
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    return np.repeat(starts, np.diff(np.r_[starts, len(group)]))


def _clock(
    calendar: BusinessCalendar,
    seg: _Segments,
    start: Ints,
    stop: Ints,
    cancelled: Bools,
    goal: Ints,
    now_us: int,
) -> BatchClock:
    """One clock per ticket from its start, optional stop and goal."""
    stopped = stop != NO_TIME
    begin = calendar.positions(np.where(start == NO_TIME, now_us, start))
    end_us = np.where(stopped, stop, now_us)
    end = calendar.positions(end_us)
    t = seg.ticket
    lower = np.maximum(seg.start, begin[t])
    upper = np.minimum(seg.end, end[t])
    contribution = np.where(seg.active, np.maximum(upper - lower, 0), 0)
    running_total = np.cumsum(contribution)
    base = running_total[seg.group_first] - contribution[seg.group_first]
    after = running_total - base
    before = after - contribution
    elapsed = np.zeros(len(start), dtype=np.int64)
    elapsed[t[seg.is_last]] = after[seg.is_last]
    open_ended = seg.is_last & seg.active & ~stopped[t]
    wanted = goal[t]
    crossing = seg.active & (wanted > 0) & (before < wanted) & ((wanted <= after) | open_ended)
    deadline = np.full(len(start), NO_TIME, dtype=np.int64)
    rows = np.flatnonzero(crossing)
    deadline[t[rows]] = calendar.instants(lower[rows] + wanted[rows] - before[rows])
    has_deadline = deadline != NO_TIME
    running = np.zeros(len(start), dtype=np.bool_)
    running[t[open_ended]] = True
    state = np.where(
        has_deadline & (deadline < end_us),
        Code.BREACHED,
        np.where(
            stopped,
            np.where(cancelled, Code.CANCELLED, Code.MET),
            np.where(running, Code.RUNNING, Code.PAUSED),
        ),
    ).astype(np.int8)
    state[(goal <= 0) | (start == NO_TIME)] = Code.NONE
    return BatchClock(state=state, started=start, deadline=deadline, elapsed=elapsed)


_STATUS_KIND = {
    Status.NEW: Kind.OPEN,
    Status.OPEN: Kind.OPEN,
    Status.PENDING_CUSTOMER: Kind.PENDING,
    Status.ON_HOLD: Kind.ON_HOLD,
    Status.SOLVED: Kind.SOLVED,
    Status.CLOSED: Kind.CLOSED,
}


def _kind(event: TicketEvent) -> Kind:
    if isinstance(event, Created):
        return Kind.CREATED
    if isinstance(event, CustomerMessage):
        return Kind.CUSTOMER_MESSAGE
    if isinstance(event, AgentReply):
        return Kind.AGENT_REPLY
    if isinstance(event, StatusChanged):
        return _STATUS_KIND[event.status]
    if isinstance(event, Merged):
        return Kind.MERGED
    return Kind.IGNORED


def event_columns(tickets: Sequence[Sequence[TicketEvent]]) -> EventColumns:
    """Columns from per-ticket event lists (each sorted by time, Created first)."""
    at: list[int] = []
    kinds: list[int] = []
    offsets = [0]
    for events in tickets:
        for event in sorted(events, key=lambda e: to_us(e.at)):
            at.append(to_us(event.at))
            kinds.append(_kind(event))
        offsets.append(len(at))
    return EventColumns(
        offsets=np.array(offsets, dtype=np.int64),
        at=np.array(at, dtype=np.int64),
        kind=np.array(kinds, dtype=np.int8),
    )


def target_columns(targets: Sequence[SlaTargets]) -> TargetColumns:
    """Columns from each ticket's current targets."""

    def goals(which: Target) -> Ints:
        values = [t.goal(which) for t in targets]
        return np.array([NO_GOAL if g is None else g // _MICRO for g in values], dtype=np.int64)

    if any(t.pause_on - {Status.PENDING_CUSTOMER, Status.ON_HOLD} for t in targets):
        raise ValueError("the batch path pauses on pending_customer and on_hold only")
    pause = [
        (PAUSE_PENDING if Status.PENDING_CUSTOMER in t.pause_on else 0)
        | (PAUSE_HOLD if Status.ON_HOLD in t.pause_on else 0)
        for t in targets
    ]
    return TargetColumns(
        first_response=goals(Target.FIRST_RESPONSE),
        next_reply=goals(Target.NEXT_REPLY),
        resolution=goals(Target.RESOLUTION),
        pause=np.array(pause, dtype=np.uint8),
    )
