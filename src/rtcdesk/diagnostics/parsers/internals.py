"""Chrome ``chrome://webrtc-internals`` dumps: current, older standard, legacy goog."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import numpy as np
import orjson

from rtcdesk.core.errors import InvalidInput
from rtcdesk.diagnostics.model import Dump, MediaRequest, PeerConnection, Series, StatsObject
from rtcdesk.diagnostics.parsers.common import (
    UNNAMED,
    Progress,
    expand_object_series,
    last_text,
    make_event,
    parse_rtc_config,
    parse_time,
    to_series,
    type_from_id,
)
from rtcdesk.diagnostics.parsers.lazy import LazyProps
from rtcdesk.diagnostics.parsers.legacy import convert_legacy, is_legacy_key


def parse_internals(text: bytes, progress: Progress | None = None) -> Dump:
    """Parse a webrtc-internals JSON dump (any Chrome version) into a Dump."""
    salvaged: int | None = None
    try:
        doc = msgspec.json.decode(text)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        doc, salvaged = _salvage(text) if "truncated" in str(exc) else (None, None)
        if doc is None:
            raise InvalidInput(
                "{name} is not valid JSON ({reason}). It may be truncated: save the dump "
                "again from chrome://webrtc-internals.",
                params={"name": UNNAMED, "reason": str(exc)},
                details={"where": str(exc)},
            ) from exc
    if not isinstance(doc, dict):
        raise InvalidInput(
            "{name} is not a webrtc-internals dump: it must be a JSON object at the top level.",
            params={"name": UNNAMED},
        )
    pcs = doc.get("PeerConnections")
    if not isinstance(pcs, dict):
        raise InvalidInput(
            "{name} is not a webrtc-internals dump: it has no 'PeerConnections' object.",
            params={"name": UNNAMED},
        )
    dump = Dump(format="webrtc-internals")
    if salvaged is not None:
        dump.warnings.append(
            f"The dump is truncated after byte {len(text)}; read the first {salvaged} bytes "
            "(the last, incomplete part is missing)."
        )
    ua = doc.get("UserAgent")
    dump.user_agent = ua if isinstance(ua, str) else ""
    _parse_gum(doc.get("getUserMedia"), dump)
    total = sum(len(p.get("stats") or {}) for p in pcs.values() if isinstance(p, dict)) or 1
    done = 0
    legacy_any = False
    for pc_id, raw in pcs.items():
        if not isinstance(raw, dict):
            dump.warnings.append(f"PeerConnections['{pc_id}'] is not an object; skipped.")
            continue
        pc = dump.pc(str(pc_id))
        url = raw.get("url")
        pc.url = url if isinstance(url, str) else ""
        pc.config = parse_rtc_config(raw.get("rtcConfiguration"))
        _parse_update_log(raw.get("updateLog"), pc, dump)
        stats = raw.get("stats")
        if stats is None:
            continue
        if not isinstance(stats, dict):
            dump.warnings.append(f"PeerConnections['{pc_id}'].stats is not an object; skipped.")
            continue
        legacy = any(is_legacy_key(k) for k in list(stats)[:200])
        legacy_any |= legacy
        done = _parse_stats(stats, pc, dump, progress, done, total)
        if legacy:
            convert_legacy(pc)
    if legacy_any:
        dump.format = "webrtc-internals-legacy"
    return dump


_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[{}\[\]]')


def _salvage(text: bytes) -> tuple[Any, int | None]:
    """Cut a truncated JSON document after its last complete object/array and close it."""
    last = -1
    for m in _TOKENS.finditer(text):
        if m.group() in (b"}", b"]"):
            last = m.start()
    if last < 0:
        return None, None
    stack: list[bytes] = []
    for m in _TOKENS.finditer(text, 0, last + 1):
        tok = m.group()
        if tok in (b"{", b"["):
            stack.append(b"}" if tok == b"{" else b"]")
        elif tok in (b"}", b"]") and stack:
            stack.pop()
    fixed = text[: last + 1] + b"".join(reversed(stack))
    try:
        return msgspec.json.decode(fixed), last + 1
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None, None


def _parse_gum(entries: Any, dump: Dump) -> None:
    if not isinstance(entries, list):
        return
    for e in entries:
        if not isinstance(e, dict):
            continue
        ts = parse_time(e.get("timestamp")) or 0.0
        kind = e.get("request_type")
        if "audio" not in e and "video" not in e and "error" not in e:
            continue  # a success entry with track info only
        err = e.get("error")
        dump.media_requests.append(
            MediaRequest(
                ts=ts,
                kind=kind if isinstance(kind, str) else "getUserMedia",
                audio=e.get("audio"),
                video=e.get("video"),
                error=str(err) if err is not None else None,
            )
        )


def _parse_update_log(log: Any, pc: PeerConnection, dump: Dump) -> None:
    if not isinstance(log, list):
        if log is not None:
            dump.warnings.append(f"PC {pc.id}: updateLog is not a list; events skipped.")
        return
    for i, e in enumerate(log):
        if not isinstance(e, dict):
            continue
        ts = parse_time(e.get("timestamp"))
        if ts is None:
            ts = parse_time(e.get("time"))
        t = e.get("type")
        if ts is None or not isinstance(t, str):
            dump.warnings.append(f"PC {pc.id}: updateLog[{i}] has no usable time/type; skipped.")
            continue
        pc.events.append(make_event(ts, t, e.get("value")))
    pc.events.sort(key=lambda ev: ev.ts)


def _split_key(key: str) -> tuple[str, str] | None:
    i = key.rfind("-[") if key.endswith("]") else key.rfind("-")
    if i <= 0:
        return None
    return key[:i], key[i + 1 :]


def _decode_values(raw: Any) -> list[Any] | None:
    if isinstance(raw, list):
        return raw
    if not isinstance(raw, str):
        return None
    try:
        v = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:
            v = msgspec.json.decode(raw)  # big integers beyond 64 bit
        except msgspec.DecodeError:
            return None
    return v if isinstance(v, list) else None


def _parse_stats(
    stats: dict[str, Any],
    pc: PeerConnection,
    dump: Dump,
    progress: Progress | None,
    done: int,
    total: int,
) -> int:
    grouped: dict[str, dict[str, dict[str, Any]]] = {}
    types: dict[str, str] = {}
    bad = 0
    for key, entry in stats.items():
        done += 1
        if progress is not None and done % 512 == 0:
            progress(0.8 * done / total)
        split = _split_key(key)
        if split is None or not isinstance(entry, dict):
            bad += 1
            continue
        sid, prop = split
        if prop.startswith("[") and prop != "[codec]":
            continue  # Chrome's computed columns: we derive our own from the counters
        st = entry.get("statsType")
        if isinstance(st, str):
            types[sid] = st
        grouped.setdefault(sid, {})[prop] = entry
    if bad:
        dump.warnings.append(f"PC {pc.id}: {bad} malformed stats entries skipped.")
    seen: dict[tuple[int, str, str], tuple[str, Any, Any]] = {}
    for sid, props in grouped.items():
        obj = StatsObject(id=sid, type=types.get(sid) or type_from_id(sid))
        pc.stats[sid] = obj
        own_ts, obj.ts_hint = _own_timestamps(props.pop("timestamp", None), pc, sid, dump, seen)
        lazy = LazyProps(_decoder(pc.id, own_ts, dump), _peeker(own_ts))
        lazy.add_pending_all(props)
        obj.props = lazy
    return done


def _own_timestamps(
    entry: Any, pc: PeerConnection, sid: str, dump: Dump, seen: dict[Any, tuple[str, Any, Any]]
) -> tuple[Any, tuple[float, float] | None]:
    """An object's timestamps and their finite range, decoded once per distinct column.

    The objects of a connection mostly share their sampling times (the same getStats()
    calls): an identical ``values`` text is not parsed again (arrays are never modified).
    """
    if entry is None:
        return None, None
    raw = entry.get("values")
    key = (len(raw), raw[:40], raw[-40:]) if isinstance(raw, str) else None
    hit = seen.get(key) if key is not None else None
    if hit is not None and hit[0] == raw:
        return hit[1], hit[2]
    values = _decode_values(raw)
    try:
        own = np.asarray(values, dtype=np.float64)
    except (ValueError, TypeError, OverflowError):
        own = None
    if own is None or own.ndim != 1:
        dump.warnings.append(f"PC {pc.id}: '{sid}-timestamp' is not numeric; ignored.")
        return None, None
    fin = own if np.isfinite(own).all() else own[np.isfinite(own)]
    hint = (float(fin.min()), float(fin.max())) if len(fin) else None
    if key is not None:
        seen[key] = (raw, own, hint)
    return own, hint


def _decoder(pc_id: str, own_ts: Any, dump: Dump) -> Any:
    def decode(prop: str, entry: dict[str, Any]) -> dict[str, Series]:
        values = _decode_values(entry.get("values"))
        if values is None:
            if sum("is unreadable" in w for w in dump.warnings) < 5:
                dump.warnings.append(f"PC {pc_id}: stats '{prop[:80]}' values are unreadable.")
            return {}
        ts = _timestamps(entry, len(values), own_ts)
        s = to_series(ts, values) if ts is not None else None
        if s is None:
            return {}
        out = {prop: s}
        if not s.numeric:
            out.update(expand_object_series(prop, s))
        return out

    return decode


def _peeker(own_ts: Any) -> Any:
    def peek(prop: str, entry: dict[str, Any]) -> tuple[str | None] | None:
        values = _decode_values(entry.get("values"))
        if values is None:
            return None  # unreadable: the full decode reports it
        ts = _timestamps(entry, len(values), own_ts)
        return (None if ts is None else last_text(ts, values),)

    return peek


def _timestamps(entry: dict[str, Any], n: int, own: np.ndarray[Any, Any] | None) -> Any:
    if n == 0:
        return None
    if own is not None and len(own) > 0:
        if len(own) == n:
            return own
        start = parse_time(entry.get("startTime"))
        if start is not None and len(own) > n:
            i = int(np.searchsorted(own, start - 500.0))
            if i + n <= len(own):
                return own[i : i + n]
        return own[-n:] if len(own) >= n else None
    start = parse_time(entry.get("startTime"))
    end = parse_time(entry.get("endTime"))
    if start is None:
        if end is None:
            return None
        start = end - 1000.0 * (n - 1)
    # Older dumps carry no per-sample time: assume the 1 s polling of webrtc-internals.
    return start + 1000.0 * np.arange(n, dtype=np.float64)
