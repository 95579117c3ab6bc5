"""Self-contained offline HTML report: inline CSS, server-side SVG, no scripts."""

from __future__ import annotations

from html import escape as e

from rtcdesk.diagnostics.render.i18n import SEV, abs_time, num, rel, t
from rtcdesk.diagnostics.render.svg import chart_svg
from rtcdesk.diagnostics.report import Chart, ChartLine, Finding, PcFacts, Report

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;
margin:0;background:#f5f6f8;color:#1f2328}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}h3{font-size:15px;margin:0}
.meta{color:#59636e;font-size:12px}
.card{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:14px 16px;margin:10px 0}
.summary{font-size:16px}
.scores{display:flex;gap:12px;flex-wrap:wrap;margin-top:10px}
.score{border-radius:6px;padding:6px 12px;background:#eef2f7}.score b{font-size:18px;display:block}
.good{background:#dcfce7}.fair{background:#fef9c3}.poor{background:#fee2e2}
.sev{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;color:#fff;
margin-right:6px}
.sev-info{background:#64748b}.sev-warning{background:#d97706}.sev-error{background:#dc2626}
.sev-critical{background:#7f1d1d}
.f-warning{border-left:4px solid #d97706}.f-error{border-left:4px solid #dc2626}
.f-critical{border-left:4px solid #7f1d1d}.f-info{border-left:4px solid #64748b}
code{font-size:12px;background:#f0f2f4;padding:0 4px;border-radius:3px}
table{border-collapse:collapse;width:100%;font-size:12px;margin-top:6px}
th,td{border-bottom:1px solid #e5e7eb;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f8fafc}td.s{word-break:break-all;color:#59636e}
figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:2px}
.lg{display:inline-block;margin-right:14px;font-size:12px}
.lg i{display:inline-block;width:12px;height:3px;margin:0 4px 3px 0;vertical-align:middle}
ul{margin:4px 0 0 0;padding-left:20px}
"""


def _cls(x: float | None, good: float, fair: float) -> str:
    if x is None:
        return ""
    return "good" if x >= good else "fair" if x >= fair else "poor"


def _finding(f: Finding, st: float, lang: str) -> str:
    when = ", ".join(f"{rel(w.start_ms, st)}–{rel(w.end_ms, st)}" for w in f.windows[:8])
    pc = f" · PC <code>{e(f.pc_id)}</code>" if f.pc_id else ""
    ev = "".join(
        f"<tr><td>{e(x.metric)}</td><td>{num(x.value)} {e(x.unit)}</td>"
        f"<td>{num(x.threshold)}</td><td class=s>{e(x.series)}</td></tr>"
        for x in f.evidence
    )
    evt = (
        f"<table><tr><th>{t('metric', lang)}</th><th>{t('value', lang)}</th>"
        f"<th>{t('threshold', lang)}</th><th>{t('series', lang)}</th></tr>{ev}</table>"
        if ev
        else ""
    )
    fixes = "".join(f"<li>{e(x)}</li>" for x in f.fixes[lang])
    return (
        f'<div class="card f-{f.severity}"><h3><span class="sev sev-{f.severity}">'
        f"{SEV[f.severity][lang]}</span>{e(f.title[lang])} <code>{e(f.code)}</code></h3>"
        + (f"<p class=meta>{t('when', lang)}: {when}{pc}</p>" if when or pc else "")
        + f"<p><b>{t('cause', lang)}:</b> {e(f.cause[lang])}</p>"
        f"<b>{t('fixes', lang)}:</b><ul>{fixes}</ul>{evt}</div>"
    )


def _pc(pc: PcFacts, st: float, lang: str) -> str:
    rows = "".join(
        f"<tr><td>{e(s.direction)}</td><td>{e(s.kind)}</td><td>{e(s.codec or '–')}</td>"
        f"<td>{e(s.implementation or '–')}</td><td>{num(s.max_height)}</td>"
        f"<td>{num(s.bitrate_kbps_avg)}</td><td>{num(s.loss_pct_avg)}</td></tr>"
        for s in pc.streams
    )
    streams = (
        f"<table><tr><th>{t('direction', lang)}</th><th>{t('kind', lang)}</th>"
        f"<th>{t('codec', lang)}</th><th>{t('impl', lang)}</th>"
        f"<th>{t('max_height', lang)}</th><th>{t('bitrate', lang)}</th>"
        f"<th>{t('loss', lang)}</th></tr>{rows}</table>"
        if rows
        else ""
    )
    states = ", ".join(
        f"{rel(ts, st)} {e(v)}" for ts, typ, v in pc.states if typ == "connectionstatechange"
    ) or ", ".join(f"{rel(ts, st)} {e(v)}" for ts, _, v in pc.states)
    sel = ", ".join(f"{e(k)}={e(v)}" for k, v in pc.selected_pair.items()) or "–"
    none = t("none", lang)
    return (
        f'<div class="card"><h3>PC <code>{e(pc.id)}</code> <span class=meta>{e(pc.url)}'
        f"</span></h3><table>"
        f"<tr><th>{t('ice_servers', lang)}</th><td>{e(', '.join(pc.ice_servers)) or none}</td></tr>"
        f"<tr><th>{t('policy', lang)}</th><td>{e(pc.ice_transport_policy or '–')}</td></tr>"
        f"<tr><th>{t('cand_types', lang)}</th>"
        f"<td>{e(', '.join(pc.local_candidate_types)) or '–'}</td></tr>"
        f"<tr><th>{t('selected', lang)}</th><td>{sel}</td></tr>"
        f"<tr><th>{t('states', lang)}</th><td>{states or '–'}</td></tr></table>"
        f"{streams}</div>"
    )


def _score_chart(r: Report) -> Chart | None:
    iv = r.scores.intervals
    if not iv:
        return None
    mid = [(i.start_ms + i.end_ms) / 2 for i in iv]
    lines = [
        ChartLine("audio MOS", mid, [i.audio_mos for i in iv]),
        ChartLine("video score", mid, [i.video_score for i in iv]),
    ]
    lines = [ln for ln in lines if any(v is not None for v in ln.values)]
    wins = [(w.start_ms, w.end_ms, f.code) for f in r.findings if f.rank >= 1 for w in f.windows]
    return Chart(
        "",
        {"en": "Quality over time", "zh-CN": "质量随时间变化"},
        "score 1–5",
        lines,
        wins,
        y_max=5.0,
    )


def render_html(report: Report, lang: str = "en") -> str:
    """The report as one self-contained HTML page in ``lang``."""
    r, st = report, report.start_ms
    s = r.scores
    scores = "".join(
        f'<div class="score {_cls(v, g, f)}">{t(k, lang)}<b>{num(v)}</b></div>'
        for k, v, g, f in (
            ("audio_mos", s.audio_mos, 4.0, 3.5),
            ("video_score", s.video_score, 4.0, 3.0),
            ("overall", s.overall, 4.0, 3.0),
        )
    )
    findings = "".join(_finding(f, st, lang) for f in r.findings) or (
        f'<div class="card">{t("no_findings", lang)}</div>'
    )
    charts: list[str] = []
    sc = _score_chart(r)
    if sc is not None and sc.lines:
        charts.append(chart_svg(sc, r.start_ms, r.end_ms, lang))
    last_pc = None
    for c in r.charts:
        if c.pc_id != last_pc and len({x.pc_id for x in r.charts}) > 1:
            charts.append(f"<h3>PC <code>{e(c.pc_id)}</code></h3>")
        last_pc = c.pc_id
        charts.append(chart_svg(c, r.start_ms, r.end_ms, lang))
    warn = "".join(f"<li>{e(w)}</li>" for w in r.warnings)
    cons = "".join(
        f"<li><code>{e(c.get('kind', ''))}</code> audio: {e(str(c.get('audio')))}; "
        f"video: {e(str(c.get('video')))}</li>"
        for c in r.media_constraints
    )
    tags = ", ".join(r.suggested_tags()) or t("none", lang)
    dur = max(0.0, (r.end_ms - r.start_ms) / 1000)
    html_lang = "zh-CN" if lang == "zh-CN" else "en"
    return (
        f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{t('title', lang)}</title><style>{CSS}</style></head><body><main>"
        f"<h1>{t('title', lang)}</h1><p class=meta>{t('format', lang)}: {e(r.format)} · "
        f"{t('duration', lang)}: {dur:.0f} s · {abs_time(r.start_ms)} · "
        f"{t('user_agent', lang)}: {e(r.user_agent or '–')}</p>"
        f'<div class="card"><div class="summary">{e(r.summary[lang])}</div>'
        f'<div class="scores">{scores}</div><p class=meta>{t("category", lang)}: '
        f"<code>{e(r.suggested_category())}</code> · {t('tags', lang)}: {e(tags)}</p></div>"
        f"<h2>{t('findings', lang)}</h2>{findings}"
        + (
            f"<h2>{t('timeline', lang)}</h2><p class=meta>{t('highlight', lang)}</p>"
            f'<div class="card">{"".join(charts)}</div>'
            if charts
            else ""
        )
        + f"<h2>{t('connections', lang)}</h2>{''.join(_pc(p, st, lang) for p in r.pcs)}"
        + (
            f"<h2>{t('constraints', lang)}</h2><div class=card><ul>{cons}</ul></div>"
            if cons
            else ""
        )
        + (f"<h2>{t('warnings', lang)}</h2><div class=card><ul>{warn}</ul></div>" if warn else "")
        + f"<p class=meta>rtcdesk diagnostics · schema {r.schema_version}</p>"
        "</main></body></html>"
    )
