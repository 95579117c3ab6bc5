"""The committed fixture set: short runs of the main presets for the diagnostics tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from rtcdesk.lab.presets import load_preset

# The presets in the committed set; each runs for the length its preset file gives.
FIXTURE_PRESETS: tuple[str, ...] = (
    "clean",
    "uplink-loss",
    "downlink-loss",
    "burst-loss",
    "high-jitter",
    "bandwidth-cap-300k",
    "blackout-5s",
    "blackout-8s",
    "ice-blocked",
    "mic-muted",
    "camera-stopped",
    "av-drift",
    "cpu-starved",
    "subway-4g",
    "congested-wifi",
    "cross-border-high-rtt",
)


def default_fixture_dir() -> Path:
    """``tests/fixtures/lab`` of the checkout this package lives in."""
    return Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "lab"


def regenerate(target: Path, *, only: list[str] | None = None) -> Iterator[str]:
    """Run each fixture preset into ``target``, keeping only dump and label; yield progress."""
    from rtcdesk.lab.runner import run_scenario

    target.mkdir(parents=True, exist_ok=True)
    names = only or list(FIXTURE_PRESETS)
    for name in names:
        result = run_scenario(load_preset(name), target)
        result.summary_path.unlink(missing_ok=True)
        verified = result.label["relay"].get("verified")
        size = result.dump_path.stat().st_size
        yield f"{name}: {size // 1024} KiB dump, relay verified={verified}"
    index = {
        p.name.removesuffix(".label.json"): json.loads(p.read_text())["expected_findings"]
        for p in sorted(target.glob("*.label.json"))
    }
    (target / "index.json").write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    yield f"wrote {len(index)} fixtures to {target}"
