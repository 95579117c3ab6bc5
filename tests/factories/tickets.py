"""Tickets for tests, created through the service."""

from __future__ import annotations

from rtcdesk.accounts.models import Contact
from rtcdesk.accounts.service import contact_actor
from rtcdesk.bootstrap import Container
from rtcdesk.tickets import service
from rtcdesk.tickets.models import Category, Channel, Impact, Ticket, Urgency
from rtcdesk.tickets.schemas import TicketCreate


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
