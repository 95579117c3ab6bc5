"""The line grammars of the text log formats rtcdesk reads (docs/logs.md, "Formats").

Each grammar is an anchored regular expression for one header line and a function that turns
its match into (epoch ms, level, source, message). Lines that do not match the grammar
continue the previous entry (stack traces, multi-line messages).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rtcdesk.logs.parsers.timefix import TimeContext, fraction_us, parse_offset

Parsed = tuple[float | None, str, str, str]
Parse = Callable[["re.Match[str]", TimeContext], Parsed | None]

_LEVEL_WORDS = {
    "v": "debug", "verbose": "debug", "trace": "debug", "d": "debug", "debug": "debug",
    "db": "debug", "i": "info", "info": "info", "in": "info", "default": "info", "df": "info",
    "notice": "info", "log": "info", "w": "warning", "warn": "warning", "warning": "warning",
    "e": "error", "er": "error", "error": "error", "severe": "error", "err": "error",
    "f": "fatal", "fatal": "fatal", "ft": "fatal", "fault": "fatal", "a": "fatal",
    "critical": "fatal",
}  # fmt: skip
_KEY_VALUE = re.compile(
    r"""(?<![\w.-])([A-Za-z_][\w.-]{0,63})=("(?:[^"\\]|\\.){0,256}"|[^\s,;]+)"""
)
_GUESS_ERROR = re.compile(r"(?i)\b(error|failed|failure|exception|denied|fatal)\b")
_GUESS_WARN = re.compile(r"(?i)\bwarn(ing)?\b")


def level_of(word: str) -> str:
    """The normalised level of a level word or letter ('VERBOSE2' and 'W' included)."""
    w = word.strip().lower()
    if w.startswith("verbose"):
        return "debug"
    return _LEVEL_WORDS.get(w, "info")


def guess_level(message: str) -> str:
    """A level for formats that write none, from the words of the message."""
    if _GUESS_ERROR.search(message):
        return "error"
    if _GUESS_WARN.search(message):
        return "warning"
    return "info"


def key_values(message: str) -> dict[str, str]:
    """The ``key=value`` pairs of a message (quoted values unquoted), at most 32."""
    out: dict[str, str] = {}
    for m in _KEY_VALUE.finditer(message):
        value = m.group(2)
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = value[1:-1].replace('\\"', '"')
        out[m.group(1)] = value
        if len(out) >= 32:
            break
    return out


def _ymd(m: re.Match[str], ctx: TimeContext, first: int, offset: str | None) -> float | None:
    """Epoch ms from groups year, month, day, hour, minute, second, fraction at ``first``."""
    g = m.groups()
    try:
        zone = parse_offset(offset) if offset else None
        dt = datetime(
            int(g[first]), int(g[first + 1]), int(g[first + 2]),
            int(g[first + 3]), int(g[first + 4]), min(int(g[first + 5]), 59),
            fraction_us(g[first + 6]), tzinfo=zone,
        )  # fmt: skip
    except (ValueError, OverflowError):
        return None
    return ctx.exact(dt)


def _chromium(m: re.Match[str], ctx: TimeContext) -> Parsed | None:
    mo, d, h, mi, s, frac, level, file, line, msg = m.groups()
    ts = ctx.no_year(int(mo), int(d), int(h), int(mi), min(int(s), 59), fraction_us(frac))
    if ts is None:
        return None
    return ts, level_of(level), f"{file}({line})", msg


def _rtc_sdk(m: re.Match[str], ctx: TimeContext) -> Parsed | None:
    ts = _ymd(m, ctx, 0, m.group(8))
    if ts is None:
        return None
    return ts, level_of(m.group(9)), m.group(10), m.group(11)


def _windows(m: re.Match[str], ctx: TimeContext) -> Parsed | None:
    ts = _ymd(m, ctx, 0, m.group(8))
    if ts is None:
        return None
    return ts, level_of(m.group(10)), m.group(11), m.group(12)


def _electron(m: re.Match[str], ctx: TimeContext) -> Parsed | None:
    ts = _ymd(m, ctx, 0, None)
    if ts is None:
        return None
    return ts, level_of(m.group(8)), m.group(9) or "", m.group(10)


def _logcat_threadtime(m: re.Match[str], ctx: TimeContext) -> Parsed | None:
    year, mo, d, h, mi, s, frac, _pid, _tid, level, tag, msg = m.groups()
    if year:
        try:
            dt = datetime(int(year), int(mo), int(d), int(h), int(mi), min(int(s), 59))  # noqa: DTZ001 (the context gives the zone)
        except ValueError:
            return None
        ts: float | None = ctx.exact(dt) + int(frac)
    else:
        ts = ctx.no_year(int(mo), int(d), int(h), int(mi), min(int(s), 59), fraction_us(frac))
    if ts is None:
        return None
    return ts, level_of(level), tag.strip(), msg


def _logcat_brief(m: re.Match[str], _ctx: TimeContext) -> Parsed | None:
    level, tag, _pid, msg = m.groups()
    return None, level_of(level), tag.strip(), msg


def _apple_unified(m: re.Match[str], ctx: TimeContext) -> Parsed | None:
    ts = _ymd(m, ctx, 0, m.group(8))
    if ts is None:
        return None
    rest = m.group(10)
    source, sep, msg = rest.partition(": ")
    if not sep or len(source) > 120:
        source, msg = "", rest
    return ts, level_of(m.group(9)), source, msg


def _apple_compact(m: re.Match[str], ctx: TimeContext) -> Parsed | None:
    ts = _ymd(m, ctx, 0, None)
    if ts is None:
        return None
    return ts, level_of(m.group(8)), m.group(9), m.group(10)


def _xcode(m: re.Match[str], ctx: TimeContext) -> Parsed | None:
    ts = _ymd(m, ctx, 0, m.group(8))
    if ts is None:
        return None
    msg = m.group(10)
    return ts, guess_level(msg), m.group(9), msg


def _console_text(m: re.Match[str], ctx: TimeContext) -> Parsed | None:
    h, mi, s, ms, source, msg = m.groups()
    ts = ctx.time_only(int(h), int(mi), int(s), int(ms) * 1000) if h is not None else None
    if h is not None and ts is None:
        return None
    return ts, guess_level(msg), source, msg


_YMD = r"(\d{4})-(\d\d)-(\d\d)"
_HMS = r"(\d\d):(\d\d):(\d\d)"


@dataclass(frozen=True, slots=True)
class Grammar:
    """One header-line grammar."""

    pattern: re.Pattern[str]
    parse: Parse


@dataclass(frozen=True, slots=True)
class LineFormat:
    """A text log format: its name, its grammars (the first is its own), a label pair."""

    name: str
    label: tuple[str, str]
    grammars: tuple[Grammar, ...]
    timed: bool = True


def _g(pattern: str, parse: Parse) -> Grammar:
    return Grammar(re.compile(pattern), parse)


CHROMIUM = _g(
    r"^\[(?:\d+:){0,2}(\d\d)(\d\d)/(\d\d)(\d\d)(\d\d)\.(\d{1,6}):(?:\d+:)?([A-Z][A-Z0-9_]*)"
    r":([^\]()]{1,200})\((\d+)\)\] ?(.*)$",
    _chromium,
)
TEXT_FORMATS: tuple[LineFormat, ...] = (
    LineFormat("chromium", ("Chromium / libwebrtc log", "Chromium / libwebrtc 日志"), (CHROMIUM,)),
    LineFormat(
        "rtc-sdk",
        ("RTC SDK log (generic line format)", "RTC SDK 日志（通用行格式）"),
        (
            _g(
                rf"^{_YMD}T{_HMS}(?:[.,](\d{{1,9}}))?(Z|[+-]\d\d(?::?\d\d)?)? +"
                r"(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|[VDIWEF]) +\[([^\]]{1,64})\] ?(.*)$",
                _rtc_sdk,
            ),
        ),
    ),
    LineFormat(
        "windows-app",
        ("Windows app log", "Windows 应用日志"),
        (
            _g(
                rf"^{_YMD} {_HMS}[.,](\d{{1,7}})(?: ?(Z|[+-]\d\d:?\d\d))? +\[([^\]]{{0,64}})\] +"
                r"(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL) +(\S{1,200}?) +- +(.*)$",
                _windows,
            ),
        ),
    ),
    LineFormat(
        "electron",
        ("Electron app log", "Electron 应用日志"),
        (
            _g(
                rf"^\[{_YMD} {_HMS}\.(\d{{1,6}})\] \[(\w{{1,16}})\] +(?:\(([^)]{{1,64}})\) )?(.*)$",
                _electron,
            ),
            CHROMIUM,
        ),
    ),
    LineFormat(
        "logcat-threadtime",
        ("Android logcat (threadtime)", "Android logcat（threadtime）"),
        (
            _g(
                r"^(?:(\d{4})-)?(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) +(\d+) +(\d+) "
                r"([VDIWEFA]) ([^:]{0,200}?) ?: ?(.*)$",
                _logcat_threadtime,
            ),
        ),
    ),
    LineFormat(
        "logcat-brief",
        ("Android logcat (brief)", "Android logcat（brief）"),
        (_g(r"^([VDIWEFA])/([^(]{0,200}?)\( *(\d+)\): ?(.*)$", _logcat_brief),),
        timed=False,
    ),
    LineFormat(
        "apple-unified",
        ("Apple unified log (log show)", "Apple 统一日志（log show）"),
        (
            _g(
                rf"^{_YMD} {_HMS}\.(\d{{1,6}})([+-]\d{{4}}) +0x[0-9a-f]+ +"
                r"(Default|Info|Debug|Error|Fault|Activity|Signpost|Notice) +0x[0-9a-f]+ +"
                r"\d+ +\d+ +(.*)$",
                _apple_unified,
            ),
            _g(
                rf"^{_YMD} {_HMS}\.(\d{{1,6}}) (Df|In|Db|Er|Ft|E|F|I|A) +"
                r"(\S{1,200}?)\[\d+:[0-9a-fx]+\] ?(.*)$",
                _apple_compact,
            ),
        ),
    ),
    LineFormat(
        "xcode",
        ("Xcode console", "Xcode 控制台"),
        (
            _g(
                rf"^{_YMD} {_HMS}\.(\d{{1,6}})([+-]\d{{4}})? "
                r"(\S{1,200}?)\[\d+:[0-9a-fx]+\] ?(.*)$",
                _xcode,
            ),
        ),
    ),
    LineFormat(
        "console-text",
        ("Browser console export (text)", "浏览器控制台导出（文本）"),
        (
            _g(
                r"^(?:(\d\d):(\d\d):(\d\d)\.(\d{3}) )?"
                r"((?:VM\d+|\(index\)|[\w.@~/%+-]{1,200}\.(?:js|mjs|ts|jsx|tsx|html|vue))"
                r":\d+(?::\d+)?) (.*)$",
                _console_text,
            ),
        ),
    ),
)
BY_NAME: dict[str, LineFormat] = {f.name: f for f in TEXT_FORMATS}
CONSOLE_JSON_LABEL = ("Browser console export (JSON)", "浏览器控制台导出（JSON）")
FORMAT_LABELS: dict[str, tuple[str, str]] = {
    **{f.name: f.label for f in TEXT_FORMATS},
    "console-json": CONSOLE_JSON_LABEL,
}
