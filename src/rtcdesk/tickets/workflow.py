"""Pure ticket rules: priority from urgency x impact, and the status state machine."""

from __future__ import annotations

from datetime import datetime, timedelta

from rtcdesk.core.errors import Conflict
from rtcdesk.tickets.models import Impact, MessageKind, Priority, Status, Urgency

# Rows: impact; columns: urgency (low, medium, high, critical). ITIL-style matrix: a
# production outage for all end users that must be fixed now is P1; a question from one
# developer about a test build that can wait is P4.
_MATRIX: dict[Impact, tuple[Priority, Priority, Priority, Priority]] = {
    Impact.LOW: (Priority.P4, Priority.P4, Priority.P3, Priority.P3),
    Impact.MEDIUM: (Priority.P4, Priority.P3, Priority.P3, Priority.P2),
    Impact.HIGH: (Priority.P3, Priority.P3, Priority.P2, Priority.P1),
    Impact.CRITICAL: (Priority.P3, Priority.P2, Priority.P1, Priority.P1),
}
_URGENCY_ORDER = (Urgency.LOW, Urgency.MEDIUM, Urgency.HIGH, Urgency.CRITICAL)


def priority_for(urgency: Urgency, impact: Impact) -> Priority:
    """The priority a ticket gets from its urgency and impact."""
    return _MATRIX[impact][_URGENCY_ORDER.index(urgency)]


# Which status may follow which. Reopening a solved ticket is checked separately
# (it is only allowed within the reopen window); closed is final.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.OPEN, Status.PENDING_CUSTOMER, Status.ON_HOLD, Status.SOLVED}),
    Status.OPEN: frozenset({Status.PENDING_CUSTOMER, Status.ON_HOLD, Status.SOLVED}),
    Status.PENDING_CUSTOMER: frozenset({Status.OPEN, Status.ON_HOLD, Status.SOLVED}),
    Status.ON_HOLD: frozenset({Status.OPEN, Status.PENDING_CUSTOMER, Status.SOLVED}),
    Status.SOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}

OPEN_STATUSES = frozenset({Status.NEW, Status.OPEN, Status.PENDING_CUSTOMER, Status.ON_HOLD})


def check_transition(
    current: Status,
    target: Status,
    *,
    solved_at: datetime | None,
    now: datetime,
    reopen_window: timedelta,
) -> None:
    """Raise Conflict unless a ticket may move from ``current`` to ``target`` now."""
    if current == target:
        return
    if target not in TRANSITIONS[current]:
        if current is Status.CLOSED:
            raise Conflict("the ticket is closed; open a new ticket and link this one")
        raise Conflict(
            "a ticket cannot go from {current_value} to {target_value}",
            params={"current_value": current.value, "target_value": target.value},
            field="status",
        )
    reopening = current is Status.SOLVED and target is Status.OPEN
    if reopening and solved_at is not None and now - solved_at > reopen_window:
        days = reopen_window.days
        raise Conflict(
            "the ticket was solved more than {days} days ago and can no longer be reopened; "
            "open a new ticket instead",
            params={"days": days},
        )


def status_after_reply(
    current: Status, *, by_agent: bool, kind: MessageKind, requested: Status | None
) -> Status:
    """The status a ticket should have after a message, unless the author chose one."""
    if kind is MessageKind.INTERNAL:
        return requested or current
    if requested is not None:
        return requested
    if by_agent:
        # An agent's public answer on a new ticket means someone is on it.
        return Status.OPEN if current is Status.NEW else current
    # A customer's reply puts the ball back in the vendor's court.
    if current in (Status.PENDING_CUSTOMER, Status.ON_HOLD, Status.SOLVED):
        return Status.OPEN
    return current
