"""Launch guard on both backends, time moved by the injectable clock: the window's start
moves open tickets onto the launch policy, new tickets of configured categories open as P1
on the launch P1 policy, the end moves them back and writes the report; cancel lifts it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from factories import accounts as fa
from factories import launches as fl
from factories import sla as fs
from factories import tickets as ft
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.bootstrap import Container
from rtcdesk.core.clock import FrozenClock
from rtcdesk.core.errors import Conflict, InvalidInput
from rtcdesk.jobs.worker import Worker
from rtcdesk.launches import service
from rtcdesk.launches.models import LaunchWindow
from rtcdesk.launches.schemas import ItemCreate, ItemUpdate, LaunchCreate, LaunchUpdate, PlatformIn
from rtcdesk.sla.models import TicketSla, TicketSlaVersion
from rtcdesk.tickets.models import Category, Priority, Ticket, TicketChange

MONDAY_9 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 Beijing
START = MONDAY_9 + timedelta(hours=2)
END = START + timedelta(hours=4)


@pytest.fixture
def world(container: Container, clock: FrozenClock) -> dict[str, Any]:
    """Premium P3/P1 policies, stricter strategic ones chosen as launch policies, a customer."""
    clock.set(MONDAY_9)
    cal = fs.calendar(container, name="Beijing")
    always = fs.calendar(container, name="24x7", always_open=True, week=[[]] * 7)
    p3 = fs.policy(container, cal, priority="P3", first=60, next_reply=120, resolution=480)
    p1 = fs.policy(container, cal, priority="P1", first=30, next_reply=60, resolution=240)
    l3 = fs.policy(container, always, tier="strategic", priority="P3", first=20, resolution=120)
    l1 = fs.policy(container, always, tier="strategic", priority="P1", first=5, resolution=60)
    fl.configure(
        container,
        policies={"P3": l3.policy_id, "P1": l1.policy_id},
        p1_categories=("troubleshooting",),
        template=("SDK version verified", "TURN capacity confirmed"),
    )
    org = fa.organization(container, tier="premium")
    other = fa.organization(container, tier="premium")
    return {
        "p3": p3,
        "p1": p1,
        "l3": l3,
        "l1": l1,
        "org": org,
        "other": other,
        "dev": fa.contact(container, org),
        "other_dev": fa.contact(container, other),
        "engineer": fa.agent(container, name="Wang Lei"),
        "backup": fa.agent(container, name="Li Na"),
    }


def _versions(container: Container, ticket_id: int) -> list[tuple[int | None, str]]:
    with container.uow() as uow:
        rows = uow.session.scalars(
            select(TicketSlaVersion)
            .where(TicketSlaVersion.ticket_id == ticket_id)
            .order_by(TicketSlaVersion.at, TicketSlaVersion.id)
        ).all()
        return [(r.policy_version_id, r.reason) for r in rows]


def _current(container: Container, ticket_id: int) -> int | None:
    with container.uow() as uow:
        row = uow.session.get(TicketSla, ticket_id)
        assert row is not None
        return row.policy_version_id


def test_the_window_switches_policies_at_start_and_back_at_end(
    container: Container, clock: FrozenClock, world: dict[str, Any]
) -> None:
    before = ft.ticket(container, world["dev"], category=Category.CONSULTING)
    outsider = ft.ticket(container, world["other_dev"], category=Category.CONSULTING)
    launch = fl.launch(container, world["org"], world["engineer"], starts_at=START, ends_at=END)
    worker = Worker(container, listen=False)
    clock.set(START - timedelta(seconds=1))
    worker.run_pending()
    assert _current(container, before.id) == world["p3"].id

    clock.set(START)
    worker.run_pending()
    assert _current(container, before.id) == world["l3"].id
    assert _versions(container, before.id)[-1] == (world["l3"].id, "launch guard")
    assert _current(container, outsider.id) == world["p3"].id  # another organization

    # During the window: a troubleshooting ticket opens as P1 on the launch P1 policy;
    # a consulting one keeps its priority but gets the launch P3 policy.
    clock.advance(timedelta(minutes=30))
    urgent = ft.ticket(container, world["dev"], category=Category.TROUBLESHOOTING)
    calm = ft.ticket(container, world["dev"], category=Category.CONSULTING)
    with container.uow() as uow:
        stored = uow.session.get(Ticket, urgent.id)
        assert stored is not None
        assert stored.priority is Priority.P1
        assert stored.priority_override_reason == f"launch #{launch.id}: P1 by default"
        changes = uow.session.scalars(
            select(TicketChange.field).where(TicketChange.ticket_id == urgent.id)
        ).all()
        assert "sla_policy" in changes
    assert _current(container, urgent.id) == world["l1"].id
    assert _current(container, calm.id) == world["l3"].id

    clock.set(END)
    worker.run_pending()
    assert _current(container, before.id) == world["p3"].id
    assert _current(container, urgent.id) == world["p1"].id
    assert _versions(container, before.id)[-1] == (world["p3"].id, "launch guard")
    with container.uow() as uow:
        ended = uow.session.get(LaunchWindow, launch.id)
        assert ended is not None
        assert ended.report is not None
        assert ended.report["tickets"] == 2
        assert ended.report["by_priority"] == {"P1": 1, "P3": 1}
    # Running the end timer again changes nothing (idempotent).
    worker.run_pending()
    assert len(_versions(container, before.id)) == 3


def test_a_ticket_opened_after_the_start_is_guarded_before_the_start_timer_runs(
    container: Container, clock: FrozenClock, world: dict[str, Any]
) -> None:
    fl.launch(container, world["org"], world["engineer"], starts_at=START, ends_at=END)
    clock.set(START + timedelta(seconds=1))  # no worker has run the start timer
    ticket = ft.ticket(container, world["dev"], category=Category.CONSULTING)
    assert _current(container, ticket.id) == world["l3"].id


def test_cancelling_an_active_launch_lifts_the_guard_at_once(
    container: Container, clock: FrozenClock, world: dict[str, Any]
) -> None:
    launch = fl.launch(container, world["org"], world["engineer"], starts_at=START, ends_at=END)
    clock.set(START + timedelta(minutes=5))
    ticket = ft.ticket(container, world["dev"], category=Category.CONSULTING)
    assert _current(container, ticket.id) == world["l3"].id
    with container.uow() as uow:
        service.cancel_launch(uow, SYSTEM, launch.id)
        uow.commit()
    assert _current(container, ticket.id) == world["p3"].id
    with container.uow() as uow, pytest.raises(Conflict):
        service.update_launch(uow, SYSTEM, launch.id, LaunchUpdate(title="again"))


def test_checklist_from_template_then_edited(
    container: Container, clock: FrozenClock, world: dict[str, Any]
) -> None:
    launch = fl.launch(container, world["org"], world["engineer"], starts_at=START, ends_at=END)
    assert [i.title for i in launch.items] == ["SDK version verified", "TURN capacity confirmed"]
    with container.uow() as uow:
        item = service.add_item(
            uow,
            SYSTEM,
            launch.id,
            ItemCreate(title="Weak-network lab run done", owner_id=world["backup"].id),
        )
        service.update_item(uow, SYSTEM, launch.id, launch.items[0].id, ItemUpdate(done=True))
        uow.commit()
    with container.uow() as uow:
        stored = uow.session.get(LaunchWindow, launch.id)
        assert stored is not None
        assert [(i.title, i.done) for i in stored.items] == [
            ("SDK version verified", True),
            ("TURN capacity confirmed", False),
            ("Weak-network lab run done", False),
        ]
        assert stored.items[2].id == item.id


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": START - timedelta(hours=1)}, "ends_at"),
        (
            {"starts_at": START - timedelta(days=2), "ends_at": MONDAY_9 - timedelta(hours=1)},
            "ends_at",
        ),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"platforms": [PlatformIn("symbian", "1.0")]}, "platforms"),
        ({"engineer_id": 999_999}, "engineer_id"),
        ({"organization_id": 999_999}, "organization_id"),
        ({"starts_at": datetime(2026, 3, 5, 10, 0)}, "starts_at"),  # noqa: DTZ001 (naive on purpose)
    ],
)
def test_bad_launches_are_refused_with_the_field_named(
    container: Container, world: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    data: dict[str, Any] = {
        "organization_id": world["org"].id,
        "title": "Launch",
        "starts_at": START,
        "ends_at": END,
        "timezone": "Asia/Shanghai",
        "engineer_id": world["engineer"].id,
    }
    data.update(change)
    with container.uow() as uow, pytest.raises(InvalidInput) as caught:
        service.create_launch(uow, SYSTEM, LaunchCreate(**data))
    assert caught.value.field == field


def test_backup_must_differ_from_the_engineer(container: Container, world: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as caught:
        fl.launch(
            container,
            world["org"],
            world["engineer"],
            backup=world["engineer"],
            starts_at=START,
            ends_at=END,
        )
    assert caught.value.field == "backup_id"
