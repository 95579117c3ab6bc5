"""The timeline chart: one lane of all matched events, one per finding, one for the windows of
a WebRTC dump diagnosis of the same ticket; inline SVG, no script."""

from __future__ import annotations

from html import escape as e

from rtcdesk.diagnostics.render.numbers import clock, nice_step, time_ticks
from rtcdesk.logs.labels import t
from rtcdesk.logs.report import LogReport

WIDTH, LEFT, RIGHT, LANE, TOP = 900, 190, 16, 22, 8
SEV_COLOR = {"info": "#64748b", "warning": "#d97706", "error": "#dc2626", "critical": "#7f1d1d"}
LEVEL_COLOR = {
    "debug": "#94a3b8", "info": "#3b82f6", "warning": "#d97706", "error": "#dc2626",
    "fatal": "#7f1d1d",
}  # fmt: skip


def _domain(r: LogReport) -> tuple[float, float, bool]:
    """(lo, hi, timed): epoch ms of the log (and dump windows), or line numbers."""
    if r.start_ms is not None and r.end_ms is not None:
        lo, hi = r.start_ms, r.end_ms
        for d in r.dump_windows:
            lo, hi = min(lo, d.start_ms), max(hi, d.end_ms)
        return lo, max(hi, lo + 1000.0), True
    return 1.0, float(max(r.lines, 2)), False


def timeline_svg(r: LogReport, lang: str) -> str:
    """The chart as an <svg> element (empty text when there is nothing to draw)."""
    lo, hi, timed = _domain(r)
    lanes: list[tuple[str, list[str]]] = []
    span = WIDTH - LEFT - RIGHT

    def x(v: float) -> float:
        return LEFT + (v - lo) / (hi - lo) * span

    def pos(ts: float | None, line: int) -> float | None:
        if timed:
            return None if ts is None else x(ts)
        return x(float(line))

    marks = []
    for ev in r.timeline:
        px = pos(ev.ts_ms, ev.line)
        if px is not None:
            marks.append(("tick", px, LEVEL_COLOR.get(ev.level, "#3b82f6"), ev.text[:120]))
    lanes.append((t("all_events", lang), [_mark(*m) for m in marks]))
    for f in r.findings:
        color = SEV_COLOR.get(f.severity, "#64748b")
        shapes: list[str] = []
        if timed and f.windows:
            for w in f.windows:
                a, b = x(w.start_ms), x(w.end_ms)
                shapes.append(_rect(a, max(b - a, 3.0), color, f.title[lang]))
        else:
            for ex in f.examples:
                px = pos(ex.ts_ms, ex.line)
                if px is not None:
                    shapes.append(_rect(px - 1.5, 3.0, color, ex.text[:120]))
        lanes.append((f.title[lang], shapes))
    if timed and r.dump_windows:
        dump = []
        for d in r.dump_windows:
            a, b = x(d.start_ms), x(d.end_ms)
            dump.append(
                _rect(a, max(b - a, 3.0), SEV_COLOR.get(d.severity, "#64748b"), d.title[lang], 0.45)
            )
        lanes.append((t("dump", lang), dump))
    height = TOP + LANE * len(lanes) + 34
    body: list[str] = []
    for i, (name, shapes) in enumerate(lanes):
        y = TOP + i * LANE
        short = _short(name)
        body.append(
            f'<rect x="{LEFT}" y="{y + 3}" width="{span}" height="{LANE - 6}" fill="#f1f5f9"/>'
            f'<text x="{LEFT - 6}" y="{y + LANE / 2 + 4}" text-anchor="end" font-size="11">'
            f"<title>{e(name)}</title>{e(short)}</text>"
        )
        body += [s.replace("{y}", str(y + 3)).replace("{h}", str(LANE - 6)) for s in shapes]
    axis_y = TOP + LANE * len(lanes) + 4
    body.append(
        f'<line x1="{LEFT}" y1="{axis_y}" x2="{LEFT + span}" y2="{axis_y}" stroke="#94a3b8"/>'
    )
    for value, text in _ticks(lo, hi, timed):
        px = x(value)
        body.append(
            f'<line x1="{px:.1f}" y1="{axis_y}" x2="{px:.1f}" y2="{axis_y + 4}" '
            'stroke="#94a3b8"/>'
            f'<text x="{px:.1f}" y="{axis_y + 16}" text-anchor="middle" font-size="10">'
            f"{text}</text>"
        )
    caption = t("axis_time", lang) if timed else t("axis_line", lang)
    body.append(
        f'<text x="{LEFT + span}" y="{axis_y + 29}" text-anchor="end" font-size="10" '
        f'fill="#59636e">{e(caption)}</text>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{e(t("timeline", lang))}">{"".join(body)}</svg>'
    )


def _ticks(lo: float, hi: float, timed: bool) -> list[tuple[float, str]]:
    if timed:
        return [(lo + s * 1000.0, clock(s)) for s in time_ticks((hi - lo) / 1000.0)]
    step = max(1.0, nice_step(hi - lo, 8))
    out = []
    v = 0.0
    while v <= hi:
        if v >= lo:
            out.append((v, str(int(v))))
        v += step
    return out


def _rect(xpos: float, width: float, color: str, title: str, opacity: float = 0.85) -> str:
    return (
        f'<rect x="{xpos:.1f}" y="{{y}}" width="{width:.1f}" height="{{h}}" fill="{color}" '
        f'opacity="{opacity}"><title>{e(title)}</title></rect>'
    )


def _mark(_kind: str, xpos: float, color: str, title: str) -> str:
    return _rect(xpos - 0.75, 1.5, color, title)


def _short(name: str, units: int = 30) -> str:
    """``name`` cut to fit the lane label (a CJK character is two units wide)."""
    used = 0
    for i, ch in enumerate(name):
        used += 2 if ord(ch) >= 0x2E80 else 1
        if used > units:
            return name[:i].rstrip() + "…"
    return name
