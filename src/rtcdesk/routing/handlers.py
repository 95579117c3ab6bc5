"""Routing's reactions to other domains' events (registered in ``bootstrap``)."""

from __future__ import annotations

from rtcdesk.core.events import EventBus
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.routing import service
from rtcdesk.tickets.events import TicketCreated


def route_created_ticket(uow: UnitOfWork, event: TicketCreated) -> None:
    """Route a new ticket inside the transaction that creates it."""
    service.route_new_ticket(uow, event.ticket_id)


def register(bus: EventBus) -> None:
    """Subscribe routing to ticket creation."""
    bus.subscribe_in_transaction(TicketCreated, route_created_ticket)
