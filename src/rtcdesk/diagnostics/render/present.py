"""What the renderers show for each part of a report, as plain text in one language.

HTML and Markdown differ only in markup; the words and numbers come from here, so the two
formats (and the JSON labels) always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from rtcdesk.diagnostics import labels as lb
from rtcdesk.diagnostics.render.i18n import colon, lc, rel, t
from rtcdesk.diagnostics.render.numbers import count, quantity, threshold
from rtcdesk.diagnostics.report import SEVERITIES, Evidence, Finding, PcFacts, Report, StreamFacts


@dataclass(slots=True)
class EvidenceRow:
    """One evidence line as people read it; ``raw`` is the series it came from."""

    label: str
    value: str
    threshold: str
    source: str
    raw: str


def evidence_value(x: Evidence, lang: str) -> str:
    """The evidence value with its unit ('3.7 %', 'yes', 'Error' for a severity)."""
    if x.unit == "severity":
        rank = min(max(int(x.value), 0), len(SEVERITIES) - 1)
        return lb.label(lb.SEVERITY, SEVERITIES[rank], lang)
    return quantity(x.value, x.unit, lang)


def evidence_row(x: Evidence, lang: str) -> EvidenceRow:
    """An evidence line in ``lang``: readable metric label first, raw series last."""
    source = lb.series_label(x.series, lang)
    return EvidenceRow(
        label=lb.metric_label(x.metric, lang),
        value=evidence_value(x, lang),
        threshold="–" if x.unit == "severity" else threshold(x.threshold, x.unit, lang),
        source=source,
        raw=x.series,
    )


def finding_meta(f: Finding, lang: str) -> str:
    """'Network · ICE' style line: the finding's category label."""
    return lb.label(lb.CATEGORY, f.category, lang)


def windows_text(f: Finding, start: float, limit: int, lang: str = "en") -> str:
    """The finding's time windows as m:ss–m:ss, at most ``limit`` of them."""
    sep = "，" if lang == "zh-CN" else ", "
    text = sep.join(f"{rel(w.start_ms, start)}–{rel(w.end_ms, start)}" for w in f.windows[:limit])
    return text + (" …" if len(f.windows) > limit else "")


def findings_count(n: int, lang: str) -> str:
    """'1 finding', '3 findings', '3 项发现'."""
    return count(n, "finding", "findings", lang, zh="{n} 项发现")


def paren(text: str, lang: str) -> str:
    """'(text)', with full-width brackets in Chinese."""
    return f"（{text}）" if lang == "zh-CN" else f"({text})"


def header_facts(r: Report, lang: str) -> list[tuple[str, str]]:
    """The report's identifying facts: format, duration, start, client, user agent."""
    dur = max(0.0, (r.end_ms - r.start_ms) / 1000)
    out = [
        (t("format", lang), lb.label(lb.FORMAT, r.format, lang)),
        (t("duration", lang), duration_text(dur, lang)),
    ]
    client = lb.client_label(r.user_agent, lang)
    if client:
        out.append((t("client", lang), client))
    return out


def duration_text(seconds: float, lang: str) -> str:
    """'29 s', '2 min 05 s', '1 h 02 min' (Chinese: '29 秒', '2 分 05 秒')."""
    s = round(seconds)
    zh = lang == "zh-CN"
    if s < 60:
        return f"{s} 秒" if zh else f"{s} s"
    if s < 3600:
        return f"{s // 60} 分 {s % 60:02d} 秒" if zh else f"{s // 60} min {s % 60:02d} s"
    return (
        f"{s // 3600} 小时 {s % 3600 // 60:02d} 分"
        if zh
        else f"{s // 3600} h {s % 3600 // 60:02d} min"
    )


def category_text(r: Report, lang: str) -> str:
    """The suggested ticket category, labelled."""
    return lb.label(lb.TICKET_CATEGORY, r.suggested_category(), lang)


def pair_text(sel: dict[str, str], lang: str) -> str:
    """The selected candidate pair: 'local relay (udp, relay over tls) ↔ remote host (udp)'."""
    sides = []
    for side in ("local", "remote"):
        typ = sel.get(f"{side}_candidateType")
        if not typ:
            continue
        extra = [sel[k] for k in (f"{side}_protocol",) if k in sel]
        if f"{side}_relayProtocol" in sel:
            relay = sel[f"{side}_relayProtocol"]
            extra.append(f"中继 {relay}" if lang == "zh-CN" else f"relay over {relay}")
        if f"{side}_url" in sel:
            extra.append(sel[f"{side}_url"])
        more = f" ({', '.join(extra)})" if extra else ""
        sides.append(f"{t(side, lang)} {typ}{more}")
    return " ↔ ".join(sides) or "–"


def states_text(pc: PcFacts, start: float, lang: str) -> str:
    """The connection-state timeline: '0:01 connected, 0:14 disconnected ...'."""
    chosen = [s for s in pc.states if s[1] == "connectionstatechange"] or pc.states
    sep = "，" if lang == "zh-CN" else ", "
    return sep.join(f"{rel(ts, start)} {lb.label(lb.STATE, v, lang)}" for ts, _, v in chosen)


def stream_cells(s: StreamFacts, lang: str) -> list[str]:
    """Table cells of a stream: stream, codec, implementation, height, bitrate, loss."""
    return [
        lb.stream_name(s.direction, s.kind, lang),
        s.codec or "–",
        s.implementation or "–",
        quantity(s.max_height, "px", lang) if s.max_height else "–",
        quantity(s.bitrate_kbps_avg, "kbps", lang),
        quantity(s.loss_pct_avg, "%", lang),
    ]


def constraints_text(c: dict[str, object], lang: str) -> str:
    """One getUserMedia request: what audio and video were asked for, or the error."""
    kinds = [(lb.label(lb.KIND, k, lang), c.get(k)) for k in ("audio", "video")]
    parts = [f"{name}{colon(lang)}{_constraint(v, lang)}" for name, v in kinds]
    if c.get("error"):
        parts.append(f"{lc('error', lang)}{c['error']}")
    return ("；" if lang == "zh-CN" else "; ").join(parts)


def _constraint(v: object, lang: str) -> str:
    if v is None or v is False or v == "":
        return t("none", lang)
    if v is True:
        return "是" if lang == "zh-CN" else "yes"
    return str(v)
