"""Direct paging under launch guard on both backends, time moved by the injectable clock: a P1
of the organization pages the launch's named engineer first, then the backup, then the
schedule, at any hour and once; after the window only the after-hours rule pages; the report
counts the window's pages with their times to acknowledge (figures computed by hand)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from factories import accounts as fa
from factories import launches as fl
from factories import oncall as fo
from factories import tickets as ft
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Agent
from rtcdesk.accounts.service import agent_actor
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock
from rtcdesk.jobs.worker import Worker
from rtcdesk.launches import report
from rtcdesk.launches.models import LaunchWindow
from rtcdesk.oncall import acks, paging
from rtcdesk.oncall.models import Page
from rtcdesk.oncall.page_texts import HISTORY_FIELD, decode
from rtcdesk.oncall.schemas import ScheduleUpdate
from rtcdesk.oncall.service import update_schedule
from rtcdesk.tickets import service as tickets
from rtcdesk.tickets.models import Category, Priority, TicketChange
from rtcdesk.tickets.schemas import TicketUpdate

BEIJING = timedelta(hours=8)


def beijing(*args: int) -> datetime:
    """An instant given as Beijing wall-clock time."""
    return datetime(*args, tzinfo=UTC) - BEIJING


START = beijing(2026, 3, 3, 10, 0)  # a Tuesday, inside business hours
END = START + timedelta(hours=4)


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> dict[str, Any]:
    """A default schedule (layer 1, manager), a customer, a launch engineer and backup."""
    clock.set(START - timedelta(days=1))
    l1, boss = fa.agent(container, name="Zhang Min"), fa.agent(container, name="Sarah Miller")
    schedule = fo.schedule(container, [[l1]], manager=boss)
    with container.uow() as uow:
        update_schedule(uow, SYSTEM, schedule.id, ScheduleUpdate(is_default=True))
        uow.commit()
    fl.configure(container, p1_categories=("troubleshooting",))
    org = fa.organization(container)
    return {
        "l1": l1,
        "boss": boss,
        "org": org,
        "dev": fa.contact(container, org),
        "other_dev": fa.contact(container, fa.organization(container)),
        "engineer": fa.agent(container, name="Wang Lei"),
        "backup": fa.agent(container, name="Li Na"),
    }


def _launch(container: Container, world: dict[str, Any], **kw: Any) -> LaunchWindow:
    return fl.launch(
        container,
        world["org"],
        world["engineer"],
        backup=world["backup"],
        starts_at=kw.get("starts_at", START),
        ends_at=kw.get("ends_at", END),
    )


def _pages(container: Container, ticket_id: int) -> list[Page]:
    with container.uow() as uow:
        rows = list(uow.session.scalars(select(Page).where(Page.ticket_id == ticket_id)))
        uow.session.expunge_all()
        return rows


def _run(container: Container) -> None:
    Worker(container, listen=False).run_pending()


def _ack(container: Container, agent: Agent, page_id: int) -> None:
    with container.uow() as uow:
        person = uow.session.get(Agent, agent.id)
        assert person is not None
        acks.acknowledge(uow, agent_actor(person), page_id)
        uow.commit()


def test_a_p1_in_the_window_pages_the_engineer_then_the_backup_then_the_schedule(
    container: Container, clock: FrozenClock, world: dict[str, Any]
) -> None:
    _launch(container, world)
    clock.set(START + timedelta(minutes=10))
    ticket = ft.ticket(container, world["dev"])  # troubleshooting: P1 by default
    [page] = _pages(container, ticket.id)
    assert page.reason == paging.REASON_LAUNCH_GUARD
    assert [(p["agent_id"], p["role"]) for p in page.plan] == [
        (world["engineer"].id, "named"),
        (world["backup"].id, "backup"),
        (world["l1"].id, "layer"),
        (world["boss"].id, "manager"),
    ]
    assert [s.agent_id for s in page.steps] == [world["engineer"].id]
    clock.advance(timedelta(minutes=5))
    _run(container)
    [page] = _pages(container, ticket.id)
    assert [s.agent_id for s in page.steps] == [world["engineer"].id, world["backup"].id]
    clock.advance(timedelta(minutes=5))
    _run(container)
    [page] = _pages(container, ticket.id)
    assert page.steps[-1].agent_id == world["l1"].id
    # Another organization's P1 at the same moment (business hours) pages nobody.
    assert _pages(container, ft.ticket(container, world["other_dev"]).id) == []


def test_raising_a_ticket_to_p1_in_the_window_pages_once(
    container: Container, clock: FrozenClock, world: dict[str, Any]
) -> None:
    _launch(container, world)
    clock.set(START + timedelta(minutes=1))
    ticket = ft.ticket(container, world["dev"], category=Category.CONSULTING)
    assert _pages(container, ticket.id) == []
    for reason in ("outage", "still an outage"):
        with container.uow() as uow:
            tickets.update_ticket(
                uow, SYSTEM, ticket.id, TicketUpdate(priority=Priority.P1, priority_reason=reason)
            )
            uow.commit()
    [page] = _pages(container, ticket.id)
    assert (page.reason, page.steps[0].agent_id) == ("launch_guard", world["engineer"].id)


def test_at_night_inside_the_window_one_launch_page_not_two(
    container: Container, clock: FrozenClock, world: dict[str, Any]
) -> None:
    night = beijing(2026, 3, 3, 23, 0)
    _launch(container, world, starts_at=night, ends_at=night + timedelta(hours=6))
    clock.set(night + timedelta(hours=1))
    ticket = ft.ticket(container, world["dev"])
    [page] = _pages(container, ticket.id)
    assert (page.reason, page.steps[0].agent_id) == ("launch_guard", world["engineer"].id)
    with container.uow() as uow:
        entries = uow.session.scalars(
            select(TicketChange.new_value).where(
                TicketChange.ticket_id == ticket.id, TicketChange.field == HISTORY_FIELD
            )
        )
        assert [e.event for e in map(decode, entries) if e] == ["paged"]


def test_after_the_window_only_the_after_hours_rule_pages(
    container: Container, clock: FrozenClock, world: dict[str, Any]
) -> None:
    _launch(container, world)
    clock.set(END)
    _run(container)
    day = ft.ticket(container, world["dev"], category=Category.CONSULTING)
    with container.uow() as uow:
        tickets.update_ticket(
            uow, SYSTEM, day.id, TicketUpdate(priority=Priority.P1, priority_reason="outage")
        )
        uow.commit()
    assert _pages(container, day.id) == []  # 14:00 on a Tuesday: business hours
    clock.set(beijing(2026, 3, 3, 22, 0))
    night = ft.ticket(container, world["dev"], category=Category.CONSULTING)
    with container.uow() as uow:
        tickets.update_ticket(
            uow, SYSTEM, night.id, TicketUpdate(priority=Priority.P1, priority_reason="outage")
        )
        uow.commit()
    [page] = _pages(container, night.id)
    assert (page.reason, page.steps[0].agent_id) == ("p1_after_hours", world["l1"].id)


def test_a_cancelled_launch_pages_nobody(
    container: Container, clock: FrozenClock, world: dict[str, Any]
) -> None:
    from rtcdesk.launches import service

    launch = _launch(container, world)
    clock.set(START + timedelta(minutes=1))
    with container.uow() as uow:
        service.cancel_launch(uow, SYSTEM, launch.id)
        uow.commit()
    assert _pages(container, ft.ticket(container, world["dev"]).id) == []


def test_the_report_counts_pages_and_times_to_acknowledge(
    container: Container, clock: FrozenClock, world: dict[str, Any]
) -> None:
    launch = _launch(container, world)
    # Page 1 at +10 min, taken by the engineer 2 minutes later.
    clock.set(START + timedelta(minutes=10))
    first = ft.ticket(container, world["dev"], subject="first")
    _run(container)
    clock.advance(timedelta(minutes=2))
    _ack(container, world["engineer"], _pages(container, first.id)[0].id)
    # Page 2 at +20 min: passed to the backup at +25, who takes it at +26 (6 minutes).
    clock.set(START + timedelta(minutes=20))
    second = ft.ticket(container, world["dev"], subject="second")
    clock.set(START + timedelta(minutes=25))
    _run(container)
    clock.set(START + timedelta(minutes=26))
    _ack(container, world["backup"], _pages(container, second.id)[0].id)
    # Page 3 at +30 min, never taken: backup at +35, layer 1 at +40, manager at +45.
    clock.set(START + timedelta(minutes=30))
    third = ft.ticket(container, world["dev"], subject="third")
    for minutes in (35, 40, 45):
        clock.set(START + timedelta(minutes=minutes))
        _run(container)
    clock.set(END)
    _run(container)
    with container.uow() as uow:
        stored = uow.session.get(LaunchWindow, launch.id)
        assert stored is not None
        figures = stored.report
    assert figures is not None
    pages = figures["pages"]
    ids = [p.id for t in (first, second, third) for p in _pages(container, t.id)]
    assert pages["count"] == 3
    assert (pages["acknowledged"], pages["unacknowledged"]) == (2, 1)
    assert pages["escalations"] == 1 + 3
    assert pages["ack_minutes"] == {"count": 2, "median": 4.0, "max": 6.0}
    assert pages["acked_by"] == {"Li Na": 1, "Wang Lei": 1}
    assert [(p["id"], p["ack_minutes"], p["acked_by"]) for p in pages["list"]] == [
        (ids[0], 2.0, "Wang Lei"),
        (ids[1], 6.0, "Li Na"),
        (ids[2], None, None),
    ]
    assert figures["tickets"] == 3
    text = report.markdown("Launch", "Org", figures, "en")
    assert "- Pages fired: 3 (acknowledged 2, never acknowledged 1, 4 escalations)" in text
    assert "- Time to acknowledge (minutes): median 4, longest 6" in text
    assert "- Acknowledged by: Li Na (1), Wang Lei (1)" in text
    zh = report.markdown("Launch", "Org", figures, "zh-CN")
    assert "- 确认用时（分钟）: 中位数 4, 最长 6" in zh
