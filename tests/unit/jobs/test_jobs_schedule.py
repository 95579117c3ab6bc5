"""Pure time arithmetic: backoff, interval periods, cron periods."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from rtcdesk.jobs.registry import JobRegistry
from rtcdesk.jobs.schedule import Cron, backoff_delay, period_start

T = datetime(2026, 3, 4, 13, 37, 21, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(
    ("attempt", "low", "high"),
    [(1, 1, 2), (2, 2, 4), (3, 4, 8), (10, 512, 1024), (20, 1800, 3600), (60, 1800, 3600)],
)
def test_backoff_is_exponential_jittered_and_capped(attempt: int, low: float, high: float) -> None:
    rng = random.Random(attempt)
    for _ in range(50):
        delay = backoff_delay(attempt, rng=rng).total_seconds()
        assert low <= delay <= high


def test_backoff_jitter_spreads_retries() -> None:
    rng = random.Random(1)
    assert len({backoff_delay(4, rng=rng) for _ in range(20)}) > 10


@pytest.mark.parametrize(
    ("every", "expected"),
    [
        (timedelta(minutes=10), datetime(2026, 3, 4, 13, 30, tzinfo=UTC)),
        (timedelta(hours=1), datetime(2026, 3, 4, 13, 0, tzinfo=UTC)),
        (timedelta(days=1), datetime(2026, 3, 4, tzinfo=UTC)),
        (timedelta(seconds=30), datetime(2026, 3, 4, 13, 37, tzinfo=UTC)),
    ],
)
def test_interval_period_start(every: timedelta, expected: datetime) -> None:
    assert period_start(every, T) == expected


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("* * * * *", datetime(2026, 3, 4, 13, 37, tzinfo=UTC)),
        ("*/15 * * * *", datetime(2026, 3, 4, 13, 30, tzinfo=UTC)),
        ("0 3 * * *", datetime(2026, 3, 4, 3, 0, tzinfo=UTC)),
        ("0 14 * * *", datetime(2026, 3, 3, 14, 0, tzinfo=UTC)),
        ("30 8 * * 1", datetime(2026, 3, 2, 8, 30, tzinfo=UTC)),  # Monday
        ("0 9 * * 1-5", datetime(2026, 3, 4, 9, 0, tzinfo=UTC)),
        ("0 0 1 * *", datetime(2026, 3, 1, tzinfo=UTC)),
        ("0 0 1 1 *", datetime(2026, 1, 1, tzinfo=UTC)),
        ("5,50 13 * * *", datetime(2026, 3, 4, 13, 5, tzinfo=UTC)),
        ("0 12 * * 0", datetime(2026, 3, 1, 12, 0, tzinfo=UTC)),  # Sunday, 0
        ("0 12 * * 7", datetime(2026, 3, 1, 12, 0, tzinfo=UTC)),  # Sunday, 7
    ],
)
def test_cron_previous_match(spec: str, expected: datetime) -> None:
    assert period_start(spec, T) == expected


@pytest.mark.parametrize(
    "spec", ["* * * *", "60 * * * *", "* 24 * * *", "*/0 * * * *", "a * * * *"]
)
def test_bad_cron_specs_are_refused(spec: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        Cron.parse(spec)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        period_start(timedelta(hours=1), datetime(2026, 1, 1))  # noqa: DTZ001


def test_registry_refuses_duplicates_and_bad_periods() -> None:
    registry = JobRegistry()
    registry.job("a.b")(lambda ctx: None)
    with pytest.raises(Exception, match="already registered"):
        registry.job("a.b")(lambda ctx: None)
    with pytest.raises(ValueError, match="positive"):
        registry.periodic("a.b", every=timedelta(0))
    registry.periodic("a.b", every="*/5 * * * *")
    assert isinstance(registry.periodics["a.b"].every, Cron)
