"""A ticket's clock runs over with the injectable clock and the threshold jobs run in a
worker: warnings reach the assignee and then the team lead, the breach hands the ticket to
L2 with a history entry, an ``escalations`` row and notifications (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from factories import accounts as fa
from factories import escalation as fe
from factories import sla as fs
from factories import tickets as ft
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock
from rtcdesk.escalation.models import Escalation
from rtcdesk.escalation.texts import HISTORY_FIELD, decode, describe
from rtcdesk.jobs.worker import Worker
from rtcdesk.notifications.models import Notification
from rtcdesk.routing import service as routing
from rtcdesk.routing.schemas import RuleCreate
from rtcdesk.sla.models import SlaEvent
from rtcdesk.tickets import service as tickets
from rtcdesk.tickets.models import Ticket, TicketChange
from rtcdesk.tickets.schemas import TicketUpdate

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> dict[str, Any]:
    """A 24x7 premium P3 policy (first response 60 min, warnings at 75% and 90%), a Video
    team with an L1, an L2 and an L3 engineer, a lead, a manager, and the default ladder."""
    clock.set(START)
    cal = fs.calendar(container, name="24x7", always_open=True)
    fs.policy(
        container,
        cal,
        priority="P3",
        first=60,
        next_reply=None,
        resolution=None,
        warnings=(0.75, 0.9),
    )
    video = fa.group(container, "Video")
    li = fa.agent(container, name="Li Wei", level="L1", group_ids=(video.id,))
    wang = fa.agent(container, name="Wang Fang", level="L2", group_ids=(video.id,))
    zhao = fa.agent(container, name="Zhao Lei", level="L3", group_ids=(video.id,))
    lead = fa.agent(container, name="Chen Jie", level="L3", role="admin")
    boss = fa.agent(container, name="Boss", role="manager", group_ids=())
    fe.lead(container, video.id, lead.id)
    with container.uow() as uow:
        routing.create_rule(uow, SYSTEM, RuleCreate(name="Video", group_id=video.id))
        uow.commit()
    fe.policy(container)
    org = fa.organization(container, tier="premium")
    dev = fa.contact(container, org)
    return {
        "li": li,
        "wang": wang,
        "zhao": zhao,
        "lead": lead,
        "boss": boss,
        "dev": dev,
        "video": video,
    }


def _notified(container: Container, ticket_id: int) -> list[tuple[str, int]]:
    with container.uow() as uow:
        rows = uow.session.execute(
            select(Notification.kind, Notification.agent_id)
            .where(
                Notification.ticket_id == ticket_id,
                Notification.kind.like("sla.%") | (Notification.kind == "ticket.assigned"),
            )
            .order_by(Notification.id)
        ).all()
        return [(k, a) for k, a in rows]


def test_clock_running_over_warns_then_escalates_to_l2(
    container: Container, clock: FrozenClock, world: dict[str, Any]
) -> None:
    ticket = ft.ticket(container, world["dev"])
    li, wang, lead, boss = world["li"], world["wang"], world["lead"], world["boss"]
    with container.uow() as uow:
        placed = uow.session.get(Ticket, ticket.id)
        assert placed is not None
        assert (placed.group_id, placed.assignee_id) == (world["video"].id, li.id)
    worker = Worker(container, listen=False)
    # Routing's assignment told Li; the escalation's own notice replaces a second one.
    assert _notified(container, ticket.id) == [("ticket.assigned", li.id)]

    clock.set(START + timedelta(minutes=45))
    worker.run_pending()
    assert _notified(container, ticket.id)[1:] == [("sla.warning", li.id)]

    clock.set(START + timedelta(minutes=54))
    worker.run_pending()
    assert _notified(container, ticket.id)[2:] == [("sla.warning", li.id), ("sla.warning", lead.id)]

    clock.set(START + timedelta(minutes=60, seconds=1))
    worker.run_pending()
    assert _notified(container, ticket.id)[4:] == [
        ("sla.escalated", wang.id),
        ("sla.breach", li.id),
        ("sla.breach", lead.id),
        ("sla.breach", boss.id),
    ]
    with container.uow() as uow:
        now_ticket = uow.session.get(Ticket, ticket.id)
        assert now_ticket is not None
        assert now_ticket.assignee_id == wang.id
        rows = uow.session.scalars(
            select(Escalation).where(Escalation.ticket_id == ticket.id).order_by(Escalation.id)
        ).all()
        assert [(r.threshold, r.action, r.from_agent_id, r.to_agent_id, r.level) for r in rows] == [
            ("75", "warn", li.id, None, None),
            ("90", "warn", li.id, None, None),
            ("breach", "reassign", li.id, wang.id, "L2"),
        ]
        breach_event = uow.session.scalar(
            select(SlaEvent.id).where(
                SlaEvent.ticket_id == ticket.id, SlaEvent.threshold == "breach"
            )
        )
        assert rows[2].sla_event_id == breach_event
        assert rows[2].target == "first_response"
        entries = [
            decode(c.new_value)
            for c in uow.session.scalars(
                select(TicketChange)
                .where(TicketChange.ticket_id == ticket.id, TicketChange.field == HISTORY_FIELD)
                .order_by(TicketChange.id)
            )
        ]
    texts = [describe(e) for e in entries if e is not None]
    assert texts == [
        "warned Li Wei: first response 75% used",
        "warned Li Wei, Chen Jie: first response 90% used",
        "escalated to L2 (Wang Fang): first response breached",
    ]


def test_breach_of_an_l3_ticket_has_no_higher_level(
    container: Container, clock: FrozenClock, world: dict[str, Any]
) -> None:
    """Assigned to the L3 engineer, the breach finds no next level: the lead hears of it."""
    ticket = ft.ticket(container, world["dev"])
    with container.uow() as uow:
        tickets.update_ticket(uow, SYSTEM, ticket.id, TicketUpdate(assignee_id=world["zhao"].id))
        uow.commit()
    clock.set(START + timedelta(minutes=61))
    Worker(container, listen=False).run_pending()
    with container.uow() as uow:
        rows = uow.session.scalars(
            select(Escalation).where(
                Escalation.ticket_id == ticket.id, Escalation.threshold == "breach"
            )
        ).all()
        assert [(r.action, r.to_agent_id, r.level) for r in rows] == [("reassign", None, None)]
        kept = uow.session.get(Ticket, ticket.id)
        assert kept is not None
        assert kept.assignee_id == world["zhao"].id
    assert ("sla.breach", world["lead"].id) in _notified(container, ticket.id)
