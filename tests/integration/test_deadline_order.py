"""Time-to-breach order read page by page: the same order as sorting on the deadline with
"no deadline" last, in both directions and whatever the page size (both backends)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from factories import accounts as fa
from factories import tickets as ft
from rtcdesk.accounts.service import agent_actor
from rtcdesk.bootstrap import Container
from rtcdesk.tickets import queries
from rtcdesk.tickets.models import Ticket


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("page_size", [1, 2, 3, 20])
def test_pages_by_deadline_match_one_sort(
    container: Container, descending: bool, page_size: int
) -> None:
    org = fa.organization(container, name="Deadline Org")
    person = fa.contact(container, org)
    agent = fa.agent(container)
    now = container.clock.now()
    # Two tickets share a deadline (ties break on id); three have none.
    offsets = [3, None, 1, 3, None, 2, None, 0]
    made = [ft.ticket(container, person, subject=f"deadline {n}") for n in range(len(offsets))]
    with container.uow() as uow:
        for ticket, hours in zip(made, offsets, strict=True):
            due = None if hours is None else now + timedelta(hours=hours)
            uow.session.execute(update(Ticket).where(Ticket.id == ticket.id).values(sla_due_at=due))
        uow.commit()
    expected = sorted(
        made,
        key=lambda t: (offsets[made.index(t)] if offsets[made.index(t)] is not None else 99, t.id),
        reverse=descending,
    )
    mine = {t.id for t in made}
    sort = "-sla_due_at" if descending else "sla_due_at"
    seen: list[int] = []
    cursor = None
    with container.uow() as uow:
        actor = agent_actor(agent)
        filters = queries.TicketFilters.from_params({}, now=now)
        for _ in range(50):
            rows, cursor = queries.list_tickets(
                uow, actor, filters, sort=sort, cursor=cursor, limit=page_size
            )
            seen += [t.id for t in rows if t.id in mine]
            if cursor is None:
                break
    assert seen == [t.id for t in expected]
