"""The pure impairment models: deterministic, and statistically what they claim."""

from __future__ import annotations

import itertools
import random

import pytest

from rtcdesk.lab.impair import DelayLine, GilbertElliott, RandomLoss, TokenBucketQueue


def _drops(model: RandomLoss | GilbertElliott, n: int) -> list[bool]:
    return [model.drop() for _ in range(n)]


def test_random_loss_rate_and_determinism() -> None:
    a = _drops(RandomLoss(0.1, random.Random(5)), 20_000)
    b = _drops(RandomLoss(0.1, random.Random(5)), 20_000)
    assert a == b
    assert sum(a) / len(a) == pytest.approx(0.1, abs=0.01)


@pytest.mark.parametrize("rate", [0.0, 1.0])
def test_random_loss_extremes(rate: float) -> None:
    assert set(_drops(RandomLoss(rate, random.Random(1)), 500)) == {rate == 1.0}


def test_gilbert_elliott_mean_and_bursts() -> None:
    ge = GilbertElliott(p=0.02, r=0.25, loss_good=0.0, loss_bad=1.0, rng=random.Random(3))
    drops = _drops(ge, 100_000)
    assert sum(drops) / len(drops) == pytest.approx(ge.mean_loss, rel=0.1)
    bursts, run = [], 0
    for d in drops:
        if d:
            run += 1
        elif run:
            bursts.append(run)
            run = 0
    assert sum(bursts) / len(bursts) == pytest.approx(1 / 0.25, rel=0.15)  # mean burst 1/r


def test_gilbert_elliott_is_burstier_than_random_loss_at_same_mean() -> None:
    ge = GilbertElliott(p=0.02, r=0.25, loss_good=0.0, loss_bad=1.0, rng=random.Random(3))
    flat = RandomLoss(ge.mean_loss, random.Random(3))

    def consecutive(d: list[bool]) -> int:
        return sum(1 for x, y in itertools.pairwise(d) if x and y)

    assert consecutive(_drops(ge, 50_000)) > 5 * consecutive(_drops(flat, 50_000))


def test_token_bucket_paces_to_rate() -> None:
    q = TokenBucketQueue(rate_bps=800_000, burst_bytes=1_000, queue_bytes=1_000_000)
    departures = [q.admit(0.0, 1_000) for _ in range(101)]
    assert departures[0] == 0.0  # the bucket starts full
    assert departures[-1] == pytest.approx(100 * 1_000 / 100_000)  # 100 kB at 100 kB/s
    assert departures == sorted(departures)


def test_token_bucket_drop_tail_when_queue_full() -> None:
    q = TokenBucketQueue(rate_bps=80_000, burst_bytes=1_500, queue_bytes=5_000)
    results = [q.admit(0.0, 1_000) for _ in range(10)]
    assert results[:6].count(None) == 0
    assert results[6:] == [None] * 4  # 1 sent from the bucket, 5 kB queued, the rest dropped
    assert q.backlog(0.0) == 5_000
    assert q.backlog(10.0) == 0
    assert q.admit(10.0, 1_000) == 10.0  # tokens refilled while idle


def test_token_bucket_under_rate_adds_no_delay() -> None:
    q = TokenBucketQueue(rate_bps=1_000_000, burst_bytes=3_000, queue_bytes=10_000)
    for i in range(100):
        t = i * 0.01  # 1 kB every 10 ms = 800 kbit/s < 1 Mbit/s
        assert q.admit(t, 1_000) == t


def test_delay_line_without_reordering_keeps_order() -> None:
    line = DelayLine(random.Random(9))
    out = [line.release(i * 0.001, 0.05, 0.03) for i in range(1_000)]
    assert out == sorted(out)
    assert min(o - i * 0.001 for i, o in enumerate(out)) >= 0.05


def test_delay_line_with_reordering_reorders_and_keeps_bounds() -> None:
    line = DelayLine(random.Random(9))
    out = [line.release(i * 0.001, 0.05, 0.03, reorder=True) for i in range(1_000)]
    assert out != sorted(out)
    lags = [o - i * 0.001 for i, o in enumerate(out)]
    assert min(lags) >= 0.05
    assert max(lags) <= 0.11 + 1e-9
    assert sum(lags) / len(lags) == pytest.approx(0.08, abs=0.005)
