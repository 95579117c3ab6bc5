"""Quality scores: E-model style audio MOS and a documented video score, per interval."""

from __future__ import annotations

import math
from itertools import repeat

import numpy as np

from rtcdesk.diagnostics import thresholds as th
from rtcdesk.diagnostics.analysis import PcView
from rtcdesk.diagnostics.model import FloatArray
from rtcdesk.diagnostics.report import IntervalScore, Scores
from rtcdesk.diagnostics.series import Metric, nz

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


def audio_mos_array(rtt_ms: FloatArray, jitter_ms: FloatArray, loss_pct: FloatArray) -> FloatArray:
    """:func:`audio_mos` of finite arrays, element by element (the same float operations)."""
    el = np.maximum(rtt_ms, 0.0) / 2 + 2 * np.maximum(jitter_ms, 0.0) + 10
    r = np.where(el < 160, R0 - el / 40, R0 - (el - 120) / 10)
    r = r - 2.5 * np.maximum(loss_pct, 0.0)
    mos = np.where(r >= 100, 4.5, 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r))
    return _round2(np.where(r <= 0, 1.0, mos))


def video_score_array(
    freeze_pct: FloatArray, loss_pct: FloatArray, fps: FloatArray, height: FloatArray
) -> FloatArray:
    """:func:`video_score` of finite arrays, element by element (the same float operations)."""
    s = 100.0 - 2.0 * np.maximum(freeze_pct, 0.0)
    s = s - 2.0 * np.maximum(loss_pct, 0.0)
    s = np.where(np.isfinite(fps) & (fps < 15), s - 2.0 * (15 - np.maximum(fps, 0.0)), s)
    small = np.isfinite(height) & (height > 0) & (height < 360)
    s = np.where(small, s - 20.0 * (360 - height) / 360, s)
    s = np.minimum(100.0, np.maximum(0.0, s))
    return _round2(1 + 4 * s / 100)


def _round2(x: FloatArray) -> FloatArray:
    # Python's round() (correctly rounded), not np.round: scores must match audio_mos() exactly.
    return np.array(list(map(round, x.tolist(), repeat(2))), dtype=np.float64)


def _rtt(pv: PcView) -> Metric | None:
    m = pv.pair_metrics.get("rtt_ms")
    if m is not None and np.isfinite(m.v).any():
        return m
    for s in pv.of("remote-inbound"):
        r = s.m("rtt_ms")
        if r is not None:
            return r
    return None


def bucket_means(m: Metric | None, edges: FloatArray) -> FloatArray:
    """Mean of the finite values of ``m`` in each [edges[k], edges[k+1]) bucket (NaN if none)."""
    nb = len(edges) - 1
    if m is None:
        return np.full(nb, np.nan)
    k = np.searchsorted(edges, m.ts, side="right") - 1
    ok = (k >= 0) & (k < nb) & np.isfinite(m.v)
    k = k[ok]
    n = np.bincount(k, minlength=nb).astype(np.float64)
    total = np.bincount(k, weights=m.v[ok], minlength=nb)
    return np.where(n > 0, total / np.maximum(n, 1.0), np.nan)


def interval_scores(pv: PcView) -> list[IntervalScore]:
    """Scores per SCORE_INTERVAL_MS bucket of one connection (what this client received)."""
    if pv.end <= pv.start or not (math.isfinite(pv.start) and math.isfinite(pv.end)):
        return []
    # Long (or absurd) spans get wider intervals: at most MAX_INTERVALS per connection.
    step = max(float(th.SCORE_INTERVAL_MS), (pv.end - pv.start) / MAX_INTERVALS)
    edges = np.append(np.arange(pv.start, pv.end, step), pv.end)
    nb = len(edges) - 1
    rtt = nz(bucket_means(_rtt(pv), edges))
    mos = np.full(nb, np.nan)
    vid = np.full(nb, np.nan)
    for a in pv.of("inbound", "audio"):
        flow = bucket_means(a.m("packets_ps"), edges)
        if a.m("packets_ps") is None:
            continue
        j = nz(bucket_means(a.m("jitter_ms"), edges))
        loss = nz(bucket_means(a.m("loss_pct"), edges))
        x = audio_mos_array(rtt, j, loss)
        x = np.where(nz(flow) >= 1, x, np.nan)
        mos = np.fmin(mos, x)
    for v in pv.of("inbound", "video"):
        flow = bucket_means(v.m("packets_ps"), edges)
        if v.m("packets_ps") is None:
            continue
        fz = nz(bucket_means(v.m("freeze_pct"), edges))
        loss = nz(bucket_means(v.m("loss_pct"), edges))
        fps = nz(bucket_means(v.m("fps") or v.m("decoded_fps"), edges), nan=30.0)
        h = nz(bucket_means(v.m("height"), edges), nan=720.0)
        x = video_score_array(fz, loss, fps, h)
        x = np.where(nz(flow) >= 1, x, np.nan)
        vid = np.fmin(vid, x)
    e = edges.tolist()
    return [
        IntervalScore(e[k], e[k + 1], None if a != a else a, None if v != v else v)  # NaN != NaN
        for k, (a, v) in enumerate(zip(mos.tolist(), vid.tolist(), strict=True))
    ]


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
