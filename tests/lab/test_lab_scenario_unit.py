"""Scenario files: presets load, mistakes are explained, ground truth is derived."""

from __future__ import annotations

import pytest

from rtcdesk.core.errors import InvalidInput, NotFound
from rtcdesk.lab.findings import CLEAN_ABSENT, FINDING_CODES, derive_expected
from rtcdesk.lab.presets import load_preset, preset_names, resolve_scenario
from rtcdesk.lab.scenario import parse_scenario, scenario_to_dict, validate_scenario


def _error(text: str) -> str:
    with pytest.raises(InvalidInput) as info:
        parse_scenario(text)
    return info.value.message


def test_all_presets_load_and_round_trip() -> None:
    names = preset_names()
    for required in (
        "clean",
        "subway-4g",
        "congested-wifi",
        "cross-border-high-rtt",
        "uplink-loss",
        "downlink-loss",
        "bandwidth-cap-300k",
        "blackout-5s",
        "ice-blocked",
        "mic-muted",
        "camera-stopped",
        "av-drift",
    ):
        assert required in names
    for name in names:
        sc = load_preset(name)
        assert sc.name == name
        assert sc.description
        assert validate_scenario(scenario_to_dict(sc)) == sc
        expected, absent = derive_expected(sc)
        assert set(expected) <= set(FINDING_CODES)
        assert not set(expected) & set(absent)


def test_clean_preset_ground_truth() -> None:
    expected, absent = derive_expected(load_preset("clean"))
    assert expected == []
    assert set(absent) == set(CLEAN_ABSENT)
    assert "network.uplink_loss" in absent
    assert "video.freeze" in absent


@pytest.mark.parametrize(
    ("preset", "code"),
    [
        ("uplink-loss", "network.uplink_loss"),
        ("downlink-loss", "network.downlink_loss"),
        ("bandwidth-cap-300k", "network.bandwidth_limited"),
        ("blackout-5s", "network.blackout"),
        ("ice-blocked", "ice.failure"),
        ("mic-muted", "audio.mic_silent"),
        ("camera-stopped", "video.camera_stopped"),
        ("av-drift", "sync.av_desync"),
        ("cross-border-high-rtt", "network.high_rtt"),
    ],
)
def test_presets_expect_their_fault(preset: str, code: str) -> None:
    assert code in derive_expected(load_preset(preset))[0]


def test_unknown_keys_are_named() -> None:
    msg = _error("name: x\nduraton_s: 5\nimpairments:\n  - {kind: loss, rate: 0.1, rat: 2}\n")
    assert "duraton_s: unknown key" in msg
    assert "impairments[0].rat: unknown key for loss" in msg


def test_ranges_and_kinds_are_checked() -> None:
    msg = _error(
        "name: x\nduration_s: 1\nimpairments:\n"
        "  - {kind: loss, rate: 1.5}\n  - {kind: teleport}\n  - {kind: delay, direction: up, ms: 5}"
    )
    assert "duration_s: must be between 3 and 600 (got 1)" in msg
    assert "impairments[0].rate: must be between 0 and 1 (got 1.5)" in msg
    assert "impairments[1].kind: must be one of" in msg
    assert "direction: must be uplink, downlink or both" in msg


def test_overlapping_phases_are_explained() -> None:
    msg = _error(
        "name: x\nimpairments:\n"
        "  - {kind: loss, direction: uplink, start_s: 2, end_s: 10, rate: 0.1}\n"
        "  - {kind: loss, direction: both, start_s: 8, rate: 0.2}\n"
    )
    assert "two 'loss' phases overlap (uplink): one runs 2s to 10s, the next starts at 8s" in msg


def test_phase_timing_rules() -> None:
    assert "needs end_s or duration_s" in _error("name: x\nimpairments: [{kind: blackout}]")
    assert "must be after start_s" in _error(
        "name: x\nimpairments: [{kind: loss, rate: 0.1, start_s: 5, end_s: 3}]"
    )
    assert "cannot restart" in _error(
        "name: x\napp_faults: [{kind: camera_stopped, start_s: 2, end_s: 5}]"
    )
    assert "unknown finding code" in _error("name: x\nexpected_findings: [network.gremlins]")


def test_toml_and_yaml_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    toml = tmp_path / "s.toml"
    toml.write_text(
        'name = "t"\nduration_s = 10\n[[impairments]]\nkind = "jitter"\nms = 30\nreorder = true\n'
    )
    sc = resolve_scenario(str(toml))
    assert [(p.kind, p.direction, p.params["reorder"]) for p in sc.impairments] == [
        ("jitter", "uplink", True),
        ("jitter", "downlink", True),
    ]
    with pytest.raises(NotFound):
        resolve_scenario(str(tmp_path / "missing.yaml"))
    with pytest.raises(NotFound):
        resolve_scenario("no-such-preset")
    assert "not valid YAML" in _error("name: [unclosed")
