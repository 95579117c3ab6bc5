"""Lazily decoded property series of webrtc-internals stats objects.

A 50 MB dump holds thousands of series (Chrome's computed ``[...]`` columns, certificates,
codecs, ids) that no rule reads. Each ``values`` string is decoded to numpy only when a
property is first looked up, so diagnosis costs about what the used series cost to parse.
"""

from __future__ import annotations

from _collections_abc import dict_items, dict_keys, dict_values
from collections.abc import Callable, Iterator
from typing import Any

from rtcdesk.diagnostics.model import Series

# (name, raw entry) -> (last value as text,), or None when the values are unreadable
Peek = Callable[[str, Any], tuple[str | None] | None]


class LazyProps(dict[str, Series]):
    """A dict of Series that decodes pending raw entries on first access."""

    def __init__(
        self, decode: Callable[[str, Any], dict[str, Series]], peek: Peek | None = None
    ) -> None:
        super().__init__()
        self._pending: dict[str, Any] = {}
        self._decode = decode
        self._peek = peek
        self._last: dict[str, str | None] = {}  # last values read without keeping the series

    def add_pending(self, name: str, entry: Any) -> None:
        """Register a raw series to decode on first access."""
        self._pending[name] = entry

    def add_pending_all(self, entries: dict[str, Any]) -> None:
        """Register raw series (name -> entry) to decode on first access."""
        self._pending.update(entries)

    def _load(self, name: str) -> bool:
        entry = self._pending.pop(name, None)
        if entry is None:
            base = name.split(".", 1)[0]  # "qualityLimitationDurations.cpu" -> its object
            if base == name or base not in self._pending:
                return False
            entry, name = self._pending.pop(base), base
        for k, s in self._decode(name, entry).items():
            dict.__setitem__(self, k, s)
        return True

    def last_str(self, name: str) -> str | None:
        """The last value of ``name`` as text; a pending series is read but not kept.

        Ids, kinds and codec names are only ever read this way: keeping their per-sample
        lists of strings would cost memory and garbage-collector passes for nothing.
        """
        if dict.__contains__(self, name):  # decoded, or set by a converter: that one wins
            return dict.__getitem__(self, name).last_str()
        if name in self._last:
            return self._last[name]
        entry = self._pending.get(name)
        if entry is not None and self._peek is not None:
            last = self._peek(name, entry)
            if last is not None:
                self._last[name] = last[0]
                return last[0]
        s = self.get(name)
        return None if s is None else s.last_str()

    def _load_all(self) -> None:
        for name in list(self._pending):
            self._load(name)

    def __missing__(self, key: str) -> Series:
        if self._load(key) and dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        """The series of ``key`` (decoding it now if pending), else ``default``."""
        if not dict.__contains__(self, key):
            self._load(key)
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        if not isinstance(key, str):
            return False
        return key in self._pending or key.split(".", 1)[0] in self._pending

    def __iter__(self) -> Iterator[str]:
        self._load_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        return dict.__len__(self) + len(self._pending)

    def keys(self) -> dict_keys[str, Series]:
        """All property names (decodes everything pending)."""
        self._load_all()
        return dict.keys(self)

    def values(self) -> dict_values[str, Series]:
        """All series (decodes everything pending)."""
        self._load_all()
        return dict.values(self)

    def items(self) -> dict_items[str, Series]:
        """All (name, series) pairs (decodes everything pending)."""
        self._load_all()
        return dict.items(self)
