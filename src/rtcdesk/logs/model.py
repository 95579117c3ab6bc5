"""The parsed shape of one log line that the rule engine and the timeline read."""

from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = ("debug", "info", "warning", "error", "fatal")
LEVEL_RANK = {name: i for i, name in enumerate(LEVELS)}


@dataclass(slots=True)
class LogEvent:
    """One log entry: UTC epoch ms (None when the line has no time), level, source, text."""

    line: int
    ts_ms: float | None
    level: str
    source: str
    message: str
    fields: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """What rule patterns are matched against: source and message."""
        return f"{self.source} {self.message}" if self.source else self.message
