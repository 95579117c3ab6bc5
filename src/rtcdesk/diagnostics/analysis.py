"""Derive per-stream and per-connection metrics (deltas, rates, ratios) from a Dump."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from rtcdesk.diagnostics.model import (
    Dump,
    FloatArray,
    PcEvent,
    PeerConnection,
    Series,
    StatsObject,
)
from rtcdesk.diagnostics.series import Metric, gauge, nz, rate, ratio

STATE_EVENTS = ("connectionstatechange", "iceconnectionstatechange")


@dataclass(slots=True)
class StreamView:
    """One RTP stream (or media source) with its derived metrics."""

    pc_id: str
    obj: StatsObject
    kind: str
    direction: str  # inbound | outbound | remote-inbound | source
    metrics: dict[str, Metric] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    # metrics only some findings read (evidence): computed, and their series decoded, on demand
    lazy: dict[str, Callable[[], Metric | None]] = field(default_factory=dict)

    def m(self, name: str) -> Metric | None:
        """The metric of this name if it has at least one sample."""
        x = self.metrics.get(name)
        if x is None and name in self.lazy:
            _put(self.metrics, self.lazy.pop(name)())
            x = self.metrics.get(name)
        return x if x is not None and len(x) else None

    @property
    def label(self) -> str:
        """A short human label like 'inbound audio (IT01A123)'."""
        return f"{self.direction} {self.kind} ({self.obj.id})"


@dataclass(slots=True)
class PcView:
    """A peer connection with its streams, the selected candidate pair and timings."""

    pc: PeerConnection
    streams: list[StreamView] = field(default_factory=list)
    pair: StatsObject | None = None
    pair_metrics: dict[str, Metric] = field(default_factory=dict)
    start: float = 0.0
    end: float = 0.0
    memo: dict[str, Any] = field(default_factory=dict)  # results several rules share

    def of(self, direction: str, kind: str | None = None) -> list[StreamView]:
        """Streams of a direction (and kind)."""
        return [
            s for s in self.streams if s.direction == direction and (kind is None or s.kind == kind)
        ]

    def states(self) -> list[PcEvent]:
        """Connection / ICE connection state events in time order."""
        return [e for e in self.pc.events if e.type in STATE_EVENTS]


def _kind(obj: StatsObject) -> str:
    k = obj.text("kind") or obj.text("mediaType")
    if k in ("audio", "video"):
        return k
    low = obj.id.lower()
    if "audio" in low:
        return "audio"
    if "video" in low:
        return "video"
    video_props = ("framesDecoded", "framesEncoded", "frameHeight", "width", "frames")
    return "video" if any(p in obj.props for p in video_props) else "audio"


def _codec(pc: PeerConnection, obj: StatsObject) -> str | None:
    cid = obj.text("codecId")
    if cid and cid in pc.stats:
        mt = pc.stats[cid].text("mimeType")
        if mt:
            return mt
    for p in ("[codec]", "codec", "mimeType"):
        t = obj.text(p)
        if t:
            return t
    return None


def _inbound(v: StreamView) -> None:
    o, m = v.obj, v.metrics
    _put(m, rate(o, "bytesReceived", 8 / 1000, "bitrate_kbps", "kbps"))
    _put(m, rate(o, "packetsReceived", 1, "packets_ps", "pkt/s"))
    _put(m, ratio(o, "packetsLost", "packetsLost", 100, "loss_pct", "%", "packetsReceived"))
    _put(m, gauge(o, "jitter", 1000, "jitter_ms", "ms"))
    jb = ratio(o, "jitterBufferDelay", "jitterBufferEmittedCount", 1000, "jb_delay_ms", "ms")
    _put(m, jb or gauge(o, "legacyJitterBufferMs", 1, "jb_delay_ms", "ms"))
    _lazy_rates(v, (("nack_ps", "nackCount"), ("pli_ps", "pliCount"), ("fir_ps", "firCount")))
    if v.kind == "audio":
        c = ratio(o, "concealedSamples", "totalSamplesReceived", 100, "conceal_pct", "%")
        sc = ratio(o, "silentConcealedSamples", "totalSamplesReceived", 100)
        if c is not None and sc is not None and len(sc) == len(c):
            c.v = np.maximum(c.v - nz(sc.v), 0)
        _put(m, c or gauge(o, "legacyExpandRate", 100, "conceal_pct", "%"))
        v.lazy["accel_decel_pct"] = partial(_accel_decel, o)
        _put(m, gauge(o, "audioLevel", 1, "audio_level", ""))
        _put(m, ratio(o, "totalAudioEnergy", "totalSamplesDuration", 1, "energy", ""))
    else:
        _put(m, gauge(o, "framesPerSecond", 1, "fps", "fps"))
        _put(m, rate(o, "framesDecoded", 1, "decoded_fps", "fps"))
        _put(m, gauge(o, "frameHeight", 1, "height", "px"))
        _put(m, rate(o, "totalFreezesDuration", 100, "freeze_pct", "%"))
        _lazy_rates(v, (("freezes_ps", "freezeCount"),))
        _put(m, rate(o, "totalPausesDuration", 100, "pause_pct", "%"))
        _put(m, ratio(o, "framesDropped", "framesReceived", 100, "drop_pct", "%"))
        _put(m, ratio(o, "totalDecodeTime", "framesDecoded", 1000, "decode_ms", "ms"))
    for key, prop in (("decoder", "decoderImplementation"), ("playout", "playoutId")):
        t = o.text(prop)
        if t:
            v.facts[key] = t


def _lazy_rates(v: StreamView, pairs: tuple[tuple[str, str], ...]) -> None:
    for name, prop in pairs:
        v.lazy[name] = partial(rate, v.obj, prop, 1, name, "1/s")


def _accel_decel(o: StatsObject) -> Metric | None:
    ins = ratio(o, "insertedSamplesForDeceleration", "totalSamplesReceived", 100)
    rem = ratio(o, "removedSamplesForAcceleration", "totalSamplesReceived", 100)
    if ins is None or rem is None or len(ins) != len(rem):
        return None
    ins.v = ins.v + rem.v
    ins.name, ins.unit = "accel_decel_pct", "%"
    ins.source += ",removedSamplesForAcceleration"
    return ins


def _outbound(v: StreamView) -> None:
    o, m = v.obj, v.metrics
    _put(m, rate(o, "bytesSent", 8 / 1000, "bitrate_kbps", "kbps"))
    _put(m, rate(o, "packetsSent", 1, "packets_ps", "pkt/s"))
    _lazy_rates(v, (("nack_ps", "nackCount"), ("pli_ps", "pliCount")))
    if v.kind == "video":
        _put(m, gauge(o, "framesPerSecond", 1, "fps", "fps"))
        _put(m, rate(o, "framesEncoded", 1, "encoded_fps", "fps"))
        _put(m, gauge(o, "frameHeight", 1, "height", "px"))
        _put(m, ratio(o, "totalEncodeTime", "framesEncoded", 1000, "encode_ms", "ms"))
        for reason in ("cpu", "bandwidth"):
            p = f"qualityLimitationDurations.{reason}"
            _put(m, rate(o, p, 100, f"ql_{reason}_pct", "%"))
        ql = o.strings("qualityLimitationReason")
        if ql is not None and "ql_cpu_pct" not in m:
            for reason in ("cpu", "bandwidth"):
                vals = np.asarray([100.0 if x == reason else 0.0 for x in ql.values])
                m[f"ql_{reason}_pct"] = Metric(
                    f"ql_{reason}_pct", ql.ts, vals, "%", f"{o.type} {o.id}/qualityLimitationReason"
                )
        if ql is not None:
            v.facts["quality_limitation"] = ql.values[-1]
    for key, prop in (
        ("encoder", "encoderImplementation"),
        ("rid", "rid"),
        ("scalability", "scalabilityMode"),
    ):
        t = o.text(prop)
        if t:
            v.facts[key] = t


def _remote_inbound(v: StreamView, pc: PeerConnection) -> None:
    o, m = v.obj, v.metrics
    fl = gauge(o, "fractionLost", 100, "loss_pct", "%")
    if fl is None:
        local = pc.stats.get(o.text("localId") or "")
        lost = o.num("packetsLost")
        sent = local.num("packetsSent") if local is not None else None
        if lost is not None and sent is not None and len(lost.ts) > 1:
            tmp = StatsObject(
                o.id, o.type, {"packetsLost": lost, "packetsSent": _resample(sent, lost.ts)}
            )
            fl = ratio(tmp, "packetsLost", "packetsSent", 100, "loss_pct", "%")
    _put(m, fl)
    _put(m, gauge(o, "roundTripTime", 1000, "rtt_ms", "ms"))
    _put(m, gauge(o, "jitter", 1000, "jitter_ms", "ms"))


def _resample(s: Series, ts: FloatArray) -> Series:
    vals = s.values if isinstance(s.values, np.ndarray) else np.full(len(s.ts), np.nan)
    return Series(ts, np.interp(ts, s.ts, vals))


def _source(v: StreamView) -> None:
    o, m = v.obj, v.metrics
    if v.kind == "audio":
        _put(m, gauge(o, "audioLevel", 1, "audio_level", ""))
        _put(m, ratio(o, "totalAudioEnergy", "totalSamplesDuration", 1, "energy", ""))
    else:
        _put(m, gauge(o, "framesPerSecond", 1, "fps", "fps"))
        _put(m, gauge(o, "height", 1, "height", "px"))


def _put(m: dict[str, Metric], x: Metric | None) -> None:
    if x is not None and len(x):
        m[x.name] = x


def select_pair(pc: PeerConnection) -> StatsObject | None:
    """The candidate pair carrying the media (selected, else nominated with most bytes)."""
    for t in pc.of_type("transport"):
        sel = t.text("selectedCandidatePairId")
        if sel and sel in pc.stats:
            return pc.stats[sel]
    pairs = pc.of_type("candidate-pair")

    def weight(p: StatsObject) -> tuple[int, float]:
        nominated = (p.text("nominated") or "").lower() in ("true", "1")
        b = 0.0
        for prop in ("bytesSent", "bytesReceived"):
            s = p.num(prop)
            if s is not None and np.isfinite(s.values[-1]):
                b += float(s.values[-1])
        return (int(nominated), b)

    return max(pairs, key=weight) if pairs else None


def analyse(dump: Dump) -> list[PcView]:
    """Build the per-connection views with all derived metrics."""
    views: list[PcView] = []
    for pc in dump.peer_connections.values():
        pv = PcView(pc=pc)
        tmin, tmax = np.inf, -np.inf
        for obj in pc.stats.values():
            rng = obj.time_range()
            if rng is not None and np.isfinite(rng[0]) and np.isfinite(rng[1]):
                tmin, tmax = min(tmin, rng[0]), max(tmax, rng[1])
            direction = {
                "inbound-rtp": "inbound",
                "outbound-rtp": "outbound",
                "remote-inbound-rtp": "remote-inbound",
                "media-source": "source",
            }.get(obj.type)
            if direction is None:
                continue
            sv = StreamView(pc_id=pc.id, obj=obj, kind=_kind(obj), direction=direction)
            codec = _codec(pc, obj)
            if codec:
                sv.facts["codec"] = codec
            if direction == "inbound":
                _inbound(sv)
            elif direction == "outbound":
                _outbound(sv)
            elif direction == "remote-inbound":
                _remote_inbound(sv, pc)
            else:
                _source(sv)
            pv.streams.append(sv)
        if pc.events:
            tmin = min(tmin, pc.events[0].ts)
            tmax = max(tmax, pc.events[-1].ts)
        pv.start, pv.end = (tmin, tmax) if tmin <= tmax else (0.0, 0.0)
        pv.pair = select_pair(pc)
        if pv.pair is not None:
            p, pm = pv.pair, pv.pair_metrics
            _put(pm, gauge(p, "currentRoundTripTime", 1000, "rtt_ms", "ms"))
            _put(pm, gauge(p, "availableOutgoingBitrate", 1 / 1000, "aob_kbps", "kbps"))
            _put(pm, gauge(p, "availableIncomingBitrate", 1 / 1000, "aib_kbps", "kbps"))
        views.append(pv)
    return views
