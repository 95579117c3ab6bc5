"""The one internal time-series model every dump format is parsed into.

A :class:`Dump` holds peer connections; each holds stats objects (one per W3C stats id)
whose properties are :class:`Series`: a float64 array of timestamps in milliseconds
since the Unix epoch and either a float64 array of values or a list of strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(slots=True)
class Series:
    """One property of one stats object over time."""

    ts: FloatArray
    values: FloatArray | list[str]

    @property
    def numeric(self) -> bool:
        """True when the values are a float64 array."""
        return isinstance(self.values, np.ndarray)

    def __len__(self) -> int:
        return len(self.values)

    def last_str(self) -> str | None:
        """The last value as a string, or None when empty."""
        if len(self.values) == 0:
            return None
        v = self.values[-1]
        if isinstance(v, str):
            return v
        return format_number(float(v))


def format_number(x: float) -> str:
    """Render a float compactly (integers without a decimal point)."""
    if np.isfinite(x) and x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:g}"


@dataclass(slots=True)
class StatsObject:
    """One W3C stats object (an id of a given type) and its property series."""

    id: str
    type: str
    props: dict[str, Series] = field(default_factory=dict)
    ts_hint: tuple[float, float] | None = None  # first/last sample time, when known cheaply

    def time_range(self) -> tuple[float, float] | None:
        """First and last sample time of this object."""
        if self.ts_hint is not None:
            return self.ts_hint
        ts = [(float(s.ts[0]), float(s.ts[-1])) for s in self.props.values() if len(s.ts)]
        if not ts:
            return None
        return min(a for a, _ in ts), max(b for _, b in ts)

    def num(self, name: str) -> Series | None:
        """The numeric series of a property, or None when absent or not numeric."""
        s = self.props.get(name)
        if s is None or not s.numeric or len(s) == 0:
            return None
        return s

    def text(self, name: str) -> str | None:
        """The last value of a property as a string, or None."""
        last_str = getattr(self.props, "last_str", None)  # lazily decoded props: cheaper
        if last_str is not None:
            return last_str(name)  # type: ignore[no-any-return]
        s = self.props.get(name)
        return None if s is None else s.last_str()

    def strings(self, name: str) -> Series | None:
        """The series of a string property, or None."""
        s = self.props.get(name)
        if s is None or s.numeric or len(s) == 0:
            return None
        return s


@dataclass(slots=True)
class PcEvent:
    """One entry of a peer connection's event timeline (state changes, SDP, ICE)."""

    ts: float
    type: str
    value: str


@dataclass(slots=True)
class RtcConfig:
    """What the application configured on the peer connection."""

    ice_servers: list[str] = field(default_factory=list)
    ice_transport_policy: str | None = None
    bundle_policy: str | None = None
    raw: str = ""

    @property
    def has_turn(self) -> bool:
        """True when at least one TURN server is configured."""
        return any(u.lower().startswith(("turn:", "turns:")) for u in self.ice_servers)


@dataclass(slots=True)
class PeerConnection:
    """One RTCPeerConnection: configuration, event timeline and stats."""

    id: str
    url: str = ""
    config: RtcConfig = field(default_factory=RtcConfig)
    events: list[PcEvent] = field(default_factory=list)
    stats: dict[str, StatsObject] = field(default_factory=dict)

    def of_type(self, *types: str) -> list[StatsObject]:
        """All stats objects of the given types, in id order."""
        return [o for o in self.stats.values() if o.type in types]


@dataclass(slots=True)
class MediaRequest:
    """A getUserMedia/getDisplayMedia call with its constraints."""

    ts: float
    kind: str
    audio: Any = None
    video: Any = None
    error: str | None = None


@dataclass(slots=True)
class Dump:
    """A parsed dump of any supported format."""

    format: str
    peer_connections: dict[str, PeerConnection] = field(default_factory=dict)
    media_requests: list[MediaRequest] = field(default_factory=list)
    user_agent: str = ""
    warnings: list[str] = field(default_factory=list)

    def pc(self, pc_id: str) -> PeerConnection:
        """The peer connection with this id, created on first use."""
        pc = self.peer_connections.get(pc_id)
        if pc is None:
            pc = self.peer_connections[pc_id] = PeerConnection(id=pc_id)
        return pc
