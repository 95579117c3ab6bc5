"""The ``lab`` command group, for everything that needs no browser."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from rtcdesk.cli.lab import lab


def test_presets_lists_names_with_descriptions() -> None:
    out = CliRunner().invoke(lab, ["presets"])
    assert out.exit_code == 0
    lines = out.output.splitlines()
    assert any(line.startswith("subway-4g ") and "train" in line for line in lines)
    assert all(len(line.split(None, 1)) == 2 for line in lines)


def test_show_prints_the_understood_scenario_with_ground_truth() -> None:
    out = CliRunner().invoke(lab, ["show", "uplink-loss"])
    assert out.exit_code == 0
    assert "direction: uplink" in out.output
    assert "- network.uplink_loss" in out.output


def test_invalid_scenario_file_exits_2_with_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nimpairments:\n  - {kind: loss, rate: 2, colour: red}\n")
    out = CliRunner().invoke(lab, ["run", str(bad), "--out", str(tmp_path)])
    assert out.exit_code == 2
    assert "rate: must be between 0 and 1" in out.output
    assert "colour: unknown key" in out.output


def test_unknown_preset_exits_4() -> None:
    out = CliRunner().invoke(lab, ["run", "no-such-network"])
    assert out.exit_code == 4
    assert "no lab preset named no-such-network" in out.output


def test_duration_out_of_range_exits_2(tmp_path: Path) -> None:
    out = CliRunner().invoke(lab, ["run", "clean", "--duration", "1", "--out", str(tmp_path)])
    assert out.exit_code == 2
    assert "duration must be between 3 and 600 seconds" in out.output
