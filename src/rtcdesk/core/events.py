"""Domain events and the registry of handlers that react to them after commit.

A service records an event on the unit of work (``uow.emit(TicketCreated(...))``). Two
kinds of handlers, both registered in ``bootstrap.py``:

- *in-transaction* handlers run inside the unit of work just before it commits and may
  write through it; this is how one domain enqueues durable work (a job) in reaction to
  another domain's change, atomically with that change;
- *after-commit* handlers run once the transaction committed; they are best-effort and
  cheap (cache invalidation, waking workers, live pushes).

Nothing runs when the transaction rolls back, and nothing runs from ORM hooks.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Event:
    """Base class of all domain events: small, immutable, plain data."""


Handler = Callable[[Any], None]
# Called with (unit of work, event); typed loosely so core does not depend on db.
TransactionHandler = Callable[[Any, Any], None]


class EventBus:
    """Maps event types to in-transaction and after-commit handlers."""

    def __init__(self) -> None:
        self._handlers: dict[type[Event], list[Handler]] = defaultdict(list)
        self._in_transaction: dict[type[Event], list[TransactionHandler]] = defaultdict(list)

    def subscribe(self, event_type: type[Event], handler: Handler) -> None:
        """Register ``handler`` to run for every committed event of ``event_type``."""
        self._handlers[event_type].append(handler)

    def subscribe_in_transaction(
        self, event_type: type[Event], handler: TransactionHandler
    ) -> None:
        """Register ``handler(uow, event)`` to run inside the transaction before commit."""
        self._in_transaction[event_type].append(handler)

    def handlers_for(self, event: Event) -> list[Handler]:
        """Return the after-commit handlers for ``event``'s type and its base classes."""
        found: list[Handler] = []
        for cls in type(event).__mro__:
            found.extend(self._handlers.get(cls, ()))
        return found

    def in_transaction_handlers_for(self, event: Event) -> list[TransactionHandler]:
        """Return the in-transaction handlers for ``event``'s type and its base classes."""
        found: list[TransactionHandler] = []
        for cls in type(event).__mro__:
            found.extend(self._in_transaction.get(cls, ()))
        return found

    def publish(self, events: list[Event]) -> None:
        """Deliver committed events; a failing handler is logged, not propagated.

        Handlers that must not be lost do not do their work here: they enqueue a durable
        job inside the transaction instead (see ``jobs``). What runs here is best-effort
        and must be cheap (cache invalidation, live pushes).
        """
        for event in events:
            for handler in self.handlers_for(event):
                try:
                    handler(event)
                except Exception:
                    log.exception("event handler %r failed for %r", handler, event)
