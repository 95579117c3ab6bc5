"""Hostile, broken and odd inputs: clear errors, partial results, no crashes."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import pytest
from rtcdiag_synth import Call, gz, to_internals, to_jitsi, to_v3

from rtcdesk.core.errors import InvalidInput, TooLarge, UnsupportedFormat
from rtcdesk.diagnostics.engine import diagnose_bytes, diagnose_path


def _doc(call: Call | None = None) -> dict:  # type: ignore[type-arg]
    return json.loads(to_internals(call or Call(duration_s=15)))


def test_truncated_gzip_gives_partial_result_with_warning() -> None:
    data = gz(to_jitsi(Call(duration_s=30)))
    report = diagnose_bytes(data[: len(data) * 2 // 3])
    assert any("truncated" in w for w in report.warnings)
    assert report.pcs


def test_truncated_internals_is_salvaged() -> None:
    data = to_internals(Call(duration_s=30, segs={"down_loss_pct": [(5, 30, 12.0)]}))
    report = diagnose_bytes(data[:-200])
    assert any("truncated" in w for w in report.warnings)
    assert "network.downlink_loss" in [f.code for f in report.findings]


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"{" + b" " * (3 * 1024 * 1024))
    with pytest.raises(TooLarge, match="decompression bomb"):
        diagnose_bytes(bomb, max_bytes=1024 * 1024)


def test_too_large_plain_file() -> None:
    with pytest.raises(TooLarge):
        diagnose_bytes(b"{" + b" " * 2000, max_bytes=1000)


def test_corrupt_gzip_header() -> None:
    with pytest.raises(InvalidInput, match="gzip"):
        diagnose_bytes(b"\x1f\x8b\x08\x00garbage-garbage-garbage")


@pytest.mark.parametrize("data", [b"not json at all", b"<html>", b"\x00\x01\x02"])
def test_unsupported_format(data: bytes) -> None:
    with pytest.raises(UnsupportedFormat, match=r"^dump\.bin is not a WebRTC dump"):
        diagnose_bytes(data, filename="dump.bin")


# Fixed gzip mtime and ids: xdist workers must collect the same test ids.
@pytest.mark.parametrize(
    "data", [b"", b"  \n", gzip.compress(b"", mtime=0)], ids=["empty", "blank", "empty-gzip"]
)
def test_an_empty_file_is_named(data: bytes) -> None:
    with pytest.raises(InvalidInput, match=r"^webrtc_dump\.txt is empty\.$") as caught:
        diagnose_bytes(data, filename="webrtc_dump.txt")
    assert caught.value.template == "{name} is empty."
    assert caught.value.params == {"name": "webrtc_dump.txt"}


def test_without_a_file_name_errors_still_read_as_sentences() -> None:
    with pytest.raises(InvalidInput, match=r"^the file is empty"):
        diagnose_bytes(b"")


def test_wrong_json_shape_names_the_problem() -> None:
    with pytest.raises(InvalidInput, match="PeerConnections"):
        diagnose_bytes(json.dumps({"getUserMedia": [], "PeerConnections": [1, 2]}).encode())


def test_malformed_lines_are_skipped_with_line_numbers() -> None:
    lines = to_v3(Call(duration_s=20)).split(b"\n")
    lines[10] = b'["g", "1", {broken'
    report = diagnose_bytes(b"\n".join(lines))
    assert any("line 11" in w for w in report.warnings)
    assert report.pcs


def test_all_lines_broken_is_an_error() -> None:
    data = b'["connectionInfo", null, "{}", 1\n' + b"[broken\n" * 5
    with pytest.raises(InvalidInput, match="line"):
        diagnose_bytes(data)


def test_empty_peer_connection() -> None:
    doc = {
        "PeerConnections": {
            "1-1": {"pid": 1, "rtcConfiguration": "", "updateLog": [], "stats": {}}
        },
        "getUserMedia": [],
        "UserAgent": "x",
    }
    report = diagnose_bytes(json.dumps(doc).encode())
    assert report.findings == []
    assert any("No stats" in w for w in report.warnings)


def test_no_peer_connections() -> None:
    report = diagnose_bytes(json.dumps({"PeerConnections": {}, "getUserMedia": []}).encode())
    assert report.findings == []
    assert any("no peer connections" in w for w in report.warnings)


def test_missing_timestamps_fall_back_to_start_time() -> None:
    doc = _doc()
    for k in [k for k in doc["PeerConnections"]["1234-1"]["stats"] if k.endswith("-timestamp")]:
        del doc["PeerConnections"]["1234-1"]["stats"][k]
    report = diagnose_bytes(json.dumps(doc).encode())
    assert report.end_ms - report.start_ms == pytest.approx(14_000, abs=1500)


def test_series_without_any_time_is_skipped() -> None:
    doc = _doc()
    stats = doc["PeerConnections"]["1234-1"]["stats"]
    for k in list(stats):
        if k.endswith("-timestamp"):
            del stats[k]
        else:
            stats[k].pop("startTime")
            stats[k].pop("endTime")
    report = diagnose_bytes(json.dumps(doc).encode())
    assert report.findings == []


@pytest.mark.parametrize(
    "values",
    [
        ["1", "2", "x", 4],  # strings in a numeric series
        [1e308, 1e308, 1e308],
        [10**30, 10**31, 10**32],  # beyond 64-bit
        [None, None, 3],
        [True, False, True],
        [{"a": 1}, [1], 2],
    ],
)
def test_odd_values_in_numeric_series(values: list[object]) -> None:
    doc = _doc()
    stats = doc["PeerConnections"]["1234-1"]["stats"]
    stats["IT01A333-packetsReceived"]["values"] = json.dumps(values)
    stats["IT01A333-jitter"]["values"] = json.dumps(values)
    report = diagnose_bytes(json.dumps(doc).encode())
    assert report.pcs


def test_nan_and_infinity_in_values() -> None:
    doc = _doc()
    stats = doc["PeerConnections"]["1234-1"]["stats"]
    stats["IT01A333-jitter"]["values"] = "[NaN, Infinity, -Infinity, 0.01]"
    stats["CPa_b-currentRoundTripTime"]["values"] = "[not json"
    report = diagnose_bytes(json.dumps(doc).encode())
    assert any("unreadable" in w for w in report.warnings)
    for s in report.scores.intervals:
        assert s.audio_mos is None or math.isfinite(s.audio_mos)


def test_values_given_as_real_arrays_and_mismatched_lengths() -> None:
    doc = _doc()
    stats = doc["PeerConnections"]["1234-1"]["stats"]
    stats["IT01A333-packetsReceived"]["values"] = [1, 2, 3]  # not a string, shorter
    report = diagnose_bytes(json.dumps(doc).encode())
    assert report.pcs


def test_deeply_nested_json() -> None:
    data = b'{"PeerConnections": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(InvalidInput):
        diagnose_bytes(data)


def test_diagnose_path_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"missing\.json does not exist"):
        diagnose_path(tmp_path / "missing.json")
    p = tmp_path / "dump.json.gz"
    p.write_bytes(gz(to_internals(Call(duration_s=10))))
    assert diagnose_path(p).format == "webrtc-internals"
    with pytest.raises(TooLarge):
        diagnose_path(p, max_bytes=10)


def test_progress_callback_reaches_one() -> None:
    seen: list[float] = []
    diagnose_bytes(to_internals(Call(duration_s=10), pcs=3), progress=seen.append)
    assert seen[-1] == 1.0
    assert all(0.0 <= x <= 1.0 for x in seen)


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (b'{"PeerConnections": {"1": [', "is not valid JSON"),
        (b'{"PeerConnections": 1}', "is not a webrtc-internals dump"),
        (b"\x1f\x8b\x08\x00garbage-garbage-garbage", "is a damaged gzip file"),
        (b"\x1f\x8b\x08\x00", "is a gzip file cut off before any content"),
        (b"RTCStatsDump\nnot json\n", "line 2 of the RTCStatsDump is not a JSON object"),
        (b'[{"timestamp": 1, "stats": []}]', "is a getStats() series without any stats reports"),
        (b"x" * 2000, "is < 0.1 MB; the limit is < 0.1 MB"),
    ],
)
def test_every_parser_error_names_the_file(data: bytes, start: str) -> None:
    max_bytes = 1000 if len(data) == 2000 else 200 * 1024 * 1024
    with pytest.raises(InvalidInput) as caught:
        diagnose_bytes(data, filename="call-42.json", max_bytes=max_bytes)
    assert caught.value.message.startswith("call-42.json")
    assert start in caught.value.message
    assert "{name}" in caught.value.template
