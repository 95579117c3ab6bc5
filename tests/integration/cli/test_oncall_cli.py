"""``rtcdesk oncall now|shifts`` through click's runner, on the test database."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner

from factories import accounts as fa
from factories import oncall as fo
from rtcdesk.bootstrap import Container
from rtcdesk.cli.main import main


def _run(container: Container, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), obj=container)
    return result.exit_code, result.output


def test_now_and_at_a_time(container: Container) -> None:
    a = fa.agent(container, name="Alice")
    b = fa.agent(container, name="Bob")
    boss = fa.agent(container, role="manager", name="Boss")
    fo.schedule(
        container,
        [[a, b]],
        name="Desk",
        manager=boss,
        timezone="America/Los_Angeles",
        starts_on=date(2026, 3, 2),
    )
    code, out = _run(container, "oncall", "now")
    assert code == 0, out
    # 2026-03-02 09:00 UTC is 01:00 in Los Angeles: the first shift starts at 09:00 local.
    assert "1. Layer 1: nobody" in out
    assert "escalation: Boss" in out
    code, out = _run(
        container, "oncall", "now", "--schedule", "Desk", "--at", "2026-03-10T10:00-07:00"
    )
    assert code == 0, out
    assert "Layer 1: Bob" in out
    assert "until 2026-03-16 Mon 09:00" in out
    assert "escalation: Bob -> Boss" in out


def test_shifts_across_the_dst_change(container: Container) -> None:
    a = fa.agent(container, name="Alice")
    b = fa.agent(container, name="Bob")
    fo.schedule(container, [[a, b]], name="Desk", timezone="America/Los_Angeles")
    code, out = _run(
        container,
        "oncall",
        "shifts",
        "--schedule",
        "Desk",
        "--days",
        "14",
        "--from",
        "2026-03-02T09:00-08:00",
    )
    assert code == 0, out
    lines = [line for line in out.splitlines() if "->" in line]
    assert len(lines) == 3
    # The 09:00 handover stays 09:00 local on both sides of 2026-03-08.
    assert "2026-03-02 Mon 09:00 -> 2026-03-09 Mon 09:00  Alice" in lines[0]
    assert "2026-03-09 Mon 09:00 -> 2026-03-16 Mon 09:00  Bob" in lines[1]
    # 14 days of 24 hours end at 10:00 local: the spring-forward day had 23.
    assert "2026-03-16 Mon 09:00 -> 2026-03-16 Mon 10:00  Alice" in lines[2]


def test_clear_errors(container: Container) -> None:
    code, out = _run(container, "oncall", "shifts", "--schedule", "Nope")
    assert code == 4
    assert "no on-call schedule named 'Nope'" in out
    fo.schedule(container, [[fa.agent(container)]], name="Desk")
    code, out = _run(container, "oncall", "now", "--at", "tomorrow")
    assert code == 2
    assert "ISO 8601" in out
    code, out = _run(container, "oncall", "shifts", "--schedule", "Desk", "--days", "0")
    assert code == 2
