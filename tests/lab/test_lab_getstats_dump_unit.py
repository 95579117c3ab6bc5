"""The getStats fallback builds series in the webrtc-internals layout."""

from __future__ import annotations

import json

from rtcdesk.lab.dumpstats import series
from rtcdesk.lab.getstats_dump import FALLBACK_PC_KEY, dump_from_history, stats_series


def _report(t: float, lost: int, quality: dict[str, float] | None = None) -> dict:
    r = {
        "id": "IT01V1",
        "type": "inbound-rtp",
        "timestamp": t,
        "kind": "video",
        "packetsLost": lost,
    }
    if quality is not None:
        r["qualityLimitationDurations"] = quality
    return r


def test_series_per_property_with_timestamps() -> None:
    samples = [
        {"t": 1_000.0, "reports": [_report(1_000.0, 0)]},
        {"t": 2_000.0, "reports": [_report(2_000.0, 5, {"cpu": 0.5})]},
    ]
    stats = stats_series(samples)
    assert set(stats) == {
        "IT01V1-timestamp",
        "IT01V1-kind",
        "IT01V1-packetsLost",
        "IT01V1-qualityLimitationDurations",
    }
    lost = stats["IT01V1-packetsLost"]
    assert lost["statsType"] == "inbound-rtp"
    assert json.loads(lost["values"]) == [0, 5]
    assert lost["startTime"] == "1970-01-01T00:00:01.000Z"
    assert lost["endTime"] == "1970-01-01T00:00:02.000Z"
    assert json.loads(stats["IT01V1-qualityLimitationDurations"]["values"]) == [{"cpu": 0.5}]


def test_whole_dump_reads_back_with_dumpstats() -> None:
    history = {
        "url": "http://127.0.0.1:9/customer/call.html",
        "updateLog": [
            {"type": "oniceconnectionstatechange", "value": '"connected"', "timestamp": 1_000.0}
        ],
        "samples": [
            {"t": float(t), "reports": [_report(float(t), t // 100)]} for t in (1_000, 2_000, 3_000)
        ],
        "userAgent": "UA",
    }
    dump = dump_from_history(history)
    pc = dump["PeerConnections"][FALLBACK_PC_KEY]
    assert dump["UserAgent"] == "UA"
    assert dump["getUserMedia"][0]["origin"] == "http://127.0.0.1:9"
    (s,) = series(pc, "inbound-rtp", "packetsLost")
    assert s.times == (1_000.0, 2_000.0, 3_000.0)
    assert s.values == (10, 20, 30)
