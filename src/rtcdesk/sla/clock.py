"""SLA clocks: business-time arithmetic and each target's clock over a ticket's events.

Everything is a pure function of plain data: a compiled :class:`BusinessCalendar`, a list
of event dataclasses and the instant ``now``. ``docs/sla.md`` states the semantics that
these functions implement; the tests check them to the second.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rtcdesk.sla.calendar import BusinessCalendar, from_us, to_us
from rtcdesk.sla.data import (
    DONE,
    AgentReply,
    ClockResult,
    ClockState,
    Created,
    CustomerMessage,
    Interval,
    Merged,
    SlaTargets,
    Status,
    StatusChanged,
    StopReason,
    Target,
    TargetsChanged,
    TicketClocks,
    TicketEvent,
    VersionSpan,
)

_US = timedelta(microseconds=1)


def add_business_time(calendar: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    """The earliest instant at which ``duration`` of business time has passed since ``start``."""
    if duration < timedelta(0):
        raise ValueError("business time to add must not be negative")
    return from_us(add_us(calendar, to_us(start), duration // _US))


def business_time_between(calendar: BusinessCalendar, a: datetime, b: datetime) -> timedelta:
    """Business time from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
    return (calendar.position(to_us(b)) - calendar.position(to_us(a))) * _US


def event_order(event: TicketEvent) -> tuple[int, bool]:
    """Sort key of events: by time, Created first among equal instants, otherwise as given."""
    return to_us(event.at), not isinstance(event, Created)


def add_us(calendar: BusinessCalendar, start_us: int, duration_us: int) -> int:
    """:func:`add_business_time` on epoch microseconds."""
    if duration_us == 0:
        return start_us
    return calendar.instant(calendar.position(start_us) + duration_us)


@dataclass(frozen=True)
class _Span:
    """A clock's life: from start to its stop (None while it can still run)."""

    target: Target
    start: int
    stop: int | None
    stopped_by: StopReason | None


def compute_clocks(
    calendar: BusinessCalendar, events: Iterable[TicketEvent], now: datetime
) -> TicketClocks:
    """Replay a ticket's events up to ``now`` and measure each of its clocks."""
    now_us = to_us(now)
    ordered = sorted((e for e in events if to_us(e.at) <= now_us), key=event_order)
    if not ordered or not isinstance(ordered[0], Created):
        raise ValueError("a ticket's events start with Created")
    created = ordered[0]
    timeline = [(to_us(created.at), Status.NEW)]
    versions: list[tuple[int, SlaTargets, str]] = [(to_us(created.at), created.targets, "")]
    for event in ordered[1:]:
        if isinstance(event, StatusChanged):
            timeline.append((to_us(event.at), event.status))
        elif isinstance(event, TargetsChanged):
            versions.append((to_us(event.at), event.targets, event.reason))
        elif isinstance(event, Merged):
            break
    spans = _spans(ordered)
    results = [_measure(calendar, span, timeline, versions, now_us) for span in spans]
    measured = [r for r in results if r is not None]
    first = next((r for r in measured if r.target is Target.FIRST_RESPONSE), None)
    replies = tuple(r for r in measured if r.target is Target.NEXT_REPLY)
    resolution = next((r for r in measured if r.target is Target.RESOLUTION), None)
    horizon = max([now, *(r.deadline for r in measured if r.deadline is not None)])
    return TicketClocks(
        now=now,
        first_response=first,
        next_reply=replies[-1] if replies else None,
        next_reply_history=replies,
        resolution=resolution,
        versions=_version_history(versions),
        unknown_years=calendar.unknown_years(created.at, horizon),
    )


def _spans(ordered: Sequence[TicketEvent]) -> list[_Span]:
    """When each clock starts and stops, from the events alone."""
    start = to_us(ordered[0].at)
    first: _Span | None = None
    cycles: list[_Span] = []
    waiting: int | None = None  # start of the open next-reply cycle
    done_since: int | None = None
    for event in ordered[1:]:
        at = to_us(event.at)
        if isinstance(event, Merged):
            first = first or _Span(Target.FIRST_RESPONSE, start, at, StopReason.MERGED)
            if waiting is not None:
                cycles.append(_Span(Target.NEXT_REPLY, waiting, at, StopReason.MERGED))
            resolution = _Span(Target.RESOLUTION, start, at, StopReason.MERGED)
            return [first, *cycles, resolution]
        if isinstance(event, AgentReply):
            if first is None:
                first = _Span(Target.FIRST_RESPONSE, start, at, StopReason.AGENT_REPLY)
            elif waiting is not None:
                cycles.append(_Span(Target.NEXT_REPLY, waiting, at, StopReason.AGENT_REPLY))
                waiting = None
        elif isinstance(event, CustomerMessage):
            if first is not None and waiting is None:
                waiting = at
        elif isinstance(event, StatusChanged):
            if event.status in DONE:
                done_since = at if done_since is None else done_since
                first = first or _Span(Target.FIRST_RESPONSE, start, at, StopReason.SOLVED)
                if waiting is not None:
                    cycles.append(_Span(Target.NEXT_REPLY, waiting, at, StopReason.SOLVED))
                    waiting = None
            else:
                done_since = None
    first = first or _Span(Target.FIRST_RESPONSE, start, None, None)
    if waiting is not None:
        cycles.append(_Span(Target.NEXT_REPLY, waiting, None, None))
    stopped_by = None if done_since is None else StopReason.SOLVED
    return [first, *cycles, _Span(Target.RESOLUTION, start, done_since, stopped_by)]


def _measure(
    calendar: BusinessCalendar,
    span: _Span,
    timeline: list[tuple[int, Status]],
    versions: list[tuple[int, SlaTargets, str]],
    now_us: int,
) -> ClockResult | None:
    """One clock under the version in force when it stopped (the newest while it runs)."""
    end = now_us if span.stop is None else span.stop
    targets = next(t for at, t, _ in reversed(versions) if at <= end)
    goal = targets.goal(span.target)
    if goal is None:
        return None
    runs, paused = _runs(timeline, targets.pause_on | DONE, span.start, end, span.stop is None)
    remaining = goal // _US
    deadline: int | None = None
    elapsed = 0
    for run_start, run_end in runs:
        begin = calendar.position(run_start)
        length = calendar.position(end if run_end is None else run_end) - begin
        elapsed += length
        if deadline is not None:
            continue
        if run_end is None or remaining <= length:
            deadline = add_us(calendar, run_start, remaining)
        else:
            remaining -= length
    settled = span.stop is not None
    breached = deadline is not None and deadline < end
    if breached:
        state = ClockState.BREACHED
    elif settled:
        state = ClockState.CANCELLED if span.stopped_by == StopReason.MERGED else ClockState.MET
    elif runs and runs[-1][1] is None:
        state = ClockState.RUNNING
    else:
        state = ClockState.PAUSED
    return ClockResult(
        target=span.target,
        version=targets.version,
        goal=goal,
        state=state,
        started_at=from_us(span.start),
        deadline=None if deadline is None else from_us(deadline),
        breached_at=from_us(deadline) if breached and deadline is not None else None,
        stopped_at=None if span.stop is None else from_us(span.stop),
        stopped_by=span.stopped_by,
        paused=paused,
        elapsed=elapsed * _US,
        remaining=goal - elapsed * _US,
    )


def _runs(
    timeline: list[tuple[int, Status]],
    inactive: frozenset[Status],
    start: int,
    end: int,
    open_ended: bool,
) -> tuple[list[tuple[int, int | None]], tuple[Interval, ...]]:
    """Active runs of a clock within [start, end] and its pauses (None: still going)."""
    runs: list[tuple[int, int | None]] = []
    active_at_end = False
    for index, (at, status) in enumerate(timeline):
        until = timeline[index + 1][0] if index + 1 < len(timeline) else None
        if at <= end:
            active_at_end = status not in inactive
        if status in inactive:
            continue
        begin = max(at, start)
        finish = end if until is None else min(until, end)
        if begin >= finish:
            continue
        if runs and runs[-1][1] == begin:
            begin = runs.pop()[0]
        runs.append((begin, finish))
    if open_ended and active_at_end:
        last = runs[-1] if runs else None
        if last is not None and last[1] == end:
            runs[-1] = (last[0], None)
        else:
            runs.append((end, None))
    paused: list[Interval] = []
    cursor = start
    for run_start, run_end in runs:
        if run_start > cursor:
            paused.append(Interval(from_us(cursor), from_us(run_start)))
        cursor = end if run_end is None else run_end
    if cursor < end or (open_ended and not active_at_end):
        paused.append(Interval(from_us(cursor), None if open_ended else from_us(end)))
    return runs, tuple(paused)


def _version_history(versions: list[tuple[int, SlaTargets, str]]) -> tuple[VersionSpan, ...]:
    """Each version with the span it was in force."""
    return tuple(
        VersionSpan(
            version=targets.version,
            since=from_us(at),
            until=from_us(versions[i + 1][0]) if i + 1 < len(versions) else None,
            reason=reason,
        )
        for i, (at, targets, reason) in enumerate(versions)
    )
