"""Per-connection facts and downsampled chart data for the report."""

from __future__ import annotations

import numpy as np

from rtcdesk.diagnostics.analysis import PcView
from rtcdesk.diagnostics.report import Chart, ChartLine, Finding, PcFacts, StreamFacts
from rtcdesk.diagnostics.rules.ice import candidate_types
from rtcdesk.diagnostics.series import Metric

MAX_POINTS = 300
MAX_CHART_PCS = 4


def pc_facts(pv: PcView) -> PcFacts:
    """What we know about a connection: servers, candidates, states, streams."""
    pc = pv.pc
    sel: dict[str, str] = {}
    if pv.pair is not None:
        for side, key in (("local", "localCandidateId"), ("remote", "remoteCandidateId")):
            c = pc.stats.get(pv.pair.text(key) or "")
            if c is not None:
                for prop in ("candidateType", "protocol", "relayProtocol", "url"):
                    t = c.text(prop)
                    if t:
                        sel[f"{side}_{prop}"] = t
    streams: list[StreamFacts] = []
    for s in pv.streams:
        if s.direction not in ("inbound", "outbound"):
            continue
        h = s.m("height")
        br, loss = s.m("bitrate_kbps"), s.m("loss_pct")
        streams.append(
            StreamFacts(
                id=s.obj.id,
                direction=s.direction,
                kind=s.kind,
                codec=s.facts.get("codec"),
                implementation=s.facts.get("encoder") or s.facts.get("decoder"),
                max_height=_r(np.nanmax(h.v)) if h is not None and np.isfinite(h.v).any() else None,
                bitrate_kbps_avg=_mean(br),
                loss_pct_avg=_mean(loss),
            )
        )
    return PcFacts(
        id=pc.id,
        url=pc.url,
        start_ms=pv.start,
        end_ms=pv.end,
        ice_servers=list(pc.config.ice_servers),
        ice_transport_policy=pc.config.ice_transport_policy,
        local_candidate_types=sorted(candidate_types(pc)),
        selected_pair=sel,
        states=[(e.ts, e.type, e.value) for e in pv.states()][:200],
        streams=streams,
    )


def _r(x: float) -> float | None:
    return round(float(x), 2) if np.isfinite(x) else None


def _mean(m: Metric | None) -> float | None:
    if m is None or not np.isfinite(m.v).any():
        return None
    return _r(float(np.nanmean(m.v)))


def _down(m: Metric) -> tuple[list[float], list[float | None]]:
    ts, v = m.ts, m.v
    if len(ts) > MAX_POINTS:
        starts = np.linspace(0, len(ts), MAX_POINTS + 1).astype(np.int64)[:-1]
        counts = np.diff(np.append(starts, len(ts)))
        ts = np.add.reduceat(ts, starts) / counts
        ok = np.isfinite(v)
        n = np.add.reduceat(ok.astype(np.float64), starts)
        total = np.add.reduceat(np.where(ok, v, 0.0), starts)
        v = np.where(n > 0, total / np.maximum(n, 1.0), np.nan)
    vals: list[float | None] = np.round(v, 3).tolist()
    return np.round(ts, 1).tolist(), [None if x != x else x for x in vals]  # NaN != NaN


_CHARTS = (
    (
        "bitrate_kbps",
        ("inbound", "outbound"),
        "Bitrate",
        "码率",
        "kbps",
        (
            "network.bandwidth_limited",
            "network.blackout",
            "media.one_way",
            "video.camera_stopped",
            "video.no_inbound_video",
            "audio.no_inbound_audio",
        ),
    ),
    (
        "loss_pct",
        ("inbound", "remote-inbound"),
        "Packet loss (received = downlink, sent = uplink)",
        "丢包率（接收为下行，发送为上行）",
        "%",
        ("network.uplink_loss", "network.downlink_loss"),
    ),
    ("jitter_ms", ("inbound", "remote-inbound"), "Jitter", "抖动", "ms", ("network.jitter",)),
    (
        "fps",
        ("inbound", "outbound"),
        "Video frame rate",
        "视频帧率",
        "fps",
        ("video.freeze", "cpu.sender_limited", "video.decoder_problem", "video.camera_stopped"),
    ),
    (
        "height",
        ("inbound", "outbound"),
        "Video height",
        "视频高度",
        "px",
        ("video.resolution_degraded", "cpu.sender_limited", "network.bandwidth_limited"),
    ),
    ("freeze_pct", ("inbound",), "Video frozen time", "视频冻结时间占比", "%", ("video.freeze",)),
    ("conceal_pct", ("inbound",), "Audio concealment", "音频补偿比例", "%", ("audio.stutter",)),
    (
        "audio_level",
        ("inbound", "source"),
        "Audio level",
        "音量",
        "0–1",
        ("audio.mic_silent", "audio.no_inbound_audio"),
    ),
    (
        "jb_delay_ms",
        ("inbound",),
        "Jitter-buffer delay",
        "抖动缓冲延迟",
        "ms",
        ("sync.av_desync", "network.jitter"),
    ),
)


def charts(views: list[PcView], findings: list[Finding]) -> list[Chart]:
    """Timeline charts of the key series per connection, with related finding windows."""
    out: list[Chart] = []
    for pv in [v for v in views if v.streams][:MAX_CHART_PCS]:
        mine = [f for f in findings if f.pc_id in (pv.pc.id, None) and f.severity != "info"]

        def wins(
            codes: tuple[str, ...], mine: list[Finding] = mine
        ) -> list[tuple[float, float, str]]:
            return [
                (w.start_ms, w.end_ms, f.code) for f in mine if f.code in codes for w in f.windows
            ]

        rtt = pv.pair_metrics.get("rtt_ms")
        if rtt is not None and np.isfinite(rtt.v).any():
            ts, vals = _down(rtt)
            out.append(
                Chart(
                    pv.pc.id,
                    {"en": "Round-trip time", "zh-CN": "往返时延"},
                    "ms",
                    [ChartLine("candidate-pair RTT", ts, vals)],
                    wins(("network.high_rtt", "network.blackout")),
                )
            )
        for key, dirs, en, zh, unit, codes in _CHARTS:
            lines = []
            for s in pv.streams:
                m = s.m(key)
                if s.direction in dirs and m is not None and np.isfinite(m.v).any():
                    if unit == "%":  # a freeze ending adds its whole length to one interval
                        m = Metric(m.name, m.ts, np.minimum(m.v, 100.0), m.unit, m.source)
                    ts, vals = _down(m)
                    lines.append(ChartLine(f"{s.direction} {s.kind} {s.obj.id}"[:48], ts, vals))
            if lines:
                out.append(Chart(pv.pc.id, {"en": en, "zh-CN": zh}, unit, lines[:6], wins(codes)))
    return out
