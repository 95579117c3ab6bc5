"""`rtcdesk` run from anywhere: a per-user data directory and one clear sentence without a
database, as a real process started in an empty directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

NEEDS_DATABASE = [
    ("jobs", "list"),
    ("worker",),
    ("serve",),
    ("token", "revoke", "1"),
    ("user", "create", "--email", "a@example.com", "--name", "A", "--password", "secret-123"),
]


def run(home: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("RTCDESK_") and k not in ("LC_ALL", "LC_MESSAGES")
    }
    # English unless a test says otherwise: reports follow the locale without --lang.
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "xdg"), LANG="C.UTF-8")
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "rtcdesk", *args],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        # Only a guard against a hung process: loading the demo takes ~35 s on an idle
        # 2-core machine and several times that on a busy one.
        timeout=900,
        check=False,
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


@pytest.mark.parametrize("args", NEEDS_DATABASE, ids=lambda a: a[0])
def test_a_missing_database_is_one_sentence(home: Path, args: tuple[str, ...]) -> None:
    result = run(home, *args)
    db = home / "xdg" / "rtcdesk" / "rtcdesk.db"
    assert result.returncode == 4, result.stderr
    assert result.stderr.strip() == (
        f"error: no database at {db}: run `rtcdesk db upgrade` or `rtcdesk demo` "
        "(or set RTCDESK_DATA_DIR)"
    )
    assert "Traceback" not in result.stderr
    assert not db.exists()


def test_db_upgrade_creates_the_per_user_directory_then_commands_work(home: Path) -> None:
    upgraded = run(home, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert (home / "xdg" / "rtcdesk" / "rtcdesk.db").is_file()
    assert not (home / "var").exists()  # not relative to where the command runs
    listed = run(home, "jobs", "list")
    assert listed.returncode == 0, listed.stderr
    assert "queued=0" in listed.stdout


def test_an_empty_database_file_is_named(home: Path) -> None:
    data = home / "xdg" / "rtcdesk"
    data.mkdir(parents=True)
    (data / "rtcdesk.db").touch()
    result = run(home, "jobs", "list")
    assert result.returncode == 4
    assert result.stderr.strip() == (
        f"error: the database {data / 'rtcdesk.db'} has no tables yet: "
        "run `rtcdesk db upgrade` or `rtcdesk demo`"
    )


def test_an_unreachable_database_is_one_line_without_its_password(home: Path) -> None:
    url = "postgresql+psycopg://rtcdesk:s3cret@127.0.0.1:1/rtcdesk"
    result = run(home, "jobs", "list", RTCDESK_DATABASE_URL=url)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "error: cannot open the database postgresql+psycopg://rtcdesk:***@127.0.0.1:1/rtcdesk: "
    )
    assert "s3cret" not in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("webrtc_dump.txt", b"", "error: webrtc_dump.txt is empty."),
        ("webrtc_dump.txt", b"hello", "error: webrtc_dump.txt is not a WebRTC dump we can read."),
        (
            "internals.json",
            json.dumps({"PeerConnections": 1}).encode(),
            "error: internals.json is not a webrtc-internals dump: it has no 'PeerConnections'",
        ),
        ("cut.json.gz", b"\x1f\x8b\x08\x00", "error: cut.json.gz is a gzip file cut off before"),
    ],
)
def test_diagnose_errors_name_the_file(
    home: Path, name: str, content: bytes, expected: str
) -> None:
    (home / name).write_bytes(content)
    result = run(home, "diagnose", name)
    assert result.returncode == 2
    assert result.stderr.startswith(expected), result.stderr
    assert result.stderr.count("\n") == 1  # one sentence, no traceback
    assert result.stdout == ""


def test_diagnose_a_missing_file(home: Path) -> None:
    result = run(home, "diagnose", "nowhere.json")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: nowhere.json does not exist."


LAB = Path(__file__).resolve().parents[2] / "fixtures" / "lab"


def test_diagnose_needs_no_database_and_speaks_both_languages(home: Path) -> None:
    dump = LAB / "downlink-loss.dump.json.gz"
    zh = run(home, "diagnose", str(dump), "--format", "html", "--lang", "zh-CN", "-o", "r.html")
    assert zh.returncode == 0, zh.stderr
    assert zh.stderr.strip() in {
        "Report written to r.html (1 finding).",
        *(f"Report written to r.html ({n} findings)." for n in range(2, 20)),
    }
    html = (home / "r.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    assert "丢包数" in html
    assert not (home / "xdg").exists()
    unwritable = run(home, "diagnose", str(dump), "-o", "no/such/dir/r.md")
    assert unwritable.returncode == 2
    assert unwritable.stderr.strip() == (
        "error: cannot write the report to no/such/dir/r.md: No such file or directory."
    )


def test_diagnose_speaks_the_language_of_the_locale(home: Path) -> None:
    dump = LAB / "downlink-loss.dump.json.gz"
    for env, expected in (
        ({"LANG": "zh_CN.UTF-8"}, '<html lang="zh-CN">'),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, '<html lang="en">'),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}, '<html lang="en">'),
        ({"LANG": "C"}, '<html lang="en">'),
    ):
        result = run(home, "diagnose", str(dump), "--format", "html", "-o", "r.html", **env)
        assert result.returncode == 0, result.stderr
        assert expected in (home / "r.html").read_text(encoding="utf-8"), env
