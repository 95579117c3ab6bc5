"""Video rules: CPU limitation, decoding, resolution, freezes, camera, no video."""

from __future__ import annotations

import numpy as np

from rtcdesk.diagnostics import thresholds as th
from rtcdesk.diagnostics.analysis import PcView, StreamView
from rtcdesk.diagnostics.model import Dump
from rtcdesk.diagnostics.report import Evidence, Finding, Window
from rtcdesk.diagnostics.rules.base import (
    after,
    ev,
    first_flow,
    mean_in,
    ms,
    on,
    pct,
    sustained_windows,
    total_ms,
    windows,
)
from rtcdesk.diagnostics.rules.network import blackout_gaps
from rtcdesk.diagnostics.series import Metric, nz, runs
from rtcdesk.diagnostics.texts import make_finding


def cpu_sender_limited(views: list[PcView], dump: Dump) -> list[Finding]:
    """The encoder reported qualityLimitationReason 'cpu' for a sustained share of time."""
    out: list[Finding] = []
    for pv in views:
        for s in pv.of("outbound", "video"):
            m = s.m("ql_cpu_pct")
            over = _encoder_overload(pv, s)
            ws, share = [], 0.0
            if m is not None:
                act = on(m, s.m("packets_ps"), 1.0)
                if act.sum() >= th.OF:
                    share = float(nz(m.v[act]).mean()) / 100.0
                    ws = sustained_windows(m, (nz(m.v) > 50) & act)
            if (share < th.CPU_LIMITED_SHARE or not ws) and over is not None:
                m, ws, share = over
            if m is None or share < th.CPU_LIMITED_SHARE or not ws:
                continue
            sev = "error" if share >= th.CPU_LIMITED_ERROR_SHARE else "warning"
            evid = [ev(m, "time limited by CPU", share * 100, th.CPU_LIMITED_SHARE * 100, "%", pv)]
            enc = s.m("encode_ms")
            if enc is not None:
                evid.append(ev(enc, "encode time per frame", mean_in(enc, ws), None, "ms", pv))
            out.append(
                make_finding(
                    "cpu.sender_limited",
                    sev,
                    params={
                        "value": pct(share * 100),
                        "threshold": pct(th.CPU_LIMITED_SHARE * 100),
                    },
                    windows=ws,
                    evidence=evid,
                    pc_id=pv.pc.id,
                    stream_id=s.obj.id,
                )
            )
            break  # one per connection: simulcast layers share the encoder's reason
    return out


def _encoder_overload(pv: PcView, s: StreamView) -> tuple[Metric, list[Window], float] | None:
    """Encoding takes most of the frame interval and frames are dropped: CPU starvation the
    encoder does not (yet) report as qualityLimitationReason 'cpu'."""
    enc, fps = s.m("encode_ms"), s.m("encoded_fps")
    if enc is None or fps is None:
        return None
    src = next((x.m("fps") for x in pv.of("source", "video") if x.m("fps") is not None), None)
    target = float(np.nanmax(src.v)) if src is not None else float(np.nanmax(fps.v))
    if not np.isfinite(target) or target < 5:
        return None
    frame_ms = 1000.0 / target
    slow = nz(enc.v) >= th.ENCODE_BUSY_SHARE * frame_ms
    slow &= on(enc, fps, 1.0) & ~on(enc, fps, th.ENCODE_FPS_SHARE * target)
    ws = sustained_windows(enc, slow)
    if not ws:
        return None
    share = total_ms(ws) / max(1.0, float(enc.ts[-1] - enc.ts[0]))
    return enc, ws, share


def _best_outbound(pv: PcView) -> StreamView | None:
    cands = [s for s in pv.of("outbound", "video") if s.m("height") is not None]
    if not cands:
        return None
    return max(cands, key=lambda s: float(np.nanmax(s.metrics["height"].v, initial=0)))


def resolution_degraded(views: list[PcView], dump: Dump) -> list[Finding]:
    """Sent or received height fell below half its best, sustained (after ramp-up)."""
    out: list[Finding] = []
    for pv in views:
        cands: list[tuple[StreamView, str]] = []
        best = _best_outbound(pv)
        if best is not None:
            cands.append((best, "sent"))
        cands += [(s, "received") for s in pv.of("inbound", "video") if s.m("height")]
        for s, direction in cands:
            h = s.metrics["height"]
            t0 = first_flow(s)
            if t0 is None:
                continue
            act = after(h, t0 + th.RAMP_UP_MS) & (nz(h.v) > 0)
            act &= on(h, s.m("packets_ps"), 1.0)
            if act.sum() < th.OF:
                continue
            ref = float(np.nanmax(h.v[act]))
            ws = sustained_windows(h, act & (h.v < th.RES_DROP_RATIO * ref))
            if not ws or total_ms(ws) < 5000:
                continue
            low = float(np.nanmin(h.v[act]))
            reason, reason_zh = _why(pv, s, ws, direction)
            out.append(
                make_finding(
                    "video.resolution_degraded",
                    "warning",
                    params={
                        "value": pct(low / ref * 100),
                        "threshold": pct(th.RES_DROP_RATIO * 100),
                        "direction": direction,
                        "direction_zh": "发送" if direction == "sent" else "接收",
                        "reason": reason,
                        "reason_zh": reason_zh,
                    },
                    windows=ws,
                    evidence=[
                        ev(
                            h,
                            f"{direction} frame height (min)",
                            low,
                            ref * th.RES_DROP_RATIO,
                            "px",
                            pv,
                        ),
                        Evidence(
                            f"{direction} frame height (best)",
                            ref,
                            "px",
                            f"PC {pv.pc.id}: {h.source}",
                        ),
                    ],
                    pc_id=pv.pc.id,
                    stream_id=s.obj.id,
                    variant=direction,
                )
            )
    return out


def _why(pv: PcView, s: StreamView, ws: list[Window], direction: str) -> tuple[str, str]:
    if direction == "received":
        return (
            "the sender lowered it (its bandwidth or CPU) or the server switched to a "
            "lower simulcast layer",
            "发送方降低了分辨率（其带宽或 CPU），或服务器切换到较低的 simulcast 层",
        )
    for key, en, zh in (
        ("ql_bandwidth_pct", "bandwidth limitation", "带宽受限"),
        ("ql_cpu_pct", "CPU limitation", "CPU 受限"),
    ):
        m = s.m(key)
        if m is not None and mean_in(m, ws) > 30:
            return en, zh
    return "not reported by the encoder (camera or application)", "编码器未报告（摄像头或应用）"


def camera_stopped(views: list[PcView], dump: Dump) -> list[Finding]:
    """The local video stopped producing frames while the call went on."""
    out: list[Finding] = []
    for pv in views:
        for s in pv.of("outbound", "video")[:1]:
            m = s.m("encoded_fps") or s.m("fps")
            if m is None or len(m) < th.NO_MEDIA_MIN_SAMPLES:
                continue
            zero = nz(m.v) < 0.5
            had = np.cumsum(~zero) > 0  # frames were produced before
            rs = [(a, b) for a, b in runs(zero, th.NO_MEDIA_MIN_SAMPLES) if a > 0 and had[a - 1]]
            if not rs:
                continue
            ws = windows(m, rs)
            out.append(
                make_finding(
                    "video.camera_stopped",
                    "warning",
                    params={"value": ms(total_ms(ws)), "threshold": f"{th.NO_MEDIA_MIN_SAMPLES} s"},
                    windows=ws,
                    evidence=[ev(m, "frames encoded per second", 0.0, 0.5, "fps", pv)],
                    pc_id=pv.pc.id,
                    stream_id=s.obj.id,
                )
            )
    return out


def no_inbound_video(views: list[PcView], dump: Dump) -> list[Finding]:
    """Inbound video stopped (no packets) while the connection stayed alive."""
    out: list[Finding] = []
    for pv in views:
        gaps = blackout_gaps(pv)
        others = [s for s in pv.of("inbound", "audio") if s.m("packets_ps") is not None]
        for s in pv.of("inbound", "video"):
            pk = s.m("packets_ps")
            if pk is None or not others:
                continue
            alive = on(pk, others[0].m("packets_ps"), 1.0)
            zero = (nz(pk.v) <= 0) & alive
            for g in gaps:
                zero &= ~((pk.ts > g.start_ms) & (pk.ts <= g.end_ms))
            rs = runs(zero, th.NO_MEDIA_MIN_SAMPLES)
            if not rs:
                continue
            ws = windows(pk, rs)
            never = not np.any(nz(pk.v) > 0)
            out.append(
                make_finding(
                    "video.no_inbound_video",
                    "error",
                    params={
                        "detail": f"No video packets arrived for {ms(total_ms(ws))} while audio "
                        "kept flowing: the remote camera is off or the video is not forwarded.",
                        "detail_zh": f"音频正常时，{ms(total_ms(ws))} 内没有收到视频包："
                        "对方摄像头已关闭或视频未被转发。",
                    },
                    windows=ws,
                    evidence=[ev(pk, "video packets per second", 0.0, None, "pkt/s", pv)],
                    pc_id=pv.pc.id,
                    stream_id=s.obj.id,
                    variant="never" if never else "stopped",
                )
            )
    return out


RULES = [cpu_sender_limited, resolution_degraded, camera_stopped, no_inbound_video]
