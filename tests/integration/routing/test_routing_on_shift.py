"""Routing follows the on-call schedule of the team outside its business hours: a new ticket
goes to the engineer on call (even with more load), inside business hours availability and
load alone decide, and an engineer on call but away stays away (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from factories import accounts as fa
from factories import oncall as fo
from factories import tickets as ft
from rtcdesk.accounts import service as accounts_service
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Agent, Availability
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock
from rtcdesk.routing import service as routing
from rtcdesk.routing.reasons import HISTORY_FIELD, decode
from rtcdesk.routing.schemas import RuleCreate
from rtcdesk.tickets import service as tickets
from rtcdesk.tickets.models import Ticket, TicketChange
from rtcdesk.tickets.schemas import TicketUpdate

# Tuesday 3 March 2026: 10:00 and 23:00 in Beijing (the default business hours 09:00-18:00).
DAYTIME = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
NIGHT = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> dict[str, Any]:
    """A Video team of two; only Bo is on the team's schedule (weekly, from 2 March)."""
    clock.set(DAYTIME)
    video = fa.group(container, "Video")
    ana = fa.agent(container, name="Ana", group_ids=(video.id,))
    bo = fa.agent(container, name="Bo", group_ids=(video.id,))
    fo.schedule(container, [[bo]], name="Video nights", group_id=video.id)
    with container.uow() as uow:
        routing.create_rule(uow, SYSTEM, RuleCreate(name="Video", group_id=video.id))
        uow.commit()
    org = fa.organization(container, tier="premium")
    dev = fa.contact(container, org)
    # Bo already carries a ticket, so by load alone Ana comes first.
    first = ft.ticket(container, dev)
    with container.uow() as uow:
        tickets.update_ticket(uow, SYSTEM, first.id, TicketUpdate(assignee_id=bo.id))
        uow.commit()
    return {"ana": ana, "bo": bo, "dev": dev}


def _routed(container: Container, ticket_id: int) -> tuple[int | None, list[str]]:
    with container.uow() as uow:
        ticket = uow.session.get(Ticket, ticket_id)
        assert ticket is not None
        entry = (
            uow.session.query(TicketChange)
            .filter(TicketChange.ticket_id == ticket_id, TicketChange.field == HISTORY_FIELD)
            .one()
        )
        reason = decode(entry.new_value)
        assert reason is not None
        return ticket.assignee_id, [p.kind for p in reason.parts]


def test_daytime_routing_ignores_the_schedule(container: Container, world: dict[str, Any]) -> None:
    ticket = ft.ticket(container, world["dev"])
    assignee, parts = _routed(container, ticket.id)
    assert assignee == world["ana"].id
    assert "on_shift" not in parts


def test_at_night_the_engineer_on_call_takes_the_ticket(
    container: Container, clock: FrozenClock, world: dict[str, Any]
) -> None:
    clock.set(NIGHT)
    ticket = ft.ticket(container, world["dev"])
    assignee, parts = _routed(container, ticket.id)
    assert assignee == world["bo"].id
    assert parts[:2] == ["rule", "on_shift"]


def test_an_engineer_on_call_but_away_stays_away(
    container: Container, clock: FrozenClock, world: dict[str, Any]
) -> None:
    with container.uow() as uow:
        bo = uow.session.get(Agent, world["bo"].id)
        assert bo is not None
        accounts_service.set_availability(uow, accounts_service.agent_actor(bo), Availability.AWAY)
        uow.commit()
    clock.set(NIGHT)
    ticket = ft.ticket(container, world["dev"])
    assignee, parts = _routed(container, ticket.id)
    assert assignee is None
    assert "no_agent" in parts
