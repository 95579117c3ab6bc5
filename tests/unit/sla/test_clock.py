"""The clock state machine over ticket events: what starts, pauses and stops each clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rtcdesk.sla.clock import compute_clocks
from rtcdesk.sla.data import (
    AgentReply,
    AutoAcknowledgement,
    ClockState,
    Created,
    CustomerMessage,
    InternalNote,
    Interval,
    Merged,
    SlaTargets,
    Status,
    StatusChanged,
    TargetsChanged,
)

H = timedelta(hours=1)
M = timedelta(minutes=1)
T0 = datetime(2026, 3, 10, tzinfo=UTC)
P2 = SlaTargets("p2@v1", first_response=1 * H, next_reply=2 * H, resolution=8 * H)
SHANGHAI = ZoneInfo("Asia/Shanghai")
LA = ZoneInfo("America/Los_Angeles")


def at(offset: timedelta) -> datetime:
    return T0 + offset


def test_full_conversation_on_24x7(always):
    events = [
        Created(T0, P2),
        AutoAcknowledgement(at(1 * M)),
        InternalNote(at(10 * M)),
        AgentReply(at(50 * M)),
        CustomerMessage(at(1 * H)),
        AgentReply(at(3.5 * H)),
        StatusChanged(at(4 * H), Status.PENDING_CUSTOMER),
        CustomerMessage(at(6 * H)),
        StatusChanged(at(6 * H), Status.OPEN),
    ]
    clocks = compute_clocks(always, events, at(7 * H))

    first = clocks.first_response
    assert first is not None
    assert (first.state, first.stopped_at, first.stopped_by) == (
        ClockState.MET,
        at(50 * M),
        "agent_reply",
    )
    assert (first.elapsed, first.remaining, first.breached_at) == (50 * M, 10 * M, None)
    assert first.deadline is None  # it stopped before its deadline was reached

    answered, waiting = clocks.next_reply_history
    assert answered.state is ClockState.BREACHED
    assert answered.started_at == at(1 * H)
    assert answered.deadline == answered.breached_at == at(3 * H)
    assert (answered.elapsed, answered.remaining) == (2.5 * H, -30 * M)
    assert clocks.next_reply == waiting
    assert (waiting.state, waiting.deadline, waiting.elapsed) == (
        ClockState.RUNNING,
        at(8 * H),
        1 * H,
    )

    resolution = clocks.resolution
    assert resolution is not None
    assert resolution.state is ClockState.RUNNING
    assert resolution.paused == (Interval(at(4 * H), at(6 * H)),)
    assert (resolution.elapsed, resolution.remaining) == (5 * H, 3 * H)
    assert resolution.deadline == at(10 * H)
    assert clocks.unknown_years == ()


def test_notes_and_acknowledgements_are_not_responses(always):
    events = [Created(T0, P2), AutoAcknowledgement(at(0 * M)), InternalNote(at(30 * M))]
    first = compute_clocks(always, events, at(2 * H)).first_response
    assert first is not None
    assert first.state is ClockState.BREACHED
    assert first.breached_at == at(1 * H)
    assert first.stopped_at is None
    assert first.remaining == -1 * H


def test_reply_exactly_at_the_deadline_is_met(always):
    first = compute_clocks(
        always, [Created(T0, P2), AgentReply(at(1 * H))], at(2 * H)
    ).first_response
    assert first is not None
    assert (first.state, first.remaining, first.deadline) == (
        ClockState.MET,
        timedelta(0),
        at(1 * H),
    )


def test_running_clock_at_its_deadline_is_not_yet_breached(always):
    first = compute_clocks(always, [Created(T0, P2)], at(1 * H)).first_response
    assert first is not None
    assert (first.state, first.remaining) == (ClockState.RUNNING, timedelta(0))
    later = compute_clocks(
        always, [Created(T0, P2)], at(1 * H) + timedelta(seconds=1)
    ).first_response
    assert later is not None
    assert later.state is ClockState.BREACHED


def test_pending_pauses_and_the_deadline_moves_by_the_pause(always):
    events = [
        Created(T0, P2),
        StatusChanged(at(20 * M), Status.PENDING_CUSTOMER),
    ]
    paused = compute_clocks(always, events, at(5 * H)).first_response
    assert paused is not None
    assert (paused.state, paused.deadline, paused.elapsed) == (ClockState.PAUSED, None, 20 * M)
    assert paused.paused == (Interval(at(20 * M), None),)
    resumed = compute_clocks(always, [*events, StatusChanged(at(5 * H), Status.OPEN)], at(5 * H))
    assert resumed.first_response is not None
    assert resumed.first_response.state is ClockState.RUNNING
    assert resumed.first_response.deadline == at(5 * H + 40 * M)
    assert resumed.first_response.paused == (Interval(at(20 * M), at(5 * H)),)


def test_pausing_is_configured_per_policy(always):
    never = SlaTargets("strict@v1", first_response=1 * H, resolution=8 * H, pause_on=frozenset())
    events = [Created(T0, never), StatusChanged(at(10 * M), Status.ON_HOLD)]
    clocks = compute_clocks(always, events, at(2 * H))
    assert clocks.first_response is not None
    assert clocks.first_response.state is ClockState.BREACHED
    assert clocks.first_response.paused == ()
    hold_only = SlaTargets("hold@v1", first_response=1 * H, pause_on=frozenset({Status.ON_HOLD}))
    pending = [Created(T0, hold_only), StatusChanged(at(10 * M), Status.PENDING_CUSTOMER)]
    assert compute_clocks(always, pending, at(2 * H)).first_response.state is ClockState.BREACHED  # type: ignore[union-attr]


def test_a_breach_stays_a_breach_while_paused(always):
    events = [Created(T0, P2), StatusChanged(at(2 * H), Status.ON_HOLD)]
    first = compute_clocks(always, events, at(5 * H)).first_response
    assert first is not None
    assert (first.state, first.breached_at) == (ClockState.BREACHED, at(1 * H))


def test_solve_stops_resolution_and_reopen_resumes_it(always):
    solved = [Created(T0, P2), AgentReply(at(10 * M)), StatusChanged(at(2 * H), Status.SOLVED)]
    clocks = compute_clocks(always, solved, at(3 * H))
    assert clocks.resolution is not None
    assert (clocks.resolution.state, clocks.resolution.stopped_at) == (ClockState.MET, at(2 * H))
    assert clocks.resolution.remaining == 6 * H

    reopened = [*solved, CustomerMessage(at(5 * H)), StatusChanged(at(5 * H), Status.OPEN)]
    clocks = compute_clocks(always, reopened, at(6 * H))
    resolution = clocks.resolution
    assert resolution is not None
    assert (resolution.state, resolution.elapsed) == (ClockState.RUNNING, 3 * H)
    assert resolution.paused == (Interval(at(2 * H), at(5 * H)),)
    assert resolution.deadline == at(11 * H)
    assert clocks.next_reply is not None
    assert clocks.next_reply.started_at == at(5 * H)


def test_solving_without_a_reply_stops_the_reply_clocks(always):
    events = [
        Created(T0, P2),
        AgentReply(at(10 * M)),
        CustomerMessage(at(20 * M)),
        StatusChanged(at(30 * M), Status.SOLVED),
    ]
    clocks = compute_clocks(always, events, at(9 * H))
    assert clocks.next_reply is not None
    assert (clocks.next_reply.state, clocks.next_reply.stopped_by) == (ClockState.MET, "solved")
    silent = compute_clocks(
        always, [Created(T0, P2), StatusChanged(at(2 * H), Status.SOLVED)], at(3 * H)
    )
    assert silent.first_response is not None
    assert (silent.first_response.state, silent.first_response.stopped_by) == (
        ClockState.BREACHED,
        "solved",
    )


def test_customer_messages_while_waiting_do_not_restart_next_reply(always):
    events = [
        Created(T0, P2),
        AgentReply(at(10 * M)),
        CustomerMessage(at(1 * H)),
        CustomerMessage(at(2 * H)),
        AgentReply(at(2.5 * H)),
    ]
    (cycle,) = compute_clocks(always, events, at(3 * H)).next_reply_history
    assert (cycle.started_at, cycle.stopped_at, cycle.state) == (
        at(1 * H),
        at(2.5 * H),
        ClockState.MET,
    )


def test_messages_before_the_first_response_belong_to_it(always):
    events = [Created(T0, P2), CustomerMessage(at(5 * M)), AgentReply(at(30 * M))]
    clocks = compute_clocks(always, events, at(1 * H))
    assert clocks.next_reply_history == ()


def test_priority_raise_recomputes_open_clocks_from_the_start(always):
    p3 = SlaTargets("p3@v2", first_response=4 * H, next_reply=4 * H, resolution=24 * H)
    p1 = SlaTargets("p1@v2", first_response=15 * M, next_reply=30 * M, resolution=1 * H)
    events = [
        Created(T0, p3),
        AgentReply(at(30 * M)),
        CustomerMessage(at(40 * M)),
        TargetsChanged(at(2 * H), p1, reason="priority P3 -> P1"),
    ]
    clocks = compute_clocks(always, events, at(2 * H))
    first, resolution, waiting = clocks.first_response, clocks.resolution, clocks.next_reply
    assert first is not None
    assert resolution is not None
    assert waiting is not None
    # A clock that already stopped keeps the version it was judged against.
    assert (first.version, first.state, first.goal) == ("p3@v2", ClockState.MET, 4 * H)
    # Open clocks take the new target, measured from their own start.
    assert (resolution.version, resolution.goal) == ("p1@v2", 1 * H)
    assert (resolution.state, resolution.breached_at) == (ClockState.BREACHED, at(1 * H))
    assert (waiting.version, waiting.breached_at) == ("p1@v2", at(70 * M))
    assert [(v.version, v.since, v.until, v.reason) for v in clocks.versions] == [
        ("p3@v2", T0, at(2 * H), ""),
        ("p1@v2", at(2 * H), None, "priority P3 -> P1"),
    ]


def test_plan_downgrade_can_turn_a_breach_into_running(always):
    loose = SlaTargets("basic@v1", first_response=8 * H)
    events = [Created(T0, P2), TargetsChanged(at(3 * H), loose, reason="plan")]
    first = compute_clocks(always, events, at(4 * H)).first_response
    assert first is not None
    assert (first.state, first.deadline, first.version) == (
        ClockState.RUNNING,
        at(8 * H),
        "basic@v1",
    )
    assert compute_clocks(always, events, at(4 * H)).resolution is None  # no target, no clock


def test_merge_stops_every_clock(always):
    events = [
        Created(T0, P2),
        Merged(at(30 * M), into=42),
        AgentReply(at(40 * M)),
        StatusChanged(at(50 * M), Status.SOLVED),
    ]
    clocks = compute_clocks(always, events, at(9 * H))
    assert clocks.first_response is not None
    assert clocks.resolution is not None
    for clock in (clocks.first_response, clocks.resolution):
        assert (clock.state, clock.stopped_at, clock.stopped_by) == (
            ClockState.CANCELLED,
            at(30 * M),
            "merged",
        )
    late = compute_clocks(always, [Created(T0, P2), Merged(at(2 * H))], at(9 * H))
    assert late.first_response is not None
    assert late.resolution is not None
    assert late.first_response.state is ClockState.BREACHED
    assert late.resolution.state is ClockState.CANCELLED


def test_business_hours_clock_over_the_spring_festival_make_up_day(beijing):
    created = datetime(2026, 2, 13, 17, 0, tzinfo=SHANGHAI).astimezone(UTC)
    targets = SlaTargets("ent@v1", first_response=4 * H, resolution=16 * H)
    lunch_reply = datetime(2026, 2, 14, 13, 0, tzinfo=SHANGHAI)
    clocks = compute_clocks(
        beijing, [Created(created, targets), AgentReply(lunch_reply)], created + 48 * H
    )
    first, resolution = clocks.first_response, clocks.resolution
    assert first is not None
    assert resolution is not None
    # Friday 17-18 and the make-up Saturday 09-12: due at Saturday noon.
    assert first.deadline == datetime(2026, 2, 14, 12, 0, tzinfo=SHANGHAI)
    # A reply in the lunch break after a noon deadline is late, though no work time passed.
    assert (first.state, first.elapsed, first.remaining) == (
        ClockState.BREACHED,
        4 * H,
        timedelta(0),
    )
    # 1 h Friday + 7.5 h make-up Saturday + 7.5 h on Tuesday 24 Feb (15-23 Feb are off).
    assert resolution.deadline == datetime(2026, 2, 24, 18, 0, tzinfo=SHANGHAI)
    assert resolution.elapsed == 8.5 * H


def test_a_deadline_in_an_unknown_year_is_flagged(beijing):
    created = datetime(2026, 12, 30, 2, tzinfo=UTC)
    clocks = compute_clocks(beijing, [Created(created, P2)], created + H)
    assert clocks.resolution is not None
    assert clocks.resolution.deadline is not None
    assert clocks.resolution.deadline.year == 2026
    assert clocks.unknown_years == ()
    long = SlaTargets("long@v1", resolution=40 * H)
    assert compute_clocks(beijing, [Created(created, long)], created + H).unknown_years == (2027,)


def test_events_are_ordered_and_the_future_is_ignored(always):
    events = [AgentReply(at(2 * H)), Created(T0, P2), InternalNote(at(5 * M))]
    first = compute_clocks(always, events, at(1.5 * H)).first_response
    assert first is not None
    assert first.state is ClockState.BREACHED
    assert first.stopped_at is None


def test_events_must_start_with_created(always):
    with pytest.raises(ValueError, match="Created"):
        compute_clocks(always, [AgentReply(T0)], at(H))


def test_created_comes_first_among_equal_instants(always):
    clocks = compute_clocks(always, [AgentReply(T0), Created(T0, P2)], at(H))
    assert clocks.first_response is not None
    assert (clocks.first_response.state, clocks.first_response.elapsed) == (
        ClockState.MET,
        timedelta(0),
    )


@pytest.mark.parametrize(
    ("created", "deadline"),
    [
        # Friday 16:00 PST + 4 business hours: 1 h Friday, 3 h on Monday in PDT.
        (datetime(2026, 3, 6, 16, 0, tzinfo=LA), datetime(2026, 3, 9, 12, 0, tzinfo=LA)),
        # Friday 16:00 PDT + 4 business hours: 1 h Friday, 3 h on Monday in PST.
        (datetime(2026, 10, 30, 16, 0, tzinfo=LA), datetime(2026, 11, 2, 12, 0, tzinfo=LA)),
    ],
)
def test_los_angeles_clock_across_dst(los_angeles, created, deadline):
    start = created
    targets = SlaTargets("us@v1", first_response=4 * H)
    first = compute_clocks(los_angeles, [Created(start, targets)], start + 2 * H).first_response
    assert first is not None
    assert first.deadline == deadline
    assert deadline.utcoffset() != start.utcoffset()
    assert (first.state, first.elapsed, first.remaining) == (ClockState.RUNNING, 1 * H, 3 * H)
