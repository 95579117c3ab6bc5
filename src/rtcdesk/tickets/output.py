"""One output builder per audience: a ticket and its messages as staff see them and as
their customer sees them.

The API and the portal pages both show a ticket through :func:`ticket_view` and messages
through :func:`message_view` (``tickets.queries.messages`` uses it), so a field is either in
the customer view for every interface or in none.
"""

from __future__ import annotations

from rtcdesk.accounts.access import Actor
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.sla import queries as sla_queries
from rtcdesk.sla.schemas import SlaOut
from rtcdesk.tickets import access
from rtcdesk.tickets.models import Attachment, Message, Ticket
from rtcdesk.tickets.schemas import (
    AttachmentOut,
    CustomerMessageOut,
    CustomerTicketOut,
    MessageOut,
    TicketOut,
)


def ticket_view(uow: UnitOfWork, actor: Actor, ticket: Ticket) -> TicketOut | CustomerTicketOut:
    """``ticket`` in the view of ``actor``'s audience: staff (with its SLA) or customer."""
    if access.can_see_internal(actor):
        return ticket_out(ticket, sla_queries.sla_for(uow, [ticket.id]).get(ticket.id))
    return customer_ticket_out(ticket)


def ticket_out(ticket: Ticket, sla: SlaOut | None = None) -> TicketOut:
    """The support team's view of a ticket: every field, and its live SLA when given."""
    return TicketOut(
        id=ticket.id,
        organization_id=ticket.organization_id,
        requester_id=ticket.requester_id,
        subject=ticket.subject,
        category=ticket.category,
        urgency=ticket.urgency,
        impact=ticket.impact,
        priority=ticket.priority,
        priority_override_reason=ticket.priority_override_reason,
        status=ticket.status,
        channel=ticket.channel,
        language=ticket.language,
        platform=ticket.platform,
        sdk_version=ticket.sdk_version,
        app_id=ticket.app_id,
        assignee_id=ticket.assignee_id,
        group_id=ticket.group_id,
        merged_into_id=ticket.merged_into_id,
        tags=[t.tag for t in ticket.tags],
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        first_response_at=ticket.first_response_at,
        solved_at=ticket.solved_at,
        closed_at=ticket.closed_at,
        sla_due_at=ticket.sla_due_at,
        sla=sla,
    )


def customer_ticket_out(ticket: Ticket) -> CustomerTicketOut:
    """The customer's view of a ticket: no internal remark, assignee, group or tags.

    The fields are exactly those of ``CustomerTicketOut`` (the allow-list lives there once),
    each read from the ticket row of the same name."""
    return CustomerTicketOut(
        **{name: getattr(ticket, name) for name in CustomerTicketOut.__struct_fields__}
    )


def attachment_out(attachment: Attachment) -> AttachmentOut:
    """The API shape of an attachment (callers only pass files the reader may see)."""
    return AttachmentOut(
        id=attachment.id,
        ticket_id=attachment.ticket_id,
        message_id=attachment.message_id,
        filename=attachment.filename,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        internal=attachment.internal,
        created_at=attachment.created_at,
        download_url=f"/api/v1/attachments/{attachment.id}/download",
    )


def message_view(actor: Actor, message: Message) -> MessageOut | CustomerMessageOut:
    """``message`` in the view of ``actor``'s audience: staff or customer."""
    if access.can_see_internal(actor):
        return message_out(message)
    return customer_message_out(message)


def message_out(message: Message) -> MessageOut:
    """The support team's view of a message: who wrote it (agent or contact), every file."""
    return MessageOut(
        id=message.id,
        ticket_id=message.ticket_id,
        kind=message.kind,
        channel=message.channel,
        author_name=message.author_name,
        author_agent_id=message.author_agent_id,
        author_contact_id=message.author_contact_id,
        body_text=message.body_text,
        body_html=message.body_html,
        created_at=message.created_at,
        attachments=[attachment_out(a) for a in message.attachments],
    )


def customer_message_out(message: Message) -> CustomerMessageOut:
    """The customer's view of a message: whether support wrote it, not which agent; only
    the files customers may see."""
    return CustomerMessageOut(
        id=message.id,
        ticket_id=message.ticket_id,
        kind=message.kind,
        channel=message.channel,
        author_name=message.author_name,
        from_support=message.author_agent_id is not None,
        author_contact_id=message.author_contact_id,
        body_text=message.body_text,
        body_html=message.body_html,
        created_at=message.created_at,
        attachments=[attachment_out(a) for a in message.attachments if not a.internal],
    )
