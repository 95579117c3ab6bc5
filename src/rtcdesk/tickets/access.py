"""Who may see and change which ticket: the only place ticket tenancy is decided."""

from __future__ import annotations

from sqlalchemy import false, select, true
from sqlalchemy.sql.elements import ColumnElement

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import ActorKind
from rtcdesk.core.errors import NotFound, PermissionDenied
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.tickets.models import Attachment, Ticket


def visible_tickets(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause restricting tickets to those ``actor`` may see."""
    if actor.is_agent:
        return true()
    if actor.organization_id is None:
        return false()
    same_org = Ticket.organization_id == actor.organization_id
    if actor.kind is ActorKind.CONTACT and not actor.share_tickets:
        return same_org & (Ticket.requester_id == actor.id)
    return same_org


def can_see(actor: Actor, ticket: Ticket) -> bool:
    """Whether ``actor`` may see ``ticket``."""
    if actor.is_agent:
        return True
    if ticket.organization_id != actor.organization_id:
        return False
    if actor.kind is ActorKind.CONTACT and not actor.share_tickets:
        return ticket.requester_id == actor.id
    return True


def get_ticket(uow: UnitOfWork, actor: Actor, ticket_id: int) -> Ticket:
    """Fetch a ticket ``actor`` may see; one they may not see does not exist for them.

    Read through the session's identity map: a page asks for its ticket once per part
    (conversation, files, history, links...) and only the first ask reaches the database.
    """
    ticket = uow.session.get(Ticket, ticket_id)
    if ticket is None or not can_see(actor, ticket):
        raise NotFound("ticket {ticket_id} not found", params={"ticket_id": ticket_id})
    return ticket


def get_attachment(uow: UnitOfWork, actor: Actor, attachment_id: int) -> Attachment:
    """Fetch an attachment on a ticket ``actor`` may see (internal files: agents only)."""
    row = uow.session.execute(
        select(Attachment)
        .join(Ticket, Ticket.id == Attachment.ticket_id)
        .where(Attachment.id == attachment_id, visible_tickets(actor))
    ).scalar_one_or_none()
    if row is None or (row.internal and not actor.is_agent):
        raise NotFound(
            "attachment {attachment_id} not found", params={"attachment_id": attachment_id}
        )
    return row


def can_see_internal(actor: Actor) -> bool:
    """Internal notes and internal attachments are for support staff only."""
    return actor.is_agent


def check_can_edit_properties(actor: Actor, fields: set[str]) -> None:
    """Customers may only change a few things on their own tickets."""
    if actor.is_agent:
        return
    customer_fields = {
        "status",
        "subject",
        "platform",
        "sdk_version",
        "app_id",
        "urgency",
        "impact",
    }
    forbidden = fields - customer_fields
    if forbidden:
        raise PermissionDenied(
            "customers cannot change {fields} on a ticket",
            params={"fields": ", ".join(sorted(forbidden))},
        )
