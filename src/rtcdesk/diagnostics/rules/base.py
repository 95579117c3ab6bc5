"""Helpers shared by the rule modules."""

from __future__ import annotations

import numpy as np

from rtcdesk.diagnostics.analysis import PcView, StreamView
from rtcdesk.diagnostics.report import Evidence, Window
from rtcdesk.diagnostics.series import Metric, nz, same, step_ms, sustained
from rtcdesk.diagnostics.thresholds import NEED, OF


def windows(m: Metric, ranges: list[tuple[int, int]]) -> list[Window]:
    """Index ranges of a per-interval metric -> time windows (covering whole intervals)."""
    if not ranges:
        return []
    step = step_ms(m.ts)
    return [Window(float(m.ts[a]) - step, float(m.ts[b])) for a, b in ranges]


def sustained_windows(m: Metric, cond: np.ndarray) -> list[Window]:
    """Windows where ``cond`` holds in at least NEED of OF consecutive samples."""
    return windows(m, sustained(cond, NEED, OF))


def in_windows(m: Metric, ws: list[Window]) -> np.ndarray:
    """Mask of samples of ``m`` inside any of ``ws``."""
    mask = np.zeros(len(m.ts), dtype=bool)
    for w in ws:
        mask |= (m.ts > w.start_ms) & (m.ts <= w.end_ms)
    return mask


def mean_in(m: Metric, ws: list[Window]) -> float:
    """Mean of finite values of ``m`` inside ``ws`` (NaN when none)."""
    sel = in_windows(m, ws) & np.isfinite(m.v)
    return float(m.v[sel].mean()) if sel.any() else float("nan")


def total_ms(ws: list[Window]) -> float:
    """Summed duration of windows."""
    return sum(w.end_ms - w.start_ms for w in ws)


def flowing(s: StreamView, min_pps: float = 0.5) -> Metric | None:
    """The packets-per-second metric of a stream (None when unknown)."""
    return s.m("packets_ps")


def on(m: Metric, other: Metric | None, min_value: float) -> np.ndarray:
    """Mask of samples of ``m`` at which ``other`` (interpolated) is >= ``min_value``."""
    if other is None or len(other.ts) == 0:
        return np.ones(len(m.ts), dtype=bool)
    if same(other.ts, m.ts):
        v = other.v
    else:
        idx = np.minimum(np.searchsorted(other.ts, m.ts), len(other.ts) - 1)
        v = other.v[idx]
    return nz(v, nan=0.0) >= min_value


def flow_at(m: Metric, ts: np.ndarray) -> np.ndarray:
    """Values of ``m`` (NaN as 0) at the sample at or after each of ``ts``; 0 if >1.5 s away."""
    if same(m.ts, ts):  # the usual case: nothing to look up, every sample is close
        return nz(m.v)
    idx = np.minimum(np.searchsorted(m.ts, ts), len(m.ts) - 1)
    close = np.abs(m.ts[idx] - ts) <= 1500
    return np.where(close, nz(m.v[idx]), 0.0)


def after(m: Metric, t0: float) -> np.ndarray:
    """Mask of samples after ``t0``."""
    return m.ts >= t0


def first_flow(s: StreamView) -> float | None:
    """Time of the first interval with packets flowing."""
    p = s.m("packets_ps")
    if p is None:
        return None
    idx = np.flatnonzero(nz(p.v) > 0)
    return float(p.ts[idx[0]]) if len(idx) else None


def ev(
    m: Metric,
    metric: str,
    value: float,
    threshold: float | None,
    unit: str | None = None,
    pc: PcView | None = None,
) -> Evidence:
    """Evidence from a metric, naming its source series."""
    src = f"PC {pc.pc.id}: {m.source}" if pc is not None else m.source
    return Evidence(
        metric=metric,
        value=round(float(value), 4),
        unit=unit or m.unit,
        series=src,
        threshold=threshold,
    )


def pct(x: float) -> str:
    """Format a percentage for texts: '3.7%', '12%' (as the report tables show it)."""
    return f"{x:.1f}".removesuffix(".0") + "%"


def ms(x: float) -> str:
    """Format milliseconds for texts: '250 ms', '2 s', '2.5 s', '12 s'."""
    if x < 1000:
        return f"{x:.0f} ms"
    s = x / 1000
    return f"{s:.0f} s" if s >= 10 or s == int(s) else f"{s:.1f} s"
