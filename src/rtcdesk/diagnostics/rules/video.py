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
from rtcdesk.diagnostics.rules.network import blackout_gaps, disconnects
from rtcdesk.diagnostics.series import Metric, runs
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
                    share = float(np.nan_to_num(m.v[act]).mean()) / 100.0
                    ws = sustained_windows(m, (np.nan_to_num(m.v) > 50) & act)
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
    slow = np.nan_to_num(enc.v) >= th.ENCODE_BUSY_SHARE * frame_ms
    slow &= on(enc, fps, 1.0) & ~on(enc, fps, th.ENCODE_FPS_SHARE * target)
    ws = sustained_windows(enc, slow)
    if not ws:
        return None
    share = total_ms(ws) / max(1.0, float(enc.ts[-1] - enc.ts[0]))
    return enc, ws, share


def decoder_problem(views: list[PcView], dump: Dump) -> list[Finding]:
    """Frames arrive but are not decoded, are dropped, decode slowly, or a null decoder."""
    out: list[Finding] = []
    for pv in views:
        for s in pv.of("inbound", "video"):
            f = _decoder(pv, s)
            if f is not None:
                out.append(f)
    return out


def _decoder(pv: PcView, s: StreamView) -> Finding | None:
    impl = s.facts.get("decoder", "")
    base = {"pc_id": pv.pc.id, "stream_id": s.obj.id}
    if "NullVideoDecoder" in impl:
        return make_finding(
            "video.decoder_problem",
            "error",
            params={
                "detail": "No decoder could be created for the received codec (NullVideoDecoder).",
                "detail_zh": "无法为接收的编解码器创建解码器（NullVideoDecoder）。",
            },
            evidence=[
                Evidence(
                    "decoderImplementation is NullVideoDecoder",
                    1.0,
                    "bool",
                    f"PC {pv.pc.id}: inbound-rtp {s.obj.id}/decoderImplementation",
                )
            ],
            windows=[Window(pv.start, pv.end)],
            variant="null_decoder",
            **base,
        )
    dec, pk, br = s.m("decoded_fps"), s.m("packets_ps"), s.m("bitrate_kbps")
    if dec is not None and pk is not None:
        cond = (np.nan_to_num(dec.v) < 1) & on(dec, pk, th.MIN_PACKETS_PS) & on(dec, br, 50)
        for g in blackout_gaps(pv):  # waiting for a key frame after an outage is normal
            cond &= ~((dec.ts > g.start_ms) & (dec.ts <= g.end_ms + th.RECOVERY_MS))
        ws = windows(dec, runs(cond, th.NO_MEDIA_MIN_SAMPLES))
        if ws:
            return make_finding(
                "video.decoder_problem",
                "error",
                params={
                    "detail": f"Video packets arrived for {ms(total_ms(ws))} but no frame was "
                    "decoded: undecodable stream (codec/profile mismatch, missing key "
                    "frame) or a stuck decoder.",
                    "detail_zh": f"视频包持续到达 {ms(total_ms(ws))}，"
                    "但没有解码出任何帧：码流无法解码"
                    "（编解码器/档次不匹配、缺少关键帧）或解码器卡死。",
                },
                windows=ws,
                evidence=[ev(dec, "decoded frames per second", mean_in(dec, ws), 1, "fps", pv)],
                variant="not_decoding",
                **base,
            )
    drop = s.m("drop_pct")
    if drop is not None:
        ws = sustained_windows(drop, np.nan_to_num(drop.v) > th.DECODE_DROP_PCT)
        if ws:
            avg = mean_in(drop, ws)
            return make_finding(
                "video.decoder_problem",
                "warning",
                params={
                    "detail": f"{pct(avg)} of received frames were dropped before display "
                    f"(threshold {pct(th.DECODE_DROP_PCT)}): the receiver cannot keep up.",
                    "detail_zh": f"接收到的帧有 {pct(avg)} 在显示前被丢弃（阈值 "
                    f"{pct(th.DECODE_DROP_PCT)}）：接收端处理不过来。",
                },
                windows=ws,
                evidence=[ev(drop, "frames dropped", avg, th.DECODE_DROP_PCT, "%", pv)],
                variant="frames_dropped",
                **base,
            )
    dms = s.m("decode_ms")
    if dms is not None:
        ws = sustained_windows(dms, np.nan_to_num(dms.v) > th.DECODE_SLOW_MS)
        if ws:
            avg = mean_in(dms, ws)
            return make_finding(
                "video.decoder_problem",
                "warning",
                params={
                    "detail": f"Decoding took {avg:.0f} ms per frame (threshold "
                    f"{th.DECODE_SLOW_MS:.0f} ms): the device's CPU/GPU is overloaded.",
                    "detail_zh": f"每帧解码耗时 {avg:.0f} ms（阈值 {th.DECODE_SLOW_MS:.0f} ms）："
                    "设备 "
                    "CPU/GPU 过载。",
                },
                windows=ws,
                evidence=[ev(dms, "decode time per frame", avg, th.DECODE_SLOW_MS, "ms", pv)],
                variant="slow_decode",
                **base,
            )
    return None


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
            act = after(h, t0 + th.RAMP_UP_MS) & (np.nan_to_num(h.v) > 0)
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


def freeze(views: list[PcView], dump: Dump) -> list[Finding]:
    """Received video frozen for a share of its active time (W3C freeze stats)."""
    out: list[Finding] = []
    for pv in views:
        for s in pv.of("inbound", "video"):
            m = s.m("freeze_pct")
            if m is None:
                m = _fallback_freeze(s)
            if m is None:
                continue
            m = _with_network_pauses(pv, s, m)
            active = on(m, s.m("packets_ps"), 1.0)
            active_s = float(np.nansum(np.diff(m.ts, prepend=m.ts[0])[active])) / 1000
            if active_s < 5:
                continue
            frozen_s = (
                float(
                    np.nansum(
                        np.nan_to_num(m.v)[active] / 100 * np.diff(m.ts, prepend=m.ts[0])[active]
                    )
                )
                / 1000
            )
            rate = 100 * frozen_s / active_s
            if rate < th.FREEZE_WARN_PCT:
                continue
            idx = np.flatnonzero(np.nan_to_num(m.v) > 0)
            ws = windows(m, [(int(i), int(i)) for i in idx])
            fc = s.m("freezes_ps")
            count = (
                round(float(np.nansum(fc.v * np.diff(fc.ts, prepend=fc.ts[0]) / 1000)))
                if fc is not None
                else len(idx)
            )
            sev = "error" if rate >= th.FREEZE_ERROR_PCT else "warning"
            out.append(
                make_finding(
                    "video.freeze",
                    sev,
                    params={
                        "value": pct(rate),
                        "threshold": pct(th.FREEZE_WARN_PCT),
                        "count": count,
                    },
                    windows=_coalesce(ws),
                    evidence=[
                        ev(m, "freeze rate", rate, th.FREEZE_WARN_PCT, "%", pv),
                        Evidence(
                            "frozen time", round(frozen_s, 2), "s", f"PC {pv.pc.id}: {m.source}"
                        ),
                    ],
                    pc_id=pv.pc.id,
                    stream_id=s.obj.id,
                )
            )
    return out


def _with_network_pauses(pv: PcView, s: StreamView, m: Metric) -> Metric:
    """Add W3C pauses (> 5 s without frames) that coincide with a network outage: the
    viewer saw a frozen picture, the stats call it a pause."""
    p = s.m("pause_pct")
    if p is None or not np.any(np.nan_to_num(p.v) > 0):
        return m
    outages = blackout_gaps(pv) + disconnects(pv)[0]
    if not outages:
        return m
    near = np.zeros(len(p.ts), dtype=bool)
    for g in outages:
        near |= (p.ts >= g.start_ms) & (p.ts <= g.end_ms + th.RECOVERY_MS)
    extra = np.where(near, np.nan_to_num(p.v), 0.0)
    idx = np.clip(np.searchsorted(p.ts, m.ts), 0, len(p.ts) - 1)
    add = np.where(np.abs(p.ts[idx] - m.ts) <= 1500, extra[idx], 0.0)
    return Metric(
        m.name,
        m.ts,
        np.nan_to_num(m.v) + add,
        m.unit,
        m.source + " + totalPausesDuration during outages",
    )


def _coalesce(ws: list[Window]) -> list[Window]:
    out: list[Window] = []
    for w in ws:
        if out and w.start_ms <= out[-1].end_ms + 2000:
            out[-1].end_ms = w.end_ms
        else:
            out.append(w)
    return out


def _fallback_freeze(s: StreamView) -> Metric | None:
    dec = s.m("decoded_fps")
    if dec is None:
        return None
    frozen = (np.nan_to_num(dec.v) < 1) & on(dec, s.m("packets_ps"), 1.0)
    return Metric("freeze_pct", dec.ts, frozen * 100.0, "%", dec.source + " (no decoded frames)")


def camera_stopped(views: list[PcView], dump: Dump) -> list[Finding]:
    """The local video stopped producing frames while the call went on."""
    out: list[Finding] = []
    for pv in views:
        for s in pv.of("outbound", "video")[:1]:
            m = s.m("encoded_fps") or s.m("fps")
            if m is None or len(m) < th.NO_MEDIA_MIN_SAMPLES:
                continue
            zero = np.nan_to_num(m.v) < 0.5
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
            zero = (np.nan_to_num(pk.v) <= 0) & alive
            for g in gaps:
                zero &= ~((pk.ts > g.start_ms) & (pk.ts <= g.end_ms))
            rs = runs(zero, th.NO_MEDIA_MIN_SAMPLES)
            if not rs:
                continue
            ws = windows(pk, rs)
            never = not np.any(np.nan_to_num(pk.v) > 0)
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


RULES = [
    cpu_sender_limited,
    decoder_problem,
    resolution_degraded,
    freeze,
    camera_stopped,
    no_inbound_video,
]
