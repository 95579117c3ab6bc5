"""Self-contained offline HTML report: inline CSS, server-side SVG, no scripts."""

from __future__ import annotations

from html import escape as e

from rtcdesk.diagnostics.render import present as pr
from rtcdesk.diagnostics.render.i18n import SEV, abs_time, colon, lc, num, t
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
th{background:#f8fafc}td.n{white-space:nowrap}
.s{word-break:break-all;color:#59636e;margin-top:2px}
.s code{font-size:11px;background:none;padding:0}
figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:2px}
.lg{display:inline-block;margin-right:14px;font-size:12px}
.lg i{display:inline-block;width:12px;height:3px;margin:0 4px 3px 0;vertical-align:middle}
.lg i.win{height:10px;background:#f97316;opacity:.3}
ul{margin:4px 0 0 0;padding-left:20px}
"""


def _cls(x: float | None, good: float, fair: float) -> str:
    if x is None:
        return ""
    return "good" if x >= good else "fair" if x >= fair else "poor"


def _evidence(f: Finding, lang: str) -> str:
    rows = [pr.evidence_row(x, lang) for x in f.evidence]
    if not rows:
        return ""
    body = "".join(
        f"<tr><td>{e(x.label)}</td><td class=n>{e(x.value)}</td><td class=n>{e(x.threshold)}</td>"
        f"<td>{e(x.source)}<div class=s><code>{e(x.raw)}</code></div></td></tr>"
        for x in rows
    )
    return (
        f"<table><tr><th>{t('metric', lang)}</th><th>{t('value', lang)}</th>"
        f"<th>{t('threshold', lang)}</th><th>{t('source', lang)}</th></tr>{body}</table>"
    )


def _finding(f: Finding, st: float, lang: str) -> str:
    when = pr.windows_text(f, st, 8, lang)
    pc = f" · {t('connection', lang)} <code>{e(f.pc_id)}</code>" if f.pc_id else ""
    fixes = "".join(f"<li>{e(x)}</li>" for x in f.fixes[lang])
    return (
        f'<div class="card f-{f.severity}"><h3><span class="sev sev-{f.severity}">'
        f"{e(SEV[f.severity][lang])}</span>{e(f.title[lang])}</h3>"
        f"<p class=meta>{e(pr.finding_meta(f, lang))} · <code>{e(f.code)}</code>"
        + (f" · {lc('when', lang)}{when}" if when else "")
        + f"{pc}</p>"
        + f"<p><b>{lc('cause', lang)}</b>{e(f.cause[lang])}</p>"
        f"<b>{lc('fixes', lang).strip()}</b><ul>{fixes}</ul>{_evidence(f, lang)}</div>"
    )


def _pc(pc: PcFacts, st: float, lang: str) -> str:
    rows = "".join(
        "<tr>" + "".join(f"<td>{e(c)}</td>" for c in pr.stream_cells(s, lang)) + "</tr>"
        for s in pc.streams
    )
    heads = ("stream", "codec", "impl", "max_height", "bitrate", "loss")
    streams = (
        "<table><tr>" + "".join(f"<th>{t(h, lang)}</th>" for h in heads) + f"</tr>{rows}</table>"
        if rows
        else ""
    )
    none = t("none", lang)
    return (
        f'<div class="card"><h3>{t("connection", lang)} <code>{e(pc.id)}</code> '
        f"<span class=meta>{e(pc.url)}</span></h3><table>"
        f"<tr><th>{t('ice_servers', lang)}</th><td>{e(', '.join(pc.ice_servers)) or none}</td></tr>"
        f"<tr><th>{t('policy', lang)}</th><td>{e(pc.ice_transport_policy or '–')}</td></tr>"
        f"<tr><th>{t('cand_types', lang)}</th>"
        f"<td>{e(', '.join(pc.local_candidate_types)) or '–'}</td></tr>"
        f"<tr><th>{t('selected', lang)}</th><td>{e(pr.pair_text(pc.selected_pair, lang))}</td></tr>"
        f"<tr><th>{t('states', lang)}</th><td>{e(pr.states_text(pc, st, lang)) or '–'}</td></tr>"
        f"</table>{streams}</div>"
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


def _charts(r: Report, lang: str) -> list[str]:
    names = {f.code: f.title[lang] for f in r.findings}
    charts: list[str] = []
    sc = _score_chart(r)
    if sc is not None and sc.lines:
        charts.append(chart_svg(sc, r.start_ms, r.end_ms, lang, names, fixed=(1.0, 5.0)))
    last_pc = None
    for c in r.charts:
        if c.pc_id != last_pc and len({x.pc_id for x in r.charts}) > 1:
            charts.append(f"<h3>{t('connection', lang)} <code>{e(c.pc_id)}</code></h3>")
        last_pc = c.pc_id
        charts.append(chart_svg(c, r.start_ms, r.end_ms, lang, names))
    return charts


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
    charts = _charts(r, lang)
    warn = "".join(f"<li>{e(w)}</li>" for w in r.warnings)
    cons = "".join(
        f"<li><code>{e(str(c.get('kind', '')))}</code> {e(pr.constraints_text(c, lang))}</li>"
        for c in r.media_constraints
    )
    tags = ", ".join(r.suggested_tags()) or t("none", lang)
    facts = [*pr.header_facts(r, lang), (t("started", lang), abs_time(r.start_ms))]
    meta = " · ".join(f"{k}{colon(lang)}{e(v)}" for k, v in facts)
    html_lang = "zh-CN" if lang == "zh-CN" else "en"
    return (
        f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{t('title', lang)}</title><style>{CSS}</style></head><body><main>"
        f"<h1>{t('title', lang)}</h1><p class=meta>{meta}</p>"
        + (
            f"<p class=meta>{lc('user_agent', lang)}<code>{e(r.user_agent)}</code></p>"
            if r.user_agent
            else ""
        )
        + f'<div class="card"><div class="summary">{e(r.summary[lang])}</div>'
        f'<div class="scores">{scores}</div><p class=meta>{lc("category", lang)}'
        f"{e(pr.category_text(r, lang))} · {lc('tags', lang)}{e(tags)}</p></div>"
        f"<h2>{t('findings', lang)} <span class=meta>"
        f"{e(pr.findings_count(len(r.findings), lang))}</span></h2>{findings}"
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
        + f"<p class=meta>rtcdesk diagnostics · {t('schema', lang)} {r.schema_version}</p>"
        "</main></body></html>"
    )
