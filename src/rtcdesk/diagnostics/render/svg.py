"""Server-side SVG timeline charts (no JavaScript, no external assets)."""

from __future__ import annotations

import math
from html import escape

from rtcdesk.diagnostics.render.i18n import rel
from rtcdesk.diagnostics.report import Chart

W, H = 920, 190
ML, MR, MT, MB = 56, 12, 12, 26
COLORS = ("#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2")
SEV_FILL = "#f97316"


def _nice(x: float) -> float:
    if x <= 0 or not math.isfinite(x):
        return 1.0
    e = 10.0 ** math.floor(math.log10(x))
    for m in (1, 2, 2.5, 5, 10):
        if x <= m * e:
            return m * e
    return 10 * e


def chart_svg(chart: Chart, t0: float, t1: float, lang: str) -> str:
    """One chart as an inline SVG element with finding windows shaded."""
    t1 = max(t1, t0 + 1000)
    vals = [v for ln in chart.lines for v in ln.values if v is not None and math.isfinite(v)]
    ymax = chart.y_max or (_nice(max(vals) * 1.1) if vals else 1.0)
    pw, ph = W - ML - MR, H - MT - MB

    def x(ts: float) -> float:
        return ML + (ts - t0) / (t1 - t0) * pw

    def y(v: float) -> float:
        return MT + ph - min(max(v, 0.0), ymax) / ymax * ph

    title = escape(chart.title.get(lang, chart.title["en"]))
    parts = [
        f'<svg viewBox="0 0 {W} {H}" width="100%" role="img" aria-label="{title}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">',
        f'<rect x="{ML}" y="{MT}" width="{pw}" height="{ph}" fill="#fff" stroke="#ccc"/>',
    ]
    labelled: set[str] = set()
    for a, b, code in chart.windows:
        xa, xb = max(ML, x(a)), min(ML + pw, x(b))
        if xb - xa < 2:
            xa, xb = xa - 1, xa + 1
        parts.append(
            f'<rect x="{xa:.1f}" y="{MT}" width="{xb - xa:.1f}" height="{ph}" '
            f'fill="{SEV_FILL}" fill-opacity="0.18"><title>{escape(code)}</title></rect>'
        )
        if code not in labelled:
            labelled.add(code)
            parts.append(
                f'<text x="{xa + 3:.1f}" y="{MT + 24 + 12 * (len(labelled) - 1)}" '
                f'fill="#9a3412" font-size="10">{escape(code)}</text>'
            )
    for i in range(5):
        v = ymax * i / 4
        yy = y(v)
        parts.append(
            f'<line x1="{ML}" x2="{ML + pw}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#eee"/>'
            f'<text x="{ML - 4}" y="{yy + 4:.1f}" text-anchor="end" fill="#555">'
            f"{v:g}</text>"
        )
    for i in range(7):
        ts = t0 + (t1 - t0) * i / 6
        xx = x(ts)
        parts.append(
            f'<text x="{xx:.1f}" y="{H - 8}" text-anchor="middle" fill="#555">{rel(ts, t0)}</text>'
        )
    parts.append(f'<text x="{ML + 4}" y="{MT + 12}" fill="#333">{escape(chart.unit)}</text>')
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
        f"{escape(ln.label)}</span>"
        for i, ln in enumerate(chart.lines)
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
