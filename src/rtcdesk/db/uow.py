"""The unit of work: one transaction per request, job or command.

Services receive a :class:`UnitOfWork`, read and write through ``uow.session`` and
record events with :meth:`UnitOfWork.emit`. Services never commit; whoever opened the
unit of work does. After a successful commit the recorded events are published to the
bus; on rollback they are discarded, so no side effect escapes a failed transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from rtcdesk.core.clock import Clock
from rtcdesk.core.events import Event, EventBus
from rtcdesk.db.engine import WRITE_OPTION


class UnitOfWork:
    """A transaction plus the events it will publish if and only if it commits."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        bus: EventBus,
        clock: Clock,
        *,
        write: bool = True,
    ) -> None:
        self._session_factory = session_factory
        self.bus = bus
        self.clock = clock
        self.write = write
        self._session: Session | None = None
        self.events: list[Event] = []
        self._before_commit: list[Callable[[UnitOfWork], None]] = []

    @property
    def session(self) -> Session:
        """The SQLAlchemy session of this unit of work (opened lazily)."""
        if self._session is None:
            session = self._session_factory()
            session.connection(execution_options={WRITE_OPTION: self.write})
            self._session = session
        return self._session

    def emit(self, event: Event) -> None:
        """Record ``event``; it is published only after a successful commit."""
        self.events.append(event)

    def before_commit(self, callback: Callable[[UnitOfWork], None]) -> None:
        """Run ``callback`` inside the transaction just before it commits (e.g. outbox)."""
        self._before_commit.append(callback)

    def flush(self) -> None:
        """Send pending changes to the database without committing."""
        self.session.flush()

    def commit(self) -> None:
        """Run in-transaction handlers, commit, then publish the recorded events."""
        # Handlers may emit further events; each event is handled exactly once.
        handled = 0
        while handled < len(self.events):
            event = self.events[handled]
            handled += 1
            for handler in self.bus.in_transaction_handlers_for(event):
                handler(self, event)
        callbacks, self._before_commit = self._before_commit, []
        for callback in callbacks:
            callback(self)
        self.session.commit()
        events, self.events = self.events, []
        self.bus.publish(events)

    def rollback(self) -> None:
        """Roll back and forget the recorded events."""
        self.events = []
        self._before_commit = []
        if self._session is not None:
            self._session.rollback()

    def close(self) -> None:
        """Roll back whatever is uncommitted and release the connection."""
        if self._session is not None:
            self.rollback()
            self._session.close()
            self._session = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
