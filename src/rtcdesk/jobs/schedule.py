"""Pure time arithmetic for jobs: retry backoff and periodic (interval or cron) periods."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rtcdesk.core.clock import ensure_utc

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def backoff_delay(
    attempt: int,
    *,
    base: float = 2.0,
    cap: float = 3600.0,
    rng: random.Random | None = None,
) -> timedelta:
    """Delay before retry number ``attempt`` (1-based): exponential, capped, jittered.

    "Equal jitter": half the exponential delay is fixed and half is random, so retries of
    many jobs that failed together spread out but none retries almost immediately.
    """
    exp = min(cap, base * (2 ** max(0, attempt - 1)))
    jitter = (rng or random).random()
    return timedelta(seconds=exp / 2 + jitter * exp / 2)


@dataclass(frozen=True)
class Cron:
    """A five-field cron spec (minute hour day-of-month month day-of-week), in UTC."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday ... 6 = Saturday, as in cron
    any_day: bool
    any_weekday: bool

    @classmethod
    def parse(cls, spec: str) -> Cron:
        """Parse ``spec`` like ``"*/15 * * * *"`` or ``"0 3 * * 1-5"``."""
        fields = spec.split()
        if len(fields) != 5:
            raise ValueError(f"cron spec needs 5 fields, got {spec!r}")
        minute, hour, day, month, weekday = fields
        weekdays = {d % 7 for d in _field(weekday, 0, 7)}
        return cls(
            minutes=frozenset(_field(minute, 0, 59)),
            hours=frozenset(_field(hour, 0, 23)),
            days=frozenset(_field(day, 1, 31)),
            months=frozenset(_field(month, 1, 12)),
            weekdays=frozenset(weekdays),
            any_day=day == "*",
            any_weekday=weekday == "*",
        )

    def _day_matches(self, when: datetime) -> bool:
        if when.month not in self.months:
            return False
        day_ok = when.day in self.days
        weekday_ok = (when.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:
            return day_ok and weekday_ok
        return day_ok or weekday_ok  # cron's rule when both are restricted

    def previous(self, now: datetime) -> datetime:
        """The latest matching minute at or before ``now``."""
        now = ensure_utc(now).replace(second=0, microsecond=0)
        day = now.replace(hour=0, minute=0)
        for back in range(0, 366 * 5):
            candidate_day = day - timedelta(days=back)
            if not self._day_matches(candidate_day):
                continue
            for hour in sorted(self.hours, reverse=True):
                for minute in sorted(self.minutes, reverse=True):
                    moment = candidate_day.replace(hour=hour, minute=minute)
                    if moment <= now:
                        return moment
        raise ValueError("cron spec never matches")


def _field(text: str, low: int, high: int) -> set[int]:
    values: set[int] = set()
    for part in text.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if body == "*":
            start, end = low, high
        elif "-" in body:
            first, last = body.split("-", 1)
            start, end = int(first), int(last)
        else:
            start = int(body)
            end = high if step_text else start
        if step < 1 or start < low or end > high or start > end:
            raise ValueError(f"cron field {text!r} out of range {low}-{high}")
        values.update(range(start, end + 1, step))
    return values


Every = timedelta | Cron


def period_start(every: Every | str, now: datetime) -> datetime:
    """Start of the period containing ``now`` for an interval or a cron spec."""
    now = ensure_utc(now)
    if isinstance(every, str):
        every = Cron.parse(every)
    if isinstance(every, Cron):
        return every.previous(now)
    if every <= timedelta(0):
        raise ValueError("a periodic interval must be positive")
    periods = (now - EPOCH) // every
    return EPOCH + periods * every
