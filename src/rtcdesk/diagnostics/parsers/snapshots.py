"""Accumulate whole getStats() snapshots into per-property series.

Used by the formats that record complete (or delta-decompressed) stats reports per
tick: both rtcstats line formats and raw getStats() JSON.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rtcdesk.diagnostics.model import Dump, StatsObject
from rtcdesk.diagnostics.parsers.common import flatten_report, parse_time, to_series

_SKIP = frozenset({"id", "type", "timestamp"})


class SnapshotAccumulator:
    """Collects (timestamp, value) pairs per pc/stats-id/property, then builds Series."""

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], dict[str, tuple[list[float], list[Any]]]] = {}
        self._types: dict[tuple[str, str], str] = {}
        self._last_ts: dict[tuple[str, str], float] = {}

    def add_report(self, pc_id: str, stats_id: str, report: dict[str, Any], ts: float) -> None:
        """Record one stats report taken at ``ts`` (ms)."""
        key = (pc_id, stats_id)
        if self._last_ts.get(key) == ts:
            return  # the same report again (not refreshed since the last snapshot)
        self._last_ts[key] = ts
        t = report.get("type")
        if isinstance(t, str):
            self._types[key] = t
        props = self._data.setdefault(key, {})
        for name, value in flatten_report(report):
            if name in _SKIP:
                continue
            cols = props.get(name)
            if cols is None:
                cols = props[name] = ([], [])
            cols[0].append(ts)
            cols[1].append(value)

    def add_snapshot(self, pc_id: str, snapshot: dict[str, Any], default_ts: float) -> None:
        """Record a map id -> report; each report's own timestamp wins over ``default_ts``."""
        for sid, report in snapshot.items():
            if not isinstance(report, dict):
                continue
            ts = parse_time(report.get("timestamp"))
            if ts is None or ts <= 0:
                ts = default_ts
            self.add_report(pc_id, str(report.get("id", sid)), report, ts)

    def build_into(self, dump: Dump) -> None:
        """Convert the collected values into numpy Series on ``dump``."""
        for (pc_id, sid), props in self._data.items():
            pc = dump.pc(pc_id)
            obj = pc.stats.get(sid)
            if obj is None:
                obj = pc.stats[sid] = StatsObject(id=sid, type=self._types.get((pc_id, sid), ""))
            for name, (ts, vals) in props.items():
                tarr = np.asarray(ts, dtype=np.float64)
                order = np.argsort(tarr, kind="stable")
                if len(order) > 1 and np.any(np.diff(order) < 0):
                    tarr = tarr[order]
                    vals = [vals[i] for i in order]
                s = to_series(tarr, vals)
                if s is not None:
                    obj.props[name] = s
        self._data.clear()
