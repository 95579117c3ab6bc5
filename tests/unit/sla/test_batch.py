"""The vectorised path agrees with the scalar clocks, ticket by ticket and to the microsecond."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rtcdesk.sla.batch import (
    NO_TIME,
    STATE_OF_CODE,
    Code,
    compute_batch,
    event_columns,
    target_columns,
)
from rtcdesk.sla.calendar import CalendarRangeError, to_us
from rtcdesk.sla.clock import compute_clocks
from rtcdesk.sla.data import (
    AgentReply,
    AutoAcknowledgement,
    ClockResult,
    Created,
    CustomerMessage,
    InternalNote,
    Merged,
    SlaTargets,
    Status,
    StatusChanged,
)

H = timedelta(hours=1)
START = datetime(2026, 1, 5, tzinfo=UTC)
MAKERS = [
    CustomerMessage,
    AgentReply,
    InternalNote,
    AutoAcknowledgement,
    lambda at: StatusChanged(at, Status.OPEN),
    lambda at: StatusChanged(at, Status.PENDING_CUSTOMER),
    lambda at: StatusChanged(at, Status.ON_HOLD),
    lambda at: StatusChanged(at, Status.SOLVED),
    lambda at: StatusChanged(at, Status.CLOSED),
    Merged,
]
POLICIES = [
    SlaTargets("p1", first_response=1 * H, next_reply=2 * H, resolution=8 * H),
    SlaTargets("p2", first_response=4 * H, resolution=30 * H, pause_on=frozenset()),
    SlaTargets("p3", next_reply=3 * H, pause_on=frozenset({Status.ON_HOLD})),
]

tickets = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=60 * 24 * 3600),
        st.sampled_from(POLICIES),
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=30 * 3600),
                st.integers(min_value=0, max_value=len(MAKERS) - 1),
            ),
            max_size=12,
        ),
    ),
    min_size=1,
    max_size=6,
)


def build(spec):
    lists, policies, last = [], [], START
    for offset, policy, steps in spec:
        moment = START + timedelta(seconds=offset)
        events = [Created(moment, policy)]
        for gap, which in steps:
            moment += timedelta(seconds=gap)
            events.append(MAKERS[which](moment))
        lists.append(events)
        policies.append(policy)
        last = max(last, moment)
    return lists, policies, last


def same(scalar: ClockResult | None, batch, row: int) -> None:
    if scalar is None:
        assert batch.state[row] == Code.NONE
        return
    assert STATE_OF_CODE[Code(batch.state[row])] is scalar.state
    assert batch.started[row] == to_us(scalar.started_at)
    assert batch.elapsed[row] == scalar.elapsed // timedelta(microseconds=1)
    expected = NO_TIME if scalar.deadline is None else to_us(scalar.deadline)
    assert batch.deadline[row] == expected


@pytest.mark.parametrize("name", ["beijing", "los_angeles", "always"])
@settings(deadline=None, max_examples=150)
@given(spec=tickets, extra=st.integers(min_value=0, max_value=10 * 24 * 3600))
def test_batch_equals_scalar(request, name, spec, extra):
    calendar = request.getfixturevalue(name)
    lists, policies, last = build(spec)
    now = last + timedelta(seconds=extra)
    batch = compute_batch(calendar, event_columns(lists), target_columns(policies), to_us(now))
    for row, events in enumerate(lists):
        clocks = compute_clocks(calendar, events, now)
        same(clocks.first_response, batch.first_response, row)
        same(clocks.resolution, batch.resolution, row)
        current = clocks.next_reply
        if current is not None and current.stopped_by not in (None, "merged"):
            current = None
        if current is None:
            assert batch.next_reply.state[row] == Code.NONE
        else:
            same(current, batch.next_reply, row)


def test_batch_refuses_events_after_now(always):
    events = event_columns([[Created(START, POLICIES[0])]])
    with pytest.raises(CalendarRangeError):
        compute_batch(always, events, target_columns(POLICIES[:1]), to_us(START) - 1)


def test_batch_pauses_only_on_the_two_waiting_statuses():
    odd = SlaTargets("odd", resolution=H, pause_on=frozenset({Status.NEW}))
    with pytest.raises(ValueError, match="pending_customer"):
        target_columns([odd])


def test_zero_targets_are_refused():
    with pytest.raises(ValueError, match="positive"):
        SlaTargets("zero", first_response=timedelta(0))


def test_columns_keep_ticket_boundaries():
    columns = event_columns(
        [[Created(START, POLICIES[0])], [Created(START, POLICIES[0]), AgentReply(START + H)]]
    )
    assert columns.offsets.tolist() == [0, 1, 3]
    assert np.array_equal(columns.kind, np.array([0, 0, 2], dtype=np.int8))
