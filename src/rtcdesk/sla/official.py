"""China's official holiday schedule (调休 included) from the ``chinesecalendar`` package.

The package ships the State Council's published schedule year by year and raises for a
year it does not have, so the years it lists are exactly the years it knows. This is the
only module that imports it; calendars receive its data as :class:`OfficialYear` values.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import chinese_calendar

from rtcdesk.sla.calendar import OfficialYear

SOURCE = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()


def china_official_years() -> tuple[OfficialYear, ...]:
    """Every year the package knows: weekdays off and weekend days worked."""
    days_off: defaultdict[int, set[date]] = defaultdict(set)
    workdays: defaultdict[int, set[date]] = defaultdict(set)
    for day in chinese_calendar.holidays:
        if day.weekday() < 5:
            days_off[day.year].add(day)
    for day in chinese_calendar.workdays:
        if day.weekday() >= 5:
            workdays[day.year].add(day)
    years = sorted(set(days_off) | set(workdays))
    return tuple(
        OfficialYear(
            year=year,
            days_off=frozenset(days_off[year]),
            workdays=frozenset(workdays[year]),
            source=SOURCE,
        )
        for year in years
    )


def official_year(
    year: int, days_off: tuple[date, ...], workdays: tuple[date, ...]
) -> OfficialYear:
    """An admin-entered year (e.g. the State Council's notice for next year)."""
    wrong = [d for d in (*days_off, *workdays) if d.year != year]
    if wrong:
        raise ValueError(f"dates outside {year}: {wrong}")
    return OfficialYear(year, frozenset(days_off), frozenset(workdays), source="admin")
