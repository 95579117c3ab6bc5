"""Reactions of the diagnostics domain to other domains' events."""

from __future__ import annotations

from rtcdesk.core.events import EventBus
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.diagnostics import service
from rtcdesk.tickets.events import AttachmentStored
from rtcdesk.tickets.models import Ticket


def queue_attachment_diagnosis(uow: UnitOfWork, event: AttachmentStored) -> None:
    """A file attached to a ticket through any channel that may be a dump gets diagnosed.

    Runs inside the attaching transaction, so the job exists iff the attachment does.
    """
    if not service.looks_diagnosable(event.filename, event.content_type):
        return
    ticket = uow.session.get(Ticket, event.ticket_id)
    if ticket is None:
        return
    service.request_for_attachment(
        uow,
        ticket_id=ticket.id,
        organization_id=ticket.organization_id,
        attachment_id=event.attachment_id,
        filename=event.filename,
        sha256=event.sha256,
        size=event.size,
    )


def register(bus: EventBus) -> None:
    """Subscribe the diagnostics reactions."""
    bus.subscribe_in_transaction(AttachmentStored, queue_attachment_diagnosis)
