"""Events: in-transaction handlers write atomically with the change; after-commit handlers
run only after a successful commit; a rollback runs nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from factories import accounts as fa
from rtcdesk.accounts.models import Organization
from rtcdesk.bootstrap import Container
from rtcdesk.core.events import Event
from rtcdesk.db.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Renamed(Event):
    org_id: int


@dataclass(frozen=True, slots=True)
class Echoed(Event):
    org_id: int


def test_in_transaction_handlers_write_with_the_change(container: Container) -> None:
    org = fa.organization(container, name="Before")
    seen_after: list[str] = []

    def in_tx(uow: UnitOfWork, event: Renamed) -> None:
        row = uow.session.get(Organization, event.org_id)
        assert row is not None
        row.notes = "touched in the same transaction"
        uow.emit(Echoed(event.org_id))

    def echoed(uow: UnitOfWork, event: Echoed) -> None:
        seen_after.append("echo handled in transaction")

    container.bus.subscribe_in_transaction(Renamed, in_tx)
    container.bus.subscribe_in_transaction(Echoed, echoed)
    container.bus.subscribe(Echoed, lambda event: seen_after.append("after commit"))
    with container.uow() as uow:
        row = uow.session.get(Organization, org.id)
        assert row is not None
        row.name = "After"
        uow.emit(Renamed(org.id))
        uow.commit()
    assert seen_after == ["echo handled in transaction", "after commit"]
    with container.uow(write=False) as uow:
        saved = uow.session.scalar(select(Organization).where(Organization.id == org.id))
        assert saved is not None
        assert saved.notes == "touched in the same transaction"


def test_rollback_runs_no_handler(container: Container) -> None:
    calls: list[str] = []
    container.bus.subscribe_in_transaction(Renamed, lambda uow, e: calls.append("in"))
    container.bus.subscribe(Renamed, lambda e: calls.append("after"))
    with container.uow() as uow:
        uow.emit(Renamed(1))
        uow.rollback()
    with container.uow() as uow:
        uow.emit(Renamed(1))
        # leaving without commit rolls back
    assert calls == []


def test_failing_in_transaction_handler_aborts_the_commit(container: Container) -> None:
    org = fa.organization(container, name="Stays")

    def boom(uow: UnitOfWork, event: Renamed) -> None:
        raise RuntimeError("handler failed")

    container.bus.subscribe_in_transaction(Renamed, boom)
    with container.uow() as uow:
        row = uow.session.get(Organization, org.id)
        assert row is not None
        row.name = "Changed"
        uow.emit(Renamed(org.id))
        with pytest.raises(RuntimeError):
            uow.commit()
    with container.uow(write=False) as uow:
        assert uow.session.get(Organization, org.id).name == "Stays"  # type: ignore[union-attr]
