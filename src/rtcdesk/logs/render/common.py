"""What the HTML and Markdown reports share: times, header facts, finding lines."""

from __future__ import annotations

from datetime import UTC, datetime

from rtcdesk.diagnostics.render.numbers import clock
from rtcdesk.logs.labels import CATEGORY, SEVERITY, TICKET_CATEGORY, colon, format_label, label, t
from rtcdesk.logs.report import LogFinding, LogReport


def abs_time(ms: float | None) -> str:
    """UTC wall-clock time with milliseconds ('2026-12-01 10:00:01.250 UTC')."""
    if ms is None or not 0 < ms < 4e12:
        return "–"
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + " UTC"


def rel_time(ms: float | None, start: float | None) -> str:
    """Offset from the log's first line (m:ss), '–' without times."""
    if ms is None or start is None:
        return "–"
    return clock(max(0.0, (ms - start) / 1000))


def header_facts(r: LogReport, lang: str) -> list[tuple[str, str]]:
    """(label, value) pairs of the report header."""
    facts = [
        (t("format", lang), format_label(r.format, lang)),
        (t("lines", lang), str(r.lines)),
        (t("matched", lang), str(r.events_matched)),
    ]
    if r.skipped_lines:
        facts.append((t("skipped", lang), str(r.skipped_lines)))
    if r.start_ms is not None:
        facts.append((t("span", lang), f"{abs_time(r.start_ms)} – {abs_time(r.end_ms)}"))
    return facts


def finding_meta(f: LogFinding, lang: str) -> str:
    """'Error · Permissions · 2 occurrences, first at line 12'."""
    sep = " · "
    count = f"{t('occurrences', lang)}{colon(lang)}{f.count}"
    first = f"{t('first_line', lang)} {f.first_line}{t('first_line_suffix', lang)}"
    return sep.join(
        [label(SEVERITY, f.severity, lang), label(CATEGORY, f.category, lang), count, first]
    )


def category_text(r: LogReport, lang: str) -> str:
    """The suggested ticket category as people read it."""
    return label(TICKET_CATEGORY, r.suggested_category(), lang)
