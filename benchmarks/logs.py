"""Log analysis throughput and memory: MB/s and peak RSS on generated logs of growing size.

    python benchmarks/logs.py                       # 50 MB and 500 MB, Chromium and logcat
    python benchmarks/logs.py --sizes 100 --formats chromium

Target (issue #22): at least 50 MB/s on a 500 MB log, with memory flat in the file size.
Each analysis runs in its own child process, so the peak RSS printed is that analysis's own
(interpreter and rule pack included). The generated logs are realistic RTC traffic with a
problem line every ~10 000 lines; they are written to a temporary folder and removed.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from datetime import UTC, datetime
from pathlib import Path
from rtcdesk.logs.engine import analyze_path, default_rules, matcher_for
matcher_for(default_rules())  # compiled once per process, before the clock starts
start = time.perf_counter()
report = analyze_path(Path(sys.argv[1]), reference=datetime(2026, 12, 2, tzinfo=UTC),
                      max_bytes=1 << 40)
seconds = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_kb / 1024, "lines": report.lines,
                  "findings": [f.code for f in report.findings], "matched": report.events_matched}))
"""

FILES = [
    "peer_connection.cc", "rtp_sender.cc", "audio_device_impl.cc", "port.cc",
    "video_stream_encoder.cc", "p2p_transport_channel.cc", "rtp_video_stream_receiver2.cc",
]  # fmt: skip
MESSAGES = [
    "Sending {a} bytes on stream {b}",
    "Bitrate estimate {a} kbps, loss {b}/256",
    "AudioDeviceBuffer::LogStats: sample rate 48000, playout {a} samples, record {b}",
    "Frame encoded qp={b} size={a} temporal_idx=0",
    "Connection 0x{a:x} sent ping id={b}, rtt={b} ms",
    "RtpVideoStreamReceiver2: received keyframe ssrc={a} seq={b}",
    "Audio level of remote track {a} is {b}",
]
PROBLEMS = [
    "Changing IceConnectionState 1 => 4",
    "DTLS handshake failed: SSL error 1",
    "OveruseFrameDetector: CPU overuse detected, adapt down",
]
TAGS = ["RtcEngine", "AudioTrack", "CameraCapture", "HardwareVideoEncoder", "NetEq"]


def block_chromium(rng: random.Random, n: int) -> str:
    out = []
    for i in range(n):
        s = i // 20
        msg = (
            rng.choice(PROBLEMS)
            if i % 10_000 == 9_999
            else rng.choice(MESSAGES).format(a=rng.randrange(1 << 16), b=rng.randrange(256))
        )
        out.append(
            f"[4120:{4180 + i % 7}:1201/{10 + s // 3600 % 10:02d}{s // 60 % 60:02d}{s % 60:02d}."
            f"{rng.randrange(10**6):06d}:INFO:{rng.choice(FILES)}({rng.randrange(3000)})] {msg}"
        )
    return "\n".join(out) + "\n"


def block_logcat(rng: random.Random, n: int) -> str:
    out = []
    for i in range(n):
        s = i // 20
        msg = (
            "CameraAccessException: CAMERA_IN_USE (4)"
            if i % 10_000 == 9_999
            else rng.choice(MESSAGES).format(a=rng.randrange(1 << 16), b=rng.randrange(256))
        )
        out.append(
            f"12-01 {10 + s // 3600 % 10:02d}:{s // 60 % 60:02d}:{s % 60:02d}."
            f"{rng.randrange(1000):03d}  5120  {5120 + i % 9} I {rng.choice(TAGS)}: {msg}"
        )
    return "\n".join(out) + "\n"


def generate(path: Path, fmt: str, megabytes: int) -> None:
    """Write about ``megabytes`` MB of log (a 20 000-line block, repeated)."""
    rng = random.Random(22)
    block = (block_chromium if fmt == "chromium" else block_logcat)(rng, 20_000).encode()
    target = megabytes * 1024 * 1024
    with path.open("wb") as out:
        written = 0
        while written < target:
            out.write(block)
            written += len(block)


def measure(path: Path) -> dict[str, object]:
    """Analyse ``path`` in a child process and return its figures."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> int:
    """Run the scenarios and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="50,500", help="log sizes in MB, comma-separated")
    parser.add_argument("--formats", default="chromium,logcat", help="chromium and/or logcat")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    print(f"{'format':10s} {'size MB':>8s} {'seconds':>8s} {'MB/s':>7s} {'peak RSS MB':>12s} "
          f"{'lines':>10s} {'matched':>8s}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            for mb in sizes:
                path = Path(tmp) / f"{fmt}-{mb}.log"
                t0 = time.perf_counter()
                generate(path, fmt, mb)
                gen = time.perf_counter() - t0
                size = path.stat().st_size / (1024 * 1024)
                r = measure(path)
                seconds = float(r["seconds"])  # type: ignore[arg-type]
                print(
                    f"{fmt:10s} {size:8.0f} {seconds:8.2f} {size / seconds:7.1f} "
                    f"{float(r['peak_rss_mb']):12.1f} {r['lines']:>10} {r['matched']:>8}"  # type: ignore[arg-type]
                    f"   (generated in {gen:.1f} s; findings: {', '.join(r['findings'])})"  # type: ignore[arg-type]
                )
                path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
