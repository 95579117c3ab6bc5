"""The fixture corpus, table-driven: format, the first finding a person reads, all findings."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml

from rtcdesk.logs.engine import analyze_bytes, analyze_path
from rtcdesk.logs.rules import load_rules

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "logs"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
REFERENCE = datetime.fromisoformat(EXPECTED["reference"])
CASES = sorted(EXPECTED["logs"].items())


@pytest.mark.parametrize(("name", "want"), CASES, ids=[c[0] for c in CASES])
def test_corpus_log(name: str, want: dict[str, object]) -> None:
    report = analyze_path(CORPUS / name, reference=REFERENCE)
    assert report.format == want["format"]
    codes = [f.code for f in report.findings]
    assert codes == want["findings"]
    if codes:
        first = report.findings[0]
        assert report.summary["en"].startswith(f"{len(codes)} finding")
        assert first.title["en"] in report.summary["en"]
        assert first.title["zh-CN"] in report.summary["zh-CN"]
    else:
        assert report.summary["en"].startswith("No known problem")
    assert report.skipped_lines == 0
    assert report.warnings == []


def test_every_built_in_rule_has_a_corpus_log() -> None:
    found = {c for _, want in CASES for c in want["findings"]}  # type: ignore[attr-defined]
    assert {r.code for r in load_rules().rules} <= found


def test_every_format_has_a_corpus_log() -> None:
    from rtcdesk.logs.parsers.formats import FORMAT_LABELS

    assert set(FORMAT_LABELS) <= {want["format"] for _, want in CASES}  # type: ignore[index]


def test_gzip_gives_the_same_report() -> None:
    import gzip

    data = (CORPUS / "chromium_ice_dtls.log").read_bytes()
    plain = analyze_bytes(data, reference=REFERENCE)
    zipped = analyze_bytes(gzip.compress(data), reference=REFERENCE)
    assert [f.code for f in zipped.findings] == [f.code for f in plain.findings]
    assert zipped.lines == plain.lines


def test_utf16_windows_log_is_read() -> None:
    text = (CORPUS / "windows_permission.log").read_text(encoding="utf-8")
    report = analyze_bytes(text.encode("utf-16"), reference=REFERENCE)
    assert [f.code for f in report.findings] == ["permission.denied_windows", "device.busy"]


def test_finding_evidence_quotes_lines_and_windows() -> None:
    report = analyze_path(CORPUS / "web_ice_failed.cdp.jsonl", reference=REFERENCE)
    stuck = next(f for f in report.findings if f.code == "ice.stuck_checking")
    assert stuck.examples[0].line == 4
    assert "checking" in stuck.examples[0].text
    (window,) = stuck.windows
    assert window.end_ms - window.start_ms == 10_000
    assert report.timeline[0].text.startswith("javascript [rtc] createClient")
