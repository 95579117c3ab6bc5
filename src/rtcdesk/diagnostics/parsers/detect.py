"""Recognise which dump format a file is in, and dispatch to its parser."""

from __future__ import annotations

import re
import zlib

from rtcdesk.core.errors import InvalidInput, RtcdeskError, UnsupportedFormat
from rtcdesk.diagnostics.model import Dump
from rtcdesk.diagnostics.parsers.common import UNNAMED, Progress
from rtcdesk.diagnostics.parsers.getstats import parse_getstats
from rtcdesk.diagnostics.parsers.internals import parse_internals
from rtcdesk.diagnostics.parsers.rtcstats import V3_MAGIC, parse_jitsi, parse_v3

HEAD_BYTES = 256 * 1024
_STATS_MARK = re.compile(rb'"(?:inbound-rtp|outbound-rtp|candidate-pair|remote-inbound-rtp)"')
_LINE_START = re.compile(rb'^\[\s*"[\w.]+"\s*,\s*(?:null|"[^"]*"|\d+)\s*,')


def head(data: bytes, n: int = HEAD_BYTES) -> bytes:
    """The first ``n`` bytes of the content, gunzipping a prefix if needed."""
    if data[:2] == b"\x1f\x8b":
        try:
            return zlib.decompressobj(wbits=47).decompress(data[: n * 4], n)
        except zlib.error:
            return b""
    return data[:n]


def detect(data: bytes, filename: str | None = None) -> str | None:
    """Format name of decompressed-or-gzip ``data``, or None when it is no known dump."""
    h = head(data).lstrip(b"\xef\xbb\xbf \t\r\n")
    if h.startswith(V3_MAGIC) or h.startswith(b"RTCStatsDump\r\n"):
        return "rtcstats-v3"
    if h.startswith(b"["):
        first = h.split(b"\n", 1)[0]
        if first.startswith((b'["connectionInfo"', b'[ "connectionInfo"')):
            return "rtcstats-jitsi"
        if _LINE_START.match(first) and not _STATS_MARK.search(first[:200]):
            return "rtcstats-jitsi"
        if _STATS_MARK.search(h) or b'"timestamp"' in h:
            return "getstats"
        return None
    if h.startswith(b"{"):
        if b'"PeerConnections"' in h or b'"getUserMedia"' in h or b'"UserAgent"' in h:
            return "webrtc-internals"
        if filename and "internals" in filename.lower():
            return "webrtc-internals"
        if _STATS_MARK.search(h) or b'"stats"' in h:
            return "getstats"
    return None


def parse(text: bytes, fmt: str, progress: Progress | None = None) -> Dump:
    """Parse decompressed ``text`` known to be in format ``fmt``; only RtcdeskError escapes."""
    try:
        return _parse(text, fmt, progress)
    except RtcdeskError:
        raise
    except RecursionError as exc:
        raise InvalidInput(
            "{name} nests JSON too deeply to be a WebRTC dump.", params={"name": UNNAMED}
        ) from exc
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as exc:
        # A safety net: the parsers validate as they go; reaching this is a parser bug.
        raise InvalidInput(
            "{name} looks like a {format} dump but could not be read ({reason}).",
            params={
                "name": UNNAMED,
                "format": fmt,
                "reason": f"{type(exc).__name__}: {str(exc)[:200]}",
            },
            details={"internal": True},
        ) from exc


def _parse(text: bytes, fmt: str, progress: Progress | None) -> Dump:
    if fmt == "webrtc-internals":
        return parse_internals(text, progress)
    if fmt == "rtcstats-v3":
        return parse_v3(text.replace(b"\r\n", b"\n"), progress)
    if fmt == "rtcstats-jitsi":
        return parse_jitsi(text, progress)
    if fmt == "getstats":
        return parse_getstats(text, progress)
    raise UnsupportedFormat("Unknown dump format {format}.", params={"format": fmt})
