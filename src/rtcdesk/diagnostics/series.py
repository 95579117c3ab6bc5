"""Numeric helpers over series: counter deltas, rates, alignment, sustained windows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rtcdesk.diagnostics.model import FloatArray, Series, StatsObject

EMPTY = np.zeros(0, dtype=np.float64)
NON_MONOTONIC = frozenset({"packetsLost"})


@dataclass(slots=True)
class Metric:
    """A derived per-interval series with where it came from."""

    name: str
    ts: FloatArray
    v: FloatArray
    unit: str
    source: str

    def __len__(self) -> int:
        return len(self.v)

    def finite(self) -> FloatArray:
        """The finite values only."""
        return self.v[np.isfinite(self.v)]


def nz(v: FloatArray, nan: float = 0.0) -> FloatArray:
    """``np.nan_to_num(v, nan=nan)`` without its overhead; returns ``v`` itself when all finite."""
    if np.isfinite(v).all():
        return v
    if not np.isinf(v).any():
        return np.where(np.isnan(v), nan, v)
    return np.nan_to_num(v, nan=nan)


def median_step(d: FloatArray) -> float:
    """``np.median(d)``, skipping the sort when all the steps are equal (regular polling)."""
    if len(d) and d.min() == d.max():
        return float(d[0])
    return float(np.median(d))


def diff(a: FloatArray) -> FloatArray:
    """``np.diff(a)`` of a 1-D array, without its Python-level overhead (same subtraction)."""
    return a[1:] - a[:-1]


def same(a: FloatArray, b: FloatArray) -> bool:
    """``np.array_equal(a, b)`` for 1-D arrays (NaN never equal), without its overhead."""
    return len(a) == len(b) and bool((a == b).all())


def counter_delta(values: FloatArray) -> FloatArray:
    """Per-interval increase of a cumulative counter; a decrease is a reset (counts anew)."""
    d = diff(values)
    reset = d < 0
    if reset.any():
        d = np.where(reset, values[1:], d)
    return d


def _vals(s: Series) -> FloatArray:
    v = s.values
    return v if isinstance(v, np.ndarray) else np.full(len(s.ts), np.nan)


def deltas(obj: StatsObject, *props: str) -> tuple[FloatArray, FloatArray, list[FloatArray]] | None:
    """Aligned (interval end ts, interval length s, [Δprop...]) of counters of one object."""
    series = [obj.num(p) for p in props]
    if any(s is None for s in series):
        return None
    ss = [s for s in series if s is not None]
    ts = ss[0].ts
    vals = [_vals(s) for s in ss]
    for i in range(1, len(ss)):
        if not same(ss[i].ts, ts):
            ts, ia, ib = np.intersect1d(ts, ss[i].ts, assume_unique=False, return_indices=True)
            vals = [v[ia] for v in vals[:i]] + [_vals(ss[i])[ib]] + vals[i + 1 :]
    if len(ts) < 2:
        return None
    dt = diff(ts) / 1000.0
    ds = []
    for p, v in zip(props, vals, strict=True):
        # packetsLost may fall (late or duplicate packets): clamp instead of treating as a reset.
        d = np.maximum(diff(v), 0) if p in NON_MONOTONIC else counter_delta(v)
        fin = np.isfinite(d)
        if not fin.all():
            d[~fin] = np.nan
        ds.append(d)
    bad = dt <= 0
    if bad.any():
        dt = np.where(bad, np.nan, dt)
    return ts[1:], dt, ds


def rate(
    obj: StatsObject, prop: str, scale: float = 1.0, name: str = "", unit: str = ""
) -> Metric | None:
    """Per-second rate of a counter (times ``scale``)."""
    r = deltas(obj, prop)
    if r is None:
        return None
    ts, dt, (d,) = r
    return Metric(name or prop, ts, d / dt * scale, unit, f"{obj.type} {obj.id}/{prop}")


def ratio(
    obj: StatsObject,
    num: str,
    den: str,
    scale: float = 1.0,
    name: str = "",
    unit: str = "",
    den_extra: str | None = None,
) -> Metric | None:
    """Δnum / (Δden [+ Δden_extra]) per interval, NaN where the denominator is 0."""
    props = (num, den) if den_extra is None else (num, den, den_extra)
    r = deltas(obj, *props)
    if r is None:
        return None
    ts, _, ds = r
    d = ds[1] + (ds[2] if den_extra is not None else 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(d > 0, np.maximum(ds[0], 0) / np.where(d > 0, d, 1.0), np.nan) * scale
    src = f"{obj.type} {obj.id}/{','.join(dict.fromkeys(props))}"
    return Metric(name or f"{num}/{den}", ts, v, unit, src)


def gauge(
    obj: StatsObject, prop: str, scale: float = 1.0, name: str = "", unit: str = ""
) -> Metric | None:
    """A gauge property as a metric (times ``scale``)."""
    s = obj.num(prop)
    if s is None:
        return None
    return Metric(name or prop, s.ts, _vals(s) * scale, unit, f"{obj.type} {obj.id}/{prop}")


def sustained(cond: np.ndarray, need: int = 3, of: int = 5) -> list[tuple[int, int]]:
    """Index ranges [i, j] where at least ``need`` of any ``of`` consecutive samples hold."""
    c = np.asarray(cond, dtype=bool)
    n = len(c)
    if n == 0 or c.sum() < need:
        return []
    of = min(of, n)
    need = min(need, of)
    ones = np.ones(of, dtype=np.int32)
    counts = np.convolve(c.astype(np.int32), ones, mode="valid")  # window starting at each i
    # a sample counts when a qualifying window (start in [i - of + 1, i]) covers it
    covered = np.convolve((counts >= need).astype(np.int32), ones)[:n] > 0
    idx = np.flatnonzero(c & covered)
    if len(idx) == 0:
        return []
    cut = np.flatnonzero(np.diff(idx) > of)  # runs further apart than a window
    starts = [int(idx[0]), *idx[cut + 1].tolist()]
    ends = [*idx[cut].tolist(), int(idx[-1])]
    return list(zip(starts, ends, strict=True))


def runs(cond: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    """Index ranges of consecutive True runs at least ``min_len`` long."""
    c = np.concatenate(([False], np.asarray(cond, dtype=bool), [False]))
    d = np.diff(c.astype(np.int8))
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1) - 1
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=True) if b - a + 1 >= min_len]


def step_ms(ts: FloatArray) -> float:
    """Median sampling interval in ms (1000 when unknown)."""
    if len(ts) < 2:
        return 1000.0
    d = diff(ts)
    d = d[d > 0]
    return median_step(d) if len(d) else 1000.0


def value_at(m: Metric | None, t0: float, t1: float, how: str = "mean") -> float:
    """Mean/max/min of the finite values of ``m`` with t0 <= ts <= t1 (NaN when none)."""
    if m is None:
        return float("nan")
    sel = (m.ts >= t0) & (m.ts <= t1) & np.isfinite(m.v)
    if not sel.any():
        return float("nan")
    v = m.v[sel]
    return float(v.max() if how == "max" else v.min() if how == "min" else v.mean())
