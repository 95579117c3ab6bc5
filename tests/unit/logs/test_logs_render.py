"""The report shapes: JSON schema, Markdown and HTML in both languages, the SVG timeline."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rtcdesk.core.errors import InvalidInput
from rtcdesk.diagnostics.report import Window
from rtcdesk.logs.engine import analyze_path
from rtcdesk.logs.render import render
from rtcdesk.logs.report import DumpWindow

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "logs"
REF = datetime(2026, 12, 2, tzinfo=UTC)


def report(name: str):  # type: ignore[no-untyped-def]
    return analyze_path(CORPUS / name, reference=REF)


def test_json_shape() -> None:
    r = report("chromium_ice_dtls.log")
    data = json.loads(render(r, "json"))
    assert data["schema_version"] == 1
    assert data["kind"] == "log"
    assert data["format_label"] == {
        "en": "Chromium / libwebrtc log",
        "zh-CN": "Chromium / libwebrtc 日志",
    }
    first = data["findings"][0]
    assert first["code"] == "ice.dtls_failed"
    assert first["severity_label"] == {"en": "Critical", "zh-CN": "严重"}
    assert first["examples"][0]["line"] == 6
    assert first["links"] == {"articles": ["dtls-failed"], "error_codes": []}
    assert data["suggested_tags"][:2] == ["network", "dtls-failed"]
    assert data["timeline"][0]["level_label"]["zh-CN"] == "信息"


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_markdown_and_html_in_both_languages(lang: str) -> None:
    r = report("web_permission_denied.console.txt")
    md = render(r, "md", lang)
    html = render(r, "html", lang)
    title = r.findings[0].title[lang]
    assert title in md
    assert title in html
    assert r.findings[0].fixes[lang][0] in md
    if lang == "zh-CN":
        assert "日志分析" in md
        assert '<html lang="zh-CN">' in html
        assert "处理建议</b>：" in html
    else:
        assert "What to do</b>: " in html
    assert "<script" not in html
    assert "<svg" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_timeline_lanes_and_dump_windows() -> None:
    r = report("chromium_ice_dtls.log")
    html = render(r, "html", "en")
    assert html.count('fill="#f1f5f9"') == 1 + len(r.findings)
    assert r.start_ms is not None
    r.dump_windows = [
        DumpWindow(r.start_ms + 2000, r.start_ms + 9000, "network.blackout", "error",
                   {"en": "Media blackout", "zh-CN": "媒体中断"}),
    ]  # fmt: skip
    html = render(r, "html", "zh-CN")
    assert html.count('fill="#f1f5f9"') == 2 + len(r.findings)
    assert "<title>媒体中断</title>" in html
    assert "WebRTC 转储" in html


def test_untimed_log_draws_by_line() -> None:
    html = render(report("android_brief_loop.logcat.txt"), "html", "en")
    assert "line number (this format has no times)" in html


def test_windows_are_in_json() -> None:
    r = report("sdk_join_timeout.log")
    data = json.loads(render(r, "json"))
    (w,) = data["findings"][0]["windows"]
    assert w["end_ms"] - w["start_ms"] == 15_000
    assert isinstance(r.findings[0].windows[0], Window)


def test_unknown_format() -> None:
    with pytest.raises(InvalidInput, match="Unknown report format pdf"):
        render(report("chromium_clean.log"), "pdf", "en")  # type: ignore[arg-type]
