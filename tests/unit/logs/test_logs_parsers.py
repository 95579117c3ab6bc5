"""Format detection, the time rules, streaming and damaged input."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone

import pytest

from rtcdesk.core.errors import InvalidInput, RtcdeskError, TooLarge, UnsupportedFormat
from rtcdesk.logs.engine import analyze_bytes, sniff_log
from rtcdesk.logs.parsers.timefix import TimeContext, parse_offset

REF = datetime(2026, 12, 2, tzinfo=UTC)


def ms(*args: int, tz: timezone = UTC) -> float:
    return datetime(*args, tzinfo=tz).timestamp() * 1000.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("line", "fmt"),
    [
        ("[1:2:1201/101000.000001:INFO:peer_connection.cc(1)] x", "chromium"),
        ("2026-12-01T10:00:00.000+08:00 I [api] hello k=v", "rtc-sdk"),
        ("2026-12-01 08:30:00,001 [1] INFO  Rtc.Engine - hello", "windows-app"),
        ("[2026-12-01 10:00:00.001] [info]  (main) hello", "electron"),
        ("12-01 10:15:00.100  5120  5120 I RtcEngine: hello", "logcat-threadtime"),
        ("I/RtcEngine( 7001): hello", "logcat-brief"),
        ("2026-12-01 11:00:00.001 Df App[1:9a01] [x:y] hello", "apple-unified"),
        ("2026-12-01 19:20:00.100200+0800 App[812:23001] hello", "xcode"),
        ("16:45:01.102 app.js:120 hello", "console-text"),
        ('[{"level": "INFO", "message": "hi", "timestamp": 1}]', "console-json"),
    ],
)
def test_detects_each_format(line: str, fmt: str) -> None:
    assert sniff_log(line.encode()) == fmt


def test_sniff_says_none_for_other_files() -> None:
    assert sniff_log(b"") is None
    assert sniff_log(b"just some notes\nabout the call\n") is None
    assert sniff_log(b'{"PeerConnections": {}}') is None
    assert sniff_log(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") is None


def test_missing_year_is_the_latest_not_after_the_reference() -> None:
    ctx = TimeContext(datetime(2027, 1, 1, 8, tzinfo=UTC))
    assert ctx.no_year(12, 31, 23, 59, 0, 0) == ms(2026, 12, 31, 23, 59)
    assert ctx.no_year(1, 1, 7, 0, 0, 0) == ms(2027, 1, 1, 7)
    assert ctx.no_year(1, 2, 7, 0, 0, 0) == ms(2027, 1, 2, 7)  # a day of clock skew allowed
    assert ctx.no_year(3, 1, 0, 0, 0, 0) == ms(2026, 3, 1)


def test_leap_day_without_year_goes_back_to_a_leap_year() -> None:
    ctx = TimeContext(datetime(2027, 6, 1, tzinfo=UTC))
    assert ctx.no_year(2, 29, 12, 0, 0, 0) == ms(2024, 2, 29, 12)


def test_time_only_rolls_over_midnight() -> None:
    ctx = TimeContext(datetime(2026, 12, 2, 1, 0, tzinfo=UTC))
    first = ctx.time_only(23, 59, 0, 0)
    assert first == ms(2026, 12, 1, 23, 59)  # would be after the reference on the 2nd
    assert ctx.time_only(0, 1, 0, 0) == ms(2026, 12, 2, 0, 1)


def test_default_zone_applies_to_times_without_offset() -> None:
    cst = timezone(timedelta(hours=8))
    report = analyze_bytes(
        b"[1:2:1201/100000.000000:ERROR:x.cc(1)] ICE failed\n",
        reference=REF,
        tz_offset_min=480,
    )
    assert report.start_ms == ms(2026, 12, 1, 10, tz=cst)
    assert "UTC+08:00" in report.time_note["en"]


def test_mixed_offsets_are_aligned_in_utc() -> None:
    data = (
        b"2026-12-01T09:59:59.000+08:00 I [engine] initialize(appId=a)\n"
        b"2026-12-01T10:00:00.000+08:00 I [api] joinChannel(channel=a)\n"
        b"2026-12-01T02:00:20.000Z I [api] heartbeat\n"
    )
    report = analyze_bytes(data, reference=REF)
    assert report.start_ms == ms(2026, 12, 1, 1, 59, 59)
    assert report.end_ms == ms(2026, 12, 1, 2, 0, 20)
    # the join was at 02:00:00Z and nothing followed within 15 s of it
    (f,) = report.findings
    assert f.code == "api.join_not_completed"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("Z", 0), ("+08:00", 480), ("+0800", 480), ("-05", -300), ("+0530", 330)],
)
def test_offsets(text: str, minutes: int) -> None:
    zone = parse_offset(text)
    assert zone is not None
    assert zone.utcoffset(None) == timedelta(minutes=minutes)


def test_empty_binary_and_unknown_files_get_clear_errors() -> None:
    with pytest.raises(InvalidInput, match=r"^call\.log is empty\.$"):
        analyze_bytes(b"  \n", reference=REF, filename="call.log")
    with pytest.raises(UnsupportedFormat, match=r"call.log is a binary file"):
        analyze_bytes(bytes(range(256)) * 64, reference=REF, filename="call.log")
    with pytest.raises(UnsupportedFormat, match=r"notes.txt is not a log format rtcdesk reads"):
        analyze_bytes(b"dear support,\nit does not work\n", reference=REF, filename="notes.txt")


def test_gzip_bomb_and_damage() -> None:
    bomb = gzip.compress(b"I/RtcEngine( 1): x\n" * 200_000)
    with pytest.raises(TooLarge, match=r"x.log.gz is larger than 1 MB"):
        analyze_bytes(bomb, reference=REF, filename="x.log.gz", max_bytes=1024 * 1024)
    with pytest.raises(InvalidInput, match=r"damaged gzip"):
        analyze_bytes(b"\x1f\x8b\x08\x00garbage", reference=REF, filename="x.gz")
    good = gzip.compress(b"I/RtcEngine( 1): joinChannel(a)\n" * 1000)
    report = analyze_bytes(good[: len(good) // 2], reference=REF)
    assert any("ends early" in w for w in report.warnings)
    assert report.lines > 0


def test_unreadable_lines_are_counted_and_the_rest_analysed() -> None:
    data = (
        b"12-01 10:15:00.100  1  1 I RtcEngine: initialize appId=1\n"
        b"12-01 10:15:00.200  1  1 E Cam: \xff\xfe\x00\x01 broken\n"
        b"12-01 10:15:00.300  1  1 E Cam: CAMERA_IN_USE \x07 bell\n"
        b"12-01 10:15:00.400  1  1 E CameraService: ERROR_CAMERA_IN_USE camera busy\n"
    )
    report = analyze_bytes(data, reference=REF)
    assert report.skipped_lines == 2
    assert "2 unreadable lines" in report.warnings[-1]
    assert [f.code for f in report.findings] == ["device.busy"]
    assert report.findings[0].first_line == 4


def test_continuation_lines_take_the_time_of_their_entry() -> None:
    data = (
        b"16:45:02.514 app.js:146 Uncaught (in promise) Error: start failed\n"
        b"    NotAllowedError: Permission denied\n"
    )
    report = analyze_bytes(data, reference=REF)
    (f,) = report.findings
    assert f.first_line == 2
    assert f.examples[0].ts_ms == ms(2026, 12, 1, 16, 45, 2) + 514


def test_long_log_streams_across_chunks() -> None:
    filler = b"[1:2:1201/101000.000001:INFO:rtp_sender.cc(4)] Sending 1200 bytes on stream 2\n"
    data = filler * 120_000 + b"[1:2:1201/101500.000000:ERROR:x.cc(1)] ICE failed\n"
    report = analyze_bytes(data, reference=REF)
    assert len(data) > 8 * 1024 * 1024
    assert report.lines == 120_001
    (f,) = report.findings
    assert f.first_line == 120_001


def test_errors_are_rtcdesk_errors() -> None:
    with pytest.raises(RtcdeskError):
        analyze_bytes(b"\x00" * 100, reference=REF)
