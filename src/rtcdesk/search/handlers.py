"""Reactions of search to other domains' changes: queue the indexing job in their
transaction (so the index follows every committed change, and only those)."""

from __future__ import annotations

from rtcdesk.core.events import EventBus
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.search.jobs import request_index
from rtcdesk.search.models import DocKind
from rtcdesk.tickets.events import MessageAdded, TicketCreated, TicketMerged, TicketUpdated

# Ticket fields the index holds (subject, filters); other updates leave it as it is.
INDEXED_TICKET_FIELDS = frozenset({"subject", "platform", "sdk_version", "status", "language"})


def ticket_created(uow: UnitOfWork, event: TicketCreated) -> None:
    """Index a new ticket."""
    request_index(uow, DocKind.TICKET, event.ticket_id)


def ticket_updated(uow: UnitOfWork, event: TicketUpdated) -> None:
    """Re-index a ticket whose indexed fields changed."""
    if INDEXED_TICKET_FIELDS.intersection(event.fields):
        request_index(uow, DocKind.TICKET, event.ticket_id)


def message_added(uow: UnitOfWork, event: MessageAdded) -> None:
    """Re-index a ticket that has a new message."""
    request_index(uow, DocKind.TICKET, event.ticket_id)


def ticket_merged(uow: UnitOfWork, event: TicketMerged) -> None:
    """Both tickets of a merge changed: messages moved, the source was closed."""
    request_index(uow, DocKind.TICKET, event.source_id)
    request_index(uow, DocKind.TICKET, event.target_id)


def register(bus: EventBus) -> None:
    """Subscribe the indexing reactions (inside the changing transaction)."""
    bus.subscribe_in_transaction(TicketCreated, ticket_created)
    bus.subscribe_in_transaction(TicketUpdated, ticket_updated)
    bus.subscribe_in_transaction(MessageAdded, message_added)
    bus.subscribe_in_transaction(TicketMerged, ticket_merged)
