"""The Markdown report (tickets, email, chat)."""

from __future__ import annotations

from rtcdesk.logs.labels import LEVEL, colon, label, platforms_text, t
from rtcdesk.logs.render.common import abs_time, category_text, finding_meta, header_facts
from rtcdesk.logs.report import LogFinding, LogReport

MAX_TIMELINE_ROWS = 100


def _esc(s: str) -> str:
    return s.replace("|", "\\|").replace("`", "'").replace("\n", " ")


def _finding(f: LogFinding, lang: str) -> list[str]:
    out = [f"### {f.title[lang]}", "", f"*{finding_meta(f, lang)}* · `{f.code}`", ""]
    out += [f"**{t('cause', lang)}**{colon(lang)}{f.cause[lang]}", ""]
    out += [f"**{t('fixes', lang)}**{colon(lang)}", *(f"- {x}" for x in f.fixes[lang]), ""]
    out += [f"**{t('evidence', lang)}**{colon(lang)}"]
    out += [
        f"- {t('line', lang)} {x.line} ({abs_time(x.ts_ms)}): `{_esc(x.text)}`" for x in f.examples
    ]
    out.append("")
    extra = [f"{t('platforms', lang)}{colon(lang)}{platforms_text(f.platforms, lang)}"]
    if f.articles:
        extra.append(f"{t('articles', lang)}{colon(lang)}{', '.join(f.articles)}")
    if f.error_codes:
        extra.append(f"{t('error_codes', lang)}{colon(lang)}{', '.join(f.error_codes)}")
    out += [" · ".join(extra), ""]
    return out


def render_markdown(r: LogReport, lang: str = "en") -> str:
    """The report as Markdown in ``lang``."""
    lines = [f"# {t('title', lang)}", ""]
    lines += [" · ".join(f"{k}{colon(lang)}{v}" for k, v in header_facts(r, lang)), ""]
    lines += [f"> {r.summary[lang]}", ""]
    tags = ", ".join(r.suggested_tags()) or t("none", lang)
    lines += [
        f"{t('category', lang)}{colon(lang)}{category_text(r, lang)} · "
        f"{t('tags', lang)}{colon(lang)}{tags}",
        "",
        f"{t('times', lang)}{colon(lang)}{r.time_note[lang]}",
        "",
        f"## {t('findings', lang)}",
        "",
    ]
    if not r.findings:
        lines += [t("no_findings", lang), ""]
    for f in r.findings:
        lines += _finding(f, lang)
    lines += [f"## {t('timeline', lang)}", "", t("events_note", lang), ""]
    rows = r.timeline[:MAX_TIMELINE_ROWS]
    if len(r.timeline) > len(rows):
        lines += [f"({t('shown_first', lang).format(n=len(rows))})", ""]
    if rows:
        lines += [
            f"| {t('time', lang)} | {t('line', lang)} | {t('level', lang)} | {t('text', lang)} "
            f"| {t('rules', lang)} |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {abs_time(ev.ts_ms)} | {ev.line} | {label(LEVEL, ev.level, lang)} | "
            f"`{_esc(ev.text[:160])}` | {', '.join(ev.codes)} |"
            for ev in rows
        ]
        lines.append("")
    if r.warnings:
        lines += [f"## {t('warnings', lang)}", "", *(f"- {w}" for w in r.warnings), ""]
    return "\n".join(lines)
