"""The calendar view of a schedule: shifts laid out on the local days of weeks (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rtcdesk.oncall.rotation import Shift


@dataclass(frozen=True)
class Slot:
    """Part of a shift on one local day: ``starts``/``ends`` are local ``HH:MM`` or None when
    the shift began before the day or runs past it."""

    layer_id: int
    agent_id: int
    starts: str | None
    ends: str | None
    override_id: int | None


@dataclass(frozen=True)
class Day:
    """One local day of the calendar with its slots, by layer order then time."""

    day: date
    slots: tuple[Slot, ...]
    today: bool


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    """The UTC instants a local day starts and ends (23 or 25 hours on DST days)."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


def _hhmm(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%H:%M")


def calendar_weeks(
    found: list[Shift],
    layer_order: list[int],
    timezone: str,
    first_day: date,
    weeks: int,
    today: date,
) -> list[list[Day]]:
    """``weeks`` rows of seven local days from ``first_day``, each with its slots."""
    zone = ZoneInfo(timezone)
    rank = {layer_id: i for i, layer_id in enumerate(layer_order)}
    rows: list[list[Day]] = []
    for w in range(weeks):
        row = []
        for d in range(7):
            day = first_day + timedelta(days=7 * w + d)
            lo, hi = day_bounds(day, timezone)
            slots = [
                Slot(
                    s.layer_id,
                    s.agent_id,
                    None if s.start <= lo else _hhmm(s.start, zone),
                    None if s.end >= hi else _hhmm(s.end, zone),
                    s.override_id,
                )
                for s in sorted(found, key=lambda s: (rank.get(s.layer_id, 99), s.start))
                if s.start < hi and s.end > lo
            ]
            row.append(Day(day, tuple(slots), day == today))
        rows.append(row)
    return rows
