"""Stable JSON form of a Report (schema documented in docs/diagnostics.md)."""

from __future__ import annotations

import math
from typing import Any

import msgspec
import orjson

from rtcdesk.diagnostics import labels as lb
from rtcdesk.diagnostics.render import present as pr
from rtcdesk.diagnostics.render.svg import unit_label
from rtcdesk.diagnostics.report import LANGS, Report


def _clean(x: Any) -> Any:
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean(v) for v in x]
    return x


def _both(fn: Any, *args: Any) -> dict[str, str]:
    return {lang: fn(*args, lang) for lang in LANGS}


def _add_labels(d: dict[str, Any], report: Report) -> None:
    """The human-facing labels of the report's raw values, in both languages."""
    d["format_label"] = _both(lb.label, lb.FORMAT, report.format)
    d["client"] = _both(lb.client_label, report.user_agent)
    d["suggested_category_label"] = _both(lb.label, lb.TICKET_CATEGORY, report.suggested_category())
    for fd, f in zip(d["findings"], report.findings, strict=True):
        fd["severity_label"] = _both(lb.label, lb.SEVERITY, f.severity)
        fd["category_label"] = _both(lb.label, lb.CATEGORY, f.category)
        for ed, x in zip(fd["evidence"], f.evidence, strict=True):
            rows = {lang: pr.evidence_row(x, lang) for lang in LANGS}
            ed["label"] = {lang: r.label for lang, r in rows.items()}
            ed["value_text"] = {lang: r.value for lang, r in rows.items()}
            ed["threshold_text"] = {lang: r.threshold for lang, r in rows.items()}
            ed["source_label"] = {lang: r.source for lang, r in rows.items()}
    for cd, c in zip(d["charts"], report.charts, strict=True):
        cd["unit_label"] = _both(unit_label, c.unit)
        for ld, line in zip(cd["lines"], c.lines, strict=True):
            ld["name"] = _both(lb.line_label, line.label)


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-compatible data (non-finite numbers become null)."""
    d: dict[str, Any] = _clean(msgspec.to_builtins(report))
    d["worst_severity"] = report.worst_severity()
    d["suggested_category"] = report.suggested_category()
    d["suggested_tags"] = report.suggested_tags()
    _add_labels(d, report)
    return d


def render_json(report: Report) -> str:
    """The report as indented JSON text."""
    return orjson.dumps(report_to_dict(report), option=orjson.OPT_INDENT_2).decode()
