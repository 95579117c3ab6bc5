"""Events the accounts domain publishes."""

from __future__ import annotations

from dataclasses import dataclass

from rtcdesk.core.events import Event


@dataclass(frozen=True, slots=True)
class PlanChanged(Event):
    """An organization moved to another support plan (its tickets' SLAs follow)."""

    organization_id: int
    old_tier: str
    new_tier: str
