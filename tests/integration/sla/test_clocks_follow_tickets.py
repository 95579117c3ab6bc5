"""Ticket clocks kept in step with every change, to the second, on both backends: deadlines,
pauses through real status changes, a mid-flight priority change, timers replaced (never
duplicated) and thresholds recorded once, with the reactions seam called by the winner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from factories import accounts as fa
from factories import sla as fs
from factories import tickets as ft
from rtcdesk.accounts.access import SYSTEM, Actor
from rtcdesk.accounts.models import Contact, PlanTier
from rtcdesk.accounts.schemas import OrganizationUpdate
from rtcdesk.accounts.service import agent_actor, contact_actor, update_organization
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock
from rtcdesk.jobs.models import Job, JobState
from rtcdesk.jobs.worker import Worker
from rtcdesk.sla.models import SlaEvent, TicketSla, TicketSlaVersion
from rtcdesk.sla.reactions import ThresholdReached
from rtcdesk.tickets import service
from rtcdesk.tickets.models import Channel, MessageKind, Priority, Status, Ticket, TicketChange
from rtcdesk.tickets.schemas import MessageCreate, TicketUpdate

# Monday 2 March 2026, 09:00 in Beijing (a normal working day).
MONDAY_9 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> dict[str, Any]:
    """A Beijing 09:00-12:00/13:00-18:00 calendar, premium policies P3 and P1, a customer."""
    clock.set(MONDAY_9)
    cal = fs.calendar(container, name="Beijing")
    p3 = fs.policy(container, cal, priority="P3", first=60, next_reply=120, resolution=480)
    p1 = fs.policy(container, cal, priority="P1", first=15, next_reply=30, resolution=60)
    org = fa.organization(container, tier="premium")
    dev = fa.contact(container, org)
    agent = fa.agent(container)
    return {"cal": cal, "p3": p3, "p1": p1, "org": org, "dev": dev, "agent": agent}


def _sla(container: Container, ticket_id: int) -> tuple[TicketSla, Ticket]:
    with container.uow() as uow:
        row = uow.session.get(TicketSla, ticket_id)
        ticket = uow.session.get(Ticket, ticket_id)
        assert row is not None
        assert ticket is not None
        uow.session.expunge_all()
        return row, ticket


def _clock(row: TicketSla, target: str) -> dict[str, Any]:
    return next(c for c in row.clocks if c["target"] == target)


def _queued(container: Container, ticket_id: int) -> dict[str, datetime]:
    with container.uow() as uow:
        jobs = uow.session.scalars(
            select(Job).where(Job.key.like(f"sla:{ticket_id}:%"), Job.state == JobState.QUEUED)
        ).all()
        keys = [j.key for j in jobs if j.key]
        assert len(keys) == len(set(keys)), "a timer was duplicated"
        return {j.key: j.run_at for j in jobs if j.key}


def _customer(container: Container, dev: Contact) -> Actor:
    with container.uow() as uow:
        person = uow.session.get(Contact, dev.id)
        assert person is not None
        return contact_actor(person)


def _reply(container: Container, ticket_id: int, who: Any, **kw: Any) -> None:
    with container.uow() as uow:
        service.add_message(
            uow, who, ticket_id, MessageCreate(body="reply", **kw), channel=Channel.API
        )
        uow.commit()


def _update(container: Container, ticket_id: int, data: TicketUpdate) -> None:
    with container.uow() as uow:
        service.update_ticket(uow, SYSTEM, ticket_id, data)
        uow.commit()


def test_a_new_ticket_gets_deadlines_and_one_timer_per_threshold(
    container: Container, world: dict[str, Any]
) -> None:
    ticket = ft.ticket(container, world["dev"])
    row, stored = _sla(container, ticket.id)
    assert row.policy_version_id == world["p3"].id
    first = _clock(row, "first_response")
    assert first["state"] == "running"
    assert first["deadline"] == "2026-03-02T02:00:00+00:00"  # 10:00 Beijing
    # 8 business hours from 09:00 with a lunch hour: 18:00 Beijing.
    assert _clock(row, "resolution")["deadline"] == "2026-03-02T10:00:00+00:00"
    assert stored.sla_due_at == datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    assert stored.first_response_due == datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    us = timedelta(microseconds=1)
    assert _queued(container, ticket.id) == {
        f"sla:{ticket.id}:first_response:75": datetime(2026, 3, 2, 1, 45, tzinfo=UTC),
        f"sla:{ticket.id}:first_response:breach": datetime(2026, 3, 2, 2, 0, tzinfo=UTC) + us,
        f"sla:{ticket.id}:resolution:75": datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        f"sla:{ticket.id}:resolution:breach": datetime(2026, 3, 2, 10, 0, tzinfo=UTC) + us,
    }


def test_first_response_is_a_public_agent_reply_not_a_note_or_an_auto_reply(
    container: Container, world: dict[str, Any], clock: FrozenClock
) -> None:
    ticket = ft.ticket(container, world["dev"])
    agent = agent_actor(world["agent"])
    clock.advance(timedelta(minutes=10))
    _reply(container, ticket.id, agent, kind=MessageKind.INTERNAL)
    with container.uow() as uow:  # rtcdesk's own "we received your request"
        service.add_message(
            uow, SYSTEM, ticket.id, MessageCreate(body="Received"), channel=Channel.SYSTEM
        )
        uow.commit()
    row, _ = _sla(container, ticket.id)
    assert _clock(row, "first_response")["state"] == "running"
    clock.advance(timedelta(minutes=10))
    _reply(container, ticket.id, agent)
    row, stored = _sla(container, ticket.id)
    first = _clock(row, "first_response")
    assert (first["state"], first["stopped_at"]) == ("met", "2026-03-02T01:20:00+00:00")
    assert stored.first_response_due is None
    assert set(_queued(container, ticket.id)) == {
        f"sla:{ticket.id}:resolution:75",
        f"sla:{ticket.id}:resolution:breach",
    }


def test_timers_are_replaced_not_duplicated_as_the_conversation_goes_on(
    container: Container, world: dict[str, Any], clock: FrozenClock
) -> None:
    ticket = ft.ticket(container, world["dev"])
    agent, customer = agent_actor(world["agent"]), _customer(container, world["dev"])
    _reply(container, ticket.id, agent)
    for minutes in (5, 15, 30):
        clock.set(MONDAY_9 + timedelta(minutes=minutes))
        _reply(container, ticket.id, customer)
    row, _ = _sla(container, ticket.id)
    cycle = _clock(row, "next_reply")
    # The first customer message after the answer (09:05) opened the cycle; later ones joined.
    assert cycle["started_at"] == "2026-03-02T01:05:00+00:00"
    assert cycle["deadline"] == "2026-03-02T03:05:00+00:00"
    queued = _queued(container, ticket.id)
    assert queued[f"sla:{ticket.id}:next_reply:breach"] == datetime(
        2026, 3, 2, 3, 5, 0, 1, tzinfo=UTC
    )
    _reply(container, ticket.id, agent)
    clock.set(MONDAY_9 + timedelta(hours=1))
    _reply(container, ticket.id, customer)
    queued = _queued(container, ticket.id)
    assert queued[f"sla:{ticket.id}:next_reply:breach"] == datetime(
        2026, 3, 2, 4, 0, 0, 1, tzinfo=UTC
    )
    with container.uow() as uow:
        count = uow.session.scalar(
            select(func.count()).select_from(Job).where(Job.key.like(f"sla:{ticket.id}:%"))
        )
    assert count == 4


def test_waiting_on_the_customer_pauses_and_resuming_moves_the_deadline(
    container: Container, world: dict[str, Any], clock: FrozenClock
) -> None:
    ticket = ft.ticket(container, world["dev"])
    _reply(container, ticket.id, agent_actor(world["agent"]))
    clock.set(MONDAY_9 + timedelta(minutes=30))
    _update(container, ticket.id, TicketUpdate(status=Status.PENDING_CUSTOMER))
    row, stored = _sla(container, ticket.id)
    resolution = _clock(row, "resolution")
    assert (resolution["state"], resolution["deadline"]) == ("paused", None)
    assert resolution["paused_since"] == "2026-03-02T01:30:00+00:00"
    assert stored.sla_due_at is None
    assert _queued(container, ticket.id) == {}
    # The customer answers at 14:00 Beijing: the paused span counts for nothing.
    clock.set(datetime(2026, 3, 2, 6, 0, tzinfo=UTC))
    _reply(container, ticket.id, _customer(container, world["dev"]))
    row, stored = _sla(container, ticket.id)
    resolution = _clock(row, "resolution")
    assert resolution["state"] == "running"
    # 7.5 business hours were left: 14:00-18:00 (4h), Tuesday 09:00-12:00 and 13:00-13:30.
    assert resolution["deadline"] == "2026-03-03T05:30:00+00:00"
    assert stored.sla_due_at == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # the next reply's


def test_raising_the_priority_mid_flight_measures_the_new_target_from_the_start(
    container: Container, world: dict[str, Any], clock: FrozenClock
) -> None:
    ticket = ft.ticket(container, world["dev"])
    _reply(container, ticket.id, agent_actor(world["agent"]))
    clock.set(MONDAY_9 + timedelta(hours=2))
    _update(container, ticket.id, TicketUpdate(priority=Priority.P1, priority_reason="outage"))
    row, stored = _sla(container, ticket.id)
    assert row.policy_version_id == world["p1"].id
    resolution = _clock(row, "resolution")
    assert resolution["state"] == "breached"
    assert resolution["breached_at"] == "2026-03-02T02:00:00+00:00"  # created + 1 h
    first = _clock(row, "first_response")  # already met: keeps its verdict and version
    assert (first["state"], first["version"]) == ("met", str(world["p3"].id))
    with container.uow() as uow:
        history = uow.session.scalars(
            select(TicketSlaVersion)
            .where(TicketSlaVersion.ticket_id == ticket.id)
            .order_by(TicketSlaVersion.id)
        ).all()
        uow.session.expunge_all()
    assert [(h.reason, h.detail, h.policy_version_id) for h in history] == [
        ("created", "", world["p3"].id),
        ("priority", "P3 → P1", world["p1"].id),
    ]
    assert history[1].at == MONDAY_9 + timedelta(hours=2)
    # The breach is already there: its timer is due now, and the worker records it.
    assert _queued(container, ticket.id)[f"sla:{ticket.id}:resolution:breach"] == clock.now()
    Worker(container, listen=False).run_pending()
    with container.uow() as uow:
        events = [
            (e.target, e.threshold, e.at, e.policy_version_id)
            for e in uow.session.scalars(select(SlaEvent).where(SlaEvent.ticket_id == ticket.id))
        ]
    assert events == [
        ("resolution", "breach", datetime(2026, 3, 2, 2, 0, tzinfo=UTC), world["p1"].id)
    ]
    assert stored.sla_due_at == datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_a_warning_fires_once_records_history_and_calls_the_reactions(
    container: Container, world: dict[str, Any], clock: FrozenClock
) -> None:
    seen: list[ThresholdReached] = []
    container.sla_reactions.register(lambda uow, reached: seen.append(reached))
    ticket = ft.ticket(container, world["dev"])
    worker = Worker(container, listen=False)
    clock.set(MONDAY_9 + timedelta(minutes=44, seconds=59))
    worker.run_pending()
    assert seen == []
    clock.set(MONDAY_9 + timedelta(minutes=45))
    worker.run_pending()
    assert [(r.target, r.threshold, r.at) for r in seen] == [
        ("first_response", "75", MONDAY_9 + timedelta(minutes=45))
    ]
    clock.set(MONDAY_9 + timedelta(hours=1, seconds=1))
    worker.run_pending()
    assert [(r.target, r.threshold) for r in seen][1:] == [("first_response", "breach")]
    assert seen[1].at == MONDAY_9 + timedelta(hours=1)
    with container.uow() as uow:
        changes = [
            (c.field, c.new_value)
            for c in uow.session.scalars(
                select(TicketChange)
                .where(TicketChange.ticket_id == ticket.id, TicketChange.field.like("sla_%"))
                .order_by(TicketChange.id)
            )
        ]
        count = uow.session.scalar(
            select(func.count()).select_from(SlaEvent).where(SlaEvent.ticket_id == ticket.id)
        )
    assert changes == [
        ("sla_first_response", "75% / 1h"),
        ("sla_first_response", "breached"),
    ]
    assert count == 2
    # A later change re-arms nothing already recorded.
    _reply(container, ticket.id, agent_actor(world["agent"]), kind=MessageKind.INTERNAL)
    worker.run_pending()
    assert len(seen) == 2


def test_a_plan_change_switches_open_tickets_to_the_new_plans_policy(
    container: Container, world: dict[str, Any], clock: FrozenClock
) -> None:
    enterprise = fs.policy(container, world["cal"], tier="enterprise", priority="P3", first=30)
    ticket = ft.ticket(container, world["dev"])
    clock.set(MONDAY_9 + timedelta(minutes=40))
    with container.uow() as uow:
        update_organization(
            uow, SYSTEM, world["org"].id, OrganizationUpdate(plan_tier=PlanTier.ENTERPRISE)
        )
        uow.commit()
    clock.set(MONDAY_9 + timedelta(minutes=41))
    Worker(container, listen=False).run_pending()
    row, _ = _sla(container, ticket.id)
    assert row.policy_version_id == enterprise.id
    first = _clock(row, "first_response")
    assert (first["state"], first["breached_at"]) == ("breached", "2026-03-02T01:30:00+00:00")
    with container.uow() as uow:
        switch = uow.session.scalars(
            select(TicketSlaVersion).where(
                TicketSlaVersion.ticket_id == ticket.id, TicketSlaVersion.reason == "plan"
            )
        ).one()
        assert (switch.detail, switch.at) == (
            "premium → enterprise",
            MONDAY_9 + timedelta(minutes=40),
        )


def test_a_policy_edit_leaves_existing_tickets_on_their_version(
    container: Container, world: dict[str, Any]
) -> None:
    ticket = ft.ticket(container, world["dev"])
    newer = fs.policy(container, world["cal"], priority="P3", first=30)
    assert newer.number == 2
    _reply(container, ticket.id, _customer(container, world["dev"]))
    row, _ = _sla(container, ticket.id)
    assert row.policy_version_id == world["p3"].id
    later = ft.ticket(container, world["dev"])
    assert _sla(container, later.id)[0].policy_version_id == newer.id


def test_merging_cancels_the_duplicates_clocks_and_timers(
    container: Container, world: dict[str, Any], clock: FrozenClock
) -> None:
    from rtcdesk.tickets.links import merge_ticket

    keep = ft.ticket(container, world["dev"])
    duplicate = ft.ticket(container, world["dev"])
    clock.advance(timedelta(minutes=5))
    with container.uow() as uow:
        merge_ticket(uow, agent_actor(world["agent"]), duplicate.id, keep.id)
        uow.commit()
    row, stored = _sla(container, duplicate.id)
    assert {c["state"] for c in row.clocks} == {"cancelled"}
    assert stored.sla_due_at is None
    assert _queued(container, duplicate.id) == {}
    assert len(_queued(container, keep.id)) == 4
