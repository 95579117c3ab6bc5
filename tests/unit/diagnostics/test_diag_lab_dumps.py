"""Real Chromium dumps from the weak-network lab, checked against their ground truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rtcdesk.diagnostics.engine import diagnose_path
from rtcdesk.diagnostics.render import render

LAB = Path(__file__).resolve().parents[2] / "fixtures" / "lab"
LABELS = sorted(LAB.glob("*.label.json")) if LAB.is_dir() else []


def _dump_for(label: Path) -> Path:
    return label.with_name(label.name.removesuffix(".label.json") + ".dump.json.gz")


@pytest.mark.skipif(
    not LABELS, reason=f"no lab dumps in {LAB} yet (the weak-network lab adds them)"
)
@pytest.mark.parametrize("label", LABELS, ids=[p.name.removesuffix(".label.json") for p in LABELS])
def test_lab_dump_matches_ground_truth(label: Path) -> None:
    truth = json.loads(label.read_text(encoding="utf-8"))
    dump = _dump_for(label)
    if not dump.exists():
        pytest.skip(f"{dump.name} is missing")
    report = diagnose_path(dump)
    codes = {f.code for f in report.findings}
    summary = [(f.code, f.severity, f.variant) for f in report.findings]
    missing = [c for c in truth.get("expected_findings", []) if c not in codes]
    unexpected = [c for c in truth.get("absent_findings", []) if c in codes]
    assert not missing, f"expected {missing}; got {summary}"
    assert not unexpected, f"must be absent: {unexpected}; got {summary}"
    for fmt in ("json", "md", "html"):
        for lang in ("en", "zh-CN"):
            assert render(report, fmt, lang)  # type: ignore[arg-type]
