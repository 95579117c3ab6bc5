"""The rtcdesk command line, run as a real process on a throw-away data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rtcdesk.demo.dataset import TICKET_COUNT
from rtcdesk.demo.sla_states import PAGED, STATES


def rtcdesk(
    data_dir: Path, *args: str, input_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RTCDESK_DATA_DIR": str(data_dir)}
    env.pop("RTCDESK_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "rtcdesk", *args],
        env=env,
        capture_output=True,
        text=True,
        input=input_text,
        # Only a guard against a hung process: loading the demo takes ~35 s on an idle
        # 2-core machine and several times that on a busy one.
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli")
    upgraded = rtcdesk(path, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    return path


def test_demo_loads_once(data_dir: Path) -> None:
    first = rtcdesk(data_dir, "demo", "--if-empty")
    assert first.returncode == 0, first.stderr
    assert "6 organizations" in first.stdout
    # The generated tickets, then the SLA and paging showcase (demo/sla_states.py).
    assert f"{TICKET_COUNT + len(STATES) + len(PAGED)} tickets" in first.stdout
    assert "rtcdesk-demo" in first.stdout
    again = rtcdesk(data_dir, "demo", "--if-empty")
    assert again.returncode == 0
    assert "already has data" in again.stdout


def test_user_and_token_lifecycle(data_dir: Path) -> None:
    made = rtcdesk(
        data_dir,
        "user",
        "create",
        "--email",
        "ops@vendor.example",
        "--name",
        "运维 Ops",
        "--role",
        "admin",
        "--password",
        "very-secret-1",
    )
    assert made.returncode == 0, made.stderr
    assert "agent" in made.stdout
    duplicate = rtcdesk(
        data_dir,
        "user",
        "create",
        "--email",
        "ops@vendor.example",
        "--name",
        "x",
        "--password",
        "very-secret-1",
    )
    assert duplicate.returncode == 5
    assert "already registered" in duplicate.stderr
    token = rtcdesk(
        data_dir, "token", "create", "--name", "CI", "--agent-email", "ops@vendor.example"
    )
    assert token.returncode == 0, token.stderr
    token_id = token.stdout.split()[1]
    assert "rtd_ag_" in token.stdout
    revoked = rtcdesk(data_dir, "token", "revoke", token_id)
    assert revoked.returncode == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("token", "create", "--name", "x"), 2, "exactly one of"),
        (("token", "create", "--name", "x", "--agent-email", "nobody@x.example"), 4, "no agent"),
        (("token", "revoke", "99999"), 4, "not found"),
        (
            (
                "user",
                "create",
                "--email",
                "c@x.example",
                "--name",
                "C",
                "--role",
                "contact",
                "--password",
                "long-enough-1",
            ),
            2,
            "organization-id",
        ),
        (
            ("user", "create", "--email", "bad", "--name", "B", "--password", "long-enough-1"),
            2,
            "not a valid email",
        ),
    ],
)
def test_errors_are_messages_with_exit_codes(
    data_dir: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    result = rtcdesk(data_dir, *args)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert message in result.stderr
    assert "Traceback" not in result.stderr
