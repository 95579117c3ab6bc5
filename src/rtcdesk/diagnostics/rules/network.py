"""Network rules: loss (uplink/downlink), jitter, RTT, bandwidth, blackouts."""

from __future__ import annotations

import numpy as np

from rtcdesk.diagnostics import thresholds as th
from rtcdesk.diagnostics.analysis import PcView
from rtcdesk.diagnostics.model import Dump
from rtcdesk.diagnostics.report import Evidence, Finding, Window
from rtcdesk.diagnostics.rules.base import (
    after,
    ev,
    first_flow,
    flow_at,
    mean_in,
    ms,
    on,
    pct,
    sustained_windows,
    total_ms,
)
from rtcdesk.diagnostics.series import Metric, median_step, nz, runs
from rtcdesk.diagnostics.texts import make_finding


def _loss(views: list[PcView], direction: str, code: str) -> list[Finding]:
    out: list[Finding] = []
    for pv in views:
        wins: list[Window] = []
        evid: list[Evidence] = []
        worst = 0.0
        for s in pv.of(direction):
            m = s.m("loss_pct")
            if m is None:
                continue
            cond = nz(m.v) > th.LOSS_WARN_PCT
            if direction == "inbound":
                cond &= on(m, s.m("packets_ps"), th.MIN_PACKETS_PS)
            ws = sustained_windows(m, cond)
            if not ws:
                continue
            avg = mean_in(m, ws)
            worst = max(worst, avg)
            wins += ws
            evid.append(ev(m, f"{s.kind} loss in windows", avg, th.LOSS_WARN_PCT, "%", pv))
        if evid:
            sev = "error" if worst >= th.LOSS_ERROR_PCT else "warning"
            out.append(
                make_finding(
                    code,
                    sev,
                    params={"value": pct(worst), "threshold": pct(th.LOSS_WARN_PCT)},
                    windows=wins,
                    evidence=evid,
                    pc_id=pv.pc.id,
                )
            )
    return out


def uplink_loss(views: list[PcView], dump: Dump) -> list[Finding]:
    """Loss reported by the far end for what we send (remote-inbound-rtp)."""
    return _loss(views, "remote-inbound", "network.uplink_loss")


def downlink_loss(views: list[PcView], dump: Dump) -> list[Finding]:
    """Loss of incoming packets (inbound-rtp)."""
    return _loss(views, "inbound", "network.downlink_loss")


def jitter(views: list[PcView], dump: Dump) -> list[Finding]:
    """Sustained jitter on inbound or (remote-reported) outbound streams."""
    out: list[Finding] = []
    for pv in views:
        wins: list[Window] = []
        evid: list[Evidence] = []
        worst = 0.0
        for s in pv.of("inbound") + pv.of("remote-inbound"):
            m = s.m("jitter_ms")
            if m is None:
                continue
            limit = th.JITTER_WARN_MS * (th.VIDEO_JITTER_FACTOR if s.kind == "video" else 1.0)
            cond = nz(m.v) > limit
            if s.direction == "inbound":
                cond &= on(m, s.m("packets_ps"), 1.0)
            ws = sustained_windows(m, cond)
            if not ws:
                continue
            avg = mean_in(m, ws)
            worst = max(worst, avg / limit * th.JITTER_WARN_MS)
            wins += ws
            evid.append(ev(m, f"{s.direction} {s.kind} jitter", avg, limit, "ms", pv))
        if evid:
            sev = "error" if worst >= th.JITTER_ERROR_MS else "warning"
            out.append(
                make_finding(
                    "network.jitter",
                    sev,
                    params={"value": ms(worst), "threshold": ms(th.JITTER_WARN_MS)},
                    windows=wins,
                    evidence=evid,
                    pc_id=pv.pc.id,
                )
            )
    return out


def _rtt_metric(pv: PcView) -> Metric | None:
    m = pv.pair_metrics.get("rtt_ms")
    if m is not None and len(m) and np.isfinite(m.v).any():
        return m
    for s in pv.of("remote-inbound"):
        r = s.m("rtt_ms")
        if r is not None:
            return r
    return None


def high_rtt(views: list[PcView], dump: Dump) -> list[Finding]:
    """Sustained round-trip time above the G.114-derived limit."""
    out: list[Finding] = []
    for pv in views:
        m = _rtt_metric(pv)
        if m is None:
            continue
        ws = sustained_windows(m, nz(m.v) > th.RTT_WARN_MS)
        if not ws:
            continue
        avg = mean_in(m, ws)
        sev = "error" if avg >= th.RTT_ERROR_MS else "warning"
        out.append(
            make_finding(
                "network.high_rtt",
                sev,
                params={"value": ms(avg), "threshold": ms(th.RTT_WARN_MS)},
                windows=ws,
                evidence=[ev(m, "round-trip time", avg, th.RTT_WARN_MS, "ms", pv)],
                pc_id=pv.pc.id,
            )
        )
    return out


def bandwidth_limited(views: list[PcView], dump: Dump) -> list[Finding]:
    """Encoder limited by bandwidth, or a collapsed outgoing bandwidth estimate."""
    out: list[Finding] = []
    for pv in views:
        evid: list[Evidence] = []
        wins: list[Window] = []
        share = 0.0
        for s in pv.of("outbound", "video"):
            m = s.m("ql_bandwidth_pct")
            t0 = first_flow(s)
            if m is None or t0 is None:
                continue
            act = after(m, t0 + th.RAMP_UP_MS) & on(m, s.m("packets_ps"), 1.0)
            if act.sum() < th.OF:
                continue
            frac = float(nz(m.v[act]).mean()) / 100.0
            ws = sustained_windows(m, (nz(m.v) > 50) & act)
            if frac >= th.BW_LIMITED_SHARE and ws:
                share = max(share, frac)
                wins += ws
                evid.append(ev(m, "time limited by bandwidth", frac * 100, 20, "%", pv))
        aob = pv.pair_metrics.get("aob_kbps")
        sending = [s for s in pv.of("outbound", "video") if s.m("bitrate_kbps") is not None]
        if aob is not None and len(aob) and sending:
            t0 = min((first_flow(s) or np.inf) for s in sending)
            v = nz(aob.v, nan=1e9)
            best = np.maximum.accumulate(np.where(v < 1e9, v, 0.0))
            collapsed = (v < th.BWE_COLLAPSE_RATIO * best) & (v < th.BWE_COLLAPSE_MAX_KBPS)
            cond = ((v < th.AOB_MIN_KBPS) & after(aob, t0 + th.RAMP_UP_MS)) | collapsed
            cond &= on(aob, sending[0].m("packets_ps"), 1.0)
            ws = sustained_windows(aob, cond)
            if ws:
                wins += ws
                evid.append(
                    ev(
                        aob,
                        "available outgoing bitrate",
                        mean_in(aob, ws),
                        th.AOB_MIN_KBPS,
                        "kbps",
                        pv,
                    )
                )
                share = max(share, th.BW_LIMITED_ERROR_SHARE * (total_ms(ws) > 30_000))
        if evid:
            sev = "error" if share >= th.BW_LIMITED_ERROR_SHARE else "warning"
            out.append(
                make_finding(
                    "network.bandwidth_limited",
                    sev,
                    params={"value": pct(share * 100), "threshold": f"{th.AOB_MIN_KBPS:.0f} kbps"},
                    windows=wins,
                    evidence=evid,
                    pc_id=pv.pc.id,
                )
            )
    return out


def _inbound_flow(pv: PcView) -> Metric | None:
    flows = [s.m("packets_ps") for s in pv.of("inbound")]
    ms_ = [m for m in flows if m is not None]
    if not ms_:
        return None
    base = max(ms_, key=len)
    total = np.zeros(len(base.ts))
    for m in ms_:
        total += flow_at(m, base.ts)
    return Metric("inbound_packets_ps", base.ts, total, "pkt/s", "inbound-rtp */packetsReceived")


def blackout_gaps(pv: PcView) -> list[Window]:
    """Periods with no inbound packets at all, with flow before and after."""
    gaps = pv.memo.get("blackout_gaps")
    if gaps is None:  # four rules ask: compute once per connection, hand out copies
        gaps = pv.memo["blackout_gaps"] = _blackout_gaps(pv)
    return [Window(g.start_ms, g.end_ms) for g in gaps]


def _blackout_gaps(pv: PcView) -> list[Window]:
    f = _inbound_flow(pv)
    if f is None or len(f) < 3:
        return []
    step = median_step(np.diff(f.ts)) if len(f) > 1 else 1000.0
    min_len = max(2, int(np.ceil(th.BLACKOUT_MIN_S * 1000 / max(step, 1.0))))
    zero = f.v <= 0
    out = []
    for a, b in runs(zero, min_len):
        if a > 0 and b < len(zero) - 1:
            out.append(Window(float(f.ts[a]) - step, float(f.ts[b])))
    return out


def disconnects(pv: PcView) -> tuple[list[Window], bool]:
    """Windows from 'disconnected' to the next connected/failed state; and whether ICE failed
    after having been connected (the connection was lost)."""
    wins: list[Window] = []
    connected_once = lost = False
    disc_at: float | None = None
    for e in pv.states():
        if e.value in ("connected", "completed"):
            if disc_at is not None:
                wins.append(Window(disc_at, e.ts))
                disc_at = None
            connected_once = True
        elif e.value == "disconnected" and connected_once and disc_at is None:
            disc_at = e.ts
        elif e.value == "failed" and connected_once:
            lost = True
            wins.append(Window(disc_at if disc_at is not None else e.ts, e.ts))
            disc_at = None
    return wins, lost


def _overlaps(w: Window, others: list[Window], slack: float = 3000.0) -> bool:
    return any(w.start_ms <= o.end_ms + slack and o.start_ms <= w.end_ms + slack for o in others)


def blackout(views: list[PcView], dump: Dump) -> list[Finding]:
    """Media gaps with ICE disconnects (or short ones), and connections lost mid-call."""
    out: list[Finding] = []
    for pv in views:
        disc, lost = disconnects(pv)
        one_way_ms = th.ONE_WAY_MIN_SAMPLES * 1000
        gaps = [
            g for g in blackout_gaps(pv) if _overlaps(g, disc) or g.end_ms - g.start_ms < one_way_ms
        ]
        wins = _merge(gaps + disc)
        if not wins:
            continue
        longest = max(w.end_ms - w.start_ms for w in wins)
        sev = "error" if lost or longest >= 5000 else "warning"
        evid = [
            Evidence(
                "longest gap",
                round(longest / 1000, 2),
                "s",
                f"PC {pv.pc.id}: inbound-rtp packetsReceived + connection states",
                th.BLACKOUT_MIN_S,
            )
        ]
        out.append(
            make_finding(
                "network.blackout",
                sev,
                params={
                    "value": ms(longest),
                    "threshold": ms(th.BLACKOUT_MIN_S * 1000),
                    "recovered": "did not recover (ICE failed)" if lost else "recovered",
                    "states": ", and the ICE/connection state went 'disconnected'" if disc else "",
                    "states_zh": "，同时 ICE/连接状态变为 disconnected" if disc else "",
                    "recovered_zh": "未能恢复（ICE 失败）" if lost else "已恢复",
                },
                windows=wins,
                evidence=evid,
                pc_id=pv.pc.id,
                variant="not_recovered" if lost else "recovered",
            )
        )
    return out


def _merge(ws: list[Window]) -> list[Window]:
    ws = sorted(ws, key=lambda w: w.start_ms)
    out: list[Window] = []
    for w in ws:
        if out and w.start_ms <= out[-1].end_ms + 1000:
            out[-1].end_ms = max(out[-1].end_ms, w.end_ms)
        else:
            out.append(Window(w.start_ms, w.end_ms))
    return out


RULES = [uplink_loss, downlink_loss, jitter, high_rtt, bandwidth_limited, blackout]
