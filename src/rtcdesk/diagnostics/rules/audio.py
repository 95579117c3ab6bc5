"""Audio rules: stutter (concealment), silent microphone, no inbound audio, echo config."""

from __future__ import annotations

import re
from typing import Any

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
from rtcdesk.diagnostics.rules.network import blackout_gaps
from rtcdesk.diagnostics.series import Metric, nz, runs
from rtcdesk.diagnostics.texts import make_finding


def stutter(views: list[PcView], dump: Dump) -> list[Finding]:
    """Sustained packet-loss concealment on received audio."""
    out: list[Finding] = []
    for pv in views:
        for s in pv.of("inbound", "audio"):
            m = s.m("conceal_pct")
            if m is None:
                continue
            cond = (nz(m.v) > th.CONCEAL_WARN_PCT) & on(m, s.m("packets_ps"), 1.0)
            ws = sustained_windows(m, cond)
            if not ws:
                continue
            avg = mean_in(m, ws)
            evid = [ev(m, "concealed samples", avg, th.CONCEAL_WARN_PCT, "%", pv)]
            ad = s.m("accel_decel_pct")
            if ad is not None:
                evid.append(ev(ad, "accelerated/decelerated samples", mean_in(ad, ws), 5, "%", pv))
            sev = "error" if avg >= th.CONCEAL_ERROR_PCT else "warning"
            out.append(
                make_finding(
                    "audio.stutter",
                    sev,
                    params={"value": pct(avg), "threshold": pct(th.CONCEAL_WARN_PCT)},
                    windows=ws,
                    evidence=evid,
                    pc_id=pv.pc.id,
                    stream_id=s.obj.id,
                )
            )
    return out


def _silence(s: StreamView) -> Metric | None:
    """Per-sample 'level' metric: mean-square energy, else audioLevel squared."""
    e = s.m("energy")
    if e is not None:
        return e
    lvl = s.m("audio_level")
    if lvl is None:
        return None
    return Metric("energy", lvl.ts, lvl.v**2, "", lvl.source + " (squared)")


def mic_silent(views: list[PcView], dump: Dump) -> list[Finding]:
    """Audio is sent but the captured level is digital silence."""
    out: list[Finding] = []
    for pv in views:
        sending = [s for s in pv.of("outbound", "audio") if s.m("packets_ps") is not None]
        if not sending:
            continue
        for src in pv.of("source", "audio"):
            m = _silence(src)
            if m is None:
                continue
            act = on(m, sending[0].m("packets_ps"), 1.0)
            silent = (nz(m.v, nan=1.0) < th.SILENT_ENERGY) & act
            rs = runs(silent, th.SILENT_MIN_SAMPLES)
            if not rs:
                continue
            ws = windows(m, rs)
            share = silent.sum() / max(1, act.sum())
            sev = "warning" if share >= th.MIC_SILENT_SHARE else "info"
            out.append(
                make_finding(
                    "audio.mic_silent",
                    sev,
                    params={
                        "value": "0",
                        "threshold": f"{th.SILENT_ENERGY:g}",
                        "duration": ms(total_ms(ws)),
                    },
                    windows=ws,
                    evidence=[
                        ev(
                            m,
                            "silent share of sending time",
                            share * 100,
                            th.MIC_SILENT_SHARE * 100,
                            "%",
                            pv,
                        )
                    ],
                    pc_id=pv.pc.id,
                    stream_id=src.obj.id,
                )
            )
            break
    return out


def no_inbound_audio(views: list[PcView], dump: Dump) -> list[Finding]:
    """Inbound audio stopped while the connection lived, or packets carry only silence."""
    out: list[Finding] = []
    for pv in views:
        gaps = blackout_gaps(pv)
        others = [
            s
            for s in pv.of("inbound", "video") + pv.of("outbound")
            if s.m("packets_ps") is not None
        ]
        for s in pv.of("inbound", "audio"):
            pk = s.m("packets_ps")
            if pk is None:
                continue
            alive = on(pk, others[0].m("packets_ps"), 1.0) if others else np.ones(len(pk), bool)
            zero = (nz(pk.v) <= 0) & alive
            for g in gaps:
                zero &= ~((pk.ts > g.start_ms) & (pk.ts <= g.end_ms))
            rs = runs(zero, th.NO_MEDIA_MIN_SAMPLES)
            if rs and others:
                ws = windows(pk, rs)
                out.append(
                    make_finding(
                        "audio.no_inbound_audio",
                        "error",
                        params={
                            "detail": f"No audio packets arrived for {ms(total_ms(ws))} while the "
                            "connection was alive: the remote side stopped sending or the "
                            "audio is not forwarded.",
                            "detail_zh": f"连接正常时，{ms(total_ms(ws))} 内没有收到音频包："
                            "对方停止发送或音频未被转发。",
                        },
                        windows=ws,
                        evidence=[ev(pk, "audio packets per second", 0.0, None, "pkt/s", pv)],
                        pc_id=pv.pc.id,
                        stream_id=s.obj.id,
                        variant="no_packets",
                    )
                )
                continue
            m = _silence(s)
            if m is None:
                continue
            silent = nz(m.v, nan=1.0) < th.SILENT_ENERGY
            silent &= on(m, pk, th.MIN_PACKETS_PS)
            rs = runs(silent, th.SILENT_MIN_SAMPLES)
            share = silent.sum() / max(1, len(silent))
            if not rs or share < th.INBOUND_SILENT_SHARE:
                continue
            ws = windows(m, rs)
            out.append(
                make_finding(
                    "audio.no_inbound_audio",
                    "warning",
                    params={
                        "detail": f"Audio packets arrived but carried only silence for "
                        f"{ms(total_ms(ws))}: the remote microphone is muted or broken, or "
                        "only comfort noise is sent.",
                        "detail_zh": f"收到了音频包，但 {ms(total_ms(ws))} 内全是静音："
                        "对方麦克风被静音或故障，或只发送了舒适噪声。",
                    },
                    windows=ws,
                    evidence=[
                        ev(
                            m,
                            "silent share of received audio",
                            share * 100,
                            th.INBOUND_SILENT_SHARE * 100,
                            "%",
                            pv,
                        )
                    ],
                    pc_id=pv.pc.id,
                    stream_id=s.obj.id,
                    variant="silent_packets",
                )
            )
    return out


_OFF_RE = {
    name: re.compile(
        rf"(?:goog)?{name}\"?\s*:\s*(?:\{{\s*\"?(?:exact|ideal)\"?\s*:\s*)?\"?false", re.I
    )
    for name in ("echoCancellation", "noiseSuppression", "autoGainControl")
}


def _disabled(audio: Any) -> list[str]:
    text = (
        audio if isinstance(audio, str) else repr(audio).replace("'", '"').replace("False", "false")
    )
    return [name for name, rx in _OFF_RE.items() if rx.search(text)]


def echo_control_disabled(views: list[PcView], dump: Dump) -> list[Finding]:
    """getUserMedia audio constraints turn echo cancellation (or AGC/NS) off."""
    out: list[Finding] = []
    for req in dump.media_requests:
        if req.audio in (None, False, "", True):
            continue
        off = _disabled(req.audio)
        if not off:
            continue
        sev = "warning" if "echoCancellation" in off else "info"
        settings = ", ".join(f"{n}: false" for n in off)
        out.append(
            make_finding(
                "config.echo_control_disabled",
                sev,
                params={"settings": settings},
                windows=[Window(req.ts, req.ts)],
                evidence=[
                    Evidence(f"{n} disabled", 1.0, "bool", f"{req.kind} audio constraints")
                    for n in off
                ],
                variant="echo" if sev == "warning" else "processing",
            )
        )
        if sev == "warning":
            break
    return out


RULES = [stutter, mic_silent, no_inbound_audio, echo_control_disabled]
