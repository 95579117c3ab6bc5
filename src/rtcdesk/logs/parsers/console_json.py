"""Browser console exports as JSON: an array, JSON Lines, or ``{"entries": [...]}``.

An entry is a console message object as Chrome DevTools Protocol (``Log.entryAdded`` /
``Runtime.consoleAPICalled``, also wrapped in ``{"method", "params"}``) and WebDriver's
``get_log('browser')`` write it: ``level``/``type``, ``text``/``message``/``args``,
``timestamp`` (epoch ms or s, or ISO 8601), ``source``/``url``. Entries are decoded one at a
time from the streamed text, so memory stays bounded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from rtcdesk.logs.model import LogEvent
from rtcdesk.logs.parsers.formats import level_of
from rtcdesk.logs.parsers.timefix import TimeContext

_DECODER = json.JSONDecoder()
MAX_ENTRY_CHARS = 4 * 1024 * 1024
_SEPARATORS = " \t\r\n,[]"


def _entry(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    params = value.get("params")
    if isinstance(params, dict):
        value = params.get("entry") if isinstance(params.get("entry"), dict) else params
    entry = value.get("entry")
    if isinstance(entry, dict):
        value = entry
    if not isinstance(value, dict) or not any(
        k in value for k in ("text", "message", "msg", "args")
    ):
        return None
    out: dict[str, Any] = value
    return out


def looks_like_console_json(head: str) -> bool:
    """Whether the text starts with a console entry (or a list or wrapper of them)."""
    text = head.lstrip("[ \t\r\n")
    try:
        value, _ = _DECODER.raw_decode(text)
    except (ValueError, RecursionError):
        return False
    if isinstance(value, dict) and isinstance(value.get("entries"), list):
        return True
    return _entry(value) is not None


def _message(e: dict[str, Any]) -> str:
    for key in ("text", "message", "msg"):
        v = e.get(key)
        if isinstance(v, str):
            return v
    args = e.get("args")
    if isinstance(args, list):
        parts = []
        for a in args[:20]:
            if isinstance(a, dict):
                a = a.get("value", a.get("description", ""))
            parts.append(a if isinstance(a, str) else json.dumps(a, ensure_ascii=False)[:500])
        return " ".join(parts)
    return ""


def _time(v: Any, ctx: TimeContext) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        if v != v or abs(v) > 1e16:
            return None
        return float(v) * 1000.0 if abs(v) < 1e11 else float(v)
    if isinstance(v, str) and 10 <= len(v) <= 40:
        try:
            return ctx.exact(datetime.fromisoformat(v.replace("Z", "+00:00")))
        except (ValueError, OverflowError):
            return None
    return None


def to_event(e: dict[str, Any], line: int, ctx: TimeContext) -> LogEvent:
    """A console entry as a log event."""
    level = e.get("level", e.get("type", "info"))
    source = e.get("source", e.get("url", ""))
    ts = _time(e.get("timestamp", e.get("time", e.get("ts"))), ctx)
    return LogEvent(
        line=line,
        ts_ms=ts,
        level=level_of(level) if isinstance(level, str) else "info",
        source=source[:200] if isinstance(source, str) else "",
        message=_message(e)[:10_000],
    )


def iter_entries(chunks: Iterator[str], ctx: TimeContext, stats: list[int]) -> Iterator[LogEvent]:
    """Events of a JSON console export; ``stats`` gets [lines seen, unreadable entries]."""
    buf = ""
    pos = 0
    line = 1
    exhausted = False
    wrapper_list: list[Any] | None = None
    while True:
        while pos < len(buf) and buf[pos] in _SEPARATORS:
            if buf[pos] == "\n":
                line += 1
            pos += 1
        if pos >= len(buf) or (not exhausted and len(buf) - pos < MAX_ENTRY_CHARS // 4):
            if not exhausted:
                nxt = next(chunks, None)
                if nxt is None:
                    exhausted = True
                else:
                    buf = buf[pos:] + nxt
                    pos = 0
                    continue
            if pos >= len(buf):
                break
        try:
            value, end = _DECODER.raw_decode(buf, pos)
        except (ValueError, RecursionError):
            if not exhausted and len(buf) - pos < MAX_ENTRY_CHARS:
                nxt = next(chunks, None)
                if nxt is None:
                    exhausted = True
                else:
                    buf = buf[pos:] + nxt
                    pos = 0
                continue
            stats[1] += 1
            nl = buf.find("\n", pos)
            if nl < 0:
                break
            pos = nl
            continue
        line_of = line
        line += buf.count("\n", pos, end)
        pos = end
        if isinstance(value, dict) and isinstance(value.get("entries"), list):
            wrapper_list = value["entries"]
            for i, item in enumerate(wrapper_list):
                e = _entry(item)
                if e is None:
                    stats[1] += 1
                    continue
                yield to_event(e, i + 1, ctx)
            continue
        e = _entry(value)
        if e is None:
            stats[1] += 1
            continue
        yield to_event(e, line_of, ctx)
    stats[0] = line
