"""The round-robin cursor is shared through the database: a turn is taken only by a
conditional UPDATE against the value read, so a stale reader never takes it (both backends)."""

from __future__ import annotations

from rtcdesk.bootstrap import Container
from rtcdesk.routing import service


def test_a_stale_turn_is_refused_and_a_fresh_one_taken(container: Container) -> None:
    with container.uow() as uow:
        seen = service.cursors(uow).get("group:1")
        assert seen is None
        assert service.take_turn(uow, "group:1", seen, 7)
        # Another process read the cursor before that turn: its update finds it moved.
        assert not service.take_turn(uow, "group:1", (None, 0), 8)
        fresh = service.cursors(uow)["group:1"]
        assert fresh == (7, 1)
        assert service.take_turn(uow, "group:1", fresh, 8)
        assert service.cursors(uow)["group:1"] == (8, 2)
        # A first reader racing the row's creation: the insert is a no-op, the update fails.
        assert not service.take_turn(uow, "group:1", None, 9)
        uow.commit()
