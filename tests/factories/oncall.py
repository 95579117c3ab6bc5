"""On-call schedules for tests, created through the services."""

from __future__ import annotations

import itertools
from datetime import date

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import Agent
from rtcdesk.bootstrap import Container
from rtcdesk.oncall import service
from rtcdesk.oncall.models import Schedule
from rtcdesk.oncall.rotation import Handover
from rtcdesk.oncall.schemas import LayerCreate, ScheduleCreate

_seq = itertools.count(1)


def schedule(
    container: Container,
    layers: list[list[Agent]],
    *,
    name: str | None = None,
    timezone: str = "Asia/Shanghai",
    manager: Agent | None = None,
    starts_on: date = date(2026, 3, 2),
    handover: Handover = Handover.WEEKLY,
    group_id: int | None = None,
) -> Schedule:
    """A committed schedule with one layer per list of participants (handover 09:00)."""
    with container.uow() as uow:
        row = service.create_schedule(
            uow,
            SYSTEM,
            ScheduleCreate(
                name=name or f"Schedule {next(_seq)}",
                timezone=timezone,
                manager_agent_id=manager.id if manager else None,
                group_id=group_id,
            ),
        )
        for i, people in enumerate(layers, start=1):
            service.add_layer(
                uow,
                SYSTEM,
                row.id,
                LayerCreate(
                    name=f"Layer {i}",
                    starts_on=starts_on,
                    participant_ids=[p.id for p in people],
                    handover=handover,
                ),
            )
        uow.commit()
        return row
