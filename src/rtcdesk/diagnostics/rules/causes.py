"""Root cause over symptom: drop findings that another finding explains.

Each rule here names a symptom, the findings that explain it, and how much of the symptom's
time must overlap the cause. The suppressed symptom is kept as evidence on its cause.
"""

from __future__ import annotations

from rtcdesk.diagnostics.report import Evidence, Finding, Window

# symptom code -> (explaining codes, minimum share of the symptom's time they must cover)
EXPLAINED_BY: dict[str, tuple[tuple[str, ...], float]] = {
    # Drop-tail queues of a saturated uplink lose packets: congestion, not a lossy link.
    "network.uplink_loss": (("network.bandwidth_limited",), 0.7),
    # A CPU-starved sender paces its packets unevenly: the far end reports jitter.
    "network.jitter": (("cpu.sender_limited",), 0.7),
    # Jitter buffers stretched by network trouble or a starved encoder put playout apart;
    # the sync module catches up once the cause is gone.
    "sync.av_desync": (
        (
            "network.jitter",
            "network.downlink_loss",
            "network.blackout",
            "video.freeze",
            "cpu.sender_limited",
            "network.bandwidth_limited",
        ),
        0.3,
    ),
}


NETWORK_CAUSES = (
    "network.blackout", "network.downlink_loss", "network.jitter", "network.bandwidth_limited",
    "network.high_rtt", "network.uplink_loss", "cpu.sender_limited",
)  # fmt: skip
# Symptoms that stay reported, but lend their severity to a nearby cause so that the
# summary names the cause first (a blackout that froze the video is an error).
ESCALATES: dict[str, tuple[str, ...]] = {
    "video.freeze": NETWORK_CAUSES,
    "audio.stutter": NETWORK_CAUSES,
    "video.resolution_degraded": ("network.bandwidth_limited", "cpu.sender_limited"),
}
NEAR_MS = 5000.0  # a symptom may show up this long after its cause (key frame, recovery)


def _near(a: list[Window], b: list[Window]) -> bool:
    return any(x.start_ms <= y.end_ms + NEAR_MS and y.start_ms <= x.end_ms for x in a for y in b)


def escalate(findings: list[Finding]) -> None:
    """Raise a cause's severity to that of the symptoms it explains nearby in time."""
    for f in findings:
        causes = ESCALATES.get(f.code)
        if not causes:
            continue
        for c in findings:
            near = c.code in causes and c.pc_id == f.pc_id and _near(f.windows, c.windows)
            if near and c.rank < f.rank:
                c.severity = f.severity
                note = Evidence(f"led to {f.code}", float(f.rank), "severity", f.code, None)
                c.evidence.append(note)


def _overlap(a: list[Window], b: list[Window]) -> float:
    total = 0.0
    for x in a:
        for y in b:
            total += max(0.0, min(x.end_ms, y.end_ms) - max(x.start_ms, y.start_ms))
    return total


def explain(findings: list[Finding]) -> list[Finding]:
    """Drop symptoms a cause explains; let kept symptoms escalate their causes."""
    keep: list[Finding] = []
    for f in findings:
        rule = EXPLAINED_BY.get(f.code)
        cause = None
        if rule is not None and f.windows:
            codes, share = rule
            length = sum(w.end_ms - w.start_ms for w in f.windows) or 1.0
            for c in findings:
                if c is f or c.code not in codes or c.pc_id != f.pc_id or c.rank < 1:
                    continue
                if _overlap(f.windows, c.windows) / length >= share:
                    cause = c
                    break
        if cause is None:
            keep.append(f)
            continue
        for e in f.evidence[:2]:
            cause.evidence.append(
                Evidence(
                    f"{e.metric} (consequence: {f.code})", e.value, e.unit, e.series, e.threshold
                )
            )
    escalate(keep)
    return keep
