"""The JSON report (schema_version 1); labels for people in both languages beside the codes."""

from __future__ import annotations

import math
from typing import Any

import orjson

from rtcdesk.logs.labels import CATEGORY, LEVEL, SEVERITY, format_label, label
from rtcdesk.logs.report import LogReport


def _num(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def _both(table: dict[str, tuple[str, str]], key: str) -> dict[str, str]:
    return {"en": label(table, key, "en"), "zh-CN": label(table, key, "zh-CN")}


def report_to_dict(r: LogReport) -> dict[str, Any]:
    """The report as plain data."""
    return {
        "schema_version": r.schema_version,
        "kind": "log",
        "format": r.format,
        "format_label": {
            "en": format_label(r.format, "en"),
            "zh-CN": format_label(r.format, "zh-CN"),
        },
        "summary": dict(r.summary),
        "worst_severity": r.worst_severity(),
        "suggested_category": r.suggested_category(),
        "suggested_tags": r.suggested_tags(),
        "lines": r.lines,
        "events_matched": r.events_matched,
        "skipped_lines": r.skipped_lines,
        "start_ms": _num(r.start_ms),
        "end_ms": _num(r.end_ms),
        "time_note": dict(r.time_note),
        "levels": dict(r.levels),
        "findings": [
            {
                "code": f.code,
                "category": f.category,
                "category_label": _both(CATEGORY, f.category),
                "severity": f.severity,
                "severity_label": _both(SEVERITY, f.severity),
                "title": dict(f.title),
                "cause": dict(f.cause),
                "fixes": {k: list(v) for k, v in f.fixes.items()},
                "count": f.count,
                "first_line": f.first_line,
                "windows": [
                    {"start_ms": _num(w.start_ms), "end_ms": _num(w.end_ms)} for w in f.windows
                ],
                "examples": [
                    {"line": x.line, "ts_ms": _num(x.ts_ms), "text": x.text} for x in f.examples
                ],
                "platforms": list(f.platforms),
                "links": {"articles": list(f.articles), "error_codes": list(f.error_codes)},
                "kb_tags": list(f.kb_tags),
            }
            for f in r.findings
        ],
        "timeline": [
            {
                "line": ev.line,
                "ts_ms": _num(ev.ts_ms),
                "level": ev.level,
                "level_label": _both(LEVEL, ev.level),
                "text": ev.text,
                "codes": list(ev.codes),
            }
            for ev in r.timeline
        ],
        "dump_windows": [
            {
                "start_ms": _num(d.start_ms),
                "end_ms": _num(d.end_ms),
                "code": d.code,
                "severity": d.severity,
                "title": dict(d.title),
            }
            for d in r.dump_windows
        ],
        "warnings": list(r.warnings),
    }


def render_json(r: LogReport) -> str:
    """The report as indented JSON text."""
    return orjson.dumps(report_to_dict(r), option=orjson.OPT_INDENT_2).decode("utf-8")
