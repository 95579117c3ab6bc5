"""Evaluating the rules over the stream of matched events, in bounded memory.

Each rule keeps a small state: whether its ``preceded_by`` / ``not_preceded_by`` marker was
seen since the last reset, the pending events of a ``not_followed_by`` condition (at most
``MAX_PENDING``) and the recent times of a ``repeat`` condition (at most ``more_than + 1``).
Events without a time (logcat brief) ignore the windows: C may follow at any distance, and a
repetition counts over the whole log. The end of the log counts as "no C followed".
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from rtcdesk.logs.matcher import Matcher
from rtcdesk.logs.model import LogEvent
from rtcdesk.logs.rules import Rule

MAX_PENDING = 1000
MAX_EXAMPLES = 3
MAX_WINDOWS = 50


@dataclass(slots=True)
class Fired:
    """What one rule found so far."""

    count: int = 0
    first_line: int = 0
    windows: list[tuple[float, float]] = field(default_factory=list)
    examples: list[LogEvent] = field(default_factory=list)


@dataclass(slots=True)
class _State:
    marker_seen: bool = False
    pending: deque[LogEvent] = field(default_factory=deque)
    recent: deque[LogEvent] = field(default_factory=deque)


@dataclass(frozen=True, slots=True)
class _Ids:
    match: frozenset[int]
    unless: frozenset[int]
    marker: frozenset[int]
    reset: frozenset[int]
    follow: frozenset[int]
    all: frozenset[int]


class Evaluator:
    """Feeds events to every rule; ``fired`` maps rule code to what it found.

    Events come with the ids of the patterns they matched (``Matcher``), so no pattern runs
    twice and rules that share no pattern with the event are skipped at once."""

    def __init__(self, rules: list[Rule], matcher: Matcher) -> None:
        self.rules = rules
        self._state = {r.code: _State() for r in rules}
        self.fired: dict[str, Fired] = {}
        self._ids: dict[str, _Ids] = {}
        for r in rules:
            marker = r.preceded_by or r.not_preceded_by
            ids = _Ids(
                match=matcher.id_set(r.match),
                unless=matcher.id_set(r.unless),
                marker=matcher.id_set(marker.patterns) if marker else frozenset(),
                reset=matcher.id_set(marker.reset) if marker else frozenset(),
                follow=matcher.id_set(r.not_followed_by.patterns)
                if r.not_followed_by
                else frozenset(),
                all=frozenset(),
            )
            self._ids[r.code] = _Ids(
                ids.match, ids.unless, ids.marker, ids.reset, ids.follow,
                ids.match | ids.marker | ids.reset | ids.follow,
            )  # fmt: skip

    def feed(self, event: LogEvent, matched: frozenset[int]) -> list[str]:
        """Apply one event that matched the pattern ids ``matched``; returns the codes of the
        rules whose own pattern it matched."""
        own: list[str] = []
        for rule in self.rules:
            ids = self._ids[rule.code]
            st = self._state[rule.code]
            if rule.not_followed_by is not None and st.pending:
                self._expire(rule, st, event.ts_ms)
            if matched.isdisjoint(ids.all):
                continue
            if ids.reset and not matched.isdisjoint(ids.reset):
                st.marker_seen = False
            if ids.marker and not matched.isdisjoint(ids.marker):
                st.marker_seen = True
            follow = rule.not_followed_by
            if follow is not None and st.pending and not matched.isdisjoint(ids.follow):
                st.pending.clear()  # the ones still pending are within the window
            if matched.isdisjoint(ids.match) or not matched.isdisjoint(ids.unless):
                continue
            if rule.preceded_by is not None and not st.marker_seen:
                continue
            if rule.not_preceded_by is not None and st.marker_seen:
                continue
            own.append(rule.code)
            if follow is not None:
                if len(st.pending) < MAX_PENDING:
                    st.pending.append(event)
            elif rule.repeat_more_than is not None:
                self._repeat(rule, st, event)
            else:
                self._fire(rule, event, event.ts_ms, event.ts_ms)
        return own

    def finish(self) -> None:
        """The end of the log: pending events of not_followed_by rules fire."""
        for rule in self.rules:
            st = self._state[rule.code]
            while st.pending:
                self._fire_pending(rule, st.pending.popleft())

    def _expire(self, rule: Rule, st: _State, now: float | None) -> None:
        within = rule.not_followed_by.within_s if rule.not_followed_by else None
        if now is None or within is None:
            return
        while st.pending:
            first = st.pending[0]
            if first.ts_ms is None or first.ts_ms + within * 1000.0 >= now:
                break
            self._fire_pending(rule, st.pending.popleft())

    def _fire_pending(self, rule: Rule, event: LogEvent) -> None:
        within = rule.not_followed_by.within_s if rule.not_followed_by else 0.0
        end = event.ts_ms + (within or 0.0) * 1000.0 if event.ts_ms is not None else None
        self._fire(rule, event, event.ts_ms, end)

    def _repeat(self, rule: Rule, st: _State, event: LogEvent) -> None:
        st.recent.append(event)
        within = rule.repeat_within_s
        if event.ts_ms is not None and within is not None:
            while st.recent and (
                st.recent[0].ts_ms is None or event.ts_ms - st.recent[0].ts_ms > within * 1000.0
            ):
                st.recent.popleft()
        if rule.repeat_more_than is not None and len(st.recent) > rule.repeat_more_than:
            first = st.recent[0]
            self._fire(rule, first, first.ts_ms, event.ts_ms)
            st.recent.clear()

    def _fire(self, rule: Rule, event: LogEvent, start: float | None, end: float | None) -> None:
        f = self.fired.get(rule.code)
        if f is None:
            f = self.fired[rule.code] = Fired(first_line=event.line)
        f.count += 1
        if len(f.examples) < MAX_EXAMPLES:
            f.examples.append(event)
        if start is not None and end is not None:
            if f.windows and start <= f.windows[-1][1] + 1000.0:
                last = f.windows[-1]
                f.windows[-1] = (last[0], max(last[1], end))
            elif len(f.windows) < MAX_WINDOWS:
                f.windows.append((start, end))
