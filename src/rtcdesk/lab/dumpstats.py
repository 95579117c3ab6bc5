"""Read time series out of a webrtc-internals dump (just enough for lab summaries and tests)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Series:
    """One stats property of one stats object over time (timestamps in epoch ms)."""

    stats_id: str
    stats_type: str
    prop: str
    times: tuple[float, ...]
    values: tuple[Any, ...]

    def between(self, start_ms: float, end_ms: float) -> list[tuple[float, Any]]:
        """Samples with ``start_ms <= t < end_ms``."""
        return [
            (t, v) for t, v in zip(self.times, self.values, strict=False) if start_ms <= t < end_ms
        ]


def load_dump(path: Path) -> dict[str, Any]:
    """Load a dump, gzip-compressed or not."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    data: dict[str, Any] = json.loads(raw)
    return data


def _iso_ms(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000


def series(pc: dict[str, Any], stats_type: str, prop: str) -> list[Series]:
    """Every ``<id>-<prop>`` series of the given stats type in one PeerConnection."""
    stats: dict[str, Any] = pc.get("stats", {})
    out: list[Series] = []
    suffix = f"-{prop}"
    for key, entry in stats.items():
        if not key.endswith(suffix) or entry.get("statsType") != stats_type:
            continue
        stats_id = key[: -len(suffix)]
        values = json.loads(entry["values"])
        times = _times(stats, stats_id, entry, len(values))
        out.append(Series(stats_id, stats_type, prop, tuple(times), tuple(values)))
    return out


def _times(stats: dict[str, Any], stats_id: str, entry: dict[str, Any], n: int) -> list[float]:
    stamp = stats.get(f"{stats_id}-timestamp")
    if stamp is not None:
        times = [float(t) for t in json.loads(stamp["values"])]
        if len(times) >= n:
            return times[-n:]
    # Older dumps: samples one second apart, ending at endTime.
    end = _iso_ms(entry["endTime"])
    return [end - 1000.0 * (n - 1 - i) for i in range(n)]


def value_of(pc: dict[str, Any], stats_id: str, prop: str) -> Any:
    """The last recorded value of one property of one stats object, or None."""
    entry = pc.get("stats", {}).get(f"{stats_id}-{prop}")
    if entry is None:
        return None
    values = json.loads(entry["values"])
    return values[-1] if values else None


def kind_of(pc: dict[str, Any], stats_id: str) -> str | None:
    """The ``kind`` (audio/video) of an RTP stats object."""
    kind = value_of(pc, stats_id, "kind")
    return str(kind) if kind is not None else None


def state_changes(
    pc: dict[str, Any], event: str = "oniceconnectionstatechange"
) -> list[tuple[float, str]]:
    """(epoch ms, state) for each state-change entry of that type in the update log."""
    out: list[tuple[float, str]] = []
    for entry in pc.get("updateLog", []):
        if entry.get("type") != event:
            continue
        value = str(entry.get("value", "")).strip('"')
        stamp = entry.get("timestamp")
        if isinstance(stamp, int | float):
            out.append((float(stamp), value))
        elif isinstance(entry.get("time"), str):
            out.append((_iso_ms(entry["time"]), value))
    return out


def delta(samples: list[tuple[float, Any]]) -> float:
    """Increase of a cumulative counter across samples (0 when fewer than two)."""
    nums = [float(v) for _, v in samples if isinstance(v, int | float)]
    return nums[-1] - nums[0] if len(nums) >= 2 else 0.0


def mean(samples: list[tuple[float, Any]]) -> float | None:
    """Mean of the numeric samples, or None."""
    nums = [float(v) for _, v in samples if isinstance(v, int | float)]
    return sum(nums) / len(nums) if nums else None
