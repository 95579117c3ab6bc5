"""The rule pack: validation names the rule and the field; conditions; engineers' files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from rtcdesk.core.errors import InvalidInput
from rtcdesk.logs.engine import analyze_bytes
from rtcdesk.logs.rules import load_rules, parse_pack

REF = datetime(2026, 12, 2, tzinfo=UTC)
TEXTS = """
    title: {en: T, zh-CN: 标题}
    cause: {en: C, zh-CN: 原因}
    fixes: {en: [F], zh-CN: [修复]}
"""


def pack(body: str) -> str:
    return "rules:\n  - code: custom.thing\n    category: session\n    severity: error\n" + body


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("    match: ['(']\n" + TEXTS, r"rule custom.thing in x.yaml: match\[0\] is not a valid"),
        ("    match: ['a*']\n" + TEXTS, r"match\[0\] matches empty text"),
        ("    match: ['hello']\n    title: {en: T}\n", r"title\.zh-CN is required"),
        ("    match: ['hello']\n    colour: red\n" + TEXTS, r"colour is not a known field"),
        (
            "    match: ['hello']\n    repeat: {more_than: 0, within_s: 5}\n" + TEXTS,
            r"repeat\.more_than must be a whole number",
        ),
        (
            "    match: ['hello']\n    not_followed_by: {match: [bye]}\n" + TEXTS,
            r"not_followed_by\.within_s is required",
        ),
        (
            "    match: ['hello']\n" + TEXTS.replace("[修复]", "[修复, 多余]"),
            r"fixes\.zh-CN must have as many items",
        ),
    ],
)
def test_validation_names_rule_and_field(body: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_pack(pack(body), "x.yaml")


def test_bad_category_and_yaml() -> None:
    with pytest.raises(InvalidInput, match=r"rule custom.thing in x.yaml: category must be one of"):
        parse_pack(pack("    match: [hello]\n" + TEXTS).replace("session", "weather"), "x.yaml")
    with pytest.raises(InvalidInput, match=r"rule file x.yaml is not valid YAML"):
        parse_pack("rules: [", "x.yaml")
    with pytest.raises(InvalidInput, match=r"must be a mapping with a list under 'rules'"):
        parse_pack("- a\n", "x.yaml")


def test_engineers_folder_adds_and_replaces_rules(tmp_path: Path) -> None:
    (tmp_path / "ours.yaml").write_text(
        pack("    match: ['license server unreachable']\n" + TEXTS)
        + "  - code: device.busy\n    category: devices\n    severity: info\n"
        "    match: ['NotReadableError']\n" + TEXTS.replace("    ", "    "),
        encoding="utf-8",
    )
    rules = load_rules(tmp_path)
    data = (
        b"16:00:00.000 app.js:1 license server unreachable\n"
        b"16:00:01.000 app.js:2 NotReadableError: Could not start video source\n"
    )
    report = analyze_bytes(data, reference=REF, rules=rules)
    assert [(f.code, f.severity) for f in report.findings] == [
        ("custom.thing", "error"),
        ("device.busy", "info"),
    ]


def test_missing_rules_folder() -> None:
    with pytest.raises(InvalidInput, match=r"the log rules folder /nowhere does not exist"):
        load_rules(Path("/nowhere"))


def _rules(tmp_path: Path, body: str) -> object:
    (tmp_path / "r.yaml").write_text(pack(body + TEXTS), encoding="utf-8")
    return load_rules(tmp_path)


def line(sec: int, text: str) -> bytes:
    return f"2026-12-01T10:00:{sec:02d}.000Z I [app] {text}\n".encode()


def test_not_followed_by_within_window(tmp_path: Path) -> None:
    rules = _rules(
        tmp_path, "    match: [ringing]\n    not_followed_by: {match: [answered], within_s: 5}\n"
    )
    ok = line(0, "ringing") + line(3, "answered") + line(30, "ringing") + line(32, "answered")
    bad = line(0, "ringing") + line(10, "answered")
    assert not analyze_bytes(ok, reference=REF, rules=rules).findings  # type: ignore[arg-type]
    (f,) = analyze_bytes(bad, reference=REF, rules=rules).findings  # type: ignore[arg-type]
    assert f.count == 1


def test_repeat_more_than_k_in_t(tmp_path: Path) -> None:
    rules = _rules(
        tmp_path, "    match: [reconnecting]\n    repeat: {more_than: 2, within_s: 10}\n"
    )
    spread = line(0, "reconnecting") + line(20, "reconnecting") + line(40, "reconnecting")
    burst = line(0, "reconnecting") + line(2, "reconnecting") + line(4, "reconnecting")
    assert not analyze_bytes(spread, reference=REF, rules=rules).findings  # type: ignore[arg-type]
    (f,) = analyze_bytes(burst, reference=REF, rules=rules).findings  # type: ignore[arg-type]
    assert (f.windows[0].end_ms - f.windows[0].start_ms) == 4000


def test_preceded_by_with_reset(tmp_path: Path) -> None:
    rules = _rules(
        tmp_path,
        "    match: [mute]\n    preceded_by: {match: [joined], reset: [left]}\n",
    )
    assert not analyze_bytes(line(0, "mute"), reference=REF, rules=rules).findings  # type: ignore[arg-type]
    data = (
        line(0, "joined") + line(1, "left") + line(2, "mute") + line(3, "joined") + line(4, "mute")
    )
    (f,) = analyze_bytes(data, reference=REF, rules=rules).findings  # type: ignore[arg-type]
    assert (f.count, f.first_line) == (1, 5)


def test_patterns_the_matcher_cannot_run_name_rule_and_field(tmp_path: Path) -> None:
    (tmp_path / "ours.yaml").write_text(
        pack("    match: ['hello', 'call (?!ended)']\n" + TEXTS), encoding="utf-8"
    )
    rules = load_rules(tmp_path)
    with pytest.raises(InvalidInput, match=r"^rule custom.thing in ours.yaml: match\[1\] is not "):
        analyze_bytes(b"16:00:00.000 app.js:1 hello\n", reference=REF, rules=rules)
