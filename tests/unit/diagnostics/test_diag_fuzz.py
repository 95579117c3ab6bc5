"""Property tests: arbitrary and mutated input never raises anything but RtcdeskError."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rtcdiag_synth import Call, gz, to_getstats, to_internals, to_jitsi, to_v3

from rtcdesk.core.errors import RtcdeskError
from rtcdesk.diagnostics.engine import diagnose_bytes, sniff
from rtcdesk.diagnostics.parsers.detect import parse
from rtcdesk.diagnostics.render import render
from rtcdesk.diagnostics.rules import INTERNAL_ERROR

# RTCDESK_FUZZ_EXAMPLES=2000 for a longer local run.
FUZZ = settings(
    max_examples=int(os.environ.get("RTCDESK_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SMALL = Call(duration_s=6, segs={"down_loss_pct": [(2, 5, 10.0)]})
BASES = {
    "webrtc-internals": to_internals(SMALL),
    "rtcstats-jitsi": to_jitsi(SMALL),
    "rtcstats-v3": to_v3(SMALL),
    "getstats": to_getstats(SMALL),
}

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4)
    ),
    max_leaves=12,
)


def _check(data: bytes, fmt: str | None = None) -> None:
    error: RtcdeskError | None = None
    try:
        report = parse(data, fmt) if fmt else diagnose_bytes(data)
    except RtcdeskError as exc:
        error = exc
    if error is not None:
        assert error.message
        assert not error.details.get("internal"), error.message
        return
    if not fmt:
        assert not [w for w in report.warnings if INTERNAL_ERROR in w]
        for f in ("json", "md", "html"):
            render(report, f)  # type: ignore[arg-type]


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes) -> None:
    sniff(data, None)
    _check(data)
    _check(gz(data))


@pytest.mark.parametrize("fmt", BASES)
@FUZZ
@given(data=st.data())
def test_mutated_dumps(fmt: str, data: st.DataObject) -> None:
    base = bytearray(BASES[fmt])
    for _ in range(data.draw(st.integers(1, 6))):
        op = data.draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        i = data.draw(st.integers(0, max(0, len(base) - 1)))
        if op == "flip" and base:
            base[i] = data.draw(st.integers(0, 255))
        elif op == "cut":
            del base[i:]
        elif op == "insert":
            base[i:i] = data.draw(
                st.sampled_from(
                    [b"{", b"}", b"[", b"]", b",", b'"', b"null", b"NaN", b"1e999", b"-", b"\n"]
                )
            )
        else:
            del base[i : i + data.draw(st.integers(1, 200))]
    _check(bytes(base), fmt)
    _check(bytes(base))


@FUZZ
@given(st.dictionaries(st.text(max_size=30), json_values, max_size=6), json_values, json_values)
def test_internals_structure(stats_values: dict[str, Any], log: Any, cfg: Any) -> None:
    stats = {
        k: {
            "startTime": v,
            "endTime": v,
            "statsType": "inbound-rtp",
            "values": json.dumps(v) if isinstance(v, list) else v,
        }
        for k, v in stats_values.items()
    }
    stats["IT01-timestamp"] = {"values": json.dumps(log if isinstance(log, list) else [1, 2])}
    doc = {
        "getUserMedia": log,
        "PeerConnections": {
            "1-1": {"rtcConfiguration": cfg, "updateLog": log, "stats": stats},
            "x": cfg,
        },
        "UserAgent": cfg,
    }
    _check(json.dumps(doc).encode(), "webrtc-internals")
    _check(json.dumps(doc).encode())


@FUZZ
@given(
    st.lists(
        st.tuples(st.text(max_size=12) | st.integers(0, 90), json_values, json_values, json_values),
        max_size=8,
    )
)
def test_rtcstats_lines(lines: list[tuple[Any, Any, Any, Any]]) -> None:
    body = b"\n".join(json.dumps(list(x)).encode() for x in lines)
    jitsi = b'["connectionInfo", null, "{}", 1]\n' + body
    _check(jitsi, "rtcstats-jitsi")
    _check(jitsi)
    v3 = b"RTCStatsDump\n{}\n" + body
    _check(v3, "rtcstats-v3")
    _check(v3)


@FUZZ
@given(
    st.lists(
        st.lists(
            st.dictionaries(
                st.sampled_from(
                    [
                        "id",
                        "type",
                        "timestamp",
                        "kind",
                        "packetsReceived",
                        "packetsLost",
                        "jitter",
                        "bytesReceived",
                        "framesDecoded",
                        "currentRoundTripTime",
                        "localCandidateId",
                    ]
                ),
                json_values | st.sampled_from(["inbound-rtp", "outbound-rtp", "candidate-pair"]),
                max_size=8,
            ),
            max_size=4,
        ),
        max_size=6,
    )
)
def test_getstats_reports(snaps: list[list[dict[str, Any]]]) -> None:
    data = json.dumps(snaps).encode()
    _check(data, "getstats")
    _check(data)
