"""Tickets for tests, created through the service."""

from __future__ import annotations

from rtcdesk.accounts.models import Agent, Contact
from rtcdesk.accounts.service import agent_actor, contact_actor
from rtcdesk.bootstrap import Container
from rtcdesk.tickets import service
from rtcdesk.tickets.models import (
    Category,
    Channel,
    Impact,
    Message,
    MessageKind,
    Ticket,
    Urgency,
)
from rtcdesk.tickets.schemas import MessageCreate, TicketCreate


def ticket(
    container: Container,
    requester: Contact,
    *,
    subject: str = "视频卡顿严重 video stutters",
    body: str = "Viewers see freezes every few seconds.",
    category: Category = Category.TROUBLESHOOTING,
    urgency: Urgency = Urgency.MEDIUM,
    impact: Impact = Impact.MEDIUM,
) -> Ticket:
    """A committed ticket opened by ``requester`` in the portal."""
    with container.uow() as uow:
        person = uow.session.get(Contact, requester.id)
        assert person is not None
        created = service.create_ticket(
            uow,
            contact_actor(person),
            TicketCreate(
                subject=subject,
                body=body,
                category=category,
                platform="android",
                urgency=urgency,
                impact=impact,
            ),
            channel=Channel.PORTAL,
        )
        uow.commit()
        return created


def message(
    container: Container,
    ticket_id: int,
    author: Agent | Contact,
    body: str,
    *,
    kind: MessageKind = MessageKind.PUBLIC,
) -> Message:
    """A committed reply (or internal note) on a ticket by an agent or a contact."""
    with container.uow() as uow:
        if isinstance(author, Agent):
            person_agent = uow.session.get(Agent, author.id)
            assert person_agent is not None
            actor = agent_actor(person_agent)
        else:
            person = uow.session.get(Contact, author.id)
            assert person is not None
            actor = contact_actor(person)
        added = service.add_message(
            uow, actor, ticket_id, MessageCreate(body=body, kind=kind), channel=Channel.API
        )
        uow.commit()
        return added
