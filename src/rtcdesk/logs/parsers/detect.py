"""Format detection from the first 64 KB of a log, and the binary-file check."""

from __future__ import annotations

import json
import re

from rtcdesk.core.errors import UnsupportedFormat
from rtcdesk.logs.parsers.console_json import looks_like_console_json
from rtcdesk.logs.parsers.formats import TEXT_FORMATS, LineFormat
from rtcdesk.logs.parsers.reader import UNNAMED

SAMPLE_LINES = 400
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")


def is_binary(head_text: str) -> bool:
    """True when the decoded head is mostly not text (NULs, control bytes, undecodable)."""
    if not head_text:
        return False
    sample = head_text[:16384]
    bad = len(_CONTROL.findall(sample))
    return bad > max(8, len(sample) // 50)


def detect_text(head_text: str) -> str | None:
    """The name of the format of a decoded head, or None."""
    stripped = head_text.lstrip()
    if stripped[:1] in ("[", "{") and looks_like_console_json(stripped):
        return "console-json"
    lines = [ln for ln in head_text.splitlines()[:SAMPLE_LINES] if ln.strip()]
    if len(head_text) >= 60_000 and len(lines) > 1:
        lines = lines[:-1]  # the head may end inside a line
    if not lines:
        return None
    best: LineFormat | None = None
    best_count = 0
    for fmt in TEXT_FORMATS:
        count = sum(1 for ln in lines if any(g.pattern.match(ln) for g in fmt.grammars))
        if count > best_count:
            best, best_count = fmt, count
    needed = 1 if len(lines) < 5 else max(2, len(lines) // 5)
    return best.name if best is not None and best_count >= needed else None


def unsupported() -> UnsupportedFormat:
    """The error for text that is no log format we read."""
    return UnsupportedFormat(
        "{name} is not a log format rtcdesk reads (Chromium/libwebrtc, browser console text or "
        "JSON, Android logcat, Apple unified log or Xcode console, Windows/Electron app log, "
        "or the RTC SDK line format).",
        params={"name": UNNAMED},
    )


def binary() -> UnsupportedFormat:
    """The error for a binary file."""
    return UnsupportedFormat(
        "{name} is a binary file, not a text log; send the log as text (or gzip of text).",
        params={"name": UNNAMED},
    )


__all__ = ["binary", "detect_text", "is_binary", "json", "unsupported"]
