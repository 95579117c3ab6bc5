"""Build a webrtc-internals-format dump from the page's own getStats samples (fallback).

Used only when Chromium's chrome://webrtc-internals dump cannot be downloaded. The
result has the same shape (top-level ``getUserMedia``/``PeerConnections``/``UserAgent``,
``"<id>-<prop>"`` series with ``startTime``/``endTime``/``statsType``/``values`` and a
``-timestamp`` series per stats object) but lacks Chrome's computed ``[...]`` columns, a
real ``pid`` and the renderer's own update-log entries (the page records its own).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

FALLBACK_PC_KEY = "1-1"
_SKIP = {"id", "type"}


def _iso(ms: float) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


def stats_series(samples: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Flatten ``[{t, reports: [RTCStats...]}]`` into webrtc-internals ``stats`` entries."""
    collected: dict[str, tuple[str, list[float], list[Any]]] = {}
    for sample in samples:
        t = float(sample["t"])
        for report in sample["reports"]:
            for prop, value in report.items():
                if prop in _SKIP:
                    continue
                key = f"{report['id']}-{prop}"
                entry = collected.setdefault(key, (str(report["type"]), [], []))
                entry[1].append(t)
                entry[2].append(value)
    return {
        key: {
            "startTime": _iso(times[0]),
            "endTime": _iso(times[-1]),
            "statsType": stats_type,
            "values": json.dumps(values, separators=(",", ":")),
        }
        for key, (stats_type, times, values) in collected.items()
    }


def dump_from_history(history: dict[str, Any]) -> dict[str, Any]:
    """A whole dump of the customer's one PeerConnection from ``lab.history()``."""
    url = str(history.get("url", ""))
    log: list[dict[str, Any]] = list(history.get("updateLog", []))
    first = float(log[0]["timestamp"]) if log else 0.0
    return {
        "getUserMedia": [
            {
                "request_type": "getUserMedia",
                "url": url,
                "origin": url.split("/customer/")[0],
                "audio": "",
                "video": "",
                "timestamp": first,
            }
        ],
        "PeerConnections": {
            FALLBACK_PC_KEY: {
                "pid": 0,
                "url": url,
                "rtcConfiguration": str(history.get("rtcConfiguration", "{}")),
                "constraints": "",
                "updateLog": log,
                "stats": stats_series(list(history.get("samples", []))),
            }
        },
        "UserAgent": str(history.get("userAgent", "")),
    }
