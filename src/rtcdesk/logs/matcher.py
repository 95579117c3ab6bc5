"""Finding the lines that rule patterns match, fast: every pattern of the rule set (and the
bytes that make a line unreadable: control characters, U+FFFD) is compiled into one Hyperscan
database and matched in one pass over the raw UTF-8 bytes of a 4 MB chunk, in C; Python only
sees the lines that really match, a few in a typical log. That pass runs at over 100 MB/s.

Patterns are therefore Hyperscan (PCRE) expressions, matched ASCII case-insensitively; they
may not use look-around or back-references. A pattern Hyperscan refuses is reported with its
rule and field.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import hyperscan

from rtcdesk.core.errors import InvalidInput
from rtcdesk.logs.rules import Rule, RuleSet

BAD = -1
_BAD_EXPRS = [rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", rb"\xef\xbf\xbd"]
_HS_ID = re.compile(r"\(id:(\d+)\)")


def _where(rules: RuleSet, source: str) -> tuple[Rule, str] | None:
    for r in rules.rules:
        fields: list[tuple[str, tuple[re.Pattern[str], ...]]] = [
            ("match", r.match), ("unless", r.unless)
        ]  # fmt: skip
        for name, marker in (
            ("preceded_by", r.preceded_by),
            ("not_preceded_by", r.not_preceded_by),
            ("not_followed_by", r.not_followed_by),
        ):
            if marker is not None:
                fields += [(f"{name}.match", marker.patterns), (f"{name}.reset", marker.reset)]
        for name, patterns in fields:
            for i, p in enumerate(patterns):
                if p.pattern == source:
                    return r, f"{name}[{i}]"
    return None


class Matcher:
    """Pattern ids of a rule set and the Hyperscan database over them."""

    def __init__(self, rules: RuleSet) -> None:
        self.sources: list[str] = rules.patterns()
        self.ids = {src: i for i, src in enumerate(self.sources)}
        unless_only = rules.unless_only()
        self.event_ids = frozenset(i for i, s in enumerate(self.sources) if s not in unless_only)
        exprs = [s.encode("utf-8") for s in self.sources] + _BAD_EXPRS
        self._bad_from = len(self.sources)
        self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        try:
            self._db.compile(
                expressions=exprs,
                ids=list(range(len(exprs))),
                elements=len(exprs),
                flags=[hyperscan.HS_FLAG_CASELESS] * len(exprs),
            )
        except hyperscan.error as exc:
            raise self._refused(rules, str(exc)) from exc
        self._local = threading.local()

    def _culprit(self) -> str | None:
        """The first pattern Hyperscan refuses on its own (the error path only)."""
        for src in self.sources:
            try:
                hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK).compile(
                    expressions=[src.encode("utf-8")], ids=[0], elements=1,
                    flags=[hyperscan.HS_FLAG_CASELESS],
                )  # fmt: skip
            except hyperscan.error:
                return src
        return None

    def _refused(self, rules: RuleSet, message: str) -> InvalidInput:
        m = _HS_ID.search(message)
        source = (
            self.sources[int(m.group(1))] if m and int(m.group(1)) < len(self.sources) else None
        )
        source = source or self._culprit()
        found = _where(rules, source) if source else None
        reason = _HS_ID.sub("", message).strip().rstrip(".")
        if found is None:
            return InvalidInput(
                "the log rules cannot be compiled: {reason}.", params={"reason": reason}
            )
        rule, fld = found
        return InvalidInput(
            "rule {rule} in {file}: {field} {problem}",
            params={
                "rule": rule.code,
                "file": rule.origin,
                "field": fld,
                "problem": f"is not supported by the matcher ({reason}; no look-around or "
                "back-references)",
            },
            field=fld,
        )

    def id_set(self, patterns: tuple[re.Pattern[str], ...]) -> frozenset[int]:
        """The ids of compiled patterns of a rule."""
        return frozenset(self.ids[p.pattern] for p in patterns)

    def _hits(self, data: bytes) -> list[tuple[int, int]]:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._db)
        hits: list[tuple[int, int]] = []
        add = hits.append

        def on_match(expr: int, _from: int, to: int, _flags: int, _ctx: Any) -> None:
            add((to, expr))

        self._db.scan(data, match_event_handler=on_match, scratch=scratch)
        return hits

    def line_ids(self, line: str) -> frozenset[int] | None:
        """Ids of the patterns that match ``line``; None if the line is unreadable."""
        ids: set[int] = set()
        for _to, expr in self._hits(line.encode("utf-8", errors="replace")):
            if expr >= self._bad_from:
                return None
            ids.add(expr)
        return frozenset(ids)

    def scan(self, chunk: bytes) -> Iterator[tuple[int, int, str, frozenset[int]]]:
        """(line start, line end, decoded line, matched pattern ids) of the chunk's matching
        lines, in order; an unreadable line comes with start -1."""
        line_end = -1
        line_start = 0
        ids: set[int] = set()
        bad = False
        for to, expr in self._hits(chunk):
            pos = max(to - 1, 0)
            if pos >= line_end:
                if line_end >= 0:
                    hit = self._emit(chunk, line_start, line_end, ids, bad)
                    if hit is not None:
                        yield hit
                line_start = chunk.rfind(b"\n", 0, pos) + 1
                line_end = chunk.find(b"\n", pos)
                if line_end < 0:
                    line_end = len(chunk)
                ids = set()
                bad = False
            if expr >= self._bad_from:
                bad = True
            else:
                ids.add(expr)
        if line_end >= 0:
            hit = self._emit(chunk, line_start, line_end, ids, bad)
            if hit is not None:
                yield hit

    def _emit(
        self, chunk: bytes, start: int, end: int, ids: set[int], bad: bool
    ) -> tuple[int, int, str, frozenset[int]] | None:
        if bad:
            return -1, end, "", frozenset()
        try:
            line = chunk[start:end].decode("utf-8").rstrip("\r")
        except UnicodeDecodeError:
            return -1, end, "", frozenset()
        found = frozenset(ids)
        if found.isdisjoint(self.event_ids):
            return None
        return start, end, line, found


def undecodable_lines(chunk: bytes) -> set[int]:
    """End offsets of the lines of a chunk that are not valid UTF-8 (none on the fast path)."""
    if chunk.isascii():
        return set()
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return set()
    ends: set[int] = set()
    start = 0
    while start <= len(chunk):
        end = chunk.find(b"\n", start)
        if end < 0:
            end = len(chunk)
        try:
            chunk[start:end].decode("utf-8")
        except UnicodeDecodeError:
            ends.add(end)
        start = end + 1
    return ends
