"""Evaluate a direction's time-varying impairment schedule, packet by packet (pure)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from rtcdesk.lab.impair import DelayLine, GilbertElliott, RandomLoss, TokenBucketQueue
from rtcdesk.lab.scenario import Phase

_DIRECTION_SALT = {"uplink": 1, "downlink": 2}


@dataclass
class Counters:
    """What a direction did with its packets."""

    packets_in: int = 0
    bytes_in: int = 0
    packets_out: int = 0
    dropped: int = 0
    dropped_loss: int = 0
    dropped_queue: int = 0
    dropped_outage: int = 0

    def as_dict(self) -> dict[str, int]:
        """Plain mapping for labels and summaries."""
        return dict(self.__dict__)


@dataclass
class _Active:
    phase: Phase
    loss: RandomLoss | GilbertElliott | None = None
    queue: TokenBucketQueue | None = None


@dataclass
class DirectionPipeline:
    """The impairments of one direction: outage → loss → rate limit → delay/jitter.

    ``process(t, size)`` takes the packet's arrival in scenario seconds and returns when
    it should be forwarded, or None to drop it. Deterministic for a given seed.
    """

    phases: tuple[Phase, ...]
    seed: int
    direction: str = "uplink"
    counters: Counters = field(default_factory=Counters)

    def __post_init__(self) -> None:
        salt = _DIRECTION_SALT.get(self.direction, 3)
        self._states: list[_Active] = []
        for i, ph in enumerate(self.phases):
            rng = random.Random(self.seed * 1_000_003 + salt * 1_009 + i)  # noqa: S311
            self._states.append(_Active(ph, _loss_model(ph, rng), _queue_model(ph)))
        self._delay = DelayLine(random.Random(self.seed * 7_919 + salt))  # noqa: S311

    def active_kinds(self, t: float) -> list[str]:
        """Kinds of the phases in force at ``t`` (for logs and summaries)."""
        return [s.phase.kind for s in self._states if s.phase.active(t)]

    def process(self, t: float, size: int) -> float | None:
        """Decide the fate of one packet arriving at scenario time ``t``."""
        c = self.counters
        c.packets_in += 1
        c.bytes_in += size
        active = [s for s in self._states if s.phase.active(t)]
        if any(s.phase.kind in ("blackout", "block") for s in active):
            c.dropped += 1
            c.dropped_outage += 1
            return None
        for s in active:
            if s.loss is not None and s.loss.drop():
                c.dropped += 1
                c.dropped_loss += 1
                return None
        ready = t
        for s in active:
            if s.queue is not None:
                departure = s.queue.admit(t, size)
                if departure is None:
                    c.dropped += 1
                    c.dropped_queue += 1
                    return None
                ready = max(ready, departure)
        delay_ms = sum(float(s.phase.params["ms"]) for s in active if s.phase.kind == "delay")
        jitter = [s.phase for s in active if s.phase.kind == "jitter"]
        jitter_ms = sum(float(p.params["ms"]) for p in jitter)
        reorder = any(bool(p.params["reorder"]) for p in jitter)
        c.packets_out += 1
        if delay_ms == 0 and jitter_ms == 0:
            return ready
        return self._delay.release(ready, delay_ms / 1000, jitter_ms / 1000, reorder=reorder)


def _loss_model(ph: Phase, rng: random.Random) -> RandomLoss | GilbertElliott | None:
    if ph.kind == "loss":
        return RandomLoss(float(ph.params["rate"]), rng)
    if ph.kind == "burst_loss":
        return GilbertElliott(
            float(ph.params["p"]),
            float(ph.params["r"]),
            float(ph.params["loss_good"]),
            float(ph.params["loss_bad"]),
            rng,
        )
    return None


def _queue_model(ph: Phase) -> TokenBucketQueue | None:
    if ph.kind != "bandwidth":
        return None
    rate_bps = float(ph.params["kbps"]) * 1000
    queue_bytes = max(int(rate_bps / 8 * float(ph.params["queue_ms"]) / 1000), 1_500)
    return TokenBucketQueue(rate_bps, int(ph.params["burst_bytes"]), queue_bytes)
