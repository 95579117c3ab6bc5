"""The demo's SLA settings: Beijing business hours on China's official schedule, a 24x7
calendar, and a policy for every plan tier x priority (strategic and enterprise P1 and P2 on
24x7)."""

from __future__ import annotations

from rtcdesk.accounts.access import SYSTEM
from rtcdesk.accounts.models import PlanTier
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.sla import service
from rtcdesk.sla.schemas import CalendarIn, PolicyIn
from rtcdesk.tickets.models import Priority

# First-response minutes of a P1 per plan; lower priorities get 2x, 4x, 8x as long.
FIRST_RESPONSE_P1 = {
    PlanTier.STRATEGIC: 15,
    PlanTier.ENTERPRISE: 15,
    PlanTier.PREMIUM: 30,
    PlanTier.STANDARD: 60,
    PlanTier.FREE: 240,
}
SCALE = {Priority.P1: 1, Priority.P2: 2, Priority.P3: 4, Priority.P4: 8}
ROUND_THE_CLOCK = {PlanTier.STRATEGIC, PlanTier.ENTERPRISE}
ROUND_THE_CLOCK_PRIORITIES = {Priority.P1, Priority.P2}


def load_sla(uow: UnitOfWork) -> int:
    """Create the demo calendars and policies; return how many policies."""
    beijing = service.create_calendar(
        uow,
        SYSTEM,
        CalendarIn(
            name="Beijing business hours 北京工作时间",
            timezone="Asia/Shanghai",
            follows_china=True,
            week=[["09:00-12:00", "13:30-18:30"]] * 5 + [[], []],
        ),
    )
    always = service.create_calendar(uow, SYSTEM, CalendarIn(name="24x7", always_open=True))
    count = 0
    for tier, first in FIRST_RESPONSE_P1.items():
        for priority, scale in SCALE.items():
            minutes = first * scale
            on_call = priority in ROUND_THE_CLOCK_PRIORITIES and tier in ROUND_THE_CLOCK
            service.save_policy(
                uow,
                SYSTEM,
                PolicyIn(
                    plan_tier=tier,
                    priority=priority,
                    calendar_id=(always if on_call else beijing).id,
                    first_response_minutes=minutes,
                    next_reply_minutes=minutes * 2,
                    resolution_minutes=minutes * 16,
                    warning_points=[0.75, 0.9],
                    note="demo",
                ),
            )
            count += 1
    return count
