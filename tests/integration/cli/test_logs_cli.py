"""``rtcdesk logs FILE`` as a real process: formats, languages, progress, rules, errors."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "logs"
# Reports follow the locale without --lang: these tests read English whatever the machine's.
ENGLISH = {
    **{k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")},
    "LANG": "C.UTF-8",
}


def rtcdesk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rtcdesk", "logs", *args],
        env={**ENGLISH, **(env or {})},
        capture_output=True,
        text=True,
        timeout=900,  # a hang guard, not a speed limit
        check=False,
    )


def test_json_report_with_progress_bar() -> None:
    done = rtcdesk(str(CORPUS / "chromium_ice_dtls.log"), "--format", "json", "--progress")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["findings"][0]["code"] == "ice.dtls_failed"
    assert "Analysing" in done.stderr


def test_chinese_markdown_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    done = rtcdesk(str(CORPUS / "android_permission.logcat.txt"), "--lang", "zh-CN", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "(1 finding)" in done.stderr
    assert "Android 上缺少摄像头或麦克风权限" in out.read_text(encoding="utf-8")


def test_gzip_html_and_zone(tmp_path: Path) -> None:
    log = tmp_path / "call.log.gz"
    log.write_bytes(gzip.compress((CORPUS / "chromium_cpu_background.log").read_bytes()))
    done = rtcdesk(str(log), "--format", "html", "--tz", "+08:00")
    assert done.returncode == 0, done.stderr
    assert "<svg" in done.stdout
    assert "UTC+08:00" in done.stdout


def test_rules_folder_from_settings(tmp_path: Path) -> None:
    (tmp_path / "ours.yaml").write_text(
        "rules:\n  - code: ours.license\n    category: session\n    severity: error\n"
        "    match: ['license server unreachable']\n"
        "    title: {en: License server unreachable, zh-CN: 无法连接许可证服务器}\n"
        "    cause: {en: C, zh-CN: 原因}\n    fixes: {en: [F], zh-CN: [修复]}\n",
        encoding="utf-8",
    )
    log = tmp_path / "app.log"
    log.write_text("16:00:00.000 app.js:1 license server unreachable\n", encoding="utf-8")
    done = rtcdesk(str(log), env={"RTCDESK_LOG_RULES_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert "License server unreachable" in done.stdout
    (tmp_path / "bad.yaml").write_text("rules:\n  - code: Bad\n", encoding="utf-8")
    done = rtcdesk(str(log), "--rules", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.startswith("error: rule #1 in bad.yaml: code must look like")


def test_errors_are_one_sentence(tmp_path: Path) -> None:
    binary = tmp_path / "core.dmp"
    binary.write_bytes(bytes(range(256)) * 100)
    done = rtcdesk(str(binary))
    assert done.returncode == 2
    assert done.stderr == (
        "error: core.dmp is a binary file, not a text log; send the log as text (or gzip of "
        "text).\n"
    )
    missing = rtcdesk(str(tmp_path / "nope.log"))
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr


def test_unreadable_lines_warn(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_bytes(
        b"I/RtcEngine( 1): initialize appId=1\nI/Cam( 1): \xff\xfe broken\n"
        b"E/Cam( 1): CAMERA_IN_USE camera busy\n"
    )
    done = rtcdesk(str(log))
    assert done.returncode == 0
    assert "warning: 1 unreadable line (binary or undecodable data) skipped." in done.stderr


def test_the_report_speaks_the_locale_without_lang(tmp_path: Path) -> None:
    log = next(CORPUS.glob("*.log"))
    out = tmp_path / "r.html"
    done = rtcdesk(str(log), "--format", "html", "-o", str(out), env={"LANG": "zh_CN.UTF-8"})
    assert done.returncode == 0, done.stderr
    assert '<html lang="zh-CN">' in out.read_text(encoding="utf-8")
