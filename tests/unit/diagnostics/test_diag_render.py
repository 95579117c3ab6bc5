"""Report renderers and the CLI command."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner
from rtcdiag_synth import Call, gz, to_internals

from rtcdesk.cli.diagnose import diagnose
from rtcdesk.core.errors import InvalidInput
from rtcdesk.diagnostics.engine import diagnose_bytes
from rtcdesk.diagnostics.render import render
from rtcdesk.diagnostics.report import Report

PROBLEM = Call(
    segs={"down_loss_pct": [(20, 40, 12.0)], "ql_reason": [(15, 50, "cpu")]},
    gum_audio={"echoCancellation": False},
)


@pytest.fixture(scope="module")
def report() -> Report:
    return diagnose_bytes(to_internals(PROBLEM))


def test_json_schema_is_stable(report: Report) -> None:
    d = json.loads(render(report, "json"))
    assert d["schema_version"] == 1
    assert set(d) >= {
        "format",
        "summary",
        "findings",
        "scores",
        "pcs",
        "media_constraints",
        "user_agent",
        "start_ms",
        "end_ms",
        "warnings",
        "charts",
        "worst_severity",
        "suggested_category",
        "suggested_tags",
    }
    f = d["findings"][0]
    assert set(f) >= {
        "code",
        "category",
        "severity",
        "title",
        "cause",
        "fixes",
        "windows",
        "evidence",
        "pc_id",
        "stream_id",
        "variant",
        "kb_tags",
    }
    assert set(f["title"]) == {"en", "zh-CN"}
    assert set(f["windows"][0]) == {"start_ms", "end_ms"}
    assert set(f["evidence"][0]) == {
        "metric", "value", "unit", "series", "threshold",
        "label", "value_text", "threshold_text", "source_label",
    }  # fmt: skip
    assert set(f["evidence"][0]["label"]) == {"en", "zh-CN"}
    assert set(d["scores"]) == {"audio_mos", "video_score", "overall", "intervals"}
    assert d["worst_severity"] == "error"


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_html_is_self_contained(report: Report, lang: str) -> None:
    html = render(report, "html", lang)
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "@import" not in html
    assert html.count("<svg") >= 5
    assert "network.downlink_loss" in html
    assert escape(report.findings[0].title[lang]) in html


def test_html_escapes_dump_content() -> None:
    call = Call(duration_s=10)
    doc = json.loads(to_internals(call))
    doc["UserAgent"] = "<script>alert(1)</script>"
    doc["PeerConnections"]["1234-1"]["url"] = '"><img src=x onerror=alert(1)>'
    html = render(diagnose_bytes(json.dumps(doc).encode()), "html")
    assert "<script>alert" not in html
    assert "<img src=x" not in html


def test_markdown_in_both_languages(report: Report) -> None:
    en = render(report, "md")
    zh = render(report, "md", "zh-CN")
    assert en.startswith("# WebRTC call diagnosis")
    assert "## Findings" in en
    assert "诊断发现" in zh
    assert "`network.downlink_loss`" in zh


def test_unknown_format(report: Report) -> None:
    with pytest.raises(InvalidInput):
        render(report, "pdf")  # type: ignore[arg-type]


def test_report_helpers(report: Report) -> None:
    assert [f.rank for f in report.top_findings(2)] == sorted(
        [f.rank for f in report.findings], reverse=True
    )[:2]
    assert report.suggested_category() in (
        "integration",
        "advanced_tuning",
        "troubleshooting",
        "consulting",
    )
    tags = report.suggested_tags()
    assert "network" in tags
    assert "downlink-loss" in tags
    assert report.summary["zh-CN"].startswith("主要问题")


def test_cli_writes_report(tmp_path: Path) -> None:
    dump = tmp_path / "webrtc_internals_dump.txt.gz"
    dump.write_bytes(gz(to_internals(PROBLEM)))
    out = tmp_path / "r.html"
    res = CliRunner().invoke(diagnose, [str(dump), "--format", "html", "--output", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    res = CliRunner().invoke(diagnose, [str(dump), "--format", "json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["findings"]
    res = CliRunner().invoke(diagnose, [str(dump), "--format", "md", "--lang", "zh-CN"])
    assert "诊断" in res.stdout


def test_cli_error_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"hello")
    res = CliRunner().invoke(diagnose, [str(bad)])
    assert res.exit_code == 2
    assert "not a WebRTC dump" in res.stderr
