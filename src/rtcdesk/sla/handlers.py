"""Reactions of the SLA domain to ticket and account changes, inside their transactions.

Every change that can move a clock (a ticket opened, a message, a status or priority
change, a merge) refreshes the ticket's clocks and timers before the change commits, so
deadline, list column and timers are never out of step with the ticket. A plan change
queues a job that does the same for the organization's open tickets.
"""

from __future__ import annotations

from rtcdesk.accounts.events import PlanChanged
from rtcdesk.core.events import Event, EventBus
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.jobs import service as jobs
from rtcdesk.sla import tracking
from rtcdesk.tickets.events import MessageAdded, TicketCreated, TicketMerged, TicketUpdated

RECOMPUTE_JOB = "sla.recompute"
# Ticket fields whose change moves a clock (status pauses/stops, priority switches policy).
CLOCK_FIELDS = frozenset({"status", "priority"})


def _tickets_of(event: Event) -> tuple[int, ...]:
    if isinstance(event, TicketCreated | MessageAdded):
        return (event.ticket_id,)
    if isinstance(event, TicketUpdated):
        return (event.ticket_id,) if CLOCK_FIELDS.intersection(event.fields) else ()
    if isinstance(event, TicketMerged):
        return (event.source_id, event.target_id)
    return ()


def refresh_clocks(uow: UnitOfWork, event: Event) -> None:
    """Refresh the clocks of the tickets ``event`` touched, once per transaction.

    A unit of work often records several events for one ticket (a reply that also reopens);
    only the last of them refreshes, when every change (including ones other in-transaction
    handlers made after the first event) is in place.
    """
    index = next(i for i, e in enumerate(uow.events) if e is event)
    later = {t for e in uow.events[index + 1 :] for t in _tickets_of(e)}
    for ticket_id in _tickets_of(event):
        if ticket_id not in later:
            tracking.refresh(uow, ticket_id)


def queue_plan_recompute(uow: UnitOfWork, event: PlanChanged) -> None:
    """A plan changed: switch its open tickets to the new policies (a job, same transaction)."""
    jobs.enqueue(
        uow,
        RECOMPUTE_JOB,
        {"organization_id": event.organization_id, "at": uow.clock.now().isoformat()},
    )


def register(bus: EventBus) -> None:
    """Subscribe the SLA reactions."""
    for event_type in (TicketCreated, MessageAdded, TicketUpdated, TicketMerged):
        bus.subscribe_in_transaction(event_type, refresh_clocks)
    bus.subscribe_in_transaction(PlanChanged, queue_plan_recompute)
