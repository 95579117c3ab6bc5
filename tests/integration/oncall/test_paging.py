"""Paging on both backends: when a P1 pages, escalation by moving the clock and running the
worker, acknowledgement from the console and by signed link, closing with the ticket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from factories import accounts as f
from factories import oncall as oncall_f
from factories import sla as fs
from factories import tickets as tf
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Agent
from rtcdesk.accounts.service import agent_actor
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock
from rtcdesk.core.errors import Conflict, PermissionDenied
from rtcdesk.jobs.models import Job
from rtcdesk.jobs.worker import Worker
from rtcdesk.notifications.models import Notification
from rtcdesk.oncall import acks, links, paging
from rtcdesk.oncall.links import link_key
from rtcdesk.oncall.models import Page, PageState, StepState
from rtcdesk.oncall.page_texts import HISTORY_FIELD, decode
from rtcdesk.oncall.schemas import ScheduleUpdate
from rtcdesk.oncall.service import update_schedule
from rtcdesk.tickets import service as tickets
from rtcdesk.tickets.models import Impact, Priority, Status, TicketChange, Urgency
from rtcdesk.tickets.schemas import TicketUpdate

BEIJING = timedelta(hours=8)


def beijing(*args: int) -> datetime:
    """An instant given as Beijing wall-clock time."""
    return datetime(*args, tzinfo=UTC) - BEIJING


@pytest.fixture
def desk(container: Container) -> dict[str, Any]:
    """A default schedule with two layers and a manager, and a customer."""
    l1, l2, boss = (f.agent(container, name=n) for n in ("Zhang Min", "Li Wei", "Sarah Miller"))
    schedule = oncall_f.schedule(container, [[l1], [l2]], manager=boss)
    with container.uow() as uow:
        row = update_schedule(uow, SYSTEM, schedule.id, ScheduleUpdate(is_default=True))
        uow.commit()
    org = f.organization(container)
    return {"l1": l1, "l2": l2, "boss": boss, "schedule": row, "contact": f.contact(container, org)}


def p1(container: Container, desk: dict[str, Any]) -> int:
    made = tf.ticket(container, desk["contact"], urgency=Urgency.CRITICAL, impact=Impact.CRITICAL)
    return made.id


def pages_of(container: Container, ticket_id: int) -> list[Page]:
    with container.uow() as uow:
        rows = list(uow.session.scalars(select(Page).where(Page.ticket_id == ticket_id)))
        uow.session.expunge_all()  # read them after the unit of work ends
        return rows


def paging_history(container: Container, ticket_id: int) -> list[str]:
    with container.uow() as uow:
        rows = uow.session.scalars(
            select(TicketChange.new_value)
            .where(TicketChange.ticket_id == ticket_id, TicketChange.field == HISTORY_FIELD)
            .order_by(TicketChange.id)
        )
        return [entry.event for entry in map(decode, rows) if entry]


def key(container: Container) -> bytes:
    return link_key(container.settings.secret_key, container.settings.data_dir)


def test_a_p1_at_three_in_the_morning_pages_layer_one(
    container: Container, clock: FrozenClock, desk: dict[str, Any]
) -> None:
    clock.set(beijing(2026, 3, 3, 3, 0))
    ticket_id = p1(container, desk)
    [page] = pages_of(container, ticket_id)
    assert page.state == PageState.TRIGGERED
    assert [(s.step, s.agent_id, s.role) for s in page.steps] == [(0, desk["l1"].id, "layer")]
    assert paging_history(container, ticket_id) == ["paged"]
    with container.uow() as uow:
        note = uow.session.scalar(
            select(Notification).where(
                Notification.agent_id == desk["l1"].id, Notification.kind == "oncall.page"
            )
        )
        assert note is not None
        assert note.kind == "oncall.page"
        assert note.link is not None
        assert note.link.startswith("/pages/ack/")


@pytest.mark.parametrize(
    ("when", "pages"),
    [
        (beijing(2026, 3, 3, 10, 0), False),  # a Tuesday at 10:00
        (beijing(2026, 3, 3, 18, 30), True),  # the same evening
        (beijing(2026, 2, 28, 10, 0), False),  # a make-up working Saturday (调休)
        (beijing(2026, 3, 7, 10, 0), True),  # an ordinary Saturday
        (beijing(2026, 2, 17, 10, 0), True),  # Spring Festival, a Tuesday off
    ],
)
def test_business_hours_decide_whether_a_p1_pages(
    container: Container,
    clock: FrozenClock,
    desk: dict[str, Any],
    when: datetime,
    pages: bool,
) -> None:
    clock.set(when)
    ticket_id = p1(container, desk)
    assert bool(pages_of(container, ticket_id)) is pages


def test_a_p3_never_pages_and_raising_it_to_p1_does(
    container: Container, clock: FrozenClock, desk: dict[str, Any]
) -> None:
    clock.set(beijing(2026, 3, 3, 23, 0))
    ticket_id = tf.ticket(container, desk["contact"]).id
    assert pages_of(container, ticket_id) == []
    with container.uow() as uow:
        actor = agent_actor(uow.session.get(Agent, desk["l2"].id))  # type: ignore[arg-type]
        tickets.update_ticket(
            uow, actor, ticket_id, TicketUpdate(priority=Priority.P1, priority_reason="outage")
        )
        uow.commit()
    assert len(pages_of(container, ticket_id)) == 1


def run_worker(container: Container) -> None:
    Worker(container, listen=False).run_pending()


def test_unacknowledged_pages_escalate_to_layer_two_then_the_manager(
    container: Container, clock: FrozenClock, desk: dict[str, Any]
) -> None:
    clock.set(beijing(2026, 3, 3, 3, 0))
    ticket_id = p1(container, desk)
    clock.advance(timedelta(minutes=4, seconds=59))
    run_worker(container)
    assert len(pages_of(container, ticket_id)[0].steps) == 1  # not yet
    clock.advance(timedelta(seconds=1))
    run_worker(container)
    [page] = pages_of(container, ticket_id)
    assert [(s.agent_id, s.state) for s in page.steps] == [
        (desk["l1"].id, StepState.ESCALATED),
        (desk["l2"].id, StepState.TRIGGERED),
    ]
    clock.advance(timedelta(minutes=5))
    run_worker(container)
    [page] = pages_of(container, ticket_id)
    assert [(s.agent_id, s.role) for s in page.steps][-1] == (desk["boss"].id, "manager")
    assert page.escalations == 2
    clock.advance(timedelta(minutes=5))
    run_worker(container)
    assert paging_history(container, ticket_id) == [
        "paged",
        "escalated",
        "paged",
        "escalated",
        "paged",
        "exhausted",
    ]


def test_acknowledging_in_the_console_stops_the_escalation(
    container: Container, clock: FrozenClock, desk: dict[str, Any]
) -> None:
    clock.set(beijing(2026, 3, 3, 3, 0))
    ticket_id = p1(container, desk)
    [page] = pages_of(container, ticket_id)
    clock.advance(timedelta(minutes=2))
    with container.uow() as uow:
        actor = agent_actor(uow.session.get(Agent, desk["l1"].id))  # type: ignore[arg-type]
        acks.acknowledge(uow, actor, page.id)
        uow.commit()
    with container.uow() as uow:
        assert uow.session.scalar(select(Job).where(Job.key == paging.timer_key(page.id))) is None
        stored = uow.session.get(Page, page.id)
        assert stored is not None
        assert stored.state == PageState.ACKNOWLEDGED
        assert stored.acked_by_agent_id == desk["l1"].id
        assert stored.acked_at is not None
        assert stored.acked_at - stored.created_at == timedelta(minutes=2)
        assert stored.acked_via == "console"
    clock.advance(timedelta(minutes=30))
    run_worker(container)
    assert paging_history(container, ticket_id) == ["paged", "acknowledged"]
    with container.uow() as uow, pytest.raises(Conflict):
        acks.acknowledge(uow, SYSTEM, page.id)


def test_someone_the_page_never_reached_cannot_acknowledge_it(
    container: Container, clock: FrozenClock, desk: dict[str, Any]
) -> None:
    clock.set(beijing(2026, 3, 3, 3, 0))
    [page] = pages_of(container, p1(container, desk))
    other = f.agent(container)
    with container.uow() as uow, pytest.raises(PermissionDenied):
        acks.acknowledge(uow, agent_actor(other), page.id)


def _token(container: Container, page: Page, agent_id: int, at: datetime) -> str:
    return links.sign(key(container), page.steps[0].id, agent_id, at + links.LINK_LIFETIME)


def test_a_signed_link_acknowledges_once_and_refuses_forgeries_and_old_links(
    container: Container, clock: FrozenClock, desk: dict[str, Any]
) -> None:
    start = beijing(2026, 3, 3, 3, 0)
    clock.set(start)
    [page] = pages_of(container, p1(container, desk))
    good = _token(container, page, desk["l1"].id, start)
    with container.uow() as uow:
        note = uow.session.scalar(
            select(Notification.link).where(
                Notification.agent_id == desk["l1"].id, Notification.kind == "oncall.page"
            )
        )
        assert note == f"/pages/ack/{good}"
    forged = [
        good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
        _token(container, page, desk["l2"].id, start),  # signed, but for someone not paged
        links.sign(b"another app's key", page.steps[0].id, desk["l1"].id, start),
        "garbage",
    ]
    for token in forged:
        with container.uow() as uow, pytest.raises(acks.LinkRefused) as refused:
            acks.acknowledge_by_link(uow, token, key(container))
        assert refused.value.problem == "forged"
    clock.set(start + links.LINK_LIFETIME)
    with container.uow() as uow, pytest.raises(acks.LinkRefused) as refused:
        acks.acknowledge_by_link(uow, good, key(container))
    assert refused.value.problem == "expired"
    clock.set(start + timedelta(minutes=3))
    with container.uow() as uow:
        acks.acknowledge_by_link(uow, good, key(container))
        uow.commit()
    with container.uow() as uow, pytest.raises(acks.LinkRefused) as refused:
        acks.acknowledge_by_link(uow, good, key(container))
    assert refused.value.problem == "used"
    [stored] = pages_of(container, page.ticket_id)
    assert (stored.state, stored.acked_via) == (PageState.ACKNOWLEDGED, "link")


def test_solving_the_ticket_closes_its_page_and_cancels_the_timer(
    container: Container, clock: FrozenClock, desk: dict[str, Any]
) -> None:
    clock.set(beijing(2026, 3, 3, 3, 0))
    ticket_id = p1(container, desk)
    with container.uow() as uow:
        actor = agent_actor(uow.session.get(Agent, desk["l1"].id))  # type: ignore[arg-type]
        tickets.update_ticket(uow, actor, ticket_id, TicketUpdate(status=Status.OPEN))
        tickets.update_ticket(uow, actor, ticket_id, TicketUpdate(status=Status.SOLVED))
        uow.commit()
    [page] = pages_of(container, ticket_id)
    assert page.state == PageState.RESOLVED
    clock.advance(timedelta(minutes=10))
    run_worker(container)
    assert paging_history(container, ticket_id) == ["paged", "resolved"]


def test_page_now_takes_a_named_engineer_and_backup_first(
    container: Container, clock: FrozenClock, desk: dict[str, Any]
) -> None:
    clock.set(beijing(2026, 3, 3, 10, 0))  # business hours: only an explicit page fires
    ticket_id = p1(container, desk)
    named, backup = f.agent(container), f.agent(container)
    with container.uow() as uow:
        page = paging.page_now(
            uow,
            ticket_id,
            reason=paging.REASON_LAUNCH_GUARD,
            link_key=key(container),
            first_agent_id=named.id,
            backup_agent_id=backup.id,
        )
        again = paging.page_now(
            uow, ticket_id, reason=paging.REASON_LAUNCH_GUARD, link_key=key(container)
        )
        uow.commit()
    assert page is not None
    assert again is page  # a waiting page is not paged twice
    assert [(p["agent_id"], p["role"]) for p in page.plan] == [
        (named.id, "named"),
        (backup.id, "backup"),
        (desk["l1"].id, "layer"),
        (desk["l2"].id, "layer"),
        (desk["boss"].id, "manager"),
    ]
    clock.advance(timedelta(minutes=5))
    run_worker(container)
    [stored] = pages_of(container, ticket_id)
    assert stored.steps[-1].agent_id == backup.id


def test_the_ticket_sla_calendar_decides_and_a_24x7_one_falls_back(
    container: Container, clock: FrozenClock, desk: dict[str, Any]
) -> None:
    # A US team: weekdays 09:00-17:00 in Los Angeles for enterprise P1s; 24x7 for strategic.
    la = fs.calendar(
        container, timezone="America/Los_Angeles", week=[["09:00-17:00"]] * 5 + [[], []]
    )
    fs.policy(container, la, tier="enterprise", priority="P1")
    fs.policy(container, fs.calendar(container, always_open=True), tier="strategic", priority="P1")
    enterprise = f.contact(container, f.organization(container, tier="enterprise"))
    strategic = f.contact(container, f.organization(container, tier="strategic"))
    critical = {"urgency": Urgency.CRITICAL, "impact": Impact.CRITICAL}
    # Tuesday 10:00 in Los Angeles is 01:00 Wednesday in Beijing: the LA team is at work.
    clock.set(datetime(2026, 3, 10, 17, 0, tzinfo=UTC))
    at_work = tf.ticket(container, enterprise, **critical).id
    round_the_clock = tf.ticket(container, strategic, **critical).id
    assert pages_of(container, at_work) == []
    # A 24x7 promise is not people at their desks: the default Beijing hours decide.
    assert len(pages_of(container, round_the_clock)) == 1
