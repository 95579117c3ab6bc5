"""Domain events and the registry of handlers that react to them after commit.

A service records an event on the unit of work (``uow.emit(TicketCreated(...))``). When
the unit of work commits, the bus delivers each event to the handlers registered for its
type in ``bootstrap.py``. Nothing runs when the transaction rolls back, and nothing runs
from ORM hooks.
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


class EventBus:
    """Maps event types to handlers; handlers run after the transaction committed."""

    def __init__(self) -> None:
        self._handlers: dict[type[Event], list[Handler]] = defaultdict(list)

    def subscribe(self, event_type: type[Event], handler: Handler) -> None:
        """Register ``handler`` to run for every committed event of ``event_type``."""
        self._handlers[event_type].append(handler)

    def handlers_for(self, event: Event) -> list[Handler]:
        """Return the handlers for ``event``'s type and its base classes."""
        found: list[Handler] = []
        for cls in type(event).__mro__:
            found.extend(self._handlers.get(cls, ()))
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
