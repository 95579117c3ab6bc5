"""A throw-away network namespace with only ``lo``, so a lab call cannot reach any network."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator

_IP = shutil.which("ip") or "/usr/sbin/ip"


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed binary, arguments we built
        [_IP, *args], capture_output=True, text=True, check=check, timeout=20
    )


def unavailable_reason() -> str | None:
    """Why namespaces cannot be used here, or None when they can."""
    if os.name != "posix" or os.geteuid() != 0:
        return "not running as root, so no network namespace can be created"
    if not os.path.exists(_IP):
        return "the 'ip' tool (iproute2) is not installed"
    return None


@contextlib.contextmanager
def lo_only_namespace() -> Iterator[str]:
    """Create ``rtcdesk-lab-<random>`` with ``lo`` up; kill what runs in it and delete it."""
    name = f"rtcdesk-lab-{secrets.token_hex(4)}"
    try:
        _ip("netns", "add", name)
    except (subprocess.CalledProcessError, OSError, subprocess.TimeoutExpired) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        raise OSError(f"cannot create network namespace: {detail.strip()}") from exc
    try:
        _ip("netns", "exec", name, _IP, "link", "set", "lo", "up")
        yield name
    finally:
        kill_namespace_processes(name)
        _ip("netns", "del", name, check=False)


def exec_prefix(name: str) -> list[str]:
    """The argv prefix that runs a command inside the namespace."""
    return [_IP, "netns", "exec", name]


def kill_namespace_processes(name: str) -> None:
    """Terminate, then kill, every process left inside the namespace (all started by us)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = _namespace_pids(name)
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        for _ in range(20):
            if not _namespace_pids(name):
                return
            time.sleep(0.1)


def _namespace_pids(name: str) -> list[int]:
    out = _ip("netns", "pids", name, check=False).stdout
    return [int(p) for p in out.split() if p.isdigit() and int(p) != os.getpid()]
