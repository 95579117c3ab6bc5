"""Stable JSON form of a Report (schema documented in docs/diagnostics.md)."""

from __future__ import annotations

import math
from typing import Any

import msgspec
import orjson

from rtcdesk.diagnostics.report import Report


def _clean(x: Any) -> Any:
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean(v) for v in x]
    return x


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-compatible data (non-finite numbers become null)."""
    d: dict[str, Any] = _clean(msgspec.to_builtins(report))
    d["worst_severity"] = report.worst_severity()
    d["suggested_category"] = report.suggested_category()
    d["suggested_tags"] = report.suggested_tags()
    return d


def render_json(report: Report) -> str:
    """The report as indented JSON text."""
    return orjson.dumps(report_to_dict(report), option=orjson.OPT_INDENT_2).decode()
