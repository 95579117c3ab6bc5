"""Render a LogReport as JSON, Markdown or self-contained offline HTML (zh-CN and en)."""

from __future__ import annotations

from typing import Literal

from rtcdesk.core.errors import InvalidInput
from rtcdesk.logs.render.html import render_html
from rtcdesk.logs.render.jsonout import render_json, report_to_dict
from rtcdesk.logs.render.markdown import render_markdown
from rtcdesk.logs.report import LogReport

LANGS = ("en", "zh-CN")
__all__ = ["render", "render_html", "render_json", "render_markdown", "report_to_dict"]


def render(report: LogReport, fmt: Literal["html", "json", "md"], lang: str = "en") -> str:
    """Render ``report`` as 'html', 'json' or 'md' in ``lang`` ('en' or 'zh-CN')."""
    if lang not in LANGS:
        lang = "zh-CN" if lang.lower().startswith("zh") else "en"
    if fmt == "json":
        return render_json(report)
    if fmt == "md":
        return render_markdown(report, lang)
    if fmt == "html":
        return render_html(report, lang)
    raise InvalidInput(
        "Unknown report format {format}; use html, json or md.", params={"format": fmt}
    )
