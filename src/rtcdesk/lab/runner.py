"""Run a lab scenario end to end: namespace, call, dump, label and summary."""

from __future__ import annotations

import asyncio
import gzip
import importlib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rtcdesk.core.errors import InvalidInput
from rtcdesk.lab import netns
from rtcdesk.lab.browser import CHROMIUM, CallOutcome, LabError, run_call
from rtcdesk.lab.dumpstats import value_of
from rtcdesk.lab.findings import derive_expected
from rtcdesk.lab.presets import resolve_scenario
from rtcdesk.lab.scenario import Phase, Scenario, scenario_to_dict
from rtcdesk.lab.summary import render_summary

_GRACE_S = 150.0  # browser start-up, ICE failure timeouts, dump download


@dataclass(frozen=True)
class LabResult:
    """Where a run's files are and what they say."""

    scenario: Scenario
    dump_path: Path
    label_path: Path
    summary_path: Path
    summary_text: str
    label: dict[str, Any]


def run_scenario(
    scenario: Scenario | str,
    out_dir: Path | str,
    *,
    duration: float | None = None,
    namespace: bool | None = None,
    dump_from: str = "internals",
) -> LabResult:
    """Run one scenario (object, preset name or file) and write dump, label and summary.

    ``namespace``: None = use one when possible, False = never, True = require it.
    ``dump_from``: "internals" (chrome://webrtc-internals, falling back to getStats when
    that fails) or "getstats" (always build the dump from the page's getStats samples).
    """
    if dump_from not in ("internals", "getstats"):
        raise InvalidInput(
            "dump_from must be 'internals' or 'getstats', not {value}", params={"value": dump_from}
        )
    sc = resolve_scenario(scenario) if isinstance(scenario, str) else scenario
    if duration is not None:
        if not 3 <= duration <= 600:
            raise InvalidInput(
                "duration must be between 3 and 600 seconds (got {duration})",
                params={"duration": f"{duration:g}"},
            )
        sc = sc.with_duration(duration)
    if not os.path.exists(CHROMIUM):
        raise LabError(f"Chromium is not installed at {CHROMIUM}; the lab needs it")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    reason = netns.unavailable_reason() if namespace is not False else "disabled by the caller"
    outcome: CallOutcome | None = None
    if reason is None:
        try:
            with netns.lo_only_namespace() as name:
                outcome = _run_in_namespace(sc, name, dump_from)
        except OSError as exc:  # the namespace itself failed: fall back, and say so
            reason = str(exc)
    if outcome is None:
        if namespace:
            raise LabError(f"a network namespace was required but is unavailable: {reason}")
        print(f"rtcdesk lab: no network namespace ({reason}); using host loopback", file=sys.stderr)
        outcome = asyncio.run(run_call(sc, use_internals=dump_from == "internals"))
    return write_result(sc, outcome, out, namespace=reason is None)


def _run_in_namespace(sc: Scenario, name: str, dump_from: str) -> CallOutcome:
    """Re-run this interpreter inside the namespace so Chromium and the relay share its lo."""
    with tempfile.TemporaryDirectory(prefix="rtcdesk-lab-") as tmp:
        spec, result, log = Path(tmp, "scenario.json"), Path(tmp, "outcome.json"), Path(tmp, "log")
        spec.write_text(json.dumps(scenario_to_dict(sc)), encoding="utf-8")
        env = dict(os.environ)
        src = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
        argv = [*netns.exec_prefix(name), sys.executable, "-m", "rtcdesk.lab.inner", str(spec)]
        with log.open("w") as log_file:
            proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [*argv, str(result), dump_from], stdout=log_file, stderr=subprocess.STDOUT, env=env
            )
            try:
                code = proc.wait(timeout=sc.duration_s + _GRACE_S)
            except subprocess.TimeoutExpired:
                code = -1
            finally:
                netns.kill_namespace_processes(name)
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
        if code != 0 or not result.exists():
            tail = log.read_text(errors="replace")[-2000:]
            raise LabError(f"the lab call failed (exit {code}):\n{tail}")
        data = json.loads(result.read_text(encoding="utf-8"))
    return CallOutcome(**data)


def build_label(sc: Scenario, outcome: CallOutcome, *, namespace: bool) -> dict[str, Any]:
    """The ground-truth label of a run."""
    expected, absent = derive_expected(sc)
    return {
        "version": 1,
        "scenario": sc.name,
        "seed": sc.seed,
        "started_at": outcome.started_at,
        "duration_s": sc.duration_s,
        "customer_pc": outcome.customer_pc,
        "namespace": namespace,
        "dump_source": outcome.dump_source,
        "impairments": [_phase_label(p, sc.duration_s) for p in sc.impairments],
        "app_faults": [_phase_label(p, sc.duration_s) for p in sc.app_faults],
        "relay": {**outcome.relay, **_relay_check(outcome)},
        "notes": outcome.notes,
        "expected_findings": expected,
        "absent_findings": absent,
    }


def _phase_label(ph: Phase, duration: float) -> dict[str, Any]:
    item: dict[str, Any] = {"direction": ph.direction} if ph.direction else {}
    item.update(kind=ph.kind, start_s=ph.start_s, end_s=ph.end_or(duration), params=ph.params)
    return item


def _relay_check(outcome: CallOutcome) -> dict[str, Any]:
    """Compare the relay's counters with the packets the customer's transport counted."""
    pc = outcome.dump["PeerConnections"][outcome.customer_pc]
    transports = {
        k.rsplit("-", 1)[0] for k, v in pc["stats"].items() if v["statsType"] == "transport"
    }
    sent = sum(int(value_of(pc, t, "packetsSent") or 0) for t in transports)
    received = sum(int(value_of(pc, t, "packetsReceived") or 0) for t in transports)
    up, down = outcome.relay["uplink"], outcome.relay["downlink"]
    # The dump's last sample is up to a second older than the relay's final counts.
    ok = up["packets_in"] >= sent and down["packets_out"] >= received
    text = (
        f"customer transport sent {sent} and received {received} packets; the relay took "
        f"{up['packets_in']} uplink and delivered {down['packets_out']} downlink packets"
        + ("; all media crossed the relay" if ok else "; MISMATCH - packets bypassed the relay")
    )
    if outcome.stray_packets:
        text += f"; {outcome.stray_packets} packets from other addresses were refused"
    return {
        "verified": ok,
        "customer_packets_sent": sent,
        "customer_packets_received": received,
        "check": text,
    }


def write_result(sc: Scenario, outcome: CallOutcome, out: Path, *, namespace: bool) -> LabResult:
    """Write ``<name>.dump.json.gz``, ``<name>.label.json`` and ``<name>.summary.md``."""
    dump_path = out / f"{sc.name}.dump.json.gz"
    label_path = out / f"{sc.name}.label.json"
    summary_path = out / f"{sc.name}.summary.md"
    raw = json.dumps(outcome.dump, separators=(",", ":")).encode()
    dump_path.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    label = build_label(sc, outcome, namespace=namespace)
    label_path.write_text(json.dumps(label, indent=2) + "\n", encoding="utf-8")
    text = render_summary(
        sc,
        label,
        outcome.dump["PeerConnections"].get(outcome.customer_pc),
        dump_name=dump_path.name,
        dump_source=outcome.dump_source,
        diagnosis=_diagnose(dump_path, label),
    )
    summary_path.write_text(text, encoding="utf-8")
    return LabResult(sc, dump_path, label_path, summary_path, text, label)


def _diagnose(dump_path: Path, label: dict[str, Any]) -> list[str] | None:
    """The diagnostics engine's top findings beside the ground truth, when the engine exists."""
    try:
        engine: Any = importlib.import_module("rtcdesk.diagnostics.engine")
    except ImportError:
        return None
    try:
        report = engine.diagnose_path(dump_path)
        found = [(str(f.code), str(f.severity), _text(f.title)) for f in report.findings]
    except Exception as exc:  # the lab result must not depend on the engine
        return [f"the diagnostics engine failed on this dump: {exc}"]
    codes = {code for code, _, _ in found}
    lines = [f"{code} ({severity}): {title}" for code, severity, title in found[:8]]
    expected, absent = label["expected_findings"], label["absent_findings"]
    hits = [c for c in expected if c in codes]
    lines.append(f"expected and found: {', '.join(hits) or 'none'}")
    lines.append(
        f"expected but missed: {', '.join(c for c in expected if c not in codes) or 'none'}"
    )
    lines.append(
        f"should be absent but found: {', '.join(c for c in absent if c in codes) or 'none'}"
    )
    return lines


def _text(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("en") or next(iter(value.values()), ""))
    return str(value)
