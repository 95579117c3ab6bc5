"""The log report: findings, a timeline of the events rules matched, and facts of the file."""

from __future__ import annotations

from dataclasses import dataclass, field

from rtcdesk.diagnostics.report import SEVERITY_RANK, Window

SCHEMA_VERSION = 1
# finding category -> ticket category (the support layers of tickets)
TICKET_CATEGORY = {
    "permissions": "integration", "devices": "integration", "autoplay": "integration",
    "constraints": "integration", "security": "integration", "auth": "integration",
    "api_usage": "integration", "session": "integration", "network": "troubleshooting",
    "audio": "troubleshooting", "codec": "troubleshooting", "performance": "advanced_tuning",
    "lifecycle": "integration",
}  # fmt: skip


@dataclass(slots=True)
class Example:
    """A log line quoted as evidence."""

    line: int
    ts_ms: float | None
    text: str


@dataclass(slots=True)
class LogFinding:
    """One rule's verdict over the whole log."""

    code: str
    category: str
    severity: str
    title: dict[str, str]
    cause: dict[str, str]
    fixes: dict[str, list[str]]
    count: int
    first_line: int
    windows: list[Window] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    error_codes: list[str] = field(default_factory=list)
    kb_tags: list[str] = field(default_factory=list)

    @property
    def rank(self) -> int:
        """Numeric severity (0 info .. 3 critical)."""
        return SEVERITY_RANK[self.severity]


@dataclass(slots=True)
class TimelineEvent:
    """An event a rule pattern matched: shown on the timeline, with the rules it belongs to."""

    line: int
    ts_ms: float | None
    level: str
    text: str
    codes: list[str]


@dataclass(slots=True)
class DumpWindow:
    """A finding window of a WebRTC dump diagnosis of the same ticket, on the log's time axis."""

    start_ms: float
    end_ms: float
    code: str
    severity: str
    title: dict[str, str]


@dataclass(slots=True)
class LogReport:
    """The result of analysing one log file."""

    format: str
    summary: dict[str, str]
    findings: list[LogFinding]
    timeline: list[TimelineEvent]
    lines: int
    events_matched: int
    skipped_lines: int
    start_ms: float | None
    end_ms: float | None
    levels: dict[str, int]
    time_note: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    dump_windows: list[DumpWindow] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    def top_findings(self, n: int = 3) -> list[LogFinding]:
        """The ``n`` findings a person reads first."""
        return self.findings[:n]

    def worst_severity(self) -> str:
        """The highest severity among findings ('info' when there are none)."""
        return self.findings[0].severity if self.findings else "info"

    def suggested_category(self) -> str:
        """Ticket category of the first finding at warning or above ('consulting' if none)."""
        serious = [f for f in self.findings if f.rank >= SEVERITY_RANK["warning"]]
        if not serious:
            return "consulting"
        return TICKET_CATEGORY.get(serious[0].category, "troubleshooting")

    def suggested_tags(self) -> list[str]:
        """Tags from findings above info: the category and the code's short name."""
        tags: list[str] = []
        for f in self.findings:
            if f.rank < SEVERITY_RANK["warning"]:
                continue
            short = f.code.split(".", 1)[1].replace("_", "-").replace(".", "-")
            if "-" not in short:  # 'failed', 'thermal': too vague alone
                short = f.code.replace(".", "-").replace("_", "-")
            for t in (f.category.replace("_", "-"), short):
                if t not in tags:
                    tags.append(t)
        return tags
