"""Turning the partial times logs write into UTC epoch milliseconds.

The rules (docs/logs.md, "Times"):
- A time with an offset (``+08:00``, ``+0800``, ``Z``) is exact.
- A time without one is in ``default_offset_min`` (the customer's zone, default UTC).
- A date without a year (Chromium ``MMDD``, logcat ``MM-DD``) takes the latest year that does
  not put it more than a day after ``reference`` (when the log was received), so a log that
  runs over New Year keeps its order.
- A time without a date (console exports) starts on ``reference``'s date, or the day before
  when that would be after ``reference``; a time that goes back by more than an hour from the
  previous line is on the next day.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from rtcdesk.core.errors import InvalidInput

DAY_MS = 86_400_000.0
HOUR_MS = 3_600_000.0


class TimeContext:
    """The reference instant and zone used to complete partial times of one file."""

    def __init__(self, reference: datetime, default_offset_min: int = 0) -> None:
        if reference.tzinfo is None:
            reference = reference.replace(tzinfo=UTC)
        self.reference = reference
        self.zone = timezone(timedelta(minutes=default_offset_min))
        self.ref_ms = reference.timestamp() * 1000.0
        self._last_time_only: float | None = None
        self._day_shift = 0.0
        self._year_cache: dict[tuple[int, int], int] = {}

    def exact(self, dt: datetime) -> float:
        """Epoch ms of a datetime; naive values are in the default zone."""
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=self.zone)
        return dt.timestamp() * 1000.0

    def no_year(self, month: int, day: int, h: int, m: int, s: int, us: int) -> float | None:
        """Epoch ms of a date without a year (None if the date is impossible)."""
        key = (month, day)
        year = self._year_cache.get(key)
        if year is None:
            year = self.reference.year + 1
            while year >= self.reference.year - 8:  # 29 February may be years back
                try:
                    candidate = datetime(year, month, day, tzinfo=self.zone)
                except ValueError:  # 29 Feb in a year without it
                    year -= 1
                    continue
                if candidate.timestamp() * 1000.0 <= self.ref_ms + DAY_MS:
                    break
                year -= 1
            self._year_cache[key] = year
        try:
            dt = datetime(year, month, day, h, m, s, us, tzinfo=self.zone)
        except ValueError:
            return None
        return dt.timestamp() * 1000.0

    def time_only(self, h: int, m: int, s: int, us: int) -> float | None:
        """Epoch ms of a time of day without a date, continuing the previous line's day."""
        if h > 23 or m > 59 or s > 60:
            return None
        of_day = ((h * 60 + m) * 60 + s) * 1000.0 + us / 1000.0
        if self._last_time_only is None:
            local_ref = self.reference.astimezone(self.zone)
            midnight = datetime(local_ref.year, local_ref.month, local_ref.day, tzinfo=self.zone)
            base = midnight.timestamp() * 1000.0
            if base + of_day > self.ref_ms + HOUR_MS:
                base -= DAY_MS
            self._day_shift = base
        elif of_day + HOUR_MS < self._last_time_only:
            self._day_shift += DAY_MS
        self._last_time_only = of_day
        return self._day_shift + of_day


def parse_offset(text: str | None) -> timezone | None:
    """``Z``, ``+08:00``, ``+0800`` or ``-05`` as a timezone (None when absent or odd)."""
    if not text:
        return None
    if text in ("Z", "z"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    if not digits.isdigit() or len(digits) not in (2, 4):
        return None
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def fraction_us(text: str | None) -> int:
    """Microseconds of a decimal fraction of a second ('123' -> 123000, '123456789' -> 123456)."""
    if not text:
        return 0
    return int((text + "000000")[:6])


_OFFSET = re.compile(r"^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d\d))?$", re.IGNORECASE)


def offset_minutes(text: str) -> int:
    """'+08:00', '+8', 'UTC-05:30' or 'UTC' as minutes east of UTC."""
    value = text.strip()
    if value.upper() in ("UTC", "GMT", "Z", "0", ""):
        return 0
    m = _OFFSET.match(value)
    if m is None or int(m.group(2)) > 14 or int(m.group(3) or 0) > 59:
        raise InvalidInput(
            "{value} is not a UTC offset such as +08:00 or -05:00.",
            params={"value": text},
            field="tz",
        )
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    return -minutes if m.group(1) == "-" else minutes
