"""Self-contained offline HTML log report: the diagnostics report's style, an SVG timeline."""

from __future__ import annotations

from html import escape as e

from rtcdesk.diagnostics.render.html import CSS
from rtcdesk.logs.labels import LEVEL, SEVERITY, colon, label, platforms_text, t
from rtcdesk.logs.render.common import abs_time, category_text, finding_meta, header_facts
from rtcdesk.logs.render.svg import timeline_svg
from rtcdesk.logs.report import LogFinding, LogReport

MAX_TIMELINE_ROWS = 300
EXTRA_CSS = "td.t{white-space:nowrap;font-size:11px}td.x{word-break:break-all}"


def _finding(f: LogFinding, lang: str) -> str:
    fixes = "".join(f"<li>{e(x)}</li>" for x in f.fixes[lang])
    rows = "".join(
        f"<tr><td class=n>{x.line}</td><td class=t>{e(abs_time(x.ts_ms))}</td>"
        f"<td class=x><code>{e(x.text)}</code></td></tr>"
        for x in f.examples
    )
    links = [f"{t('platforms', lang)}{colon(lang)}{e(platforms_text(f.platforms, lang))}"]
    if f.articles:
        links.append(f"{t('articles', lang)}{colon(lang)}{e(', '.join(f.articles))}")
    if f.error_codes:
        links.append(f"{t('error_codes', lang)}{colon(lang)}{e(', '.join(f.error_codes))}")
    return (
        f'<div class="card f-{e(f.severity)}"><h3><span class="sev sev-{e(f.severity)}">'
        f"{e(label_sev(f, lang))}</span>{e(f.title[lang])}</h3>"
        f"<p class=meta>{e(finding_meta(f, lang))} · <code>{e(f.code)}</code></p>"
        f"<p><b>{t('cause', lang)}</b>{colon(lang)}{e(f.cause[lang])}</p>"
        f"<p><b>{t('fixes', lang)}</b>{colon(lang)}</p><ul>{fixes}</ul>"
        f"<p><b>{t('evidence', lang)}</b></p><table><tr><th>{t('line', lang)}</th>"
        f"<th>{t('time', lang)}</th><th>{t('text', lang)}</th></tr>{rows}</table>"
        f"<p class=meta>{' · '.join(links)}</p></div>"
    )


def label_sev(f: LogFinding, lang: str) -> str:
    """The severity word of a finding."""
    return label(SEVERITY, f.severity, lang)


def render_html(r: LogReport, lang: str = "en") -> str:
    """The report as one self-contained HTML page in ``lang``."""
    meta = " · ".join(f"{e(k)}{colon(lang)}{e(v)}" for k, v in header_facts(r, lang))
    tags = ", ".join(r.suggested_tags()) or t("none", lang)
    findings = "".join(_finding(f, lang) for f in r.findings) or (
        f'<div class="card">{t("no_findings", lang)}</div>'
    )
    rows = r.timeline[:MAX_TIMELINE_ROWS]
    more = (
        f" <span class=meta>({t('shown_first', lang).format(n=len(rows))})</span>"
        if len(r.timeline) > len(rows)
        else ""
    )
    table = "".join(
        f"<tr><td class=t>{e(abs_time(ev.ts_ms))}</td><td class=n>{ev.line}</td>"
        f"<td class=n>{e(label(LEVEL, ev.level, lang))}</td>"
        f"<td class=x><code>{e(ev.text)}</code></td><td>{e(', '.join(ev.codes))}</td></tr>"
        for ev in rows
    )
    warn = "".join(f"<li>{e(w)}</li>" for w in r.warnings)
    dump_note = f"<p class=meta>{t('dump_note', lang)}</p>" if r.dump_windows else ""
    html_lang = "zh-CN" if lang == "zh-CN" else "en"
    return (
        f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{t('title', lang)}</title><style>{CSS}{EXTRA_CSS}</style></head><body><main>"
        f"<h1>{t('title', lang)}</h1><p class=meta>{meta}</p>"
        f'<div class="card"><div class="summary">{e(r.summary[lang])}</div>'
        f"<p class=meta>{t('category', lang)}{colon(lang)}{e(category_text(r, lang))} · "
        f"{t('tags', lang)}{colon(lang)}{e(tags)}</p>"
        f"<p class=meta>{t('times', lang)}{colon(lang)}{e(r.time_note[lang])}</p></div>"
        f"<h2>{t('findings', lang)}</h2>{findings}"
        f"<h2>{t('timeline', lang)}</h2><div class=card><figure>{timeline_svg(r, lang)}</figure>"
        f"{dump_note}</div>"
        f"<h2>{t('events', lang)}{more}</h2><div class=card><p class=meta>"
        f"{t('events_note', lang)}</p><table><tr><th>{t('time', lang)}</th>"
        f"<th>{t('line', lang)}</th><th>{t('level', lang)}</th><th>{t('text', lang)}</th>"
        f"<th>{t('rules', lang)}</th></tr>{table}</table></div>"
        + (f"<h2>{t('warnings', lang)}</h2><div class=card><ul>{warn}</ul></div>" if warn else "")
        + f"<p class=meta>rtcdesk logs · {t('schema', lang)} {r.schema_version}</p>"
        "</main></body></html>"
    )
