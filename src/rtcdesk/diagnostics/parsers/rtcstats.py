"""rtcstats line-format dumps: Jitsi rtcstats-server and rtcstats.com ``RTCStatsDump`` v3."""

from __future__ import annotations

import copy
from typing import Any

import orjson

from rtcdesk.core.errors import InvalidInput
from rtcdesk.diagnostics.model import Dump, MediaRequest
from rtcdesk.diagnostics.parsers.common import (
    UNNAMED,
    Progress,
    make_event,
    parse_rtc_config,
    parse_time,
)
from rtcdesk.diagnostics.parsers.legacy import convert_legacy
from rtcdesk.diagnostics.parsers.rtcstats_tables import METHODS, PROPERTIES, STATS_TYPES
from rtcdesk.diagnostics.parsers.snapshots import SnapshotAccumulator

MAX_BAD_LINES_SHOWN = 5
V3_MAGIC = b"RTCStatsDump\n"


class _LineReader:
    """Yields parsed JSON lines, collecting errors as warnings with line numbers."""

    def __init__(self, text: bytes, first_line_no: int, dump: Dump) -> None:
        self.lines = text.split(b"\n")
        self.first = first_line_no
        self.dump = dump
        self.bad = 0
        self.good = 0

    def __iter__(self) -> Any:
        n = len(self.lines)
        for i, raw in enumerate(self.lines):
            line = raw.strip()
            if not line:
                continue
            try:
                v = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                self.bad += 1
                if self.bad <= MAX_BAD_LINES_SHOWN:
                    where = "last line (truncated?)" if i == n - 1 else f"line {i + self.first}"
                    self.dump.warnings.append(f"{where}: not valid JSON ({exc.msg}); skipped.")
                continue
            if not isinstance(v, list) or len(v) < 3:
                self.bad += 1
                if self.bad <= MAX_BAD_LINES_SHOWN:
                    self.dump.warnings.append(
                        f"line {i + self.first}: expected [method, pc, value, time]; skipped."
                    )
                continue
            self.good += 1
            yield i + self.first, v

    def finish(self) -> None:
        """Fail if nothing was readable; summarise skipped lines otherwise."""
        if self.good == 0 and self.bad > 0:
            raise InvalidInput(
                "{name} has no readable rtcstats lines: all {count} lines are malformed "
                "(first problem: {problem}).",
                params={
                    "name": UNNAMED,
                    "count": self.bad,
                    "problem": self.dump.warnings[0] if self.dump.warnings else "unknown",
                },
            )
        if self.bad > MAX_BAD_LINES_SHOWN:
            self.dump.warnings.append(f"{self.bad} malformed lines in all were skipped.")


def parse_jitsi(text: bytes, progress: Progress | None = None) -> Dump:
    """Parse a Jitsi rtcstats-server dump (``connectionInfo`` header, absolute times)."""
    dump = Dump(format="rtcstats-jitsi")
    acc = SnapshotAccumulator()
    base: dict[str, dict[str, dict[str, Any]]] = {}
    protocol = 3
    reader = _LineReader(text, 1, dump)
    total = len(reader.lines) or 1
    for line_no, item in reader:
        method, pc_raw, value = item[0], item[1], item[2]
        ts = parse_time(item[-1]) if len(item) >= 4 else None
        if not isinstance(method, str):
            continue
        if method == "connectionInfo":
            info = _maybe_json(value)
            if isinstance(info, dict):
                ua = info.get("userAgent")
                dump.user_agent = ua if isinstance(ua, str) else dump.user_agent
                cp = str(info.get("clientProtocol", "3")).split(".")[0].split("_")[0]
                protocol = int(cp) if cp.isdigit() else 3
            continue
        if ts is None:
            dump.warnings.append(f"line {line_no}: no usable timestamp; skipped.")
            continue
        pc_id = None if pc_raw is None else str(pc_raw)
        if method == "getstats" or method == "getStats":
            if pc_id is None or not isinstance(value, dict):
                continue
            state = base.setdefault(pc_id, {})
            _jitsi_merge(state, value, ts, protocol)
            acc.add_snapshot(pc_id, state, ts)
        else:
            _event(dump, method, pc_id, value, ts)
        if progress is not None and line_no % 2000 == 0:
            progress(0.8 * line_no / total)
    reader.finish()
    acc.build_into(dump)
    _finish(dump)
    return dump


def _jitsi_merge(
    state: dict[str, dict[str, Any]], delta: dict[str, Any], ts: float, protocol: int
) -> None:
    top = parse_time(delta.get("timestamp")) or ts
    if protocol >= 3:
        for sid in [k for k in state if k not in delta]:
            del state[sid]
    for sid, report in delta.items():
        if sid == "timestamp" or not isinstance(report, dict):
            continue
        old = state.get(sid)
        rts = report.get("timestamp")
        if old is None:
            new = dict(report)
            if not rts:
                new["timestamp"] = top
            state[sid] = new
        else:
            old.update(report)
            if rts == 0:
                old["timestamp"] = top


def parse_v3(text: bytes, progress: Progress | None = None) -> Dump:
    """Parse an rtcstats.com ``RTCStatsDump`` v3 file (delta times, compressed stats)."""
    dump = Dump(format="rtcstats-v3")
    body = text[len(V3_MAGIC) :]
    nl = body.find(b"\n")
    header_raw = body if nl < 0 else body[:nl]
    try:
        header = orjson.loads(header_raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(
            "{name}: line 2 of the RTCStatsDump is not a JSON object ({reason}).",
            params={"name": UNNAMED, "reason": exc.msg},
        ) from exc
    if not isinstance(header, dict):
        raise InvalidInput(
            "{name}: line 2 of the RTCStatsDump must be a JSON object (the metadata).",
            params={"name": UNNAMED},
        )
    fmt = header.get("fileFormat")
    if fmt not in (3, "3", None):
        dump.warnings.append(f"fileFormat {fmt!r} is not 3; read as version 3.")
    ua = header.get("userAgent")
    dump.user_agent = ua if isinstance(ua, str) else ""
    acc = SnapshotAccumulator()
    base: dict[str, dict[str, dict[str, Any]]] = {}
    now = 0.0
    reader = _LineReader(b"" if nl < 0 else body[nl + 1 :], 3, dump)
    total = len(reader.lines) or 1
    for line_no, item in reader:
        dt = item[-1]
        if isinstance(dt, bool) or not isinstance(dt, int | float) or len(item) < 4:
            dump.warnings.append(f"line {line_no}: no time delta at the end; skipped.")
            continue
        now += float(dt)
        method = METHODS.get(str(item[0]), str(item[0]))
        pc_id = None if item[1] is None else str(item[1])
        value = item[2]
        if method == "getStats":
            if pc_id is None or not isinstance(value, dict):
                continue
            state = base.setdefault(pc_id, {})
            _v3_merge(state, value, now)
            acc.add_snapshot(pc_id, state, now)
        else:
            _event(dump, method, pc_id, value, now)
        if progress is not None and line_no % 2000 == 0:
            progress(0.8 * line_no / total)
    reader.finish()
    acc.build_into(dump)
    _finish(dump)
    return dump


def _v3_report(report: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in report.items():
        name = PROPERTIES.get(k, k)
        if name == "type" and not isinstance(v, str | type(None)):
            v = STATS_TYPES.get(str(v), str(v))
        elif name == "type" and isinstance(v, str):
            v = STATS_TYPES.get(v, v)
        out[name] = v
    return out


def _v3_merge(state: dict[str, dict[str, Any]], delta: dict[str, Any], now: float) -> None:
    top = delta.get("t")
    top_ts = parse_time(top) if top is not None else now
    for sid, report in delta.items():
        if sid == "t":
            continue
        if report is None:
            state.pop(sid, None)
            continue
        if not isinstance(report, dict):
            continue
        rep = _v3_report(report)
        old = state.get(sid)
        if old is None:
            state[sid] = rep
        else:
            for k, v in rep.items():
                if isinstance(v, dict) and isinstance(old.get(k), dict):
                    merged = copy.copy(old[k])
                    merged.update(v)
                    old[k] = merged
                else:
                    old[k] = v
            if "timestamp" not in rep:
                old["timestamp"] = top_ts
        if "timestamp" not in state[sid]:
            state[sid]["timestamp"] = top_ts
    for sid, rep in state.items():
        if sid not in delta:
            rep["timestamp"] = top_ts


def _maybe_json(v: Any) -> Any:
    if isinstance(v, str) and v[:1] in ("{", "["):
        try:
            return orjson.loads(v)
        except orjson.JSONDecodeError:
            return v
    return v


def _event(dump: Dump, method: str, pc_id: str | None, value: Any, ts: float) -> None:
    value = _maybe_json(value)
    short = method.rsplit(".", 1)[-1]
    if short in ("getUserMedia", "getDisplayMedia") and isinstance(value, dict):
        dump.media_requests.append(
            MediaRequest(ts=ts, kind=short, audio=value.get("audio"), video=value.get("video"))
        )
        return
    if short in ("getUserMediaOnFailure", "getDisplayMediaOnFailure"):
        dump.media_requests.append(MediaRequest(ts=ts, kind=short, error=str(value)))
        return
    if pc_id is None:
        if method == "create" and isinstance(value, dict):
            ua = value.get("userAgent")
            if isinstance(ua, str):
                dump.user_agent = ua
        return
    pc = dump.pc(pc_id)
    if method == "create":
        pc.config = parse_rtc_config(value)
        return
    pc.events.append(make_event(ts, method, value))


def _finish(dump: Dump) -> None:
    for pc in dump.peer_connections.values():
        pc.events.sort(key=lambda ev: ev.ts)
        if any(sid.startswith(("ssrc_", "Conn-")) for sid in pc.stats):
            convert_legacy(pc)
