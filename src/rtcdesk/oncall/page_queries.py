"""Reads of pages for the console and the API (support staff only)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import msgspec
from sqlalchemy import select

from rtcdesk.accounts.access import Actor
from rtcdesk.core.errors import PermissionDenied
from rtcdesk.core.i18n import N_
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.notifications.actions import InboxAction
from rtcdesk.notifications.models import Notification
from rtcdesk.notifications.schemas import NotificationOut
from rtcdesk.oncall import access
from rtcdesk.oncall.models import Page, PageState
from rtcdesk.oncall.paging import page_of_notification_key
from rtcdesk.oncall.queries import agents_by_id
from rtcdesk.tickets.models import Ticket

MAX_PAGES = 200


class PageStepOut(msgspec.Struct):
    """One person paged."""

    step: int
    agent_id: int
    agent_name: str
    role: str
    layer_id: int | None
    state: str
    paged_at: datetime


class PageOut(msgspec.Struct):
    """A page with its chain and what metrics read (time to acknowledge, escalations)."""

    id: int
    ticket_id: int
    schedule_id: int | None
    reason: str
    state: str
    created_at: datetime
    acked_at: datetime | None
    acked_by_agent_id: int | None
    acked_by_name: str | None
    acked_via: str | None
    resolved_at: datetime | None
    seconds_to_acknowledge: float | None
    escalations: int
    escalate_after_minutes: int
    steps: list[PageStepOut]


def pages_out(uow: UnitOfWork, rows: list[Page]) -> list[PageOut]:
    """Pages as the API and console show them."""
    ids = [s.agent_id for p in rows for s in p.steps] + [p.acked_by_agent_id for p in rows]
    agents = agents_by_id(uow, ids)

    def name(agent_id: int | None) -> str | None:
        return agents[agent_id].name if agent_id in agents else None

    return [
        PageOut(
            id=p.id,
            ticket_id=p.ticket_id,
            schedule_id=p.schedule_id,
            reason=p.reason,
            state=p.state.value,
            created_at=p.created_at,
            acked_at=p.acked_at,
            acked_by_agent_id=p.acked_by_agent_id,
            acked_by_name=name(p.acked_by_agent_id),
            acked_via=p.acked_via,
            resolved_at=p.resolved_at,
            seconds_to_acknowledge=(
                (p.acked_at - p.created_at).total_seconds() if p.acked_at else None
            ),
            escalations=p.escalations,
            escalate_after_minutes=p.escalate_after_minutes,
            steps=[
                PageStepOut(
                    step=s.step,
                    agent_id=s.agent_id,
                    agent_name=name(s.agent_id) or "?",
                    role=s.role,
                    layer_id=s.layer_id,
                    state=s.state.value,
                    paged_at=s.paged_at,
                )
                for s in p.steps
            ],
        )
        for p in rows
    ]


def pages(
    uow: UnitOfWork, actor: Actor, *, open_only: bool = False, limit: int = 50
) -> list[PageOut]:
    """Open pages first, then the most recent ones (support staff)."""
    access.check_can_view(actor)
    query = select(Page).order_by(Page.created_at.desc(), Page.id.desc())
    if open_only:
        query = query.where(Page.state == PageState.TRIGGERED)
    rows = list(uow.session.scalars(query.limit(min(max(limit, 1), MAX_PAGES))))
    rows.sort(key=lambda p: p.state != PageState.TRIGGERED)
    return pages_out(uow, rows)


def pages_for_ticket(uow: UnitOfWork, actor: Actor, ticket_id: int) -> list[PageOut]:
    """A ticket's pages, newest first (support staff; customers see none)."""
    access.check_can_view(actor)
    rows = list(
        uow.session.scalars(
            select(Page).where(Page.ticket_id == ticket_id).order_by(Page.id.desc())
        )
    )
    return pages_out(uow, rows)


def ticket_subjects(uow: UnitOfWork, actor: Actor, rows: Sequence[PageOut]) -> dict[int, str]:
    """The subjects of the pages' tickets, for the Pages list (support staff)."""
    access.check_can_view(actor)
    ids = {p.ticket_id for p in rows}
    found = uow.session.execute(select(Ticket.id, Ticket.subject).where(Ticket.id.in_(ids)))
    return dict(found.all())


ACKNOWLEDGE = N_("Acknowledge")


def inbox_actions(
    uow: UnitOfWork, actor: Actor, items: Sequence[NotificationOut]
) -> dict[int, InboxAction]:
    """An *Acknowledge* button on each page notification whose page still waits and which
    the reader may acknowledge (the same rule as the ticket page and the signed link)."""
    rows = uow.session.execute(
        select(Notification.id, Notification.key).where(Notification.id.in_([n.id for n in items]))
    )
    keys = dict(rows.all())
    page_ids = {nid: page_of_notification_key(key) for nid, key in keys.items()}
    wanted = {p for p in page_ids.values() if p is not None}
    waiting = {
        p.id: p
        for p in uow.session.scalars(
            select(Page).where(Page.id.in_(wanted), Page.state == PageState.TRIGGERED)
        )
    }
    found: dict[int, InboxAction] = {}
    for notification_id, page_id in page_ids.items():
        page = waiting.get(page_id) if page_id is not None else None
        if page is None:
            continue
        try:
            access.check_can_acknowledge(actor, {s.agent_id for s in page.steps})
        except PermissionDenied:
            continue
        found[notification_id] = InboxAction(ACKNOWLEDGE, f"/console/pages/{page.id}/ack")
    return found
