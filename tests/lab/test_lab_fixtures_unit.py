"""The committed lab fixture set: complete, small, consistent, and showing its faults."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from rtcdesk.lab.dumpstats import kind_of, load_dump, series, state_changes
from rtcdesk.lab.findings import FINDING_CODES
from rtcdesk.lab.fixtures import FIXTURE_PRESETS, default_fixture_dir
from rtcdesk.lab.presets import load_preset
from rtcdesk.lab.summary import phase_stats, render_summary

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lab"


def _load(name: str) -> tuple[dict[str, Any], dict[str, Any], float]:
    label = json.loads((FIXTURES / f"{name}.label.json").read_text())
    dump = load_dump(FIXTURES / f"{name}.dump.json.gz")
    t0 = datetime.fromisoformat(label["started_at"]).timestamp() * 1000
    return label, dump["PeerConnections"][label["customer_pc"]], t0


def test_set_is_complete_and_small() -> None:
    assert default_fixture_dir() == FIXTURES
    for name in FIXTURE_PRESETS:
        assert (FIXTURES / f"{name}.dump.json.gz").is_file(), name
        assert (FIXTURES / f"{name}.label.json").is_file(), name
    total = sum(p.stat().st_size for p in FIXTURES.iterdir())
    assert total < 2_000_000
    index = json.loads((FIXTURES / "index.json").read_text())
    assert set(index) == set(FIXTURE_PRESETS)


@pytest.mark.parametrize("name", FIXTURE_PRESETS)
def test_label_matches_dump_and_preset(name: str) -> None:
    label, pc, _ = _load(name)
    assert label["version"] == 1
    assert label["scenario"] == name
    assert label["namespace"] is True
    assert label["relay"]["verified"] is True
    assert "/customer/" in pc["url"]
    assert set(label["expected_findings"]) <= set(FINDING_CODES)
    assert not set(label["expected_findings"]) & set(label["absent_findings"])
    preset = load_preset(name)
    assert label["duration_s"] == preset.duration_s
    assert len(label["impairments"]) == len(preset.impairments)
    text = render_summary(preset, label, pc, dump_name=f"{name}.dump.json.gz", dump_source="x")
    assert text.startswith(f"# Lab run: {name}")


def _phase(name: str, start_s: float) -> Any:
    _, pc, t0 = _load(name)
    return next(p for p in phase_stats(pc, load_preset(name), t0) if p.start_s == start_s)


def test_clean_call_has_no_loss() -> None:
    p = _phase("clean", 0)
    assert p.inbound_loss_pct is not None
    assert p.inbound_loss_pct < 0.5
    assert p.uplink_loss_pct is not None
    assert p.uplink_loss_pct < 0.5
    assert p.out_video_kbps is not None
    assert p.out_video_kbps > 800


def test_loss_fixtures_show_loss_in_the_right_direction() -> None:
    down, up = _phase("downlink-loss", 4), _phase("uplink-loss", 4)
    assert down.inbound_loss_pct > 4
    assert (down.uplink_loss_pct or 0) < 1
    assert up.uplink_loss_pct > 3
    assert (up.inbound_loss_pct or 0) < 1


def test_bandwidth_cap_fixture_is_bandwidth_limited() -> None:
    p = _phase("bandwidth-cap-300k", 6)
    assert p.limitation == "bandwidth"
    assert p.out_video_kbps < 450


def test_state_fixtures() -> None:
    _, pc, _ = _load("blackout-8s")
    states = [s for _, s in state_changes(pc)]
    assert "connected" in states[states.index("disconnected") :]
    _, pc, _ = _load("ice-blocked")
    assert "connected" not in [s for _, s in state_changes(pc)]
    assert [s for _, s in state_changes(pc, "onconnectionstatechange")][-1] == "failed"


def test_av_drift_fixture_delays_video_only() -> None:
    _, pc, _ = _load("av-drift")

    def per_item(kind: str) -> float:
        delay = sum(
            float(s.values[-1])
            for s in series(pc, "inbound-rtp", "jitterBufferDelay")
            if kind_of(pc, s.stats_id) == kind
        )
        count = sum(
            float(s.values[-1])
            for s in series(pc, "inbound-rtp", "jitterBufferEmittedCount")
            if kind_of(pc, s.stats_id) == kind
        )
        return delay / count

    assert per_item("video") > 0.8
    assert per_item("audio") < 0.2
