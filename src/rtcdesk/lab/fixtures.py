"""The committed fixture set: short runs of the main presets for the diagnostics tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from rtcdesk.lab.findings import derive_expected
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
    yield from write_index(target)


def relabel(target: Path) -> Iterator[str]:
    """Recompute expected/absent findings of existing labels from the current rules."""
    for path in sorted(target.glob("*.label.json")):
        label = json.loads(path.read_text(encoding="utf-8"))
        expected, absent = derive_expected(load_preset(label["scenario"]))
        if (expected, absent) != (label["expected_findings"], label["absent_findings"]):
            label["expected_findings"], label["absent_findings"] = expected, absent
            path.write_text(json.dumps(label, indent=2) + "\n", encoding="utf-8")
            yield f"{label['scenario']}: findings updated"
    yield from write_index(target)


def write_index(target: Path) -> Iterator[str]:
    """Write ``index.json``: preset name -> expected findings."""
    index = {
        p.name.removesuffix(".label.json"): json.loads(p.read_text())["expected_findings"]
        for p in sorted(target.glob("*.label.json"))
    }
    (target / "index.json").write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    yield f"wrote {len(index)} fixtures to {target}"
