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


def _overlap(a: list[Window], b: list[Window]) -> float:
    total = 0.0
    for x in a:
        for y in b:
            total += max(0.0, min(x.end_ms, y.end_ms) - max(x.start_ms, y.start_ms))
    return total


def explain(findings: list[Finding]) -> list[Finding]:
    """Remove symptoms whose windows are mostly covered by an explaining finding."""
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
    return keep
