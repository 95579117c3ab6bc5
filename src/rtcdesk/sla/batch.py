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
from rtcdesk.sla.clock import event_order
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
    at, kind = events.at, events.kind
    if len(at) and (at.max() > now_us or at.min() < calendar.lower or now_us > calendar.upper):
        raise CalendarRangeError(f"{calendar.name}: events outside the calendar or after now")
    starts, ends = events.offsets[:-1], events.offsets[1:]
    if np.any(kind[starts] != Kind.CREATED) or np.count_nonzero(kind == Kind.CREATED) != len(
        starts
    ):
        raise ValueError("each ticket's events start with its one CREATED")
    merge = _first_after(np.flatnonzero(kind == Kind.MERGED), starts - 1, ends)
    merged = merge < _BIG
    live = _before_merge(merge, merged, ends, len(at))
    done = (kind == Kind.SOLVED) | (kind == Kind.CLOSED)
    is_status = live & ((kind == Kind.CREATED) | ((kind >= Kind.OPEN) & (kind <= Kind.CLOSED)))
    closers = np.flatnonzero(live & ((kind == Kind.AGENT_REPLY) | done))
    created = at[starts]
    merge_at = _at(at, merge)

    # The status segments every clock is measured over, with their business positions.
    rows = np.flatnonzero(is_status)
    seg_kind = kind[rows]
    seg_ticket = np.cumsum(seg_kind == Kind.CREATED) - 1
    seg_start = calendar.positions(at[rows])
    is_last = np.r_[seg_ticket[1:] != seg_ticket[:-1], True]
    seg_end = np.where(is_last, _LAST, np.r_[seg_start[1:], _LAST])
    pause = targets.pause[seg_ticket]
    active = ~(
        (seg_kind == Kind.SOLVED)
        | (seg_kind == Kind.CLOSED)
        | ((seg_kind == Kind.PENDING) & (pause & PAUSE_PENDING > 0))
        | ((seg_kind == Kind.ON_HOLD) & (pause & PAUSE_HOLD > 0))
    )
    segments = _Segments(
        seg_ticket,
        seg_start,
        seg_end,
        active,
        is_last,
        np.flatnonzero(is_last),
        firsts_of(seg_ticket),
    )

    # First response: stopped by the first reply or solve, or by the merge.
    first_closer = _first_after(closers, starts - 1, ends)
    first_stop = _at(at, np.minimum(first_closer, merge))
    first_merged = merged & (merge < first_closer)

    # Resolution: stopped while the trailing statuses are solved/closed, or by the merge.
    not_done = _last_before(np.flatnonzero(is_status & ~done), starts, ends)
    solved_at = _at(at, _first_after(np.flatnonzero(is_status & done), not_done, ends))
    resolution_stop = np.where(merged, merge_at, solved_at)

    # Next reply: the first customer message after the last reply or solve.
    last_closer = _last_before(closers, starts, ends)
    messages = np.flatnonzero(live & (kind == Kind.CUSTOMER_MESSAGE))
    waiting = np.where(last_closer >= 0, _first_after(messages, last_closer, ends), _BIG)
    has_cycle = waiting < _BIG
    cycle_start = _at(at, waiting)

    return BatchClocks(
        first_response=_clock(
            calendar,
            segments,
            created,
            first_stop,
            first_merged,
            targets.first_response,
            now_us,
            from_creation=True,
        ),
        next_reply=_clock(
            calendar,
            segments,
            cycle_start,
            np.where(has_cycle, merge_at, NO_TIME),
            merged & has_cycle,
            np.where(has_cycle, targets.next_reply, NO_GOAL),
            now_us,
            from_creation=False,
        ),
        resolution=_clock(
            calendar,
            segments,
            created,
            resolution_stop,
            merged,
            targets.resolution,
            now_us,
            from_creation=True,
        ),
    )


def _first_after(rows: Ints, after: Ints, ends: Ints) -> Ints:
    """Per ticket, the first of the sorted ``rows`` after ``after`` and before ``ends``."""
    padded = np.r_[rows, _BIG]
    found = padded[np.searchsorted(rows, after, side="right")]
    return np.where(found < ends, found, _BIG)


def _last_before(rows: Ints, starts: Ints, ends: Ints) -> Ints:
    """Per ticket, the last of the sorted ``rows`` in ``[starts, ends)`` (-1: none)."""
    padded = np.r_[-1, rows]
    found = padded[np.searchsorted(rows, ends, side="left")]
    return np.where(found >= starts, found, -1)


def _before_merge(merge: Ints, merged: Bools, ends: Ints, size: int) -> Bools:
    """Rows up to and including their ticket's merge (everything when nothing merged)."""
    if not merged.any():
        return np.ones(size, dtype=np.bool_)
    marks = np.zeros(size + 1, dtype=np.int32)
    np.add.at(marks, merge[merged] + 1, 1)
    np.add.at(marks, ends[merged], -1)
    live: Bools = np.cumsum(marks[:-1]) == 0
    return live


def _at(at: Ints, rows: Ints) -> Ints:
    """The instants of the rows (NO_TIME for a missing row)."""
    present = (rows >= 0) & (rows < _BIG)
    return np.where(present, at[np.where(present, rows, 0)], NO_TIME)


@dataclass(frozen=True)
class _Segments:
    ticket: Ints
    start: Ints
    end: Ints
    active: Bools
    is_last: Bools
    last_rows: Ints  # each ticket's last segment, in ticket order
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
    from_creation: bool,
) -> BatchClock:
    """One clock per ticket from its start, optional stop and goal."""
    stopped = stop != NO_TIME
    end_us = np.where(stopped, stop, now_us)
    end = np.full(len(start), calendar.position(now_us), dtype=np.int64)
    end[stopped] = calendar.positions(stop[stopped])
    t = seg.ticket
    if from_creation:  # every status segment starts at or after the ticket's creation
        lower = seg.start
    else:
        begin = calendar.positions(np.where(start == NO_TIME, now_us, start))
        lower = np.maximum(seg.start, begin[t])
    contribution = np.maximum(np.minimum(seg.end, end[t]) - lower, 0) * seg.active
    running_total = np.cumsum(contribution)
    after = running_total - (running_total - contribution)[seg.group_first]
    before = after - contribution
    elapsed = after[seg.last_rows]
    open_ended = seg.is_last & seg.active & ~stopped[t]
    wanted = goal[t]
    crossing = seg.active & (before < wanted) & ((wanted <= after) | open_ended) & (wanted > 0)
    deadline = np.full(len(start), NO_TIME, dtype=np.int64)
    rows = np.flatnonzero(crossing)
    deadline[t[rows]] = calendar.instants(lower[rows] + wanted[rows] - before[rows])
    state = np.where(
        (deadline != NO_TIME) & (deadline < end_us),
        Code.BREACHED,
        np.where(
            stopped,
            np.where(cancelled, Code.CANCELLED, Code.MET),
            np.where(open_ended[seg.last_rows], Code.RUNNING, Code.PAUSED),
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
        for event in sorted(events, key=event_order):
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
