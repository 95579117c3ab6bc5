"""Business calendars and SLA policies for tests, created through the SLA service."""

from __future__ import annotations

import itertools

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import PlanTier
from rtcdesk.bootstrap import Container
from rtcdesk.sla import service
from rtcdesk.sla.models import SlaCalendar, SlaPolicyVersion
from rtcdesk.sla.schemas import CalendarIn, PolicyIn
from rtcdesk.tickets.models import Priority, Status

_seq = itertools.count(1)
WEEKDAYS_9_TO_6 = [["09:00-12:00", "13:00-18:00"]] * 5 + [[], []]


def calendar(
    container: Container,
    *,
    name: str | None = None,
    timezone: str = "Asia/Shanghai",
    week: list[list[str]] | None = None,
    always_open: bool = False,
    follows_china: bool = False,
) -> SlaCalendar:
    """A committed calendar (default: Beijing weekdays 09:00-12:00, 13:00-18:00)."""
    with container.uow() as uow:
        row = service.create_calendar(
            uow,
            SYSTEM,
            CalendarIn(
                name=name or f"Calendar {next(_seq)}",
                timezone=timezone,
                always_open=always_open,
                follows_china=follows_china,
                week=week if week is not None else WEEKDAYS_9_TO_6,
            ),
        )
        uow.commit()
        return row


def policy(
    container: Container,
    cal: SlaCalendar,
    *,
    tier: str = "premium",
    priority: str = "P3",
    first: int | None = 60,
    next_reply: int | None = 120,
    resolution: int | None = 480,
    pause_on: tuple[Status, ...] = (Status.PENDING_CUSTOMER, Status.ON_HOLD),
    warnings: tuple[float, ...] = (0.75,),
) -> SlaPolicyVersion:
    """A committed policy version (targets in business minutes)."""
    with container.uow() as uow:
        version = service.save_policy(
            uow,
            SYSTEM,
            PolicyIn(
                plan_tier=PlanTier(tier),
                priority=Priority(priority),
                calendar_id=cal.id,
                first_response_minutes=first,
                next_reply_minutes=next_reply,
                resolution_minutes=resolution,
                pause_on=list(pause_on),
                warning_points=list(warnings),
            ),
        )
        uow.commit()
        return version
