"""The diagnosis report: findings, scores, per-connection facts, chart data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("info", "warning", "error", "critical")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
LANGS = ("en", "zh-CN")
SCHEMA_VERSION = 1

# finding category -> ticket category
_TICKET_CATEGORY = {
    "network": "troubleshooting",
    "ice": "integration",
    "cpu": "advanced_tuning",
    "video": "troubleshooting",
    "audio": "troubleshooting",
    "media": "troubleshooting",
    "sync": "advanced_tuning",
    "config": "integration",
    "quality": "troubleshooting",
}


@dataclass(slots=True)
class Window:
    """A time window in ms since the epoch."""

    start_ms: float
    end_ms: float


@dataclass(slots=True)
class Evidence:
    """A number supporting a finding and the series it was computed from."""

    metric: str
    value: float
    unit: str
    series: str
    threshold: float | None = None


@dataclass(slots=True)
class Finding:
    """One verdict of a rule."""

    code: str
    category: str
    severity: str
    title: dict[str, str]
    cause: dict[str, str]
    fixes: dict[str, list[str]]
    windows: list[Window] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    pc_id: str | None = None
    stream_id: str | None = None
    variant: str | None = None
    kb_tags: list[str] = field(default_factory=list)

    @property
    def rank(self) -> int:
        """Numeric severity (0 info .. 3 critical)."""
        return SEVERITY_RANK[self.severity]


@dataclass(slots=True)
class IntervalScore:
    """Scores of one interval of the call."""

    start_ms: float
    end_ms: float
    audio_mos: float | None
    video_score: float | None


@dataclass(slots=True)
class Scores:
    """Call-level scores: audio MOS 1-4.5 (E-model), video 1-5, overall 1-5."""

    audio_mos: float | None = None
    video_score: float | None = None
    overall: float | None = None
    intervals: list[IntervalScore] = field(default_factory=list)


@dataclass(slots=True)
class StreamFacts:
    """What we know about one RTP stream."""

    id: str
    direction: str
    kind: str
    codec: str | None = None
    implementation: str | None = None
    max_height: float | None = None
    bitrate_kbps_avg: float | None = None
    loss_pct_avg: float | None = None


@dataclass(slots=True)
class PcFacts:
    """What we know about one peer connection."""

    id: str
    url: str
    start_ms: float
    end_ms: float
    ice_servers: list[str]
    ice_transport_policy: str | None
    local_candidate_types: list[str]
    selected_pair: dict[str, str]
    states: list[tuple[float, str, str]]
    streams: list[StreamFacts]


@dataclass(slots=True)
class ChartLine:
    """One plotted line (already downsampled)."""

    label: str
    ts: list[float]
    values: list[float | None]


@dataclass(slots=True)
class Chart:
    """A timeline chart of related series with finding windows to highlight."""

    pc_id: str
    title: dict[str, str]
    unit: str
    lines: list[ChartLine]
    windows: list[tuple[float, float, str]]  # start, end, finding code
    y_max: float | None = None


@dataclass(slots=True)
class Report:
    """The result of diagnosing one dump."""

    format: str
    summary: dict[str, str]
    findings: list[Finding]
    scores: Scores
    pcs: list[PcFacts]
    media_constraints: list[dict[str, Any]]
    user_agent: str
    start_ms: float
    end_ms: float
    warnings: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    def top_findings(self, n: int = 3) -> list[Finding]:
        """The ``n`` most severe findings (already sorted most severe first)."""
        return self.findings[:n]

    def worst_severity(self) -> str:
        """The highest severity among findings ('info' when there are none)."""
        return self.findings[0].severity if self.findings else "info"

    def suggested_category(self) -> str:
        """Ticket category: integration, advanced_tuning, troubleshooting or consulting."""
        serious = [f for f in self.findings if f.rank >= SEVERITY_RANK["warning"]]
        if not serious:
            return "consulting"
        return _TICKET_CATEGORY.get(serious[0].category, "troubleshooting")

    def suggested_tags(self) -> list[str]:
        """Ticket tags derived from findings above info (e.g. 'network', 'uplink-loss')."""
        tags: list[str] = []
        for f in self.findings:
            if f.rank < SEVERITY_RANK["warning"]:
                continue
            short = f.code.split(".", 1)[1].replace("_", "-")
            if "-" not in short:  # 'failure', 'freeze': too vague alone
                short = f"{f.category}-{short}"
            for t in (f.category, short):
                if t not in tags:
                    tags.append(t)
        return tags
