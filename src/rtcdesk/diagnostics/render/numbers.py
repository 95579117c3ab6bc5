"""Numbers for people: quantities with units, counts with plurals, chart axis ticks."""

from __future__ import annotations

import math

from rtcdesk.diagnostics.labels import UNIT, pick

# A threshold this close to zero means "any amount" to a reader.
EFFECTIVELY_ZERO = 1e-6


def sig(x: float, digits: int = 3) -> str:
    """``x`` with about ``digits`` significant digits, never in exponent notation."""
    if not math.isfinite(x):
        return "–"
    if x == 0:
        return "0"
    mag = math.floor(math.log10(abs(x)))
    decimals = max(0, digits - 1 - mag)
    if decimals > 6:
        return "≈0"
    text = f"{round(x, decimals):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def quantity(value: float | None, unit: str, lang: str) -> str:
    """A value with its unit as a person reads it: '3.7 %', '500 ms', '2.5 s', '1.2 Mbps'."""
    if value is None or not math.isfinite(value):
        return "–"
    zh = lang == "zh-CN"
    if unit == "%":  # as the finding texts write them: '3.7%', '85.7%', '100%'
        return f"{value:.1f}".removesuffix(".0") + "%"
    if unit == "ms":
        if abs(value) >= 1000:
            s = value / 1000
            text = sig(s, 3)
            if "." not in text and s != int(s) and abs(s) < 10:
                text = f"{s:.1f}"  # 2002 ms is '2.0 s', so it does not read as exactly 2 s
            return f"{text} {'秒' if zh else 's'}"
        return f"{value:.0f} ms" if abs(value) >= 10 else f"{sig(value, 2)} ms"
    if unit == "kbps":
        if abs(value) >= 1000:
            return f"{sig(value / 1000, 3)} Mbps"
        return f"{value:.0f} kbps"
    if unit == "bool":
        return ("是" if zh else "yes") if value else ("否" if zh else "no")
    if unit == "1-5":
        return f"{value:.2f}".rstrip("0").rstrip(".")
    shown = pick(UNIT[unit], lang) if unit in UNIT else unit
    return f"{sig(value)} {shown}".strip()


def threshold(value: float | None, unit: str, lang: str) -> str:
    """A threshold for a table cell: 'any' for an effectively-zero one, '–' for none."""
    if value is None or not math.isfinite(value):
        return "–"
    if abs(value) < EFFECTIVELY_ZERO:
        return "任何" if lang == "zh-CN" else "any"
    return quantity(value, unit, lang)


def count(n: int, one: str, many: str, lang: str, zh: str = "") -> str:
    """'1 finding' / '2 findings'; Chinese has no plural ('2 项发现' via ``zh``)."""
    if lang == "zh-CN" and zh:
        return zh.format(n=n)
    return f"{n} {one if n == 1 else many}"


def nice_step(span: float, target: int = 5) -> float:
    """A round step (1, 2 or 5 × 10^k) giving at most about ``target`` intervals over ``span``."""
    if not math.isfinite(span) or span <= 0:
        return 1.0
    raw = span / target
    base = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 5.0, 10.0):
        if raw <= m * base * 1.0000001:
            return m * base
    return 10.0 * base


def axis_ticks(
    lo: float,
    hi: float,
    *,
    target: int = 5,
    headroom: float = 0.05,
    cap: float | None = None,
) -> tuple[float, float, list[float]]:
    """Axis bounds and ticks at round numbers that contain [lo, hi] with a little headroom.

    Returns (axis_min, axis_max, ticks). A flat or empty range gets a unit-wide axis. With
    ``cap`` (100 for percentages), data at or below the cap never gets an axis beyond it.
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = 0.0, 1.0
    if hi < lo:
        lo, hi = hi, lo
    if hi - lo < 1e-12:  # flat data: a plain unit-wide axis above it
        hi, headroom = lo + (abs(lo) or 1.0), 0.0
    top = hi + (hi - lo) * headroom
    if cap is not None and hi <= cap:
        top = min(top, cap)
    step = nice_step(top - lo, target)
    a = math.floor(lo / step + 1e-9) * step
    b = math.ceil(top / step - 1e-9) * step
    n = round((b - a) / step)
    ticks = [round(a + i * step, 10) for i in range(n + 1)]
    return a, b, ticks


_TIME_STEPS = (1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200)


def time_ticks(duration_s: float, target: int = 8) -> list[float]:
    """Seconds from the call start at a round step (5 s, 30 s, 1 min ...), 0 included."""
    if not math.isfinite(duration_s) or duration_s <= 0:
        return [0.0]
    step = next((s for s in _TIME_STEPS if duration_s / s <= target), _TIME_STEPS[-1])
    while duration_s / step > target:
        step *= 2
    return [float(i * step) for i in range(int(duration_s // step) + 1)]


def clock(seconds: float) -> str:
    """Seconds from the call start as m:ss (h:mm:ss from an hour)."""
    s = max(0, round(seconds))
    if s >= 3600:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


def tick_text(v: float, step: float) -> str:
    """A tick label with as many decimals as its step needs."""
    decimals = 0 if step >= 1 else min(6, -math.floor(math.log10(step) + 1e-9))
    return f"{v:,.{decimals}f}"
