"""Raw getStats() time series logged by applications themselves.

Accepted shapes: a JSON array of snapshots, ``{"stats": [...]}`` (optionally with
``peerConnections``-style keys), or JSON Lines with one snapshot per line. A snapshot is
a list of report objects or an object mapping id -> report; each report should carry
``timestamp`` (ms), else the snapshot's ``timestamp``, else 1 s spacing is assumed.
"""

from __future__ import annotations

from typing import Any

import msgspec
import orjson

from rtcdesk.core.errors import InvalidInput
from rtcdesk.diagnostics.model import Dump
from rtcdesk.diagnostics.parsers.common import UNNAMED, Progress, parse_time
from rtcdesk.diagnostics.parsers.snapshots import SnapshotAccumulator

DEFAULT_PC = "pc"


def parse_getstats(text: bytes, progress: Progress | None = None) -> Dump:
    """Parse a raw getStats() time series (JSON array, wrapped object or JSONL)."""
    dump = Dump(format="getstats")
    snapshots = _snapshots(text, dump)
    acc = SnapshotAccumulator()
    n = len(snapshots) or 1
    for i, snap in enumerate(snapshots):
        pc_id = DEFAULT_PC
        default_ts = 1000.0 * i
        if isinstance(snap, dict) and isinstance(snap.get("stats"), list | dict):
            pcv = snap.get("pc", snap.get("peerConnection", snap.get("pcId")))
            pc_id = str(pcv) if isinstance(pcv, str | int) else DEFAULT_PC
            default_ts = parse_time(snap.get("timestamp")) or default_ts
            snap = snap["stats"]
        if isinstance(snap, list):
            for j, report in enumerate(snap):
                if not isinstance(report, dict):
                    continue
                ts = parse_time(report.get("timestamp"))
                sid = report.get("id")
                acc.add_report(
                    pc_id,
                    str(sid) if isinstance(sid, str | int) else f"report{j}",
                    report,
                    ts if ts is not None and ts > 0 else default_ts,
                )
        elif isinstance(snap, dict):
            acc.add_snapshot(pc_id, snap, default_ts)
        else:
            dump.warnings.append(f"snapshot {i} is neither a list nor an object; skipped.")
        if progress is not None and i % 200 == 0:
            progress(0.8 * i / n)
    acc.build_into(dump)
    if not any(pc.stats for pc in dump.peer_connections.values()):
        raise InvalidInput(
            "{name} is a getStats() series without any stats reports.", params={"name": UNNAMED}
        )
    return dump


def _snapshots(text: bytes, dump: Dump) -> list[Any]:
    try:
        doc = msgspec.json.decode(text)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        return _jsonl(text, dump, str(exc))
    if isinstance(doc, dict):
        stats = doc.get("stats", doc.get("snapshots"))
        if isinstance(stats, list):
            return stats
        if all(isinstance(v, dict) and "type" in v for v in doc.values()):
            return [doc]  # a single snapshot
        raise InvalidInput(
            "{name} is not a getStats() series: expected a JSON array of snapshots or an "
            "object with a 'stats' array.",
            params={"name": UNNAMED},
        )
    if isinstance(doc, list):
        if doc and all(isinstance(r, dict) and "type" in r and "stats" not in r for r in doc):
            return [doc]  # one snapshot as a list of reports
        return doc
    raise InvalidInput(
        "{name} is not a getStats() series: expected a JSON array of snapshots.",
        params={"name": UNNAMED},
    )


def _jsonl(text: bytes, dump: Dump, whole_error: str) -> list[Any]:
    out: list[Any] = []
    bad = 0
    lines = text.split(b"\n")
    for i, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        try:
            out.append(orjson.loads(line))
        except orjson.JSONDecodeError as exc:
            bad += 1
            if bad <= 5:
                dump.warnings.append(f"line {i}: not valid JSON ({exc.msg}); skipped.")
    if not out or (bad and len(lines) <= 2):
        raise InvalidInput(
            "{name} is not valid JSON or JSON Lines ({reason}).",
            params={"name": UNNAMED, "reason": whole_error},
        )
    if bad > 5:
        dump.warnings.append(f"{bad} malformed lines in all were skipped.")
    return out
