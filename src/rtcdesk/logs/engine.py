"""Public entry points: sniff a log, analyse bytes or a path into a LogReport.

Text formats are scanned chunk by chunk: one combined regular expression of every rule
pattern finds the candidate lines (in C, over 4 MB at a time), and only those lines are
parsed and given to the rules. So memory is bounded by the chunk size, the rule states and
the capped timeline, whatever the file's size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from rtcdesk.core.errors import InvalidInput, RtcdeskError
from rtcdesk.logs.matcher import Matcher, undecodable_lines
from rtcdesk.logs.model import LogEvent
from rtcdesk.logs.parsers.console_json import iter_entries
from rtcdesk.logs.parsers.detect import binary, detect_text, is_binary, unsupported
from rtcdesk.logs.parsers.formats import BY_NAME, LineFormat
from rtcdesk.logs.parsers.reader import (
    DEFAULT_MAX_BYTES,
    HEAD_BYTES,
    UNNAMED,
    Source,
    byte_chunks,
)
from rtcdesk.logs.parsers.timefix import TimeContext
from rtcdesk.logs.report import LogReport, TimelineEvent
from rtcdesk.logs.rules import RuleSet, load_rules
from rtcdesk.logs.sequence import Evaluator
from rtcdesk.logs.summary import build_report

Progress = Callable[[float], None]
MAX_TIMELINE = 2000
LOOKBACK_LINES = 50
_DEFAULT_RULES: RuleSet | None = None


def default_rules() -> RuleSet:
    """The built-in rule pack (loaded once)."""
    global _DEFAULT_RULES
    if _DEFAULT_RULES is None:
        _DEFAULT_RULES = load_rules()
    return _DEFAULT_RULES


def with_file_name(exc: RtcdeskError, filename: str | None) -> RtcdeskError:
    """``exc`` with its ``{name}`` field set to ``filename`` (unchanged without one)."""
    if not filename or "name" not in exc.params:
        return exc
    return type(exc)(
        exc.template, params={**exc.params, "name": filename}, details=exc.details, field=exc.field
    )


def _head(src: Source) -> tuple[bytes, str]:
    raw = src.read(HEAD_BYTES)
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        enc = "utf-16-le" if raw[:2] == b"\xff\xfe" else "utf-16-be"
        text = raw[2:].decode(enc, errors="replace")
    else:
        text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return raw, text


def sniff_log(data: bytes, filename: str | None = None) -> str | None:
    """The log format of ``data`` (plain or gzip), or None; never raises."""
    try:
        src = Source(data[: 4 * HEAD_BYTES] if data[:2] != b"\x1f\x8b" else data)
        try:
            _raw, text = _head(src)
        finally:
            src.close()
        if not text.strip() or is_binary(text):
            return None
        return detect_text(text)
    except (RtcdeskError, OSError, EOFError, ValueError):
        return None


def analyze_bytes(
    data: bytes,
    *,
    reference: datetime,
    filename: str | None = None,
    rules: RuleSet | None = None,
    tz_offset_min: int = 0,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LogReport:
    """Analyse one log given as bytes (plain or gzip); every error names the file."""
    return _analyze(data, reference, filename, rules, tz_offset_min, progress, max_bytes)


def analyze_path(
    path: Path,
    *,
    reference: datetime,
    rules: RuleSet | None = None,
    tz_offset_min: int = 0,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LogReport:
    """Analyse a log file on disk, streamed (the file is never read whole)."""
    if not path.is_file():
        raise InvalidInput("{name} does not exist or is not a file.", params={"name": str(path)})
    return _analyze(path, reference, path.name, rules, tz_offset_min, progress, max_bytes)


def _analyze(
    source: bytes | Path,
    reference: datetime,
    filename: str | None,
    rules: RuleSet | None,
    tz_offset_min: int,
    progress: Progress | None,
    max_bytes: int,
) -> LogReport:
    try:
        src = Source(source, max_bytes)
    except OSError as exc:
        raise InvalidInput(
            "{name} cannot be read: {reason}",
            params={"name": filename or UNNAMED, "reason": exc.strerror or str(exc)},
        ) from exc
    try:
        return _run(src, reference, rules or default_rules(), tz_offset_min, progress)
    except RtcdeskError as exc:
        named = with_file_name(exc, filename)
        if named is exc:
            raise
        raise named from exc
    except OSError as exc:
        raise InvalidInput(
            "{name} cannot be read: {reason}",
            params={"name": filename or UNNAMED, "reason": exc.strerror or str(exc)},
        ) from exc
    finally:
        src.close()


def _run(
    src: Source, reference: datetime, rules: RuleSet, tz_offset_min: int, progress: Progress | None
) -> LogReport:
    raw, head_text = _head(src)
    if not head_text.strip():
        raise InvalidInput("{name} is empty.", params={"name": UNNAMED})
    if is_binary(head_text):
        raise binary()
    fmt = detect_text(head_text)
    if fmt is None:
        raise unsupported()
    ctx = TimeContext(reference, tz_offset_min)
    matcher = matcher_for(rules)
    evaluator = Evaluator(rules.rules, matcher)
    chunks = _with_progress(byte_chunks(src, raw), src, progress)
    scan: _TextScan | _JsonScan = (
        _TextScan(BY_NAME[fmt], matcher, ctx) if fmt in BY_NAME else _JsonScan(matcher, ctx)
    )
    events = scan.events(chunks)
    timeline: list[TimelineEvent] = []
    matched = 0
    levels: dict[str, int] = {}
    for ev, ids in events:
        codes = evaluator.feed(ev, ids)
        matched += 1
        levels[ev.level] = levels.get(ev.level, 0) + 1
        if len(timeline) < MAX_TIMELINE:
            timeline.append(TimelineEvent(ev.line, ev.ts_ms, ev.level, ev.text()[:300], codes))
    evaluator.finish()
    if progress is not None:
        progress(1.0)
    warnings = list(src.warnings)
    lines, skipped = scan.lines, scan.bad_lines
    if matched > MAX_TIMELINE:
        warnings.append(f"The timeline shows the first {MAX_TIMELINE} of {matched} matched events.")
    if skipped:
        warnings.append(
            f"{skipped} unreadable line{'' if skipped == 1 else 's'} (binary or undecodable "
            "data) skipped."
        )
    return build_report(
        fmt=fmt,
        rules=rules,
        fired=evaluator.fired,
        timeline=timeline,
        lines=lines,
        matched=matched,
        skipped=skipped,
        start_ms=scan.first_ts,
        end_ms=scan.last_ts,
        levels=levels,
        warnings=warnings,
        tz_offset_min=tz_offset_min,
        reference=reference,
    )


_MATCHERS: dict[tuple[tuple[str, ...], frozenset[str]], Matcher] = {}
MAX_CACHED_MATCHERS = 8


def matcher_for(rules: RuleSet) -> Matcher:
    """The matcher of a rule set; compiling takes about a second, so rule sets with the same
    patterns (the built-in pack, an unchanged rules folder) share one."""
    key = (tuple(rules.patterns()), frozenset(rules.unless_only()))
    matcher = _MATCHERS.get(key)
    if matcher is None:
        matcher = Matcher(rules)
        if len(_MATCHERS) >= MAX_CACHED_MATCHERS:
            _MATCHERS.pop(next(iter(_MATCHERS)))
        _MATCHERS[key] = matcher
    return matcher


def _with_progress(
    chunks: Iterator[bytes], src: Source, progress: Progress | None
) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk
        if progress is not None:
            progress(src.consumed)


class _TextScan:
    """Finds the lines of a text log that rule patterns match, chunk by chunk."""

    def __init__(self, fmt: LineFormat, matcher: Matcher, ctx: TimeContext) -> None:
        self.fmt = fmt
        self.ctx = ctx
        self.matcher = matcher
        self.lines = 0
        self.bad_lines = 0
        self.first_ts: float | None = None
        self.last_ts: float | None = None
        self._last_header: tuple[float | None, str, str] = (None, "info", "")

    def _parse(self, line: str) -> tuple[float | None, str, str, str] | None:
        for g in self.fmt.grammars:
            m = g.pattern.match(line)
            if m is not None:
                parsed = g.parse(m, self.ctx)
                if parsed is not None:
                    return parsed
        return None

    def _parse_bytes(self, raw: bytes) -> tuple[float | None, str, str, str] | None:
        return self._parse(raw.decode("utf-8", errors="replace").rstrip("\r\n"))

    def _edge_times(self, chunk: bytes) -> None:
        if not self.fmt.timed:
            return
        if self.first_ts is None:
            for line in chunk.split(b"\n", 200)[:200]:
                parsed = self._parse_bytes(line)
                if parsed is not None and parsed[0] is not None:
                    self.first_ts = parsed[0]
                    break
        end = len(chunk)
        for _ in range(200):
            start = chunk.rfind(b"\n", 0, max(end - 1, 0)) + 1
            parsed = self._parse_bytes(chunk[start:end])
            if parsed is not None and parsed[0] is not None:
                if self.last_ts is None or parsed[0] > self.last_ts:
                    self.last_ts = parsed[0]
                break
            if start == 0:
                break
            end = start

    def _context(self, chunk: bytes, start: int) -> tuple[float | None, str, str]:
        """Time, level and source of the entry a continuation line belongs to."""
        end = start
        for _ in range(LOOKBACK_LINES):
            if end <= 0:
                break
            prev = chunk.rfind(b"\n", 0, end - 1) + 1
            parsed = self._parse_bytes(chunk[prev : end - 1])
            if parsed is not None:
                return parsed[0], parsed[1], parsed[2]
            end = prev
        return self._last_header

    def events(self, chunks: Iterator[bytes]) -> Iterator[tuple[LogEvent, frozenset[int]]]:
        """The matched events of the streamed chunks, in order, with their pattern ids."""
        for chunk in chunks:
            self._edge_times(chunk)
            base = self.lines
            counted_to = 0
            line_no = base
            bad_ends = undecodable_lines(chunk)
            for start, end, text, ids in self.matcher.scan(chunk):
                if start < 0:
                    bad_ends.add(end)
                    continue
                line_no += chunk.count(b"\n", counted_to, start)
                counted_to = start
                parsed = self._parse(text)
                if parsed is not None:
                    ts, level, source, message = parsed
                    self._last_header = (ts, level, source)
                else:
                    ts, level, source = self._context(chunk, start)
                    message = text.strip()
                yield LogEvent(line_no + 1, ts, level, source, message[:10_000]), ids
            self.bad_lines += len(bad_ends)
            line_no += chunk.count(b"\n", counted_to)
            self.lines = line_no + (0 if chunk.endswith(b"\n") else 1)


class _JsonScan:
    """The matched events of a JSON console export, with the same counters as _TextScan."""

    def __init__(self, matcher: Matcher, ctx: TimeContext) -> None:
        self.matcher = matcher
        self.ctx = ctx
        self.lines = 0
        self.bad_lines = 0
        self.first_ts: float | None = None
        self.last_ts: float | None = None

    def events(self, chunks: Iterator[bytes]) -> Iterator[tuple[LogEvent, frozenset[int]]]:
        """Entries whose text a rule pattern matches, with the pattern ids."""
        stats = [0, 0]
        text = (c.decode("utf-8", errors="replace") for c in chunks)
        for ev in iter_entries(text, self.ctx, stats):
            if ev.ts_ms is not None:
                self.first_ts = ev.ts_ms if self.first_ts is None else min(self.first_ts, ev.ts_ms)
                self.last_ts = ev.ts_ms if self.last_ts is None else max(self.last_ts, ev.ts_ms)
            ids = self.matcher.line_ids(ev.text())
            if ids is None:
                stats[1] += 1
                continue
            if ids.isdisjoint(self.matcher.event_ids):
                continue
            yield ev, ids
        self.lines, self.bad_lines = stats
