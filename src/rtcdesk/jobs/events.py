"""Events of the jobs package."""

from __future__ import annotations

from dataclasses import dataclass

from rtcdesk.core.events import Event


@dataclass(frozen=True, slots=True)
class JobsEnqueued(Event):
    """At least one job was committed; in-process workers wake up instead of polling."""
