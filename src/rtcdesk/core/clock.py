"""Injectable time source: all of rtcdesk reads 'now' from a Clock, always in UTC."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that can tell the current UTC time."""

    def now(self) -> datetime:
        """Return the current time as a timezone-aware UTC datetime."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """Return the current time as a timezone-aware UTC datetime."""
        return datetime.now(UTC)


class ShiftedClock:
    """The real clock moved by a fixed offset; for demonstrations and browser tests.

    Set with ``RTCDESK_CLOCK_OFFSET_SECONDS``: every process (web workers, job worker,
    commands) given the same offset agrees on "now", which runs at the real pace from a
    moment of one's choosing (a weekday night in Beijing, say) however late a test runs.
    """

    def __init__(self, offset: timedelta) -> None:
        self._offset = offset

    def now(self) -> datetime:
        """Return the shifted current time as a timezone-aware UTC datetime."""
        return datetime.now(UTC) + self._offset


class FrozenClock:
    """A clock that only moves when told to; for tests and reproducible demo data."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware datetime")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """Return the frozen time."""
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward by ``delta`` and return the new time."""
        with self._lock:
            self._now += delta
            return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (timezone-aware)."""
        if when.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware datetime")
        with self._lock:
            self._now = when.astimezone(UTC)


def ensure_utc(value: datetime) -> datetime:
    """Return ``value`` in UTC; naive datetimes are rejected, never guessed."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: rtcdesk only accepts timezone-aware datetimes")
    return value.astimezone(UTC)
