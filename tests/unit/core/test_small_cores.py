"""Pure helpers: cursors, validation, HTML sanitising, content sniffing, languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rtcdesk.core.clock import FrozenClock, ShiftedClock, ensure_utc
from rtcdesk.core.errors import InvalidInput
from rtcdesk.core.pagination import clamp_limit, decode_cursor, encode_cursor
from rtcdesk.core.validation import check_timezone, normalize_email, normalize_tags
from rtcdesk.files.sniff import safe_filename, sniff_content_type
from rtcdesk.tickets.content import html_to_text, render_markdown, sanitize_html
from rtcdesk.web.i18n import from_accept_language, normalize_language, translator


def test_cursor_round_trip_with_datetime() -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    cursor = encode_cursor("-updated_at", when, 42)
    assert decode_cursor(cursor, "-updated_at", "datetime") == (when, 42)


@pytest.mark.parametrize("bad", ["", "!!!", "e30", "WyJ4Il0"])
def test_bad_cursors_are_refused_clearly(bad: str) -> None:
    with pytest.raises(InvalidInput, match="cursor"):
        decode_cursor(bad, "-updated_at", "datetime")


def test_cursor_for_another_sort_is_refused() -> None:
    with pytest.raises(InvalidInput, match="different sort"):
        decode_cursor(encode_cursor("id", 5, 5), "-updated_at", "datetime")


@pytest.mark.parametrize("limit", [0, -1, 201])
def test_limit_bounds(limit: int) -> None:
    with pytest.raises(InvalidInput):
        clamp_limit(limit)


def test_email_tags_timezone_validation() -> None:
    assert normalize_email("  Dev@Example.COM ") == "dev@example.com"
    with pytest.raises(InvalidInput):
        normalize_email("not-an-email")
    assert normalize_tags(["Echo", "echo", " weak network ", ""]) == ["echo", "weak-network"]
    with pytest.raises(InvalidInput):
        normalize_tags(["<script>"])
    assert check_timezone("Asia/Shanghai") == "Asia/Shanghai"
    with pytest.raises(InvalidInput, match="time zone"):
        check_timezone("Mars/Olympus")


def test_sanitizer_removes_scripts_and_events() -> None:
    dirty = '<p onclick="x()">hi <script>alert(1)</script><a href="javascript:x">l</a></p>'
    clean = sanitize_html(dirty)
    assert "script" not in clean
    assert "onclick" not in clean
    assert "javascript" not in clean
    assert "hi" in clean


def test_plain_text_markdown_escapes_and_links() -> None:
    html = render_markdown("a <b> & c\nsee https://example.com/x\n\n第二段")
    assert "&lt;b&gt;" in html
    assert '<a href="https://example.com/x"' in html
    assert html.count("<p>") == 2
    assert "第二段" in html_to_text(html)


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "x.txt", "image/png"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 20, "dump.txt.gz", "application/gzip"),
        (b'{"PeerConnections": {}}', "webrtc_internals_dump.txt", "application/json"),
        ("日志 2026-01-01 卡顿".encode(), "sdk.log", "text/plain"),
        (b"<html><script>alert(1)</script>", "evil.png", "text/plain"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "report.pdf", "application/x-msdownload"),
    ],
)
def test_sniffing_ignores_the_claimed_name(head: bytes, name: str, expected: str) -> None:
    assert sniff_content_type(head, name) == expected


def test_safe_filename() -> None:
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\x\\日志.log") == "日志.log"
    assert safe_filename("\x00\x01") == "file"


def test_languages() -> None:
    assert normalize_language("zh_CN") == "zh-CN"
    assert normalize_language("zh-Hans-CN") == "zh-CN"
    assert normalize_language("fr") == "en"
    assert from_accept_language("fr-FR,zh-CN;q=0.8,en;q=0.5") == "zh-CN"
    assert from_accept_language("de") is None
    assert translator("zh-CN")("Tickets") == "工单"
    assert translator("en")("Tickets") == "Tickets"


def test_clock_rejects_naive_times() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FrozenClock(datetime(2026, 1, 1))  # noqa: DTZ001
    clock = FrozenClock(datetime(2026, 1, 1, tzinfo=UTC))
    assert clock.advance(timedelta(hours=1)).hour == 1
    with pytest.raises(ValueError, match="naive"):
        ensure_utc(datetime(2026, 1, 1))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh-CN"),
        ({"LANG": "zh_TW.Big5"}, "zh-CN"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh-CN"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LANG": "POSIX"}, "en"),
    ],
)
def test_command_line_language_follows_the_locale(environ: dict[str, str], expected: str) -> None:
    from rtcdesk.core.i18n import environment_language

    assert environment_language(environ) == expected


def test_a_shifted_clock_runs_at_the_real_pace_from_elsewhere() -> None:
    offset = timedelta(days=-21, hours=3)
    before = datetime.now(UTC)
    shifted = ShiftedClock(offset).now()
    after = datetime.now(UTC)
    assert shifted.tzinfo is UTC
    assert before + offset <= shifted <= after + offset
