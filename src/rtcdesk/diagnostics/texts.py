"""Bilingual (en / zh-CN) titles, causes and fixes of every finding code."""

from __future__ import annotations

from typing import Any

from rtcdesk.diagnostics.report import Evidence, Finding, Window
from rtcdesk.diagnostics.texts_media import MEDIA_TEXTS
from rtcdesk.diagnostics.texts_network import NETWORK_TEXTS

T = dict[str, Any]

# code -> category, kb tags, title, cause (format template), fixes.
TEXTS: dict[str, T] = {**NETWORK_TEXTS, **MEDIA_TEXTS}


class _Safe(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def make_finding(
    code: str,
    severity: str,
    *,
    params: dict[str, Any] | None = None,
    windows: list[Window] | None = None,
    evidence: list[Evidence] | None = None,
    pc_id: str | None = None,
    stream_id: str | None = None,
    variant: str | None = None,
) -> Finding:
    """Build a Finding with its bilingual texts filled from ``params``."""
    t = TEXTS[code]
    p = _Safe(params or {})
    return Finding(
        code=code,
        category=t["category"],
        severity=severity,
        title={k: v.format_map(p) for k, v in t["title"].items()},
        cause={k: v.format_map(p) for k, v in t["cause"].items()},
        fixes={k: list(v) for k, v in t["fixes"].items()},
        windows=windows or [],
        evidence=evidence or [],
        pc_id=pc_id,
        stream_id=stream_id,
        variant=variant,
        kb_tags=list(t["kb"]) + ([variant] if variant else []),
    )
