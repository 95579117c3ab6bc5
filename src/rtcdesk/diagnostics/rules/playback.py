"""Video rules about what the receiver shows: decoding problems and freezes."""

from __future__ import annotations

import numpy as np

from rtcdesk.diagnostics import thresholds as th
from rtcdesk.diagnostics.analysis import PcView, StreamView
from rtcdesk.diagnostics.model import Dump
from rtcdesk.diagnostics.report import Evidence, Finding, Window
from rtcdesk.diagnostics.rules.base import (
    ev,
    mean_in,
    ms,
    on,
    pct,
    sustained_windows,
    total_ms,
    windows,
)
from rtcdesk.diagnostics.rules.network import blackout_gaps, disconnects
from rtcdesk.diagnostics.series import Metric, nz, runs
from rtcdesk.diagnostics.texts import make_finding


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
        cond = (nz(dec.v) < 1) & on(dec, pk, th.MIN_PACKETS_PS) & on(dec, br, 50)
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
        ws = sustained_windows(drop, nz(drop.v) > th.DECODE_DROP_PCT)
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
        ws = sustained_windows(dms, nz(dms.v) > th.DECODE_SLOW_MS)
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
                float(np.nansum(nz(m.v)[active] / 100 * np.diff(m.ts, prepend=m.ts[0])[active]))
                / 1000
            )
            rate = 100 * frozen_s / active_s
            if rate < th.FREEZE_WARN_PCT:
                continue
            idx = np.flatnonzero(nz(m.v) > 0)
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
                        *_recovery_evidence(pv, s, ws),
                    ],
                    pc_id=pv.pc.id,
                    stream_id=s.obj.id,
                )
            )
    return out


def _recovery_evidence(pv: PcView, s: StreamView, ws: list[Window]) -> list[Evidence]:
    """NACK / PLI / FIR rates and loss around the freezes: how the receiver tried to recover."""
    out: list[Evidence] = []
    around = [Window(w.start_ms - th.RECOVERY_MS, w.end_ms + th.RECOVERY_MS) for w in ws]
    labels = {"nack_ps": "NACKs sent per second", "pli_ps": "PLIs sent per second",
              "fir_ps": "FIRs sent per second", "loss_pct": "packet loss"}  # fmt: skip
    for key, label in labels.items():
        m = s.m(key)
        if m is not None:
            v = mean_in(m, around)
            if np.isfinite(v) and v > 0:
                out.append(ev(m, f"{label} around freezes", v, None, m.unit, pv))
    return out


def _with_network_pauses(pv: PcView, s: StreamView, m: Metric) -> Metric:
    """Add W3C pauses (> 5 s without frames) that coincide with a network outage: the
    viewer saw a frozen picture, the stats call it a pause."""
    p = s.m("pause_pct")
    if p is None or not np.any(nz(p.v) > 0):
        return m
    outages = blackout_gaps(pv) + disconnects(pv)[0]
    if not outages:
        return m
    near = np.zeros(len(p.ts), dtype=bool)
    for g in outages:
        near |= (p.ts >= g.start_ms) & (p.ts <= g.end_ms + th.RECOVERY_MS)
    extra = np.where(near, nz(p.v), 0.0)
    idx = np.minimum(np.searchsorted(p.ts, m.ts), len(p.ts) - 1)
    add = np.where(np.abs(p.ts[idx] - m.ts) <= 1500, extra[idx], 0.0)
    return Metric(
        m.name,
        m.ts,
        nz(m.v) + add,
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
    frozen = (nz(dec.v) < 1) & on(dec, s.m("packets_ps"), 1.0)
    return Metric("freeze_pct", dec.ts, frozen * 100.0, "%", dec.source + " (no decoded frames)")


RULES = [decoder_problem, freeze]
