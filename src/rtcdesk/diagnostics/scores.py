"""Quality scores: E-model style audio MOS and a documented video score, per interval."""

from __future__ import annotations

import math

import numpy as np

from rtcdesk.diagnostics import thresholds as th
from rtcdesk.diagnostics.analysis import PcView
from rtcdesk.diagnostics.report import IntervalScore, Scores
from rtcdesk.diagnostics.series import Metric, value_at

MAX_INTERVALS = 720
R0 = 93.2  # G.107 default R with all default parameters


def r_to_mos(r: float) -> float:
    """G.107 mapping from the transmission rating R to MOS (1..4.5)."""
    if r <= 0:
        return 1.0
    if r >= 100:
        return 4.5
    return 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r)


def audio_mos(rtt_ms: float, jitter_ms: float, loss_pct: float) -> float:
    """Simplified E-model: EL = RTT/2 + 2*jitter + 10 ms; R = 93.2 - delay - 2.5*loss%."""
    el = max(0.0, rtt_ms) / 2 + 2 * max(0.0, jitter_ms) + 10
    r = R0 - el / 40 if el < 160 else R0 - (el - 120) / 10
    r -= 2.5 * max(0.0, loss_pct)
    return round(r_to_mos(r), 2)


def video_score(freeze_pct: float, loss_pct: float, fps: float, height: float) -> float:
    """Video score 1..5 from freeze rate, loss, frame rate and resolution (see docs)."""
    s = 100.0
    s -= 2.0 * max(0.0, freeze_pct)
    s -= 2.0 * max(0.0, loss_pct)
    if math.isfinite(fps) and fps < 15:
        s -= 2.0 * (15 - max(0.0, fps))
    if math.isfinite(height) and 0 < height < 360:
        s -= 20.0 * (360 - height) / 360
    s = min(100.0, max(0.0, s))
    return round(1 + 4 * s / 100, 2)


def _nz(x: float, default: float = 0.0) -> float:
    return x if math.isfinite(x) else default


def _rtt(pv: PcView) -> Metric | None:
    m = pv.pair_metrics.get("rtt_ms")
    if m is not None and np.isfinite(m.v).any():
        return m
    for s in pv.of("remote-inbound"):
        r = s.m("rtt_ms")
        if r is not None:
            return r
    return None


def interval_scores(pv: PcView) -> list[IntervalScore]:
    """Scores per SCORE_INTERVAL_MS bucket of one connection (what this client received)."""
    out: list[IntervalScore] = []
    if pv.end <= pv.start:
        return out
    rtt = _rtt(pv)
    auds = [s for s in pv.of("inbound", "audio") if s.m("packets_ps") is not None]
    vids = [s for s in pv.of("inbound", "video") if s.m("packets_ps") is not None]
    if not (math.isfinite(pv.start) and math.isfinite(pv.end)):
        return out
    # Long (or absurd) spans get wider intervals: at most MAX_INTERVALS per connection.
    step = max(float(th.SCORE_INTERVAL_MS), (pv.end - pv.start) / MAX_INTERVALS)
    t = pv.start
    while t < pv.end:
        t1 = min(t + step, pv.end)
        mos = vid = None
        r = _nz(value_at(rtt, t, t1)) if rtt is not None else 0.0
        for a in auds:
            if _nz(value_at(a.metrics["packets_ps"], t, t1)) < 1:
                continue
            j = _nz(value_at(a.m("jitter_ms"), t, t1)) if a.m("jitter_ms") else 0.0
            loss = _nz(value_at(a.m("loss_pct"), t, t1)) if a.m("loss_pct") else 0.0
            x = audio_mos(r, j, loss)
            mos = x if mos is None else min(mos, x)
        for v in vids:
            if _nz(value_at(v.metrics["packets_ps"], t, t1)) < 1:
                continue
            fz = v.m("freeze_pct")
            fps = v.m("fps") or v.m("decoded_fps")
            h = v.m("height")
            x = video_score(
                _nz(value_at(fz, t, t1)) if fz else 0.0,
                _nz(value_at(v.m("loss_pct"), t, t1)) if v.m("loss_pct") else 0.0,
                _nz(value_at(fps, t, t1), 30.0) if fps else 30.0,
                _nz(value_at(h, t, t1), 720.0) if h else 720.0,
            )
            vid = x if vid is None else min(vid, x)
        out.append(IntervalScore(t, t1, mos, vid))
        t = t1
    return out


def call_scores(views: list[PcView]) -> Scores:
    """Call-level scores: time-weighted means of the interval scores; overall = weakest."""
    intervals = [i for pv in views for i in interval_scores(pv)]

    def avg(vals: list[tuple[float, float]]) -> float | None:
        w = sum(d for _, d in vals)
        return round(sum(v * d for v, d in vals) / w, 2) if w > 0 else None

    a = avg([(i.audio_mos, i.end_ms - i.start_ms) for i in intervals if i.audio_mos is not None])
    v = avg(
        [(i.video_score, i.end_ms - i.start_ms) for i in intervals if i.video_score is not None]
    )
    parts = [x for x in (a, v) if x is not None]
    overall = round(min(min(parts), 5.0), 2) if parts else None
    intervals.sort(key=lambda i: i.start_ms)
    return Scores(audio_mos=a, video_score=v, overall=overall, intervals=intervals)
