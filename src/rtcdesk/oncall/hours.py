"""Whether an instant is inside a team's business hours: the rule that decides a P1 pages.

Pure: a :class:`~rtcdesk.sla.calendar.CalendarSpec` and an aware instant in, a boolean out.
A calendar's own rules decide each local day (weekly hours, holidays, make-up working days
such as a 调休 Saturday, per-date hours), then closures cut spans out.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from rtcdesk.sla.calendar import CalendarSpec, business_hours, day_hours, hours
from rtcdesk.sla.official import china_official_years

DEFAULT_CALENDAR_NAME = "Beijing business hours (paging default)"


def is_business_time(calendar: CalendarSpec, at: datetime) -> bool:
    """Whether ``at`` falls in ``calendar``'s working time."""
    if at.tzinfo is None:
        raise ValueError("naive datetime: business hours need an aware instant")
    if calendar.always_open:
        return True
    if any(c.start <= at < c.end for c in calendar.closures):
        return False
    local = at.astimezone(ZoneInfo(calendar.timezone))
    second = local.hour * 3600 + local.minute * 60 + local.second
    return any(span.start <= second < span.end for span in day_hours(calendar, local.date()))


def outside_business_hours(calendar: CalendarSpec, at: datetime) -> bool:
    """Whether a P1 at ``at`` reaches a team with ``calendar`` outside its working time."""
    return not is_business_time(calendar, at)


@cache
def default_calendar() -> CalendarSpec:
    """Weekdays 09:00-18:00 in Asia/Shanghai on China's official schedule (调休 included)."""
    return business_hours(
        DEFAULT_CALENDAR_NAME,
        "Asia/Shanghai",
        hours("09:00-18:00"),
        official=china_official_years(),
    )


def team_calendar(policy_calendar: CalendarSpec | None) -> CalendarSpec:
    """The calendar paging reads: the ticket's SLA calendar unless it is absent or 24x7.

    A 24x7 SLA calendar promises round-the-clock measurement, not that people sit at their
    desks at night: such tickets are judged against the default business hours instead.
    """
    if policy_calendar is None or policy_calendar.always_open:
        return default_calendar()
    return policy_calendar
