"""When a ticket pages: a P1 created, or raised to P1, outside the covering team's hours.

Runs *inside* the creating or updating transaction (registered in ``bootstrap``), so the
page exists if and only if the ticket change commits. The hours come from the calendar of
the ticket's SLA policy, or the default business hours (``hours.team_calendar``).
"""

from __future__ import annotations

from sqlalchemy import select

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Organization, PlanTier
from rtcdesk.core.events import EventBus
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.oncall import hours, paging
from rtcdesk.oncall.page_texts import HISTORY_FIELD, encode
from rtcdesk.sla.calendar import CalendarSpec
from rtcdesk.sla.models import SlaCalendar
from rtcdesk.sla.specs import calendar_spec
from rtcdesk.sla.tracking import policy_version_for
from rtcdesk.tickets.events import TicketCreated, TicketUpdated
from rtcdesk.tickets.models import Priority, Status, Ticket
from rtcdesk.tickets.service import record_change

DONE = frozenset({Status.SOLVED, Status.CLOSED})


def policy_calendar(uow: UnitOfWork, ticket: Ticket) -> CalendarSpec | None:
    """The calendar of the SLA policy measuring ``ticket`` now (None: no policy)."""
    tier = uow.session.scalar(
        select(Organization.plan_tier).where(Organization.id == ticket.organization_id)
    )
    if tier is None:
        return None
    version = policy_version_for(uow, PlanTier(tier).value, Priority(ticket.priority).value)
    if version is None:
        return None
    row = uow.session.get(SlaCalendar, version.calendar_id)
    return calendar_spec(row) if row is not None else None


def page_if_after_hours(uow: UnitOfWork, ticket_id: int, link_key: bytes) -> None:
    """Page the covering schedule for a P1 outside business hours (once per open page)."""
    ticket = uow.session.get(Ticket, ticket_id)
    if ticket is None or ticket.priority != Priority.P1 or ticket.status in DONE:
        return
    calendar = hours.team_calendar(policy_calendar(uow, ticket))
    if not hours.outside_business_hours(calendar, uow.clock.now()):
        return
    if paging.open_page(uow, ticket_id) is not None:
        return
    page = paging.page_now(uow, ticket_id, reason=paging.REASON_AFTER_HOURS, link_key=link_key)
    if page is None:
        record_change(uow, SYSTEM, ticket_id, HISTORY_FIELD, None, encode("nobody"))


def register(bus: EventBus, link_key: bytes) -> None:
    """Subscribe paging to ticket creation and to priority and status changes."""

    def created(uow: UnitOfWork, event: TicketCreated) -> None:
        page_if_after_hours(uow, event.ticket_id, link_key)

    def updated(uow: UnitOfWork, event: TicketUpdated) -> None:
        if "status" in event.fields:
            ticket = uow.session.get(Ticket, event.ticket_id)
            if ticket is not None and ticket.status in DONE:
                paging.resolve_for_ticket(uow, event.ticket_id)
                return
        if "priority" in event.fields:
            page_if_after_hours(uow, event.ticket_id, link_key)

    bus.subscribe_in_transaction(TicketCreated, created)
    bus.subscribe_in_transaction(TicketUpdated, updated)
