"""Each dump format parses into the same time-series model."""

from __future__ import annotations

import json

import numpy as np
import pytest
from rtcdiag_synth import ENCODERS, T0, Call, gz, to_getstats, to_internals

from rtcdesk.diagnostics.engine import sniff
from rtcdesk.diagnostics.parsers.common import decompress
from rtcdesk.diagnostics.parsers.detect import detect, parse

FORMATS = {
    "internals": "webrtc-internals",
    "internals-old": "webrtc-internals",
    "jitsi": "rtcstats-jitsi",
    "v3": "rtcstats-v3",
    "getstats": "getstats",
}


@pytest.mark.parametrize(("encoder", "fmt"), FORMATS.items())
@pytest.mark.parametrize("gzipped", [False, True])
def test_detect_and_parse_every_format(encoder: str, fmt: str, gzipped: bool) -> None:
    data = ENCODERS[encoder](Call(duration_s=20))
    if gzipped:
        data = gz(data)
    assert sniff(data, "dump.txt") == fmt
    text, warnings = decompress(data)
    assert warnings == []
    dump = parse(text, fmt)
    assert len(dump.peer_connections) == 1
    pc = next(iter(dump.peer_connections.values()))
    inbound = [o for o in pc.stats.values() if o.type == "inbound-rtp"]
    assert len(inbound) == 2
    audio = next(o for o in inbound if o.text("kind") == "audio")
    s = audio.num("packetsReceived")
    assert s is not None
    assert len(s) == 20
    assert np.all(np.diff(s.ts) == 1000.0)
    assert s.ts[0] == pytest.approx(T0 + 1000.0)
    assert s.values[-1] == pytest.approx(1000.0)  # 50 packets/s for 20 s


def test_current_internals_keeps_stats_type_and_quoted_states() -> None:
    dump = parse(to_internals(Call(duration_s=5)), "webrtc-internals")
    pc = dump.peer_connections["1234-1"]
    assert pc.stats["CPa_b"].type == "candidate-pair"
    states = [e.value for e in pc.events if e.type == "iceconnectionstatechange"]
    assert states == ["checking", "connected"]  # JSON-quoted in the dump
    assert pc.config.ice_servers == ["stun:stun.example.org:3478"]
    assert pc.config.ice_transport_policy == "all"
    assert "qualityLimitationDurations.bandwidth" in pc.stats["OT01V222"].props


def test_old_internals_infers_types_and_one_second_spacing() -> None:
    dump = parse(to_internals(Call(duration_s=5), "old"), "webrtc-internals")
    pc = dump.peer_connections["1234-1"]
    obj = pc.stats["RTCInboundRTPVideoStream_444"]
    assert obj.type == "inbound-rtp"
    s = obj.num("framesDecoded")
    assert s is not None
    assert list(np.diff(s.ts)) == [1000.0] * 4
    assert any(e.type == "iceconnectionstatechange" for e in pc.events)  # camelCase, ISO time


def test_legacy_goog_maps_to_standard_names() -> None:
    dump = parse(to_internals(Call(duration_s=10), "legacy"), "webrtc-internals")
    assert dump.format == "webrtc-internals-legacy"
    pc = dump.peer_connections["1234-1"]
    inb = pc.stats["IT-ssrc_333_recv"]
    assert inb.type == "inbound-rtp"
    assert inb.text("kind") == "audio"
    jitter = inb.num("jitter")
    assert jitter is not None
    assert jitter.values[0] == pytest.approx(0.004)  # googJitterReceived is in ms
    pair = pc.stats["CP-Conn-audio-1-0"]
    rtt = pair.num("currentRoundTripTime")
    assert rtt is not None
    assert rtt.values[0] == pytest.approx(0.04)
    assert pair.num("availableOutgoingBitrate") is not None


def test_jitsi_delta_compression_and_removed_ids() -> None:
    lines = [
        ["connectionInfo", None, json.dumps({"userAgent": "UA", "clientProtocol": "3.1"}), 0],
        [
            "getstats",
            "PC_0",
            {
                "A": {"type": "inbound-rtp", "kind": "audio", "packetsReceived": 1, "timestamp": 0},
                "B": {"type": "codec", "timestamp": 0},
                "timestamp": 1000,
            },
            1000,
        ],
        [
            "getstats",
            "PC_0",
            {"A": {"packetsReceived": 2, "timestamp": 0}, "timestamp": 2000},
            2000,
        ],
        ["getstats", "PC_0", {"A": {"timestamp": 0}, "timestamp": 3000}, 3000],
    ]
    text = "\n".join(json.dumps(x) for x in lines).encode()
    dump = parse(text, "rtcstats-jitsi")
    assert dump.user_agent == "UA"
    pc = dump.peer_connections["PC_0"]
    s = pc.stats["A"].num("packetsReceived")
    assert s is not None
    assert list(s.ts) == [1000.0, 2000.0, 3000.0]
    assert list(s.values) == [1.0, 2.0, 2.0]  # unchanged values are carried forward
    assert pc.stats["A"].type == "inbound-rtp"


def test_v3_decompresses_methods_properties_types_and_delta_times() -> None:
    text = b"\n".join(
        [
            b"RTCStatsDump",
            json.dumps({"fileFormat": 3}).encode(),
            json.dumps([39, "1", {"iceServers": [{"urls": "turn:t.example.org"}]}, 5000]).encode(),
            json.dumps(
                ["g", "1", {"0": {"type": 1, "11": "video", "14": 10}, "t": 5000}, 0]
            ).encode(),
            json.dumps(["g", "1", {"0": {"14": 40}, "t": 6000}, 1000]).encode(),
            json.dumps([24, "1", "connected", 10]).encode(),
        ]
    )
    dump = parse(text, "rtcstats-v3")
    pc = dump.peer_connections["1"]
    assert pc.config.has_turn
    obj = pc.stats["0"]
    assert obj.type == "inbound-rtp"
    assert obj.text("kind") == "video"
    s = obj.num("packetsReceived")
    assert s is not None
    assert list(s.ts) == [5000.0, 6000.0]
    assert list(s.values) == [10.0, 40.0]
    assert pc.events[0].type == "iceconnectionstatechange"
    assert pc.events[0].ts == 6010.0


@pytest.mark.parametrize("shape", ["list", "map", "wrapped", "jsonl"])
def test_getstats_shapes(shape: str) -> None:
    data = to_getstats(Call(duration_s=8), shape)
    assert detect(data) == "getstats"
    dump = parse(data, "getstats")
    pc = next(iter(dump.peer_connections.values()))
    s = pc.stats["IT01V444"].num("framesDecoded")
    assert s is not None
    assert len(s) == 8


def test_getstats_without_timestamps_assumes_one_second() -> None:
    snaps = [
        [{"id": "X", "type": "inbound-rtp", "kind": "audio", "packetsReceived": i * 50}]
        for i in range(5)
    ]
    dump = parse(json.dumps(snaps).encode(), "getstats")
    s = dump.peer_connections["pc"].stats["X"].num("packetsReceived")
    assert s is not None
    assert list(s.ts) == [0.0, 1000.0, 2000.0, 3000.0, 4000.0]


@pytest.mark.parametrize(
    "data",
    [b"", b"hello world", b"%PDF-1.4", b"<html></html>", b"[1,2,3]", b'{"a": 1}', b"\x1f\x8b"],
)
def test_sniff_rejects_non_dumps(data: bytes) -> None:
    assert sniff(data, "x.bin") is None


def test_rtc_configuration_as_json_string() -> None:
    doc = json.loads(to_internals(Call(duration_s=5)))
    doc["PeerConnections"]["1234-1"]["rtcConfiguration"] = json.dumps(
        {"iceServers": [{"urls": ["turn:t.example.org:443?transport=tcp"]}],
         "iceTransportPolicy": "relay", "bundlePolicy": "max-bundle"}
    )  # fmt: skip
    dump = parse(json.dumps(doc).encode(), "webrtc-internals")
    cfg = dump.peer_connections["1234-1"].config
    assert cfg.ice_servers == ["turn:t.example.org:443?transport=tcp"]
    assert cfg.ice_transport_policy == "relay"
    assert cfg.has_turn


def test_computed_columns_are_skipped_but_codec_kept() -> None:
    doc = json.loads(to_internals(Call(duration_s=5)))
    stats = doc["PeerConnections"]["1234-1"]["stats"]
    base = stats["IT01V444-framesDecoded"]
    stats["IT01V444-[framesReceived-framesDecoded-framesDropped]"] = dict(base)
    stats["IT01V444-[codec]"] = dict(base, values=json.dumps(["VP8 (96)"] * 5))
    dump = parse(json.dumps(doc).encode(), "webrtc-internals")
    obj = dump.peer_connections["1234-1"].stats["IT01V444"]
    assert obj.text("[codec]") == "VP8 (96)"
    assert "[framesReceived-framesDecoded-framesDropped]" not in obj.props
