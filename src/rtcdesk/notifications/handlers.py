"""What the notifications domain tells people about tickets, and the channels it ships.

The ticket kinds react to ``tickets.events`` *inside* the changing transaction (registered
in ``bootstrap.register_handlers``), so a notification exists if and only if the change
that caused it commits, whichever interface made it (console, API, email, a job).
"""

from __future__ import annotations

from sqlalchemy import select

from rtcdesk.accounts.models import ActorKind, Organization
from rtcdesk.core.events import EventBus
from rtcdesk.core.i18n import N_
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.escalation.texts import HISTORY_FIELD as ESCALATION_FIELD
from rtcdesk.notifications import email, service
from rtcdesk.notifications.kinds import EMAIL, IN_APP, Channel, Kind, NotificationRegistry
from rtcdesk.notifications.recipients import Recipients
from rtcdesk.routing.reasons import HISTORY_FIELD as ROUTING_FIELD
from rtcdesk.tickets.events import MessageAdded, TicketCreated, TicketUpdated
from rtcdesk.tickets.models import Message, MessageKind, Ticket, TicketChange

INBOX = Channel(name=IN_APP, label=N_("In the console"))
EXCERPT_CHARS = 280

TICKET_ASSIGNED = Kind(
    name="ticket.assigned",
    title=N_("Ticket #{ticket_id} was assigned to you"),
    body=N_("{by} assigned you “{subject}” from {organization}."),
    default_channels=(IN_APP, EMAIL),
    description=N_("A ticket was assigned to you"),
)
CUSTOMER_REPLIED = Kind(
    name="ticket.customer_replied",
    title=N_("{author} replied on ticket #{ticket_id}"),
    body=N_("“{subject}”: {excerpt}"),
    default_channels=(IN_APP, EMAIL),
    description=N_("The customer replied on a ticket assigned to you"),
)


def _ticket_link(ticket_id: int) -> str:
    return f"/console/tickets/{ticket_id}"


def _organization_name(uow: UnitOfWork, ticket: Ticket) -> str:
    name = uow.session.scalar(
        select(Organization.name).where(Organization.id == ticket.organization_id)
    )
    return name or ""


# History entries that can put a ticket in someone's hands: a change of assignee, the
# ticket's creation (with an assignee), a routing decision (automatic or a re-route), an
# SLA escalation to the next level.
ASSIGNING_FIELDS = ("assignee_id", "created", ROUTING_FIELD, ESCALATION_FIELD)
# Assignments that send their own notice (an escalation's ``sla.escalated``).
SELF_ANNOUNCED = frozenset({ESCALATION_FIELD})


def _last_assignment(uow: UnitOfWork, ticket_id: int) -> TicketChange | None:
    """The history entry of the ticket's latest assignment (or of its creation)."""
    return uow.session.scalars(
        select(TicketChange)
        .where(TicketChange.ticket_id == ticket_id, TicketChange.field.in_(ASSIGNING_FIELDS))
        .order_by(TicketChange.id.desc())
        .limit(1)
    ).first()


def _notify_assignee(uow: UnitOfWork, ticket_id: int) -> None:
    ticket = uow.session.get(Ticket, ticket_id)
    if ticket is None or ticket.assignee_id is None:
        return
    change = _last_assignment(uow, ticket_id)
    if change is None or change.field in SELF_ANNOUNCED:
        return
    by_self = change.actor_kind is ActorKind.AGENT and change.actor_id == ticket.assignee_id
    if by_self:
        return  # taking a ticket yourself needs no notice
    service.notify(
        uow,
        kind=TICKET_ASSIGNED,
        # One notice per assignment: the history entry that recorded it names it.
        key=f"ticket.assigned:{ticket.id}:{change.id}",
        recipients=Recipients.agents(ticket.assignee_id),
        params={
            "ticket_id": ticket.id,
            "subject": ticket.subject,
            "organization": _organization_name(uow, ticket),
            "by": change.actor_name,
        },
        link=_ticket_link(ticket.id),
        ticket_id=ticket.id,
    )


def on_ticket_created(uow: UnitOfWork, event: TicketCreated) -> None:
    """A ticket opened with an assignee tells that assignee."""
    _notify_assignee(uow, event.ticket_id)


def on_ticket_updated(uow: UnitOfWork, event: TicketUpdated) -> None:
    """A ticket (re)assigned tells its new assignee."""
    if "assignee_id" in event.fields:
        _notify_assignee(uow, event.ticket_id)


def on_message_added(uow: UnitOfWork, event: MessageAdded) -> None:
    """A customer's public reply tells the ticket's assignee (not the ticket's first message:
    that is the ticket being opened)."""
    if event.by_agent or event.kind != MessageKind.PUBLIC.value:
        return
    ticket = uow.session.get(Ticket, event.ticket_id)
    message = uow.session.get(Message, event.message_id)
    if ticket is None or message is None or ticket.assignee_id is None:
        return
    first = uow.session.scalar(
        select(Message.id).where(Message.ticket_id == ticket.id).order_by(Message.id).limit(1)
    )
    if first == message.id:
        return
    excerpt = " ".join(message.body_text.split())
    if len(excerpt) > EXCERPT_CHARS:
        excerpt = excerpt[: EXCERPT_CHARS - 1] + "…"
    service.notify(
        uow,
        kind=CUSTOMER_REPLIED,
        key=f"ticket.customer_replied:{message.id}",
        recipients=Recipients.agents(ticket.assignee_id),
        params={
            "ticket_id": ticket.id,
            "subject": ticket.subject,
            "author": message.author_name,
            "excerpt": excerpt,
        },
        link=_ticket_link(ticket.id),
        ticket_id=ticket.id,
    )


def register_channels(registry: NotificationRegistry) -> None:
    """The two channels rtcdesk ships: the console inbox and email."""
    registry.add_channel(INBOX)
    registry.add_channel(email.CHANNEL)


def register(bus: EventBus, registry: NotificationRegistry) -> None:
    """Register the ticket kinds and subscribe their in-transaction reactions."""
    registry.add_kind(TICKET_ASSIGNED)
    registry.add_kind(CUSTOMER_REPLIED)
    bus.subscribe_in_transaction(TicketCreated, on_ticket_created)
    bus.subscribe_in_transaction(TicketUpdated, on_ticket_updated)
    bus.subscribe_in_transaction(MessageAdded, on_message_added)
