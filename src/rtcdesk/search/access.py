"""Who may find which document: the only place search tenancy is decided.

Staff search the staff documents (a ticket's ``all`` part, internal notes included).
Customers search customer documents, and a ticket's only when ``tickets.access`` lets them
see that ticket, so search never shows more than the ticket pages do.
"""

from __future__ import annotations

from sqlalchemy import false, or_, select
from sqlalchemy.sql.elements import ColumnElement

from rtcdesk.accounts.access import Actor
from rtcdesk.search.models import DocKind, SearchDocument
from rtcdesk.tickets.access import visible_tickets
from rtcdesk.tickets.models import Ticket


def visible_documents(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause restricting search documents to those ``actor`` may find."""
    if actor.is_agent:
        return SearchDocument.staff_view.is_(True)
    if actor.organization_id is None:
        return false()
    own_tickets = select(Ticket.id).where(visible_tickets(actor))
    return SearchDocument.customer_view.is_(True) & or_(
        SearchDocument.kind != DocKind.TICKET, SearchDocument.ref_id.in_(own_tickets)
    )
