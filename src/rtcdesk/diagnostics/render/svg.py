"""Server-side SVG timeline charts (no JavaScript, no external assets)."""

from __future__ import annotations

import math
from html import escape

from rtcdesk.diagnostics.labels import UNIT, line_label, pick
from rtcdesk.diagnostics.render.i18n import lc, t
from rtcdesk.diagnostics.render.numbers import axis_ticks, clock, tick_text, time_ticks
from rtcdesk.diagnostics.report import Chart

W, H = 920, 200
ML, MR, MT, MB = 60, 14, 22, 34
COLORS = ("#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2")
SEV_FILL = "#f97316"
CAPS = {"%": 100.0, "0–1": 1.0}  # shares and levels never need an axis beyond their maximum


def _finite(values: list[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def y_axis(
    chart: Chart, fixed: tuple[float, float] | None = None
) -> tuple[float, float, list[float]]:
    """The y range and ticks of a chart: from its data with headroom, or ``fixed``."""
    if fixed is not None:
        lo, hi = fixed
        return axis_ticks(lo, hi, headroom=0.0)
    vals = [v for ln in chart.lines for v in _finite(ln.values)]
    if chart.y_max:
        return axis_ticks(0.0, chart.y_max, headroom=0.0)
    if not vals:
        return axis_ticks(0.0, 1.0, headroom=0.0)
    lo = min(0.0, min(vals))
    return axis_ticks(lo, max(vals), cap=CAPS.get(chart.unit))


def unit_label(unit: str, lang: str) -> str:
    """The y-axis caption of a chart unit ('kbps', 'fps', 'level 0–1')."""
    return pick(UNIT[unit], lang) if unit in UNIT else unit


def chart_svg(
    chart: Chart,
    t0: float,
    t1: float,
    lang: str,
    names: dict[str, str] | None = None,
    fixed: tuple[float, float] | None = None,
) -> str:
    """One chart as an inline SVG element with finding windows shaded.

    ``names`` maps finding codes to the titles shown for the shaded windows; ``fixed``
    forces the y range (scores run 1–5 whatever the data).
    """
    t1 = max(t1, t0 + 1000)
    lo, hi, ticks = y_axis(chart, fixed)
    pw, ph = W - ML - MR, H - MT - MB

    def x(ts: float) -> float:
        return ML + (ts - t0) / (t1 - t0) * pw

    def y(v: float) -> float:
        return MT + ph - (min(max(v, lo), hi) - lo) / (hi - lo) * ph

    title = escape(chart.title.get(lang, chart.title["en"]))
    parts = [
        f'<svg viewBox="0 0 {W} {H}" width="100%" role="img" aria-label="{title}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">',
        f'<rect x="{ML}" y="{MT}" width="{pw}" height="{ph}" fill="#fff" stroke="#ccc"/>',
    ]
    shaded: list[str] = []
    for a, b, code in chart.windows:
        xa, xb = max(ML, x(a)), min(ML + pw, x(b))
        if xb - xa < 2:
            xa, xb = xa - 1, xa + 1
        name = (names or {}).get(code, code)
        if name not in shaded:
            shaded.append(name)
        parts.append(
            f'<rect x="{xa:.1f}" y="{MT}" width="{xb - xa:.1f}" height="{ph}" '
            f'fill="{SEV_FILL}" fill-opacity="0.14"><title>{escape(name)}</title></rect>'
        )
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    for v in ticks:
        yy = y(v)
        parts.append(
            f'<line x1="{ML}" x2="{ML + pw}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#eee"/>'
            f'<text x="{ML - 5}" y="{yy + 4:.1f}" text-anchor="end" fill="#555">'
            f"{tick_text(v, step)}</text>"
        )
    for s in time_ticks((t1 - t0) / 1000):
        xx = x(t0 + s * 1000)
        parts.append(
            f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{MT + ph}" y2="{MT + ph + 4}" stroke="#999"/>'
            f'<text x="{xx:.1f}" y="{MT + ph + 15}" text-anchor="middle" fill="#555">'
            f"{clock(s)}</text>"
        )
    parts.append(
        f'<text x="{ML + pw}" y="{H - 3}" text-anchor="end" fill="#59636e" font-size="10">'
        f"{escape(t('time_axis', lang))}</text>"
    )
    parts.append(
        f'<text x="{ML - 5}" y="{MT - 8}" text-anchor="end" fill="#333">'
        f"{escape(unit_label(chart.unit, lang))}</text>"
    )
    for i, ln in enumerate(chart.lines):
        color = COLORS[i % len(COLORS)]
        seg: list[str] = []
        for ts, y_val in zip(ln.ts, ln.values, strict=True):
            if y_val is None or not math.isfinite(y_val):
                parts.append(_poly(seg, color))
                seg = []
                continue
            seg.append(f"{x(ts):.1f},{y(y_val):.1f}")
        parts.append(_poly(seg, color))
    parts.append("</svg>")
    legend = "".join(
        f'<span class="lg"><i style="background:{COLORS[i % len(COLORS)]}"></i>'
        f"{escape(line_label(ln.label, lang))}</span>"
        for i, ln in enumerate(chart.lines)
    )
    if shaded:
        sep = "、" if lang == "zh-CN" else ", "
        legend += (
            f'<span class="lg"><i class="win"></i>{escape(lc("shaded", lang))}'
            f"{escape(sep.join(shaded))}</span>"
        )
    return f"<figure><figcaption>{title}</figcaption>{''.join(parts)}<div>{legend}</div></figure>"


def _poly(points: list[str], color: str) -> str:
    if not points:
        return ""
    if len(points) == 1:
        cx, cy = points[0].split(",")
        return f'<circle cx="{cx}" cy="{cy}" r="2" fill="{color}"/>'
    return (
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{color}" '
        'stroke-width="1.6" stroke-linejoin="round"/>'
    )
