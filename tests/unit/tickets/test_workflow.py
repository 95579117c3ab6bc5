"""The pure ticket rules: priority matrix and status transitions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rtcdesk.core.errors import Conflict
from rtcdesk.tickets.models import Impact, MessageKind, Priority, Status, Urgency
from rtcdesk.tickets.workflow import (
    TRANSITIONS,
    check_transition,
    priority_for,
    status_after_reply,
)

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
WINDOW = timedelta(days=14)


@pytest.mark.parametrize(
    ("urgency", "impact", "expected"),
    [
        (Urgency.CRITICAL, Impact.CRITICAL, Priority.P1),
        (Urgency.HIGH, Impact.CRITICAL, Priority.P1),
        (Urgency.CRITICAL, Impact.HIGH, Priority.P1),
        (Urgency.HIGH, Impact.HIGH, Priority.P2),
        (Urgency.MEDIUM, Impact.CRITICAL, Priority.P2),
        (Urgency.CRITICAL, Impact.MEDIUM, Priority.P2),
        (Urgency.MEDIUM, Impact.MEDIUM, Priority.P3),
        (Urgency.LOW, Impact.CRITICAL, Priority.P3),
        (Urgency.LOW, Impact.LOW, Priority.P4),
        (Urgency.MEDIUM, Impact.LOW, Priority.P4),
    ],
)
def test_priority_matrix(urgency: Urgency, impact: Impact, expected: Priority) -> None:
    assert priority_for(urgency, impact) is expected


def test_priority_is_monotonic_in_urgency_and_impact() -> None:
    order = [Priority.P4, Priority.P3, Priority.P2, Priority.P1]
    urgencies, impacts = list(Urgency), list(Impact)
    for i, impact in enumerate(impacts):
        for j, urgency in enumerate(urgencies):
            rank = order.index(priority_for(urgency, impact))
            if j + 1 < len(urgencies):
                assert order.index(priority_for(urgencies[j + 1], impact)) >= rank
            if i + 1 < len(impacts):
                assert order.index(priority_for(urgency, impacts[i + 1])) >= rank


@pytest.mark.parametrize("current", list(Status))
@pytest.mark.parametrize("target", list(Status))
def test_transition_table_is_enforced(current: Status, target: Status) -> None:
    allowed = current == target or target in TRANSITIONS[current]
    if allowed:
        check_transition(current, target, solved_at=NOW, now=NOW, reopen_window=WINDOW)
    else:
        with pytest.raises(Conflict):
            check_transition(current, target, solved_at=NOW, now=NOW, reopen_window=WINDOW)


def test_reopen_only_within_window() -> None:
    check_transition(
        Status.SOLVED, Status.OPEN, solved_at=NOW - WINDOW, now=NOW, reopen_window=WINDOW
    )
    with pytest.raises(Conflict, match="can no longer be reopened"):
        check_transition(
            Status.SOLVED,
            Status.OPEN,
            solved_at=NOW - WINDOW - timedelta(seconds=1),
            now=NOW,
            reopen_window=WINDOW,
        )


def test_closed_is_final_with_a_helpful_message() -> None:
    with pytest.raises(Conflict, match="open a new ticket"):
        check_transition(Status.CLOSED, Status.OPEN, solved_at=None, now=NOW, reopen_window=WINDOW)


@pytest.mark.parametrize(
    ("current", "by_agent", "kind", "requested", "expected"),
    [
        (Status.NEW, True, MessageKind.PUBLIC, None, Status.OPEN),
        (Status.NEW, True, MessageKind.INTERNAL, None, Status.NEW),
        (Status.OPEN, True, MessageKind.PUBLIC, Status.PENDING_CUSTOMER, Status.PENDING_CUSTOMER),
        (Status.PENDING_CUSTOMER, False, MessageKind.PUBLIC, None, Status.OPEN),
        (Status.ON_HOLD, False, MessageKind.PUBLIC, None, Status.OPEN),
        (Status.SOLVED, False, MessageKind.PUBLIC, None, Status.OPEN),
        (Status.NEW, False, MessageKind.PUBLIC, None, Status.NEW),
        (Status.OPEN, True, MessageKind.PUBLIC, None, Status.OPEN),
    ],
)
def test_status_after_reply(
    current: Status,
    by_agent: bool,
    kind: MessageKind,
    requested: Status | None,
    expected: Status,
) -> None:
    assert (
        status_after_reply(current, by_agent=by_agent, kind=kind, requested=requested) is expected
    )
