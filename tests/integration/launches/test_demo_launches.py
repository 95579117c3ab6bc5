"""The demo dataset's launch guard on both backends: one launch active now and one upcoming,
each with its checklist partly done, and the settings that make the active one guard."""

from __future__ import annotations

from sqlalchemy import select

from rtcdesk.bootstrap import Container
from rtcdesk.demo.dataset import load_demo
from rtcdesk.launches.guard import settings, state_of
from rtcdesk.launches.models import LaunchWindow


def test_the_demo_has_an_active_and_an_upcoming_launch(container: Container) -> None:
    load_demo(container, ticket_count=5)
    with container.uow() as uow:
        now = uow.clock.now()
        launches = list(uow.session.scalars(select(LaunchWindow).order_by(LaunchWindow.id)))
        assert sorted(state_of(row, now) for row in launches) == ["active", "upcoming"]
        for row in launches:
            done = [item.done for item in row.items]
            assert any(done)
            assert not all(done)
            assert all(item.owner_id and item.due_on for item in row.items)
            assert row.backup_id is not None
        configured = settings(uow)
        assert set(configured.policies) == {"P1", "P2", "P3", "P4"}
        assert configured.p1_categories == ["troubleshooting"]
