"""From stored rows to the pure core's data, and back: calendars and policy versions.

A calendar row keeps the admin's words as JSON (``"09:00-12:00"`` intervals, ISO dates);
:func:`calendar_spec` turns it into a :class:`CalendarSpec` (China's official years from
``chinesecalendar`` added at load, the admin's years winning) and :func:`compiled` into a
cached :class:`BusinessCalendar`. Parsing the admin's text fails with a person-readable
:class:`InvalidInput` naming the field.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from rtcdesk.core.errors import InvalidInput
from rtcdesk.sla.calendar import (
    BusinessCalendar,
    CalendarSpec,
    Closure,
    DayHours,
    Hours,
    OfficialYear,
    compile_calendar,
    hours,
)
from rtcdesk.sla.data import DEFAULT_PAUSE, SlaTargets, Status
from rtcdesk.sla.models import SlaCalendar, SlaPolicyVersion
from rtcdesk.sla.official import china_official_years, official_year

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PAUSABLE = (Status.PENDING_CUSTOMER, Status.ON_HOLD)
DEFAULT_WARNING_POINTS = (0.75,)


@lru_cache(maxsize=1)
def _china_years() -> tuple[OfficialYear, ...]:
    return china_official_years()


def parse_hours(ranges: list[str], field: str) -> tuple[Hours, ...]:
    """Working intervals from ``["09:00-12:00", ...]``, or a clear error about ``field``."""
    cleaned = [r.strip() for r in ranges if r.strip()]
    for text in cleaned:
        first, dash, last = text.partition("-")
        if not dash or not all(_clock_time(part) for part in (first, last)):
            raise InvalidInput(
                "{text!r} is not a time range like 09:00-12:00",
                params={"text": text},
                field=field,
            )
    try:
        return hours(*cleaned)
    except ValueError:
        raise InvalidInput(
            "the hours {ranges} overlap or end before they start",
            params={"ranges": ", ".join(cleaned)},
            field=field,
        ) from None


def _clock_time(text: str) -> bool:
    hour, colon, minute = text.strip().partition(":")
    if not (hour.isdigit() and colon and minute.isdigit() and len(minute) == 2):
        return False
    return (int(hour), int(minute)) == (24, 0) or (int(hour) < 24 and int(minute) < 60)


def parse_dates(values: list[str], field: str) -> tuple[date, ...]:
    """ISO dates (``2026-10-01``), sorted and without repeats."""
    out: set[date] = set()
    for raw in (v.strip() for v in values if v.strip()):
        try:
            out.add(date.fromisoformat(raw))
        except ValueError:
            raise InvalidInput(
                "{raw!r} is not a date like 2026-10-01", params={"raw": raw}, field=field
            ) from None
    return tuple(sorted(out))


def format_hours(intervals: tuple[Hours, ...]) -> list[str]:
    """``["09:00-12:00", ...]`` for stored or shown hours."""

    def hhmm(seconds: int) -> str:
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"

    return [f"{hhmm(h.start)}-{hhmm(h.end)}" for h in intervals]


def admin_years(row: SlaCalendar) -> tuple[OfficialYear, ...]:
    """The admin's official-year entries of a calendar."""
    years = []
    for entry in row.official_years:
        year = int(entry["year"])
        years.append(
            official_year(
                year,
                parse_dates(entry.get("days_off", []), "official_years"),
                parse_dates(entry.get("workdays", []), "official_years"),
            )
        )
    return tuple(years)


def calendar_spec(row: SlaCalendar) -> CalendarSpec:
    """The pure core's spec of a stored calendar."""
    if row.always_open:
        return CalendarSpec(name=row.name, always_open=True)
    official: tuple[OfficialYear, ...] | None = None
    if row.follows_china:
        by_year = {y.year: y for y in _china_years()}
        by_year.update({y.year: y for y in admin_years(row)})
        official = tuple(by_year[year] for year in sorted(by_year))
    week = tuple(parse_hours(row.week[i] if i < len(row.week) else [], "week") for i in range(7))
    return CalendarSpec(
        name=row.name,
        timezone=row.timezone,
        week=week,
        workday_hours=(
            parse_hours(row.workday_hours, "workday_hours")
            if row.workday_hours is not None
            else None
        ),
        holidays=parse_dates(row.holidays, "holidays"),
        extra_workdays=parse_dates(row.extra_workdays, "extra_workdays"),
        days=tuple(
            DayHours(
                date.fromisoformat(d["day"]),
                parse_hours(d.get("hours", []), "days"),
                d.get("reason", ""),
            )
            for d in row.days
        ),
        closures=tuple(
            Closure(
                datetime.fromisoformat(c["start"]),
                datetime.fromisoformat(c["end"]),
                c.get("reason", ""),
            )
            for c in row.closures
        ),
        official=official,
    )


def compiled(row: SlaCalendar) -> BusinessCalendar:
    """The compiled calendar of a row (compiled once per distinct spec per process)."""
    return compile_calendar(calendar_spec(row))


def version_label(version: SlaPolicyVersion) -> str:
    """The version string clocks carry: the stored id, so any version can be looked up."""
    return str(version.id)


def targets_of(version: SlaPolicyVersion | None) -> SlaTargets:
    """The pure core's targets of a stored version (no version: no clocks)."""
    if version is None:
        return SlaTargets(version="none")

    def minutes(value: int | None) -> timedelta | None:
        return None if value is None else timedelta(minutes=value)

    return SlaTargets(
        version=version_label(version),
        first_response=minutes(version.first_response_minutes),
        next_reply=minutes(version.next_reply_minutes),
        resolution=minutes(version.resolution_minutes),
        pause_on=frozenset(Status(s) for s in version.pause_on),
    )


def scaled(targets: SlaTargets, fraction: float) -> SlaTargets:
    """The same targets times ``fraction``: a warning point is this clock's deadline."""

    def part(goal: timedelta | None) -> timedelta | None:
        if goal is None:
            return None
        return timedelta(microseconds=max(1, round(goal / timedelta(microseconds=1) * fraction)))

    return SlaTargets(
        version=targets.version,
        first_response=part(targets.first_response),
        next_reply=part(targets.next_reply),
        resolution=part(targets.resolution),
        pause_on=targets.pause_on,
    )


def default_pause() -> list[str]:
    """The statuses a new policy pauses on."""
    return sorted(s.value for s in DEFAULT_PAUSE)


def closure_json(start: datetime, end: datetime, reason: str) -> dict[str, Any]:
    """A closure as stored."""
    return {"start": start.isoformat(), "end": end.isoformat(), "reason": reason}
