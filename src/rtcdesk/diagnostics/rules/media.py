"""Cross-stream rules: one-way media and audio/video synchronisation."""

from __future__ import annotations

import numpy as np

from rtcdesk.diagnostics import thresholds as th
from rtcdesk.diagnostics.analysis import PcView, StreamView
from rtcdesk.diagnostics.model import Dump
from rtcdesk.diagnostics.report import Finding, Window
from rtcdesk.diagnostics.rules.base import (
    ev,
    flow_at,
    mean_in,
    ms,
    sustained_windows,
    total_ms,
    windows,
)
from rtcdesk.diagnostics.rules.network import disconnects
from rtcdesk.diagnostics.series import Metric, nz, runs, same
from rtcdesk.diagnostics.texts import make_finding


def _sum_flow(streams: list[StreamView], ts: np.ndarray) -> np.ndarray:
    total = np.zeros(len(ts))
    for s in streams:
        m = s.m("packets_ps")
        if m is None:
            continue
        total += flow_at(m, ts)
    return total


def one_way(views: list[PcView], dump: Dump) -> list[Finding]:
    """Media flows in one direction only for a sustained time."""
    out: list[Finding] = []
    for pv in views:
        ins = [s for s in pv.of("inbound") if s.m("packets_ps") is not None]
        outs = [s for s in pv.of("outbound") if s.m("packets_ps") is not None]
        if not ins or not outs:
            continue
        base = max((s.metrics["packets_ps"] for s in ins + outs), key=len)
        fin, fout = _sum_flow(ins, base.ts), _sum_flow(outs, base.ts)
        for cond, direction, what, what_zh in (
            (
                (fout > 1) & (fin <= 0),
                "outwards",
                "sent media but received none",
                "在发送媒体但没有收到任何媒体",
            ),
            (
                (fin > 1) & (fout <= 0),
                "inwards",
                "received media but sent none",
                "在接收媒体但没有发送任何媒体",
            ),
        ):
            rs = [(a, b) for a, b in runs(cond, th.ONE_WAY_MIN_SAMPLES)]
            ws = windows(base, rs)
            disc, _ = disconnects(pv)
            ws = [
                w
                for w in ws
                if not any(
                    w.start_ms <= d.end_ms + 3000 and d.start_ms <= w.end_ms + 3000 for d in disc
                )
            ]
            if not ws:
                continue
            m = Metric(
                "flow",
                base.ts,
                fin if direction == "outwards" else fout,
                "pkt/s",
                "inbound-rtp/packetsReceived vs outbound-rtp/packetsSent",
            )
            out.append(
                make_finding(
                    "media.one_way",
                    "error",
                    params={
                        "direction": direction,
                        "value": ms(total_ms(ws)),
                        "what": what,
                        "what_zh": what_zh,
                    },
                    windows=ws,
                    evidence=[ev(m, "packets per second the other way", 0.0, None, "pkt/s", pv)],
                    pc_id=pv.pc.id,
                    variant=direction,
                )
            )
    return out


def _aligned_diff(a: StreamView, b: StreamView, key: str) -> Metric | None:
    ma, mb = a.m(key), b.m(key)
    if ma is None or mb is None:
        return None
    if same(ma.ts, mb.ts):  # sampled together: every sample has its partner
        v = ma.v - mb.v
    else:
        idx = np.minimum(np.searchsorted(mb.ts, ma.ts), len(mb.ts) - 1)
        close = np.abs(mb.ts[idx] - ma.ts) <= 1500
        v = np.where(close, ma.v - mb.v[idx], np.nan)
    return Metric(f"av_{key}", ma.ts, v, "ms", f"{ma.source} - {mb.source}")


def _av_pairs(views: list[PcView]) -> list[tuple[PcView, StreamView, StreamView]]:
    pairs = []
    for pv in views:
        auds, vids = pv.of("inbound", "audio"), pv.of("inbound", "video")
        if len(auds) == 1 and len(vids) == 1:
            pairs.append((pv, auds[0], vids[0]))
    if not pairs:  # one participant's audio and video on separate connections
        all_a = [s for pv in views for s in pv.of("inbound", "audio")]
        all_v = [(pv, s) for pv in views for s in pv.of("inbound", "video")]
        if len(all_a) == 1 and len(all_v) == 1:
            pairs.append((all_v[0][0], all_a[0], all_v[0][1]))
    return pairs


def av_desync(views: list[PcView], dump: Dump) -> list[Finding]:
    """Audio ahead of / behind video beyond ITU-R BT.1359 detectability, sustained."""
    out: list[Finding] = []
    for pv, a, v in _av_pairs(views):
        for key, method, ahead_lim, behind_lim in (
            ("playout_ms", "estimatedPlayoutTimestamp", th.AV_AHEAD_MS, th.AV_BEHIND_MS),
            ("jb_delay_ms", "jitter-buffer delays", th.AV_JB_FALLBACK_MS, th.AV_JB_FALLBACK_MS),
        ):
            # for jitter buffers: video delay - audio delay = audio ahead
            d = _playout_diff(a, v) if key == "playout_ms" else _aligned_diff(v, a, key)
            if d is None or not np.isfinite(d.v).any():
                continue
            x = nz(d.v)
            ws = [
                w
                for w in sustained_windows(d, (x > ahead_lim) | (x < -behind_lim))
                if _steady(d, w)
            ]
            if not ws:
                continue
            avg = mean_in(d, ws)
            ahead = avg > 0
            out.append(
                make_finding(
                    "sync.av_desync",
                    "warning",
                    params={
                        "value": ms(abs(avg)),
                        "ahead": "ahead" if ahead else "behind",
                        "ahead_zh": "超前" if ahead else "落后",
                        "method": method,
                        "threshold": ms(ahead_lim if ahead else behind_lim),
                    },
                    windows=ws,
                    evidence=[
                        ev(
                            d,
                            "audio minus video playout",
                            avg,
                            ahead_lim if ahead else -behind_lim,
                            "ms",
                            pv,
                        )
                    ],
                    pc_id=pv.pc.id,
                    variant=key,
                )
            )
            break  # one finding per audio/video pair
    return out


def _steady(d: Metric, w: Window) -> bool:
    """A sync failure is a steady offset; a swinging one follows network or CPU trouble."""
    sel = (d.ts > w.start_ms) & (d.ts <= w.end_ms) & np.isfinite(d.v)
    v = d.v[sel]
    if len(v) < 2:
        return False
    return float(np.std(v)) <= max(th.AV_STEADY_MS, th.AV_STEADY_SHARE * abs(float(np.mean(v))))


def _playout_diff(a: StreamView, v: StreamView) -> Metric | None:
    pa = a.obj.num("estimatedPlayoutTimestamp")
    pv_ = v.obj.num("estimatedPlayoutTimestamp")
    if pa is None or pv_ is None:
        return None
    ma = Metric(
        "playout_ms",
        pa.ts,
        np.asarray(pa.values, dtype=np.float64),
        "ms",
        f"inbound-rtp {a.obj.id}/estimatedPlayoutTimestamp",
    )
    mv = Metric(
        "playout_ms",
        pv_.ts,
        np.asarray(pv_.values, dtype=np.float64),
        "ms",
        f"inbound-rtp {v.obj.id}/estimatedPlayoutTimestamp",
    )
    a.metrics["playout_ms"], v.metrics["playout_ms"] = ma, mv
    return _aligned_diff(a, v, "playout_ms")


RULES = [one_way, av_desync]
