"""Table-driven rule tests: each synthetic scenario must raise its finding, in every format."""

from __future__ import annotations

import pytest
from rtcdiag_synth import ENCODERS, Call, to_internals

from rtcdesk.diagnostics.engine import diagnose_bytes
from rtcdesk.diagnostics.report import SEVERITY_RANK, Report

BLACKOUT_STATES = [(0.2, "checking"), (0.5, "connected"), (31, "disconnected"), (36.5, "connected")]
FAILED_STATES = [(0.2, "checking"), (30, "failed")]

# name -> (call, expected code, expected variant or None, minimum severity)
SCENARIOS: dict[str, tuple[Call, str, str | None, str]] = {
    "uplink_loss": (
        Call(segs={"up_loss_pct": [(20, 40, 8.0)]}),
        "network.uplink_loss",
        None,
        "warning",
    ),
    "downlink_loss": (
        Call(segs={"down_loss_pct": [(20, 40, 12.0)]}),
        "network.downlink_loss",
        None,
        "error",
    ),
    "jitter": (Call(segs={"jitter_ms": [(10, 50, 60.0)]}), "network.jitter", None, "warning"),
    "high_rtt": (Call(segs={"rtt_ms": [(10, 50, 450.0)]}), "network.high_rtt", None, "warning"),
    "bandwidth": (
        Call(segs={"ql_reason": [(15, 50, "bandwidth")], "aob_kbps": [(15, 50, 100.0)]}),
        "network.bandwidth_limited",
        None,
        "warning",
    ),
    "blackout": (
        Call(
            segs={"in_audio": [(30, 36, 0.0)], "in_video": [(30, 36, 0.0)]}, states=BLACKOUT_STATES
        ),
        "network.blackout",
        "recovered",
        "warning",
    ),
    "ice_udp_blocked": (
        Call(
            stats=False,
            local_candidates=["host"],
            states=FAILED_STATES,
            ice_errors=[("stun:stun.example.org:3478", 701)],
        ),
        "ice.failure",
        "udp_blocked",
        "critical",
    ),
    "ice_no_turn": (
        Call(stats=False, states=FAILED_STATES),
        "ice.failure",
        "no_relay_configured",
        "critical",
    ),
    "ice_turn_auth": (
        Call(
            stats=False,
            ice_servers=["stun:s.example.org", "turn:t.example.org"],
            ice_errors=[("turn:t.example.org:3478", 401)],
            states=FAILED_STATES,
        ),
        "ice.failure",
        "turn_auth_failed",
        "critical",
    ),
    "ice_turn_unreachable": (
        Call(
            stats=False,
            ice_servers=["turn:t.example.org"],
            ice_errors=[("turn:t.example.org:3478", 701)],
            states=FAILED_STATES,
        ),
        "ice.failure",
        "turn_unreachable",
        "critical",
    ),
    "ice_beyond_nat": (
        Call(
            stats=False,
            local_candidates=["host", "srflx", "relay"],
            ice_servers=["turn:t.example.org"],
            states=FAILED_STATES,
        ),
        "ice.failure",
        "beyond_nat",
        "critical",
    ),
    "ice_stuck_checking": (
        Call(stats=False, states=[(0.2, "checking"), (25, "checking")]),
        "ice.failure",
        None,
        "critical",
    ),
    "relay_tcp": (
        Call(candidate_type="relay", relay_protocol="tcp"),
        "ice.relay_in_use",
        "tcp",
        "warning",
    ),
    "relay_udp": (Call(candidate_type="relay"), "ice.relay_in_use", "udp", "info"),
    "cpu": (
        Call(segs={"ql_reason": [(15, 50, "cpu")], "send_height": [(15, 50, 270)]}),
        "cpu.sender_limited",
        None,
        "warning",
    ),
    "not_decoding": (
        Call(segs={"decoding": [(20, 40, 0.0)]}),
        "video.decoder_problem",
        "not_decoding",
        "error",
    ),
    "null_decoder": (
        Call(decoder="NullVideoDecoder"),
        "video.decoder_problem",
        "null_decoder",
        "error",
    ),
    "frames_dropped": (
        Call(segs={"drop_pct": [(20, 40, 30.0)]}),
        "video.decoder_problem",
        "frames_dropped",
        "warning",
    ),
    "res_sent": (
        Call(segs={"send_height": [(20, 50, 180.0)]}),
        "video.resolution_degraded",
        "sent",
        "warning",
    ),
    "res_received": (
        Call(segs={"recv_height": [(20, 50, 180.0)]}),
        "video.resolution_degraded",
        "received",
        "warning",
    ),
    "freeze": (Call(segs={"freeze_frac": [(20, 40, 0.4)]}), "video.freeze", None, "warning"),
    "stutter": (Call(segs={"conceal_pct": [(20, 40, 20.0)]}), "audio.stutter", None, "warning"),
    "mic_silent": (Call(segs={"mic_level": [(5, 60, 0.0)]}), "audio.mic_silent", None, "warning"),
    "no_inbound_audio": (
        Call(segs={"in_audio": [(20, 50, 0.0)]}),
        "audio.no_inbound_audio",
        "no_packets",
        "error",
    ),
    "silent_inbound_audio": (
        Call(in_audio_level=0.0),
        "audio.no_inbound_audio",
        "silent_packets",
        "warning",
    ),
    "camera_stopped": (
        Call(segs={"camera_fps": [(20, 61, 0.0)]}),
        "video.camera_stopped",
        None,
        "warning",
    ),
    "no_inbound_video": (
        Call(segs={"in_video": [(20, 50, 0.0)]}),
        "video.no_inbound_video",
        "stopped",
        "error",
    ),
    "one_way": (
        Call(segs={"in_audio": [(15, 61, 0.0)], "in_video": [(15, 61, 0.0)]}),
        "media.one_way",
        "outwards",
        "error",
    ),
    "av_desync": (Call(av_offset_ms=200), "sync.av_desync", None, "warning"),
    "echo_off": (
        Call(gum_audio={"echoCancellation": False}),
        "config.echo_control_disabled",
        "echo",
        "warning",
    ),
    "low_score": (Call(down_loss_pct=25.0), "quality.low_score", None, "warning"),
}

STATS_ONLY = {"echo_off"}  # constraints are not part of a raw getStats() series


def _codes(r: Report) -> dict[str, list[str | None]]:
    out: dict[str, list[str | None]] = {}
    for f in r.findings:
        out.setdefault(f.code, []).append(f.variant)
    return out


@pytest.mark.parametrize("encoder", ["internals", "internals-old", "jitsi", "v3", "getstats"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_raises_its_finding(name: str, encoder: str) -> None:
    call, code, variant, min_sev = SCENARIOS[name]
    if encoder == "getstats" and (
        not call.stats or name in STATS_ONLY or "ice" in name or name == "blackout"
    ):
        pytest.skip("raw getStats() series carry no events, config or constraints")
    report = diagnose_bytes(ENCODERS[encoder](call))
    found = [f for f in report.findings if f.code == code]
    assert found, f"{code} missing; got {_codes(report)}"
    if variant is not None:
        assert variant in [f.variant for f in found]
    assert max(f.rank for f in found) >= SEVERITY_RANK[min_sev]
    for f in found:
        assert f.title["en"]
        assert f.title["zh-CN"]
        assert f.cause["zh-CN"]
        assert f.fixes["zh-CN"]
        assert "{" not in f.cause["en"]
        assert f.evidence, "every finding carries evidence"


@pytest.mark.parametrize(
    "name",
    [
        "downlink_loss",
        "uplink_loss",
        "rtt",
        "cpu",
        "mic",
        "no_inbound_audio",
        "camera",
        "bandwidth",
    ],
)
def test_legacy_goog_dump_scenarios(name: str) -> None:
    call, code = {
        "downlink_loss": (SCENARIOS["downlink_loss"][0], "network.downlink_loss"),
        "uplink_loss": (SCENARIOS["uplink_loss"][0], "network.uplink_loss"),
        "rtt": (SCENARIOS["high_rtt"][0], "network.high_rtt"),
        "cpu": (SCENARIOS["cpu"][0], "cpu.sender_limited"),
        "mic": (SCENARIOS["mic_silent"][0], "audio.mic_silent"),
        "no_inbound_audio": (SCENARIOS["no_inbound_audio"][0], "audio.no_inbound_audio"),
        "camera": (SCENARIOS["camera_stopped"][0], "video.camera_stopped"),
        "bandwidth": (SCENARIOS["bandwidth"][0], "network.bandwidth_limited"),
    }[name]
    report = diagnose_bytes(to_internals(call, "legacy"))
    assert code in _codes(report)


@pytest.mark.parametrize("encoder", [*ENCODERS, "legacy"])
@pytest.mark.parametrize("duration", [20, 120])
def test_clean_call_reports_nothing_above_info(encoder: str, duration: int) -> None:
    call = Call(duration_s=duration)
    data = to_internals(call, "legacy") if encoder == "legacy" else ENCODERS[encoder](call)
    report = diagnose_bytes(data)
    assert [f.code for f in report.findings if f.rank > 0] == []
    assert report.scores.audio_mos is not None
    assert report.scores.audio_mos > 4.2
    assert report.suggested_category() == "consulting"
    assert report.suggested_tags() == []
    assert report.summary["en"].startswith("No problems found")


def test_single_sample_spike_is_not_a_finding() -> None:
    call = Call(
        segs={
            "down_loss_pct": [(20, 21, 50.0)],
            "rtt_ms": [(30, 31, 900.0)],
            "jitter_ms": [(40, 42, 200.0)],
        }
    )
    report = diagnose_bytes(to_internals(call))
    assert [f.code for f in report.findings if f.rank > 0] == []


def test_findings_are_sorted_and_windows_located() -> None:
    call = Call(segs={"down_loss_pct": [(20, 40, 12.0)], "up_loss_pct": [(45, 55, 5.0)]})
    report = diagnose_bytes(to_internals(call))
    ranks = [f.rank for f in report.findings]
    assert ranks == sorted(ranks, reverse=True)
    f = next(f for f in report.findings if f.code == "network.downlink_loss")
    assert len(f.windows) == 1
    start = (f.windows[0].start_ms - report.start_ms) / 1000
    end = (f.windows[0].end_ms - report.start_ms) / 1000
    assert 17 <= start <= 21
    assert 37 <= end <= 41
    assert report.top_findings(1)[0].code == "network.downlink_loss"
    assert report.suggested_category() == "troubleshooting"
    assert "downlink-loss" in report.suggested_tags()


def test_counter_reset_is_not_counted_as_loss() -> None:
    call = Call(duration_s=30)
    import json

    doc = json.loads(to_internals(call))
    stats = doc["PeerConnections"]["1234-1"]["stats"]
    for prop in ("packetsReceived", "packetsLost", "bytesReceived"):
        entry = stats[f"IT01A333-{prop}"]
        vals = json.loads(entry["values"])
        half = len(vals) // 2
        entry["values"] = json.dumps(vals[:half] + [v - vals[half - 1] for v in vals[half:]])
    report = diagnose_bytes(json.dumps(doc).encode())
    assert [f.code for f in report.findings if f.rank > 0] == []
