"""Schedule evaluation: phases switch on and off at their times, per direction."""

from __future__ import annotations

from rtcdesk.lab.scenario import parse_scenario
from rtcdesk.lab.schedule import DirectionPipeline

SCENARIO = """
name: unit
duration_s: 30
seed: 4
impairments:
  - {kind: loss, direction: uplink, start_s: 5, end_s: 10, rate: 0.5}
  - {kind: blackout, direction: both, start_s: 12, duration_s: 2}
  - {kind: delay, direction: downlink, ms: 100}
  - {kind: bandwidth, direction: downlink, start_s: 20, kbps: 80, queue_ms: 100}
"""


def _pipes() -> tuple[DirectionPipeline, DirectionPipeline]:
    sc = parse_scenario(SCENARIO)
    up = DirectionPipeline(sc.for_direction("uplink"), sc.seed, "uplink")
    down = DirectionPipeline(sc.for_direction("downlink"), sc.seed, "downlink")
    return up, down


def _feed(pipe: DirectionPipeline, start: float, end: float, step: float = 0.01) -> list:
    out, t = [], start
    while t < end:
        out.append((t, pipe.process(t, 1_000)))
        t += step
    return out


def test_loss_only_inside_its_window_and_direction() -> None:
    up, down = _pipes()
    before = _feed(up, 0, 5)
    during = _feed(up, 5, 10)
    after = _feed(up, 10, 12)
    assert all(r is not None for _, r in before + after)
    lost = sum(r is None for _, r in during) / len(during)
    assert 0.4 < lost < 0.6
    assert all(r is not None for _, r in _feed(down, 5, 10))  # downlink untouched by it
    assert up.counters.dropped_loss == up.counters.dropped > 0


def test_blackout_drops_everything_both_ways() -> None:
    up, down = _pipes()
    for pipe in (up, down):
        res = _feed(pipe, 12, 14)
        assert all(r is None for _, r in res)
        assert pipe.counters.dropped_outage == len(res)
        assert pipe.process(14.01, 1_000) is not None


def test_delay_applies_to_downlink_only() -> None:
    up, down = _pipes()
    assert up.process(1.0, 500) == 1.0
    assert down.process(1.0, 500) == 1.1


def test_bandwidth_phase_queues_then_drops() -> None:
    _, down = _pipes()
    res = _feed(down, 20, 21, step=0.001)  # 1 kB/ms = 8 Mbit/s into an 80 kbit/s link
    assert down.counters.dropped_queue > 900
    lags = [r - t for t, r in res if r is not None]
    # A 1 kB queue slot at 10 kB/s: at most 100 ms of queueing (plus one packet) + 100 ms delay.
    assert min(lags) >= 0.1
    assert max(lags) <= 0.1 + 0.1 + 0.1 + 1e-9


def test_same_seed_same_fate() -> None:
    a, _ = _pipes()
    b, _ = _pipes()
    assert _feed(a, 4, 11) == _feed(b, 4, 11)
