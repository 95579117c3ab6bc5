"""Shared helpers for the lab tests: run a scenario once and read the customer's stats."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from rtcdesk.lab.dumpstats import kind_of, load_dump, series, state_changes
from rtcdesk.lab.runner import LabResult, run_scenario
from rtcdesk.lab.scenario import parse_scenario


class Run:
    """A finished lab run with its customer PeerConnection at hand."""

    def __init__(self, result: LabResult) -> None:
        self.result = result
        self.label: dict[str, Any] = json.loads(result.label_path.read_text())
        self.dump = load_dump(result.dump_path)
        self.pc: dict[str, Any] = self.dump["PeerConnections"][self.label["customer_pc"]]
        self.t0 = datetime.fromisoformat(self.label["started_at"]).timestamp() * 1000

    def counter(
        self, stats_type: str, prop: str, kind: str | None, start_s: float, end_s: float
    ) -> float:
        """Sum over matching stats objects of a counter's increase within [start, end) s."""
        total = 0.0
        for s in series(self.pc, stats_type, prop):
            if kind is not None and kind_of(self.pc, s.stats_id) != kind:
                continue
            samples = s.between(self.t0 + start_s * 1000, self.t0 + end_s * 1000)
            nums = [float(v) for _, v in samples]
            if len(nums) >= 2:
                total += nums[-1] - nums[0]
        return total

    def values(
        self,
        stats_type: str,
        prop: str,
        kind: str | None = None,
        start_s: float = 0,
        end_s: float = 1e9,
    ) -> list[Any]:
        """All samples of a property (across matching stats objects) in [start, end) s."""
        out: list[Any] = []
        for s in series(self.pc, stats_type, prop):
            if kind is None or kind_of(self.pc, s.stats_id) == kind:
                out += [v for _, v in s.between(self.t0 + start_s * 1000, self.t0 + end_s * 1000)]
        return out

    def states(self, event: str = "oniceconnectionstatechange") -> list[str]:
        """The sequence of states in the customer's update log."""
        return [s for _, s in state_changes(self.pc, event)]


@pytest.fixture
def lab_call(tmp_path: Path) -> Callable[..., Run]:
    """Run a YAML scenario and check the invariants every run must keep."""
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("the weak-network lab needs Chromium at /usr/bin/chromium (Debian chromium)")
    return lambda text, **kw: _run(text, tmp_path, **kw)


def _run(text: str, tmp_path: Path, **kw: Any) -> Run:
    result = run_scenario(parse_scenario(text), tmp_path, **kw)
    r = Run(result)
    assert r.label["version"] == 1
    assert r.label["customer_pc"] in r.dump["PeerConnections"]
    assert all("/customer/" in pc["url"] for pc in r.dump["PeerConnections"].values())
    assert r.label["dump_source"].startswith(
        "getStats" if kw.get("dump_from") == "getstats" else "chrome://webrtc-internals"
    )
    assert r.label["relay"]["verified"], r.label["relay"]["check"]
    if os.geteuid() == 0:
        assert r.label["namespace"] is True
    assert result.summary_path.read_text().startswith("# Lab run:")
    return r
