"""Real calls in headless Chromium: each injected fault must show in the customer's dump."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rtcdesk.lab.dumpstats import value_of

# One worker runs the calls one after another: two real calls at once on a 2-core machine
# starve each other's encoders, and the suite is no faster for it.
pytestmark = [pytest.mark.lab, pytest.mark.slow, pytest.mark.xdist_group("lab-calls")]
LabCall = Callable[..., Any]


def test_downlink_loss_raises_inbound_packets_lost(lab_call: LabCall) -> None:
    r = lab_call("""
name: t-downlink-loss
duration_s: 12
impairments:
  - {kind: loss, direction: downlink, start_s: 4, rate: 0.1}
""")
    down = r.label["relay"]["downlink"]
    assert down["dropped_loss"] > 0.05 * down["packets_in"] * (8 / 12)
    assert r.counter("inbound-rtp", "packetsLost", None, 0, 4) <= 2
    lost = r.counter("inbound-rtp", "packetsLost", None, 4, 13)
    got = r.counter("inbound-rtp", "packetsReceived", None, 4, 13)
    assert 0.05 < lost / (lost + got) < 0.16
    # Nothing was lost on the way out.
    assert r.counter("remote-inbound-rtp", "packetsLost", None, 0, 13) <= 2
    assert r.label["expected_findings"] == ["network.downlink_loss"]


def test_uplink_loss_shows_in_remote_inbound_rtp(lab_call: LabCall) -> None:
    r = lab_call("""
name: t-uplink-loss
duration_s: 12
impairments:
  - {kind: loss, direction: uplink, start_s: 3, rate: 0.1}
""")
    # remote-inbound-rtp samples carry the RTCP report time; audio reports come ~every 5 s.
    # Judged as a share of what was sent, since a starved machine sends fewer packets.
    lost_video = r.counter("remote-inbound-rtp", "packetsLost", "video", 3, 13)
    assert lost_video > 0.04 * r.counter("outbound-rtp", "packetsSent", "video", 3, 13)
    lost = r.counter("remote-inbound-rtp", "packetsLost", None, 0, 13)
    assert lost > 0.03 * r.counter("outbound-rtp", "packetsSent", None, 0, 13)
    uplink = r.label["relay"]["uplink"]
    assert uplink["dropped_loss"] > 0.05 * uplink["packets_in"] * (9 / 12)
    assert max(float(v) for v in r.values("remote-inbound-rtp", "fractionLost", None, 5)) > 0.03
    assert r.counter("inbound-rtp", "packetsLost", None, 0, 13) <= 2  # downlink is clean


def test_bandwidth_cap_limits_quality_and_bitrate(lab_call: LabCall) -> None:
    r = lab_call("""
name: t-bandwidth
duration_s: 20
impairments:
  - {kind: bandwidth, direction: uplink, start_s: 6, kbps: 250, queue_ms: 300}
""")
    # What the cap guarantees whatever the machine's load (a starved machine ramps its
    # bitrate up more slowly, so the uncapped start is no fixed yardstick): the sender wanted
    # more than the cap (the relay's queue overflowed), it was held under it, and it says why.
    assert r.label["relay"]["uplink"]["dropped_queue"] > 0
    after = r.counter("outbound-rtp", "bytesSent", "video", 12, 20) * 8 / 8
    assert after < 300_000
    reasons = r.values("outbound-rtp", "qualityLimitationReason", "video", 8)
    assert "bandwidth" in reasons
    assert "bandwidth" not in r.values("outbound-rtp", "qualityLimitationReason", "video", 0, 5)


def test_blackout_disconnects_then_reconnects(lab_call: LabCall) -> None:
    r = lab_call("""
name: t-blackout
duration_s: 22
impairments:
  - {kind: blackout, direction: both, start_s: 5, duration_s: 8}
""")
    states = r.states()
    assert states[:2] == ["checking", "connected"]
    i = states.index("disconnected")
    assert "connected" in states[i:]
    assert r.label["relay"]["uplink"]["dropped_outage"] > 100
    assert "network.blackout" in r.label["expected_findings"]


def test_block_from_start_fails_ice(lab_call: LabCall) -> None:
    r = lab_call("""
name: t-blocked
duration_s: 18
impairments:
  - {kind: block, direction: both}
""")
    assert "connected" not in r.states()
    assert "disconnected" in r.states()
    assert r.states("onconnectionstatechange")[-1] == "failed"
    assert r.label["relay"]["downlink"]["packets_out"] == 0
    assert r.label["expected_findings"] == ["ice.failure"]


def test_app_faults_mute_stop_and_drift(lab_call: LabCall) -> None:
    r = lab_call("""
name: t-app-faults
duration_s: 16
app_faults:
  - {kind: mic_muted, start_s: 4, end_s: 9}
  - {kind: camera_stopped, start_s: 10}
  - {kind: av_drift, start_s: 2, video_delay_ms: 1200}
""")
    level = [float(v) for v in r.values("media-source", "audioLevel", "audio", 5, 9)]
    assert level
    assert max(level) == 0.0
    # Before the mute the fake microphone is audible. Its beep is short, so a 1 s sample of
    # the instantaneous audioLevel can miss it; the accumulated energy cannot.
    assert r.counter("media-source", "totalAudioEnergy", "audio", 0, 4) > 0
    assert r.counter("media-source", "totalAudioEnergy", "audio", 5, 9) == 0
    # The camera was live before it stopped, and nothing was encoded after. A starved
    # machine encodes fewer frames, never none while the camera runs.
    assert r.counter("outbound-rtp", "framesEncoded", "video", 12, 17) == 0
    assert r.counter("outbound-rtp", "framesEncoded", "video", 5, 9) >= 4
    assert set(r.label["expected_findings"]) == {
        "audio.mic_silent",
        "video.camera_stopped",
        "sync.av_desync",
    }
    assert value_of(r.pc, "nonexistent", "x") is None
    # The playout-delay hint holds video ~1.2 s in the jitter buffer whatever the load, and
    # video waits longer than audio.
    video = r.counter("inbound-rtp", "jitterBufferDelay", "video", 6, 17)
    frames = r.counter("inbound-rtp", "jitterBufferEmittedCount", "video", 6, 17)
    audio = r.counter("inbound-rtp", "jitterBufferDelay", "audio", 6, 17)
    samples = r.counter("inbound-rtp", "jitterBufferEmittedCount", "audio", 6, 17)
    assert frames > 0
    assert samples > 0
    video_delay, audio_delay = video / frames, audio / samples
    assert video_delay > 0.9
    assert video_delay > audio_delay
    # Audio alone waits tens of milliseconds; on a CPU-starved machine its jitter buffer
    # grows by itself (0.45 s seen on a loaded 2-core box), which narrows the gap the fault
    # opened. Say so instead of judging the gap.
    if audio_delay > 0.2:
        pytest.skip(
            f"audio waited {audio_delay:.2f} s in the jitter buffer by itself (CPU starved): "
            "the audio/video gap was not judged"
        )
    assert video_delay - audio_delay > 0.8


def test_getstats_fallback_dump_has_the_internals_shape(lab_call: LabCall) -> None:
    r = lab_call(
        """
name: t-getstats
duration_s: 10
impairments:
  - {kind: loss, direction: downlink, start_s: 3, rate: 0.1}
""",
        dump_from="getstats",
    )
    assert set(r.dump) == {"getUserMedia", "PeerConnections", "UserAgent"}
    assert set(r.pc) >= {"pid", "url", "rtcConfiguration", "updateLog", "stats"}
    assert r.states() == ["checking", "connected"]
    some = next(iter(r.pc["stats"].values()))
    assert set(some) == {"startTime", "endTime", "statsType", "values"}
    assert any(k.endswith("-timestamp") for k in r.pc["stats"])
    lost = r.counter("inbound-rtp", "packetsLost", None, 3, 11)
    assert lost > 0.04 * r.counter("inbound-rtp", "packetsReceived", None, 3, 11)
