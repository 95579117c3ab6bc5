"""Assembling the LogReport: findings in reading order, the summary and the time note."""

from __future__ import annotations

from datetime import datetime

from rtcdesk.diagnostics.report import Window
from rtcdesk.logs.report import Example, LogFinding, LogReport, TimelineEvent
from rtcdesk.logs.rules import RuleSet
from rtcdesk.logs.sequence import Fired

# Formats whose lines carry their own UTC offset.
_OFFSET_FORMATS = {"apple-unified", "xcode", "console-json"}


def offset_text(minutes: int) -> str:
    """'UTC', 'UTC+08:00', 'UTC-05:30'."""
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h:02d}:{m:02d}"


def time_note(fmt: str, tz_offset_min: int, reference: datetime) -> dict[str, str]:
    """How the times of this format were completed, in both languages."""
    zone = offset_text(tz_offset_min)
    day = reference.date().isoformat()
    if fmt in _OFFSET_FORMATS:
        return {
            "en": "Times carry their own UTC offset where the log writes one; others are read "
            f"as {zone}.",
            "zh-CN": f"日志写明时区偏移的时间按其偏移换算；其余按 {zone} 读取。",
        }
    if fmt == "logcat-brief":
        return {
            "en": "This format has no times: events are ordered by line, time windows do not "
            "apply.",
            "zh-CN": "此格式没有时间：事件按行序排列，时间窗口条件不适用。",
        }
    if fmt in ("chromium", "logcat-threadtime"):
        return {
            "en": f"The log writes no year and no zone: times were read as {zone}, in the latest "
            f"year that is not after {day}.",
            "zh-CN": f"日志未写年份和时区：时间按 {zone} 读取，年份取不晚于 {day} 的最近一年。",
        }
    if fmt == "console-text":
        return {
            "en": f"The log writes times of day only: they were read as {zone}, starting on {day}.",
            "zh-CN": f"日志只写时刻：按 {zone} 读取，日期从 {day} 起算。",
        }
    return {
        "en": f"Times with an offset are exact; times without one were read as {zone}.",
        "zh-CN": f"带时区偏移的时间按偏移换算；未带偏移的按 {zone} 读取。",
    }


def _summary(findings: list[LogFinding], lines: int) -> dict[str, str]:
    if not findings:
        return {
            "en": f"No known problem found in {lines} lines.",
            "zh-CN": f"在 {lines} 行日志中未发现已知问题。",
        }
    first = findings[0]
    n = len(findings)
    en = (
        f"{n} finding{'' if n == 1 else 's'}. First: {first.title['en']} (line {first.first_line})."
    )
    zh = f"发现 {n} 项问题。首先：{first.title['zh-CN']}（第 {first.first_line} 行）。"
    rest = findings[1:3]
    if rest:
        en += " Then: " + "; ".join(f.title["en"] for f in rest) + "."
        zh += "其次：" + "；".join(f.title["zh-CN"] for f in rest) + "。"
    return {"en": en, "zh-CN": zh}


def build_report(
    *,
    fmt: str,
    rules: RuleSet,
    fired: dict[str, Fired],
    timeline: list[TimelineEvent],
    lines: int,
    matched: int,
    skipped: int,
    start_ms: float | None,
    end_ms: float | None,
    levels: dict[str, int],
    warnings: list[str],
    tz_offset_min: int,
    reference: datetime,
) -> LogReport:
    """The report of one analysed log."""
    findings: list[LogFinding] = []
    for rule in rules.rules:
        f = fired.get(rule.code)
        if f is None:
            continue
        findings.append(
            LogFinding(
                code=rule.code,
                category=rule.category,
                severity=rule.severity,
                title=dict(rule.title),
                cause=dict(rule.cause),
                fixes={k: list(v) for k, v in rule.fixes.items()},
                count=f.count,
                first_line=f.first_line,
                windows=[Window(a, b) for a, b in f.windows],
                examples=[Example(e.line, e.ts_ms, e.text()[:300]) for e in f.examples],
                platforms=list(rule.platforms),
                articles=list(rule.articles),
                error_codes=list(rule.error_codes),
                kb_tags=list(rule.kb_tags),
            )
        )
    findings.sort(key=lambda f: (-f.rank, f.first_line))
    return LogReport(
        format=fmt,
        summary=_summary(findings, lines),
        findings=findings,
        timeline=timeline,
        lines=lines,
        events_matched=matched,
        skipped_lines=skipped,
        start_ms=start_ms,
        end_ms=end_ms,
        levels=levels,
        time_note=time_note(fmt, tz_offset_min, reference),
        warnings=warnings,
    )
