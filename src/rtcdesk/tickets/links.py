"""Relating tickets: links between them, and merging a duplicate into another.

Part of the tickets write path (like ``service.py``): functions take the caller's unit of
work and never commit.
"""

from __future__ import annotations

from sqlalchemy import select, update

from rtcdesk.accounts import access as account_access
from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import ActorKind
from rtcdesk.core.errors import Conflict, InvalidInput
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.tickets import access
from rtcdesk.tickets.events import TicketMerged
from rtcdesk.tickets.models import (
    Attachment,
    LinkKind,
    Message,
    Status,
    Ticket,
    TicketLink,
)
from rtcdesk.tickets.schemas import LinkCreate
from rtcdesk.tickets.service import record_change


def link_tickets(uow: UnitOfWork, actor: Actor, ticket_id: int, data: LinkCreate) -> TicketLink:
    """Relate two tickets (agents)."""
    account_access.require_agent(actor)
    if data.kind is LinkKind.DUPLICATE:
        raise InvalidInput("use merge to mark a ticket as a duplicate")
    source = access.get_ticket(uow, actor, ticket_id)
    target = access.get_ticket(uow, actor, data.target_id)
    if source.id == target.id:
        raise InvalidInput("a ticket cannot be linked to itself", field="target_id")
    exists = uow.session.scalar(
        select(TicketLink.id).where(
            ((TicketLink.source_id == source.id) & (TicketLink.target_id == target.id))
            | ((TicketLink.source_id == target.id) & (TicketLink.target_id == source.id))
        )
    )
    if exists:
        raise Conflict(
            "tickets {source_id} and {target_id} are already linked",
            params={"source_id": source.id, "target_id": target.id},
            field="target_id",
        )
    link = TicketLink(
        source_id=source.id,
        target_id=target.id,
        kind=data.kind,
        created_at=uow.clock.now(),
        created_by_agent_id=actor.id if actor.kind is ActorKind.AGENT else None,
    )
    uow.session.add(link)
    record_change(uow, actor, source.id, "link", None, f"#{target.id}")
    record_change(uow, actor, target.id, "link", None, f"#{source.id}")
    uow.flush()
    return link


def merge_ticket(uow: UnitOfWork, actor: Actor, source_id: int, target_id: int) -> Ticket:
    """Merge a duplicate into another ticket: messages and files move, history stays."""
    account_access.require_agent(actor)
    source = access.get_ticket(uow, actor, source_id)
    target = access.get_ticket(uow, actor, target_id)
    if source.id == target.id:
        raise InvalidInput("a ticket cannot be merged into itself", field="target_id")
    if source.organization_id != target.organization_id:
        raise InvalidInput("only tickets of the same organization can be merged", field="target_id")
    if source.merged_into_id is not None:
        raise Conflict(
            "ticket {source_id} was already merged into #{source_merged_into_id}",
            params={"source_id": source.id, "source_merged_into_id": source.merged_into_id},
        )
    if target.merged_into_id is not None or target.status is Status.CLOSED:
        raise Conflict(
            "ticket {target_id} cannot receive a merge (merged or closed)",
            params={"target_id": target.id},
        )
    uow.session.execute(
        update(Message)
        .where(Message.ticket_id == source.id)
        .values(ticket_id=target.id, moved_from_ticket_id=source.id)
    )
    uow.session.execute(
        update(Attachment).where(Attachment.ticket_id == source.id).values(ticket_id=target.id)
    )
    now = uow.clock.now()
    uow.session.add(
        TicketLink(
            source_id=source.id,
            target_id=target.id,
            kind=LinkKind.DUPLICATE,
            created_at=now,
            created_by_agent_id=actor.id if actor.kind is ActorKind.AGENT else None,
        )
    )
    old_status = source.status
    source.merged_into_id = target.id
    source.status = Status.CLOSED
    source.closed_at = now
    source.updated_at = now
    target.updated_at = now
    record_change(uow, actor, source.id, "merged_into", None, f"#{target.id}")
    record_change(uow, actor, source.id, "status", old_status, Status.CLOSED)
    record_change(uow, actor, target.id, "merged_from", None, f"#{source.id}")
    uow.flush()
    uow.session.expire_all()
    uow.emit(TicketMerged(source_id=source.id, target_id=target.id))
    return target
