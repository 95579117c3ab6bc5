"""Benchmark: diagnosing a ~50 MB webrtc-internals dump vs merely parsing it to arrays.

Generates the dump in a temporary directory (never committed), then times
  (a) parse only: msgspec outer decode + orjson for every ``values`` string + numpy arrays
      (the method of docs/research stack-eval section 3), and
  (b) full diagnosis end to end: ``diagnose_bytes`` (parse, analysis, rules, scores, charts).
Prints medians of several runs, MB/s and the ratio (target: b <= 1.5 x a). Asserts nothing.

Run: ``python benchmarks/diagnose.py [--mb 50] [--runs 3]``
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import gzip
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "diagnostics"))

from rtcdiag_synth import Call, to_internals

from rtcdesk.diagnostics.engine import diagnose_bytes

LAB_TEMPLATE = (
    Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "lab" / "clean.dump.json.gz"
)


def _extend(values: list[Any], n: int) -> list[Any]:
    """Stretch a short real series to ``n`` samples: counters keep counting, gauges repeat."""
    if not values:
        return values
    nums = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    if nums and len(values) > 1 and values[-1] >= values[0] and values != sorted(values)[::-1]:
        step = (values[-1] - values[0]) / (len(values) - 1)
        if step > 0 and values == sorted(values):
            return [values[0] + step * i for i in range(n)]
    return [values[i % len(values)] for i in range(n)]


def _from_template(path: Path, target_mb: float, n: int = 900) -> bytes:
    """Real Chromium series mix (computed columns, certificates...) stretched to n points."""
    doc = json.loads(gzip.decompress(path.read_bytes()))
    pc = next(iter(doc["PeerConnections"].values()))
    stats = {}
    for key, entry in pc["stats"].items():
        vals = json.loads(entry["values"])
        if key.endswith("-timestamp"):
            vals = [vals[0] + 1000.0 * i for i in range(n)]
        stats[key] = dict(entry, values=json.dumps(_extend(vals, n)))
    one = dict(pc, stats=stats)
    size = len(json.dumps(one))
    pcs = max(1, round(target_mb * 1e6 / size))
    doc["PeerConnections"] = {f"{i}-1": one for i in range(pcs)}
    return json.dumps(doc).encode()


def make_dump(target_mb: float, shape: str) -> bytes:
    """An internals dump of about ``target_mb`` MB.

    ``real``: the lab's real Chromium series mix (computed columns, certificates, ids...)
    stretched to 900 points; ``lean``: the synthesiser's, where nearly every series is used.
    """
    if shape == "real" and LAB_TEMPLATE.exists():
        return _from_template(LAB_TEMPLATE, target_mb)
    call = Call(
        duration_s=900,
        segs={"down_loss_pct": [(100, 160, 8.0)], "rtt_ms": [(300, 360, 450.0)]},
    )
    one = len(to_internals(call, pcs=1))
    return to_internals(call, pcs=max(1, round(target_mb * 1e6 / one)))


def parse_only(data: bytes) -> int:
    """Outer decode with msgspec, every values string with orjson, numeric ones to numpy."""
    doc: Any = msgspec.json.decode(data)
    n = 0
    for pc in doc["PeerConnections"].values():
        for entry in pc["stats"].values():
            vals = orjson.loads(entry["values"])
            with contextlib.suppress(ValueError, TypeError):  # string series stay lists
                np.asarray(vals, dtype=np.float64)
            n += len(vals)
    return n


def timed(fn: Any, data: bytes, runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        t = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench(shape: str, target_mb: float, runs: int) -> None:
    """Generate one dump shape in a temp dir, time (a) and (b), print the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "webrtc_internals_dump.txt"
        path.write_bytes(make_dump(target_mb, shape))
        data = path.read_bytes()
    mb = len(data) / 1e6
    values = parse_only(data)
    report = diagnose_bytes(data)
    print(f"[{shape}] dump: {mb:.1f} MB, {values / 1e6:.2f} M values, {len(report.pcs)} PCs; "
          f"findings: {sorted({f.code for f in report.findings})}")  # fmt: skip
    a = timed(parse_only, data, runs)
    b = timed(diagnose_bytes, data, runs)
    print(f"  (a) parse to arrays (msgspec+orjson+numpy): {a:.3f} s  {mb / a:.0f} MB/s")
    print(f"  (b) full diagnosis end to end:              {b:.3f} s  {mb / b:.0f} MB/s")
    print(f"  ratio b/a: {b / a:.2f} (target <= 1.5)")


def main() -> None:
    """Run both dump shapes and print the figures."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=50.0)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    for shape in ("real", "lean"):
        if shape == "real" and not LAB_TEMPLATE.exists():
            print("[real] skipped: no lab dump to take the series mix from")
            continue
        bench(shape, args.mb, args.runs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
