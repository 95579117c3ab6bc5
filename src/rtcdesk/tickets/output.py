"""One output builder per audience: a ticket as staff see it and as its customer sees it.

The API and the portal pages both show a ticket through :func:`ticket_view`, so a field is
either in the customer view for every interface or in none.
"""

from __future__ import annotations

from rtcdesk.accounts.access import Actor
from rtcdesk.tickets import access
from rtcdesk.tickets.models import Ticket
from rtcdesk.tickets.schemas import CustomerTicketOut, TicketOut


def ticket_view(actor: Actor, ticket: Ticket) -> TicketOut | CustomerTicketOut:
    """``ticket`` in the view of ``actor``'s audience: staff or customer."""
    if access.can_see_internal(actor):
        return ticket_out(ticket)
    return customer_ticket_out(ticket)


def ticket_out(ticket: Ticket) -> TicketOut:
    """The support team's view of a ticket: every field."""
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
    )


def customer_ticket_out(ticket: Ticket) -> CustomerTicketOut:
    """The customer's view of a ticket: no internal remark, assignee, group or tags.

    The fields are exactly those of ``CustomerTicketOut`` (the allow-list lives there once),
    each read from the ticket row of the same name."""
    return CustomerTicketOut(
        **{name: getattr(ticket, name) for name in CustomerTicketOut.__struct_fields__}
    )
