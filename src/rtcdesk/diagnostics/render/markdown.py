"""Markdown rendering of a Report (for ticket notes and e-mail)."""

from __future__ import annotations

from rtcdesk.diagnostics.render import present as pr
from rtcdesk.diagnostics.render.i18n import SEV, abs_time, colon, lc, num, t
from rtcdesk.diagnostics.report import Finding, PcFacts, Report


def _esc(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _finding(f: Finding, st: float, lang: str) -> list[str]:
    out = [f"### [{SEV[f.severity][lang]}] {f.title[lang]}", ""]
    meta = [pr.finding_meta(f, lang), f"`{f.code}`"]
    when = pr.windows_text(f, st, 6, lang)
    if when:
        meta.append(f"{lc('when', lang)}{when}")
    if f.pc_id:
        meta.append(f"{t('connection', lang)} `{f.pc_id}`")
    out += [" · ".join(meta), ""]
    out += [
        f"*{lc('cause', lang).strip()}* {f.cause[lang]}",
        "",
        f"*{lc('fixes', lang).strip()}*",
        "",
    ]
    out += [f"- {x}" for x in f.fixes[lang]]
    if f.evidence:
        out += [
            "",
            f"| {t('metric', lang)} | {t('value', lang)} | {t('threshold', lang)} "
            f"| {t('source', lang)} |",
            "|---|---|---|---|",
        ]
        for x in (pr.evidence_row(e, lang) for e in f.evidence):
            source = f"{_esc(x.source)} (`{_esc(x.raw)}`)" if x.source else f"`{_esc(x.raw)}`"
            out.append(f"| {_esc(x.label)} | {x.value} | {x.threshold} | {source} |")
    out.append("")
    return out


def _pc(pc: PcFacts, st: float, lang: str) -> list[str]:
    out = [
        f"### {t('connection', lang)} `{pc.id}`",
        "",
        f"- {lc('ice_servers', lang)}{', '.join(pc.ice_servers) or t('none', lang)}",
        f"- {lc('policy', lang)}{pc.ice_transport_policy or '–'}",
        f"- {lc('cand_types', lang)}{', '.join(pc.local_candidate_types) or '–'}",
        f"- {lc('selected', lang)}{pr.pair_text(pc.selected_pair, lang)}",
        f"- {lc('states', lang)}{pr.states_text(pc, st, lang) or '–'}",
    ]
    if pc.streams:
        heads = ("stream", "codec", "impl", "max_height", "bitrate", "loss")
        out += ["", "| " + " | ".join(t(h, lang) for h in heads) + " |", "|---" * 6 + "|"]
        for s in pc.streams:
            out.append("| " + " | ".join(_esc(c) for c in pr.stream_cells(s, lang)) + " |")
    out.append("")
    return out


def render_markdown(report: Report, lang: str = "en") -> str:
    """The report as Markdown in ``lang``."""
    r, st = report, report.start_ms
    out = [f"# {t('title', lang)}", "", f"**{lc('summary', lang).strip()}** {r.summary[lang]}", ""]
    facts = [*pr.header_facts(r, lang), (t("started", lang), abs_time(r.start_ms))]
    out += [f"- {k}{colon(lang)}{v}" for k, v in facts]
    out += [
        f"- {lc('audio_mos', lang)}{num(r.scores.audio_mos)}; "
        f"{lc('video_score', lang)}{num(r.scores.video_score)}; "
        f"{lc('overall', lang)}{num(r.scores.overall)}",
        f"- {lc('category', lang)}{pr.category_text(r, lang)}; {lc('tags', lang)}"
        + (", ".join(f"`{x}`" for x in r.suggested_tags()) or t("none", lang)),
        "",
        f"## {t('findings', lang)} {pr.paren(pr.findings_count(len(r.findings), lang), lang)}",
        "",
    ]
    if not r.findings:
        out += [t("no_findings", lang), ""]
    for f in r.findings:
        out += _finding(f, st, lang)
    out += [f"## {t('connections', lang)}", ""]
    for pc in r.pcs:
        out += _pc(pc, st, lang)
    if r.warnings:
        out += [f"## {t('warnings', lang)}", ""] + [f"- {_esc(w)}" for w in r.warnings] + [""]
    return "\n".join(out)
