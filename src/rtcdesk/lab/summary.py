"""Per-phase figures from a lab dump and the short human summary of a run."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rtcdesk.lab.dumpstats import delta, kind_of, mean, series, state_changes
from rtcdesk.lab.scenario import Scenario


@dataclass(frozen=True)
class PhaseStats:
    """What the customer's stats showed between two schedule boundaries."""

    start_s: float
    end_s: float
    active: tuple[str, ...]
    inbound_loss_pct: float | None
    uplink_loss_pct: float | None
    rtt_ms: float | None
    jitter_ms: float | None
    out_video_kbps: float | None
    in_video_kbps: float | None
    limitation: str | None


def boundaries(scenario: Scenario) -> list[float]:
    """Sorted phase edges inside the call, including 0 and the call end."""
    edges = {0.0, scenario.duration_s}
    for ph in (*scenario.impairments, *scenario.app_faults):
        for t in (ph.start_s, ph.end_s):
            if t is not None and 0 < t < scenario.duration_s:
                edges.add(float(t))
    return sorted(edges)


def phase_stats(pc: dict[str, Any], scenario: Scenario, started_ms: float) -> list[PhaseStats]:
    """Figures per phase window of the scenario schedule."""
    edges = boundaries(scenario)
    out: list[PhaseStats] = []
    for a, b in itertools.pairwise(edges):
        lo, hi = started_ms + a * 1000, started_ms + b * 1000 + 500
        mid = (a + b) / 2
        active = tuple(
            f"{p.kind}({p.direction})" if p.direction else p.kind
            for p in (*scenario.impairments, *scenario.app_faults)
            if p.active(mid)
        )
        out.append(
            PhaseStats(
                a,
                b,
                active,
                _inbound_loss(pc, lo, hi),
                _uplink_loss(pc, lo, hi),
                _scaled(_pair_mean(pc, "currentRoundTripTime", lo, hi), 1000),
                _scaled(_kind_mean(pc, "inbound-rtp", "audio", "jitter", lo, hi), 1000),
                _rate(pc, "outbound-rtp", "bytesSent", lo, hi),
                _rate(pc, "inbound-rtp", "bytesReceived", lo, hi),
                _limitation(pc, lo, hi),
            )
        )
    return out


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def _video(pc: dict[str, Any], stats_type: str, prop: str) -> list[Any]:
    return [s for s in series(pc, stats_type, prop) if kind_of(pc, s.stats_id) == "video"]


def _inbound_loss(pc: dict[str, Any], lo: float, hi: float) -> float | None:
    lost = sum(delta(s.between(lo, hi)) for s in series(pc, "inbound-rtp", "packetsLost"))
    got = sum(delta(s.between(lo, hi)) for s in series(pc, "inbound-rtp", "packetsReceived"))
    return 100 * lost / (lost + got) if lost + got > 0 else None


def _uplink_loss(pc: dict[str, Any], lo: float, hi: float) -> float | None:
    lost = sum(delta(s.between(lo, hi)) for s in series(pc, "remote-inbound-rtp", "packetsLost"))
    sent = sum(delta(s.between(lo, hi)) for s in series(pc, "outbound-rtp", "packetsSent"))
    return 100 * lost / sent if sent > 0 else None


def _pair_mean(pc: dict[str, Any], prop: str, lo: float, hi: float) -> float | None:
    best = max(series(pc, "candidate-pair", prop), key=lambda s: len(s.values), default=None)
    return None if best is None else mean(best.between(lo, hi))


def _kind_mean(
    pc: dict[str, Any], stats_type: str, kind: str, prop: str, lo: float, hi: float
) -> float | None:
    values = [
        mean(s.between(lo, hi))
        for s in series(pc, stats_type, prop)
        if kind_of(pc, s.stats_id) == kind
    ]
    nums = [v for v in values if v is not None]
    return sum(nums) / len(nums) if nums else None


def _rate(pc: dict[str, Any], stats_type: str, prop: str, lo: float, hi: float) -> float | None:
    total = 0.0
    span = 0.0
    for s in _video(pc, stats_type, prop):
        samples = s.between(lo, hi)
        if len(samples) >= 2:
            total += delta(samples)
            span = max(span, samples[-1][0] - samples[0][0])
    return total * 8 / span if span > 0 else None  # bytes per ms * 8 = kbit/s


def _limitation(pc: dict[str, Any], lo: float, hi: float) -> str | None:
    votes: Counter[str] = Counter()
    for s in _video(pc, "outbound-rtp", "qualityLimitationReason"):
        votes.update(str(v) for _, v in s.between(lo, hi))
    return votes.most_common(1)[0][0] if votes else None


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def render_summary(
    scenario: Scenario,
    label: dict[str, Any],
    pc: dict[str, Any] | None,
    *,
    dump_name: str,
    dump_source: str,
    diagnosis: list[str] | None = None,
) -> str:
    """The markdown summary of one lab run."""
    started = datetime.fromisoformat(label["started_at"]).timestamp() * 1000
    ns = "yes (only lo)" if label["namespace"] else "NO - plain host loopback (fallback)"
    lines = [
        f"# Lab run: {scenario.name}",
        "",
        scenario.description or "(no description)",
        "",
        f"- call: {label['duration_s']:g} s, seed {label['seed']}, started {label['started_at']}",
        f"- network namespace: {ns}",
        f"- dump: {dump_name} (from {dump_source}); customer PeerConnection {label['customer_pc']}",
        "",
        "## Injected",
    ]
    injected = [*label["impairments"], *label["app_faults"]]
    if not injected:
        lines.append("- nothing (clean call)")
    for item in injected:
        where = f"{item['direction']} " if "direction" in item else ""
        params = ", ".join(f"{k}={v}" for k, v in item["params"].items())
        lines.append(
            f"- {where}{item['kind']} {item['start_s']:g}-{item['end_s']:g} s {params}".rstrip()
        )
    lines += [f"- note: {n}" for n in label.get("notes", [])]
    lines += ["", "## Relay (every packet of the call crosses it)"]
    for direction in ("uplink", "downlink"):
        c = label["relay"][direction]
        lines.append(
            f"- {direction}: {c['packets_in']} packets in, {c['dropped']} dropped "
            f"(loss {c['dropped_loss']}, queue {c['dropped_queue']}, outage {c['dropped_outage']})"
        )
    check = label["relay"].get("check")
    if check:
        lines.append(f"- check: {check}")
    if pc is not None:
        lines += ["", "## Connection states (customer)"]
        for event, title in (
            ("oniceconnectionstatechange", "ICE"),
            ("onconnectionstatechange", "peer connection"),
        ):
            changes = state_changes(pc, event)
            steps = ", ".join(f"{s} at {(t - started) / 1000:.1f} s" for t, s in changes)
            lines.append(f"- {title}: {steps or 'no state change recorded'}")
        lines += [
            "",
            "## Per phase (customer side)",
            "",
            "| phase | active | in loss % | up loss % | RTT ms | jitter ms | out video kbps "
            "| in video kbps | limitation |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for ps in phase_stats(pc, scenario, started):
            lines.append(
                f"| {ps.start_s:g}-{ps.end_s:g} s | {', '.join(ps.active) or 'none'} "
                f"| {_fmt(ps.inbound_loss_pct)} | {_fmt(ps.uplink_loss_pct)} "
                f"| {_fmt(ps.rtt_ms, 0)} | {_fmt(ps.jitter_ms)} | {_fmt(ps.out_video_kbps, 0)} "
                f"| {_fmt(ps.in_video_kbps, 0)} | {ps.limitation or '-'} |"
            )
    lines += [
        "",
        "## Ground truth",
        f"- expected findings: {', '.join(label['expected_findings']) or 'none'}",
        f"- absent findings: {', '.join(label['absent_findings']) or 'none'}",
    ]
    if diagnosis is not None:
        lines += ["", "## Diagnostics engine", *(f"- {d}" for d in diagnosis or ["no findings"])]
    return "\n".join(lines) + "\n"
