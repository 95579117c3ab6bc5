"""Helpers shared by the parsers: decompression limits, value coercion, events."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import repeat
from operator import itemgetter
from typing import Any

import numpy as np
import orjson

from rtcdesk.core.errors import InvalidInput, TooLarge
from rtcdesk.diagnostics.model import PcEvent, RtcConfig, Series

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
# The ``name`` parameter of every parser error until the engine fills in the file's name.
UNNAMED = "the file"
Progress = Callable[[float], None]


def decompress(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, list[str]]:
    """Gunzip ``data`` if gzip (refusing more than ``max_bytes``); returns data and warnings."""
    if len(data) > max_bytes:
        raise TooLarge(
            "{name} is {size} MB; the limit is {limit} MB.",
            params={"name": UNNAMED, "size": megabytes(len(data)), "limit": megabytes(max_bytes)},
        )
    if data[:2] != b"\x1f\x8b":
        return data, []
    out: list[bytes] = []
    total = 0
    d = zlib.decompressobj(wbits=47)
    buf = data
    try:
        while buf:
            chunk = d.decompress(buf, 1024 * 1024)
            total += len(chunk)
            if total > max_bytes:
                raise TooLarge(
                    "{name} expands to more than {limit} MB when unzipped (the limit); it may "
                    "be a decompression bomb or too long a recording.",
                    params={"name": UNNAMED, "limit": megabytes(max_bytes)},
                )
            out.append(chunk)
            buf = d.unconsumed_tail
            if d.eof and d.unused_data[:2] == b"\x1f\x8b":
                # Concatenated gzip members.
                buf = d.unused_data
                d = zlib.decompressobj(wbits=47)
    except zlib.error as exc:
        if total == 0:
            raise InvalidInput(
                "{name} is a damaged gzip file ({reason}).",
                params={"name": UNNAMED, "reason": str(exc)},
            ) from exc
        return b"".join(out), [f"The gzip data is corrupt after {total} bytes; read up to there."]
    if not d.eof:
        if total == 0:
            raise InvalidInput(
                "{name} is a gzip file cut off before any content.", params={"name": UNNAMED}
            )
        return b"".join(out), [
            f"The gzip file is truncated after {total} bytes of content; read up to there."
        ]
    return b"".join(out), []


def megabytes(n: float) -> str:
    """A size in MB for messages: '12.3', '200'."""
    mb = n / 1e6
    if mb < 0.1:
        return "< 0.1"
    return f"{mb:.0f}" if mb >= 100 or mb == int(mb) else f"{mb:.1f}"


def to_series(ts: np.ndarray[Any, Any], raw: list[Any]) -> Series | None:
    """Build a Series from timestamps and raw JSON values (numbers, strings, None)."""
    n = min(len(ts), len(raw))
    if n == 0:
        return None
    if n != len(raw):
        raw = raw[-n:]
    ts = ts[-n:]
    try:
        arr = np.asarray(raw, dtype=np.float64)
        if arr.ndim == 1:
            fin = np.isfinite(arr)
            if not fin.all():
                arr[~fin] = np.nan
            return Series(ts, arr)
    except (ValueError, TypeError, OverflowError):
        pass
    if _all_str(raw):
        return Series(ts, raw)
    first = next((v for v in raw if v is not None), None)
    if isinstance(first, str):
        return Series(ts, [v if isinstance(v, str) else _json_text(v) for v in raw])
    arr = np.fromiter((_as_float(v) for v in raw), dtype=np.float64, count=n)
    arr[~np.isfinite(arr)] = np.nan
    return Series(ts, arr)


def last_text(ts: np.ndarray[Any, Any], raw: list[Any]) -> str | None:
    """``to_series(ts, raw).last_str()`` (None for no series), cheap for a text series."""
    n = min(len(ts), len(raw))
    if n == 0:
        return None
    last = raw[-1]
    if type(last) is str and type(raw[-n]) is str and not _is_number(last):
        return last  # what to_series keeps: the strings as they are
    s = to_series(ts, raw)
    return None if s is None else s.last_str()


def _is_number(text: str) -> bool:
    try:  # the conversion to_series tries first
        np.asarray([text], dtype=np.float64)
    except (ValueError, TypeError, OverflowError):
        return False
    return True


def _all_str(raw: list[Any]) -> bool:
    try:  # str.join checks every item's type in C, far faster than set(map(type, raw))
        "".join(raw)
    except TypeError:
        return False
    return True


def _as_float(v: Any) -> float:
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, int | float):
        try:
            return float(v)
        except OverflowError:
            return float("nan")
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return float("nan")
    return float("nan")


def _json_text(v: Any) -> str:
    if v is None:
        return ""
    try:
        return orjson.dumps(v).decode()
    except TypeError:
        return str(v)


def flatten_report(report: dict[str, Any]) -> Iterable[tuple[str, Any]]:
    """Yield (property, value) pairs, flattening one level of nested objects with a dot."""
    for k, v in report.items():
        if isinstance(v, dict):
            for k2, v2 in v.items():
                if not isinstance(v2, dict | list):
                    yield f"{k}.{k2}", v2
        elif isinstance(v, list):
            yield k, _json_text(v)
        else:
            yield k, v


_ISO_RE = re.compile(r"^\d{4}-\d\d-\d\dT")


def parse_time(v: Any) -> float | None:
    """A timestamp in ms since the epoch from a number or an ISO-8601 string."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        f = float(v)
        return f if np.isfinite(f) else None
    if isinstance(v, str) and _ISO_RE.match(v):
        try:
            return datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp() * 1000.0
        except ValueError:
            return None
    if isinstance(v, str):
        try:
            f = float(v)
        except ValueError:
            return None
        return f if np.isfinite(f) else None
    return None


_EVENT_ALIASES = {
    "iceconnectionstatechange": "iceconnectionstatechange",
    "connectionstatechange": "connectionstatechange",
    "icegatheringstatechange": "icegatheringstatechange",
    "signalingstatechange": "signalingstatechange",
    "icecandidateerror": "icecandidateerror",
    "icecandidate": "icecandidate",
}


def normalize_event_type(name: str) -> str:
    """Canonical lower-case event name ('oniceconnectionstatechange' -> without 'on')."""
    n = name.strip().lower()
    if n.startswith("on") and n[2:] in _EVENT_ALIASES:
        return _EVENT_ALIASES[n[2:]]
    if n in ("connectionstatechange", "iceconnectionstatechange"):
        return n
    return n


def event_value_text(v: Any) -> str:
    """Event value as text, with Chrome's JSON-quoted state values unquoted."""
    if v is None:
        return ""
    if isinstance(v, str):
        s = v.strip()
        if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
            try:
                u = orjson.loads(s)
                if isinstance(u, str):
                    return u
            except orjson.JSONDecodeError:
                return s[1:-1]
        return v
    return _json_text(v)


def make_event(ts: float, type_: str, value: Any) -> PcEvent:
    """Build a normalised timeline event."""
    return PcEvent(ts=ts, type=normalize_event_type(type_), value=event_value_text(value))


_URL_RE = re.compile(r"(?:stuns?|turns?):[^\s,\]\"'}]+", re.IGNORECASE)
_POLICY_RE = re.compile(r"iceTransportPolicy\"?\s*:\s*\"?(\w+)")
_BUNDLE_RE = re.compile(r"bundlePolicy\"?\s*:\s*\"?([\w-]+)")


def parse_rtc_config(v: Any) -> RtcConfig:
    """Parse rtcConfiguration from Chrome's pseudo-JSON text or a JSON object."""
    if isinstance(v, dict):
        urls: list[str] = []
        for server in v.get("iceServers") or []:
            if not isinstance(server, dict):
                continue
            u = server.get("urls", server.get("url"))
            if isinstance(u, str):
                urls.append(u)
            elif isinstance(u, list):
                urls.extend(x for x in u if isinstance(x, str))
        pol = v.get("iceTransportPolicy")
        bun = v.get("bundlePolicy")
        return RtcConfig(
            ice_servers=urls,
            ice_transport_policy=pol if isinstance(pol, str) else None,
            bundle_policy=bun if isinstance(bun, str) else None,
            raw=_json_text(v)[:2000],
        )
    text = v if isinstance(v, str) else ""
    if text.startswith("{"):
        try:
            parsed = orjson.loads(text)
        except orjson.JSONDecodeError:
            parsed = None
        if isinstance(parsed, dict):
            return parse_rtc_config(parsed)
    pm = _POLICY_RE.search(text)
    bm = _BUNDLE_RE.search(text)
    return RtcConfig(
        ice_servers=_URL_RE.findall(text),
        ice_transport_policy=pm.group(1) if pm else None,
        bundle_policy=bm.group(1) if bm else None,
        raw=text[:2000],
    )


_TYPE_PREFIXES = (
    ("RTCInboundRTP", "inbound-rtp"),
    ("RTCOutboundRTP", "outbound-rtp"),
    ("RTCRemoteInboundRtp", "remote-inbound-rtp"),
    ("RTCRemoteOutboundRTP", "remote-outbound-rtp"),
    ("RTCIceCandidatePair", "candidate-pair"),
    ("RTCIceCandidate", "local-candidate"),
    ("RTCTransport", "transport"),
    ("RTCCodec", "codec"),
    ("RTCMediaStreamTrack", "track"),
    ("RTCAudioSource", "media-source"),
    ("RTCVideoSource", "media-source"),
    ("RTCPeerConnection", "peer-connection"),
    ("RTCCertificate", "certificate"),
    ("RTCDataChannel", "data-channel"),
    ("RTCAudioPlayout", "media-playout"),
    ("RTCMediaStream", "stream"),
    ("IT", "inbound-rtp"),
    ("OT", "outbound-rtp"),
    ("RI", "remote-inbound-rtp"),
    ("RO", "remote-outbound-rtp"),
    ("CP", "candidate-pair"),
    ("CI", "codec"),
    ("CO", "codec"),
    ("SA", "media-source"),
    ("SV", "media-source"),
    ("AP", "media-playout"),
    ("T0", "transport"),
    ("CF", "certificate"),
    ("D", "data-channel"),
    ("P", "peer-connection"),
    ("I", "local-candidate"),
)


def type_from_id(stats_id: str) -> str:
    """Guess a stats type from a Chrome stats id (for dumps without statsType)."""
    for prefix, t in _TYPE_PREFIXES:
        if stats_id.startswith(prefix):
            return t
    return "unknown"


def expand_object_series(name: str, s: Series) -> dict[str, Series]:
    """Split a string series of JSON objects ('{"cpu":1,...}') into numeric sub-series."""
    texts = s.values
    if isinstance(texts, np.ndarray) or not texts or not str(texts[-1]).startswith("{"):
        return {}
    cols = _same_key_columns(texts)
    if cols is None:
        cols = _columns(_parse_objects(texts), len(texts))
    out: dict[str, Series] = {}
    for k, col in list(cols.items())[:32]:
        sub = to_series(s.ts, col)
        if sub is not None:
            out[f"{name}.{k}"] = sub
    return out


_CHUNK = 256  # objects alive at once: well below the collector's threshold (700): no GC pass


def _same_key_columns(texts: list[str]) -> dict[str, list[Any]] | None:
    """Columns of JSON-object texts that all have the same keys (the usual case), else None.

    Parsed a chunk at a time with C loops (map) instead of Python loops per sample.
    """
    if not all(map(str.startswith, texts, repeat("{"))):
        return None
    cols: dict[str, list[Any]] = {}
    keys: Any = None
    for i in range(0, len(texts), _CHUNK):
        chunk = texts[i : i + _CHUNK]
        try:
            objs = orjson.loads("[" + ",".join(chunk) + "]")
            if keys is None:
                keys = objs[0].keys()
                cols = {k: [] for k in keys}
            same = len(objs) == len(chunk) and all(map(keys.__eq__, map(dict.keys, objs)))
        except (orjson.JSONDecodeError, TypeError, AttributeError):  # not all objects
            return None
        if not same:
            return None
        for k, col in cols.items():
            col.extend(map(itemgetter(k), objs))
        del objs  # before the next chunk is parsed
    return cols


def _parse_objects(texts: list[str]) -> list[Any]:
    try:  # one C-level parse for the whole column instead of one per sample
        joined = ",".join(v if v.startswith("{") else "null" for v in texts)
        objs: list[Any] = orjson.loads("[" + joined + "]")
    except orjson.JSONDecodeError:
        objs = []
        for text in texts:
            try:
                objs.append(orjson.loads(text) if text.startswith("{") else None)
            except orjson.JSONDecodeError:
                objs.append(None)
    return objs


def _columns(objs: list[Any], n: int) -> dict[str, list[Any]]:
    """Column lists of a list of JSON objects (None where a sample lacks the key)."""
    cols: dict[str, list[Any]] = {}
    for i, obj in enumerate(objs):
        if not isinstance(obj, dict):
            continue
        for k, v in obj.items():
            col = cols.get(k)
            if col is None:
                col = cols[k] = [None] * n
            col[i] = v
    return cols
