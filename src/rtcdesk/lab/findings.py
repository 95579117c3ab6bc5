"""Finding codes shared with the diagnostics engine, and the ground truth a scenario implies."""

from __future__ import annotations

from rtcdesk.lab.scenario import Phase, Scenario

FINDING_CODES: tuple[str, ...] = (
    "network.uplink_loss",
    "network.downlink_loss",
    "network.jitter",
    "network.high_rtt",
    "network.bandwidth_limited",
    "network.blackout",
    "ice.failure",
    "ice.relay_in_use",
    "cpu.sender_limited",
    "video.decoder_problem",
    "video.resolution_degraded",
    "video.freeze",
    "audio.stutter",
    "audio.mic_silent",
    "audio.no_inbound_audio",
    "video.camera_stopped",
    "video.no_inbound_video",
    "media.one_way",
    "sync.av_desync",
    "config.echo_control_disabled",
    "quality.low_score",
)

# What a clean call must not show: everything about the network and the media.
CLEAN_ABSENT: tuple[str, ...] = tuple(
    c for c in FINDING_CODES if c.split(".")[0] in {"network", "video", "audio", "ice", "media"}
)

_LOSS_THRESHOLD = 0.02  # below 2 % average loss we do not promise a finding
_JITTER_MS = 30.0
_RTT_MS = 300.0  # round trip; one-way delays add up across both directions
_FREEZE_OUTAGE_S = 2.0  # an outage this long always freezes the received video


def derive_expected(scenario: Scenario) -> tuple[list[str], list[str]]:
    """Expected and absent finding codes for a scenario, unless it names them itself."""
    expected: set[str] = set()
    rtt_ms = 0.0
    for ph in scenario.impairments:
        expected |= _network_codes(ph, scenario.duration_s)
        if ph.kind == "delay":
            rtt_ms += float(ph.params["ms"])
    if rtt_ms >= _RTT_MS:
        expected.add("network.high_rtt")
    for ph in scenario.app_faults:
        expected |= {
            "mic_muted": {"audio.mic_silent"},
            "camera_stopped": {"video.camera_stopped"},
            "av_drift": {"sync.av_desync"},
            "cpu_starvation": {"cpu.sender_limited"},
        }[ph.kind]
    if any(ph.kind == "block" and ph.start_s == 0 for ph in scenario.impairments):
        expected = {"ice.failure"}
    if scenario.expected_findings is not None:
        expected = set(scenario.expected_findings)
    if scenario.absent_findings is not None:
        absent = set(scenario.absent_findings)
    elif not scenario.impairments and not scenario.app_faults:
        absent = set(CLEAN_ABSENT)
    else:
        absent = {"ice.failure", "ice.relay_in_use"} - expected
        absent |= _untouched(scenario) - expected
    return _ordered(expected), _ordered(absent - expected)


def _network_codes(ph: Phase, duration: float) -> set[str]:
    up = ph.direction == "uplink"
    if ph.kind in ("loss", "burst_loss"):
        if ph.kind == "loss":
            rate = float(ph.params["rate"])
        else:
            p, r = float(ph.params["p"]), float(ph.params["r"])
            bad = p / (p + r)
            rate = bad * float(ph.params["loss_bad"]) + (1 - bad) * float(ph.params["loss_good"])
        if rate >= _LOSS_THRESHOLD:
            return {"network.uplink_loss" if up else "network.downlink_loss"}
    if ph.kind == "jitter" and float(ph.params["ms"]) >= _JITTER_MS and not up:
        return {"network.jitter"}  # jitter is measured on what the customer receives
    if ph.kind == "bandwidth" and up and float(ph.params["kbps"]) <= 1_000:
        return {"network.bandwidth_limited"}
    if ph.kind in ("blackout", "block") and ph.start_s > 0:
        long_enough = ph.end_s is None or ph.end_s - ph.start_s >= _FREEZE_OUTAGE_S
        return {"network.blackout", "video.freeze"} if long_enough else {"network.blackout"}
    return set()


def _untouched(scenario: Scenario) -> set[str]:
    """Codes about things the scenario leaves alone, so a diagnosis must not raise them."""
    kinds = {(ph.kind, ph.direction) for ph in scenario.impairments}
    faults = {ph.kind for ph in scenario.app_faults}
    absent: set[str] = set()
    # A full drop-tail queue loses packets too, so a bandwidth cap may show up as loss.
    if not any(k[0] in ("loss", "burst_loss", "blackout", "block", "bandwidth") for k in kinds):
        absent |= {"network.uplink_loss", "network.downlink_loss"}
    if not any(k[0] in ("blackout", "block") for k in kinds):
        absent |= {"network.blackout", "media.one_way"}
    if "mic_muted" not in faults:
        absent.add("audio.mic_silent")
    if "camera_stopped" not in faults:
        absent.add("video.camera_stopped")
    if not faults & {"av_drift", "cpu_starvation"} and not scenario.impairments:
        # Delay, jitter or a starved encoder may legitimately desync a call.
        absent.add("sync.av_desync")
    return absent


def _ordered(codes: set[str]) -> list[str]:
    return [c for c in FINDING_CODES if c in codes]
