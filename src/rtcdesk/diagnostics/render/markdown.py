"""Markdown rendering of a Report (for ticket notes and e-mail)."""

from __future__ import annotations

from rtcdesk.diagnostics.render.i18n import SEV, abs_time, num, rel, t
from rtcdesk.diagnostics.report import Report


def _esc(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report, lang: str = "en") -> str:
    """The report as Markdown in ``lang``."""
    r, st = report, report.start_ms
    out = [f"# {t('title', lang)}", "", f"**{t('summary', lang)}:** {r.summary[lang]}", ""]
    dur = (r.end_ms - r.start_ms) / 1000
    out += [
        f"- {t('format', lang)}: `{r.format}`",
        f"- {t('duration', lang)}: {dur:.0f} s ({abs_time(r.start_ms)})",
        f"- {t('audio_mos', lang)}: {num(r.scores.audio_mos)}; "
        f"{t('video_score', lang)}: {num(r.scores.video_score)}; "
        f"{t('overall', lang)}: {num(r.scores.overall)}",
        f"- {t('category', lang)}: `{r.suggested_category()}`; {t('tags', lang)}: "
        + (", ".join(f"`{x}`" for x in r.suggested_tags()) or t("none", lang)),
        "",
        f"## {t('findings', lang)}",
        "",
    ]
    if not r.findings:
        out.append(t("no_findings", lang))
    for f in r.findings:
        when = ", ".join(f"{rel(w.start_ms, st)}–{rel(w.end_ms, st)}" for w in f.windows[:6])
        out += [f"### [{SEV[f.severity][lang]}] {f.title[lang]} (`{f.code}`)", ""]
        if when:
            more = " …" if len(f.windows) > 6 else ""
            on_pc = f" · PC `{f.pc_id}`" if f.pc_id else ""
            out.append(f"*{t('when', lang)}:* {when}{more}{on_pc}")
            out.append("")
        out += [f"*{t('cause', lang)}:* {f.cause[lang]}", "", f"*{t('fixes', lang)}:*", ""]
        out += [f"- {x}" for x in f.fixes[lang]]
        if f.evidence:
            out += [
                "",
                f"| {t('metric', lang)} | {t('value', lang)} | {t('threshold', lang)} "
                f"| {t('series', lang)} |",
                "|---|---|---|---|",
            ]
            for e in f.evidence:
                out.append(
                    f"| {_esc(e.metric)} | {num(e.value)} {e.unit} | {num(e.threshold)} "
                    f"| `{_esc(e.series)}` |"
                )
        out.append("")
    out += [f"## {t('connections', lang)}", ""]
    for pc in r.pcs:
        out += [
            f"### PC `{pc.id}`",
            "",
            f"- {t('ice_servers', lang)}: {', '.join(pc.ice_servers) or t('none', lang)}",
            f"- {t('policy', lang)}: {pc.ice_transport_policy or '–'}",
            f"- {t('cand_types', lang)}: {', '.join(pc.local_candidate_types) or '–'}",
            f"- {t('selected', lang)}: "
            + (", ".join(f"{k}={v}" for k, v in pc.selected_pair.items()) or "–"),
        ]
        if pc.streams:
            out += [
                "",
                f"| {t('direction', lang)} | {t('kind', lang)} | {t('codec', lang)} | "
                f"{t('impl', lang)} | {t('max_height', lang)} | {t('bitrate', lang)} | "
                f"{t('loss', lang)} |",
                "|---|---|---|---|---|---|---|",
            ]
            for s in pc.streams:
                out.append(
                    f"| {s.direction} | {s.kind} | {s.codec or '–'} | "
                    f"{s.implementation or '–'} | {num(s.max_height)} | "
                    f"{num(s.bitrate_kbps_avg)} | {num(s.loss_pct_avg)} |"
                )
        out.append("")
    if r.warnings:
        out += [f"## {t('warnings', lang)}", ""] + [f"- {_esc(w)}" for w in r.warnings] + [""]
    return "\n".join(out)
