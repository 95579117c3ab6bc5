"""How reports present numbers and labels: units, plurals, axis ticks, bilingual labels."""

from __future__ import annotations

import itertools
import re

import pytest
from rtcdiag_synth import Call, to_internals

from rtcdesk.core.platforms import platform_name
from rtcdesk.diagnostics import labels as lb
from rtcdesk.diagnostics.engine import diagnose_bytes
from rtcdesk.diagnostics.render import render
from rtcdesk.diagnostics.render.numbers import (
    axis_ticks,
    clock,
    count,
    nice_step,
    quantity,
    sig,
    threshold,
    tick_text,
    time_ticks,
)
from rtcdesk.diagnostics.report import Report


@pytest.mark.parametrize(
    ("value", "unit", "en", "zh"),
    [
        (3.6712, "%", "3.7%", "3.7%"),
        (82.35, "%", "82.3%", "82.3%"),
        (100.0, "%", "100%", "100%"),
        (500.14, "ms", "500 ms", "500 ms"),
        (2002.0, "ms", "2.0 s", "2.0 秒"),
        (2000.0, "ms", "2 s", "2 秒"),
        (4.5, "ms", "4.5 ms", "4.5 ms"),
        (327.88, "kbps", "328 kbps", "328 kbps"),
        (2500.0, "kbps", "2.5 Mbps", "2.5 Mbps"),
        (12.0, "pkt/s", "12 packets/s", "12 包/秒"),
        (1.0, "bool", "yes", "是"),
        (0.0, "bool", "no", "否"),
        (3.5, "1-5", "3.5", "3.5"),
        (4.86, "s", "4.86 s", "4.86 秒"),
        (None, "ms", "–", "–"),
    ],
)
def test_quantities_read_like_people_write_them(
    value: float | None, unit: str, en: str, zh: str
) -> None:
    assert quantity(value, unit, "en") == en
    assert quantity(value, unit, "zh-CN") == zh


def test_significant_digits_never_use_exponents() -> None:
    assert [sig(x) for x in (0, 0.5, 3.6712, 500.14, 12345.6)] == [
        "0", "0.5", "3.67", "500", "12,346",
    ]  # fmt: skip
    assert sig(1e-8) == "≈0"
    assert "e" not in sig(1e-5)
    assert "e" not in sig(1e12)


def test_a_threshold_of_zero_is_any() -> None:
    assert threshold(1e-8, "", "en") == "any"
    assert threshold(0.0, "pkt/s", "zh-CN") == "任何"
    assert threshold(None, "%", "en") == "–"
    assert threshold(3.0, "%", "en") == "3%"


def test_counts_have_the_right_plural() -> None:
    assert count(1, "finding", "findings", "en") == "1 finding"
    assert count(0, "finding", "findings", "en") == "0 findings"
    assert count(3, "finding", "findings", "en") == "3 findings"
    assert count(1, "finding", "findings", "zh-CN", zh="{n} 项发现") == "1 项发现"


@pytest.mark.parametrize(
    ("lo", "hi", "top", "step"),
    [
        (0, 4.2, 5, 1),
        (0, 5, 6, 2),  # a little headroom above the data
        (0, 368.9, 400, 100),
        (0, 6700, 8000, 2000),
        (0, 0.003, 0.004, 0.001),
        (0, 0, 1, 0.2),  # flat data still gets an axis
    ],
)
def test_axis_ticks_are_round_and_fit_the_data(
    lo: float, hi: float, top: float, step: float
) -> None:
    a, b, ticks = axis_ticks(lo, hi)
    assert a == 0
    assert b == pytest.approx(top)
    assert b >= hi
    assert ticks[1] - ticks[0] == pytest.approx(step)
    assert ticks[0] == a
    assert ticks[-1] == pytest.approx(b)
    assert 2 <= len(ticks) <= 8


def test_percent_axes_stop_at_100() -> None:
    assert axis_ticks(0, 100, cap=100)[1] == 100
    assert axis_ticks(0, 96, cap=100)[1] == 100
    assert axis_ticks(0, 30, cap=100)[1] == 40


def test_nice_steps_and_tick_text() -> None:
    assert [nice_step(s) for s in (5, 9, 21, 450)] == [1, 2, 5, 100]
    assert tick_text(0.5, 0.5) == "0.5"
    assert tick_text(2000, 500) == "2,000"


def test_time_axis_counts_from_the_call_start() -> None:
    assert time_ticks(29) == [0, 5, 10, 15, 20, 25]
    assert time_ticks(125)[:3] == [0, 20, 40]
    assert clock(65) == "1:05"
    assert clock(3725) == "1:02:05"


def test_labels_of_raw_names() -> None:
    assert lb.label(lb.PROPERTY, "packetsLost", "en") == "Packets lost"
    assert lb.label(lb.PROPERTY, "jitterBufferDelay", "zh-CN") == "抖动缓冲延迟"
    assert lb.metric_label("audio loss in windows", "en") == "Audio packet loss in the windows"
    assert lb.metric_label("led to video.freeze", "en") == "Led to: Video freezes (stutter)"
    assert lb.metric_label("video loss in windows (consequence: network.uplink_loss)", "zh-CN") == (
        "问题时段内的视频丢包率（后果：上行（发送端）丢包）"
    )
    assert lb.series_label("PC 1-1: inbound-rtp IT01A/packetsLost,packetsReceived", "en") == (
        "received stream · Packets lost, Packets received"
    )
    assert lb.line_label("remote-inbound video RIV1", "zh-CN") == "对端反馈的发送视频（RIV1）"
    assert lb.line_label("inbound audio IT01A", "en") == "Received audio (IT01A)"


@pytest.mark.parametrize(
    ("code", "en", "zh"),
    [
        ("ios", "iOS", "iOS"),
        ("react-native", "React Native", "React Native"),
        ("react_native", "React Native", "React Native"),
        ("macos", "macOS", "macOS"),
        ("server", "Server", "服务端"),
        ("symbian", "symbian", "symbian"),
    ],
)
def test_platform_names(code: str, en: str, zh: str) -> None:
    assert platform_name(code, "en") == en
    assert platform_name(code, "zh-CN") == zh


def test_client_from_user_agent() -> None:
    mac = (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
    )
    assert lb.client_label(mac, "en") == "Chrome 131 on macOS"
    assert lb.client_label(mac, "zh-CN") == "macOS 上的 Chrome 131"
    iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Safari/604.1"
    assert lb.client_label(iphone, "en") == "Safari 17 on iOS"
    assert lb.client_label("", "en") == ""


PROBLEM = Call(
    segs={"down_loss_pct": [(20, 40, 12.0)], "ql_reason": [(15, 50, "cpu")]},
    gum_audio={"echoCancellation": False},
)
CLEAN = Call(duration_s=20)


@pytest.fixture(scope="module")
def report() -> Report:
    return diagnose_bytes(to_internals(PROBLEM))


def _prose(doc: str) -> str:
    """The text people read: tags, raw series and codes removed."""
    text = re.sub(r"<code>.*?</code>|`[^`]*`", " ", doc)
    text = re.sub(r"<style>.*?</style>|<svg.*?</svg>|<[^>]+>", " ", text, flags=re.S)
    return text


@pytest.mark.parametrize("fmt", ["html", "md"])
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_reports_label_what_they_show(report: Report, fmt: str, lang: str) -> None:
    doc = render(report, fmt, lang)  # type: ignore[arg-type]
    prose = _prose(doc)
    assert not re.search(r"\b1 findings\b", prose)
    assert not re.search(r"\d[eE][-+]?\d", prose), "no exponent notation in prose"
    for raw in ("packetsLost", "packetsReceived", "inbound-rtp", "remote-inbound"):
        assert raw not in prose, f"{raw} shown without a label"
    row = lb.metric_label(report.findings[0].evidence[0].metric, lang)
    assert row in doc
    assert lb.SEVERITY[report.findings[0].severity][1 if lang == "zh-CN" else 0] in doc
    assert lb.CATEGORY[report.findings[0].category][1 if lang == "zh-CN" else 0] in doc
    if lang == "zh-CN":
        assert "丢包数" in doc
        assert "接收音频" in doc
        assert "Packets lost" not in doc
    else:
        assert "Packets lost" in doc
        assert "Received audio" in doc
    assert "packetsLost" in doc  # the raw series stays, as secondary evidence


def test_finding_counts_in_reports() -> None:
    clean = diagnose_bytes(to_internals(CLEAN))
    assert "(0 findings)" in render(clean, "md")
    one = Report(**{**{f: getattr(clean, f) for f in clean.__slots__}})  # type: ignore[attr-defined]
    one.findings = clean.findings[:0] + diagnose_bytes(to_internals(PROBLEM)).findings[:1]
    assert "(1 finding)" in render(one, "md")
    assert "（1 项发现）" in render(one, "md", "zh-CN")


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_chart_axes_fit_their_data(report: Report, lang: str) -> None:
    html = render(report, "html", lang)
    for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S):
        ticks = [
            float(v.replace(",", ""))
            for v in re.findall(r'text-anchor="end" fill="#555">([-\d.,]+)</text>', svg)
        ]
        assert ticks, "every chart has y ticks"
        assert max(ticks) < 1e6
        steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
        assert len(steps) == 1, f"evenly spaced ticks: {ticks}"
        assert "0:00" in svg
    assert ("距通话开始的时间" if lang == "zh-CN" else "time since the call started") in html
