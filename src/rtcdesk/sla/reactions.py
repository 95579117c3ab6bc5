"""The seam for what happens when a clock reaches a threshold (escalation, paging, ...).

A reaction is a function ``(uow, ThresholdReached) -> None`` registered on the container's
:class:`SlaReactions` in ``bootstrap.register_handlers``. The threshold job calls every
reaction inside its transaction, and only in the worker whose ``sla_events`` insert won:
a warning or breach is reacted to once, and a reaction's writes commit with its record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rtcdesk.core.events import Event


@dataclass(frozen=True, slots=True)
class ThresholdReached(Event):
    """A clock of a ticket reached a warning point or breached (recorded as ``sla_event_id``)."""

    ticket_id: int
    target: str  # first_response | next_reply | resolution
    occurrence: int  # 1, or the next-reply cycle's number
    threshold: str  # "breach" or a warning point such as "75"
    fraction: float  # 1.0 for a breach
    at: datetime
    policy_version_id: int | None
    sla_event_id: int

    @property
    def is_breach(self) -> bool:
        """Whether this is the breach (not a warning)."""
        return self.threshold == "breach"


Reaction = Callable[[Any, ThresholdReached], None]


@dataclass
class SlaReactions:
    """The registered reactions, called in registration order."""

    reactions: list[Reaction] = field(default_factory=list)

    def register(self, reaction: Reaction) -> Reaction:
        """Add ``reaction`` (usable as a decorator)."""
        self.reactions.append(reaction)
        return reaction

    def run(self, uow: Any, reached: ThresholdReached) -> None:
        """Call every reaction in ``uow``'s transaction; an error rolls the record back too."""
        for reaction in self.reactions:
            reaction(uow, reached)
