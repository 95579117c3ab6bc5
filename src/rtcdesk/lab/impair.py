"""Pure packet-impairment models: loss, bursty loss, delay/jitter, rate limiting.

Every model is a small state machine fed with ``(now, size)`` for each packet and
driven by a :class:`random.Random` seeded by the caller, so a given seed and packet
sequence always gives the same decisions. Times are seconds on any monotonic scale.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field


class RandomLoss:
    """Independent (Bernoulli) loss: each packet is dropped with probability ``rate``."""

    def __init__(self, rate: float, rng: random.Random) -> None:
        self.rate = rate
        self._rng = rng

    def drop(self) -> bool:
        """Decide whether the next packet is lost."""
        return self._rng.random() < self.rate


class GilbertElliott:
    """Two-state Markov (Gilbert-Elliott) loss: a good and a bad state with own loss rates.

    ``p`` is the chance to move good→bad per packet, ``r`` the chance to move bad→good.
    The mean burst length is ``1/r`` packets and the stationary share of the bad state
    is ``p/(p+r)``.
    """

    def __init__(
        self,
        p: float,
        r: float,
        loss_good: float,
        loss_bad: float,
        rng: random.Random,
    ) -> None:
        self.p = p
        self.r = r
        self.loss_good = loss_good
        self.loss_bad = loss_bad
        self.bad = False
        self._rng = rng

    def drop(self) -> bool:
        """Advance the chain by one packet and decide whether that packet is lost."""
        if self.bad:
            if self._rng.random() < self.r:
                self.bad = False
        elif self._rng.random() < self.p:
            self.bad = True
        rate = self.loss_bad if self.bad else self.loss_good
        return self._rng.random() < rate

    @property
    def mean_loss(self) -> float:
        """Long-run loss rate of the chain."""
        if self.p + self.r == 0:
            return self.loss_good
        share_bad = self.p / (self.p + self.r)
        return share_bad * self.loss_bad + (1 - share_bad) * self.loss_good


class TokenBucketQueue:
    """A FIFO link limited by a token bucket, with a finite drop-tail queue.

    ``rate_bps`` is the sustained rate, ``burst_bytes`` the bucket depth and
    ``queue_bytes`` how many bytes may wait for tokens; a packet that would overflow
    the queue is dropped (drop-tail). :meth:`admit` returns the departure time.
    """

    def __init__(self, rate_bps: float, burst_bytes: int, queue_bytes: int) -> None:
        self.rate = rate_bps / 8.0  # bytes per second
        self.burst = float(burst_bytes)
        self.queue_bytes = queue_bytes
        self._tokens = float(burst_bytes)
        self._token_time: float | None = None
        self._last_departure = float("-inf")
        self._waiting: deque[tuple[float, int]] = deque()
        self._waiting_bytes = 0

    def backlog(self, now: float) -> int:
        """Bytes still waiting for tokens at ``now``."""
        while self._waiting and self._waiting[0][0] <= now:
            self._waiting_bytes -= self._waiting.popleft()[1]
        return self._waiting_bytes

    def admit(self, now: float, size: int) -> float | None:
        """Queue a packet of ``size`` bytes; return its departure time or None if dropped."""
        if self.backlog(now) + size > self.queue_bytes:
            return None
        start = max(now, self._last_departure)
        if self._token_time is None:
            self._token_time = start
        tokens = min(self.burst, self._tokens + self.rate * (start - self._token_time))
        if tokens >= size:
            departure = start
            tokens -= size
        else:
            departure = start + (size - tokens) / self.rate
            tokens = 0.0
        self._tokens = tokens
        self._token_time = departure
        self._last_departure = departure
        if departure > now:
            self._waiting.append((departure, size))
            self._waiting_bytes += size
        return departure


@dataclass
class DelayLine:
    """Fixed delay plus random jitter; without reordering packets never overtake."""

    rng: random.Random
    _last_release: float = field(default=float("-inf"), init=False)

    def release(
        self, now: float, delay_s: float, jitter_s: float, *, reorder: bool = False
    ) -> float:
        """Return when a packet that is ready at ``now`` leaves the delay line."""
        extra = 0.0
        if jitter_s > 0:
            # Uniform on [0, 2*jitter] keeps the mean at delay+jitter and the spread honest.
            extra = self.rng.uniform(0.0, 2.0 * jitter_s)
        when = now + delay_s + extra
        if not reorder:
            when = max(when, self._last_release)
        self._last_release = max(self._last_release, when)
        return when
