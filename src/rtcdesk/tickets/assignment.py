"""The write path routing places tickets through: group, assignee and the recorded reason."""

from __future__ import annotations

from sqlalchemy import exists, select

from rtcdesk.accounts.access import Actor
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.tickets.events import TicketUpdated
from rtcdesk.tickets.models import Ticket, TicketChange


def apply_route(
    uow: UnitOfWork,
    actor: Actor,
    ticket: Ticket,
    *,
    group_id: int | None,
    assignee_id: int | None,
    field: str,
    record: str,
) -> None:
    """Set ``ticket``'s group and assignee and add ``record`` (structured) to its history."""
    changed = [
        name
        for name, new in (("group_id", group_id), ("assignee_id", assignee_id))
        if getattr(ticket, name) != new
    ]
    ticket.group_id = group_id
    ticket.assignee_id = assignee_id
    uow.session.add(
        TicketChange(
            ticket_id=ticket.id,
            at=uow.clock.now(),
            actor_kind=actor.kind,
            actor_id=actor.id,
            actor_name=actor.name,
            field=field,
            old_value=None,
            new_value=record,
        )
    )
    if changed:
        ticket.updated_at = uow.clock.now()
        uow.emit(TicketUpdated(ticket_id=ticket.id, fields=tuple(changed)))


def has_history(uow: UnitOfWork, ticket_id: int, field: str) -> bool:
    """Whether ``ticket_id``'s history holds an entry of ``field``."""
    found = uow.session.scalar(
        select(exists().where(TicketChange.ticket_id == ticket_id, TicketChange.field == field))
    )
    return bool(found)
