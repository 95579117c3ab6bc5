"""Calendars shared by the SLA core tests."""

from __future__ import annotations

import pytest

from rtcdesk.sla.calendar import (
    BusinessCalendar,
    business_hours,
    compile_calendar,
    hours,
    twenty_four_seven,
)
from rtcdesk.sla.official import china_official_years

YEARS = range(2024, 2029)


@pytest.fixture(scope="session")
def beijing() -> BusinessCalendar:
    """Beijing office hours with a lunch break and the official schedule (调休 included)."""
    spec = business_hours(
        "Beijing",
        "Asia/Shanghai",
        hours("09:00-12:00", "13:30-18:00"),
        official=china_official_years(),
    )
    return compile_calendar(spec, YEARS)


@pytest.fixture(scope="session")
def los_angeles() -> BusinessCalendar:
    """A US team, 09:00-17:00 Monday to Friday, no holidays configured."""
    return compile_calendar(
        business_hours("LA", "America/Los_Angeles", hours("09:00-17:00")), YEARS
    )


@pytest.fixture(scope="session")
def always() -> BusinessCalendar:
    """24x7."""
    return compile_calendar(twenty_four_seven())
