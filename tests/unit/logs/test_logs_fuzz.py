"""Property tests: arbitrary and mutated input never raises anything but RtcdeskError."""

from __future__ import annotations

import gzip
import os
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rtcdesk.core.errors import RtcdeskError
from rtcdesk.logs.engine import analyze_bytes, sniff_log
from rtcdesk.logs.render import render

FUZZ = settings(
    max_examples=int(os.environ.get("RTCDESK_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "logs"
SAMPLES = sorted(p for p in CORPUS.iterdir() if p.suffix != ".yaml")
REF = datetime(2026, 12, 2, tzinfo=UTC)


def check(data: bytes) -> None:
    sniff_log(data)
    try:
        report = analyze_bytes(data, reference=REF, filename="f.log")
    except RtcdeskError:
        return
    for fmt in ("json", "md", "html"):
        render(report, fmt, "zh-CN")  # type: ignore[arg-type]


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes(data: bytes) -> None:
    check(data)


@FUZZ
@given(st.text(max_size=2000))
def test_random_text(text: str) -> None:
    check(text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(
    st.sampled_from(SAMPLES),
    st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=0, max_size=8)), max_size=8),
)
def test_mutated_corpus(path: Path, edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(path.read_bytes())
    for pos, chunk in edits:
        at = pos % (len(data) + 1)
        data[at : at + len(chunk)] = chunk
    check(bytes(data))


@FUZZ
@given(st.sampled_from(SAMPLES), st.integers(0, 4000))
def test_truncated_gzip_corpus(path: Path, cut: int) -> None:
    data = gzip.compress(path.read_bytes())
    check(data[: cut % (len(data) + 1)])


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [
                "[1:2:{d}/{t}.000001:INFO:a.cc(1)] ",
                "{y}-{m}-{d2}T{h}:00:00.000{z} W [x] ",
                "{m}-{d2} {h}:00:00.000  1  1 E Tag: ",
                "I/Tag( 1): ",
                "{h}:00:00.000 a.js:1 ",
                '{{"level":"error","text":"',
            ]
        ),
        min_size=1,
        max_size=20,
    ),
    st.lists(st.text(max_size=40), min_size=1, max_size=20),
    st.sampled_from(["1301", "0229", "1231", "0000"]),
    st.sampled_from(["99", "23", "00"]),
    st.sampled_from(["Z", "+08:00", "+99:99", "-0500", ""]),
)
def test_line_shapes_with_odd_dates(
    heads: list[str], texts: list[str], d: str, h: str, z: str
) -> None:
    lines = []
    for i, head in enumerate(heads):
        filled = head.format(d=d, t=h + "0000", y="2026", m=d[:2], d2=d[2:], h=h, z=z)
        lines.append(filled + texts[i % len(texts)] + ' ICE failed NotAllowedError"}')
    check("\n".join(lines).encode("utf-8", errors="surrogatepass"))
