"""Starve one process of CPU with a cgroup (v1 ``cpu`` or v2) CFS quota.

Busy-looping web workers alone do not starve Chromium's video encoder here: its
threads run at a raised priority, so the encoder keeps its share. Capping the whole
customer renderer process with a CFS quota does.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

_V1 = Path("/sys/fs/cgroup/cpu")
_V2 = Path("/sys/fs/cgroup")
_PERIOD_US = 100_000


def _has_v1(path: Path) -> bool:
    return (path / "cpu.cfs_quota_us").exists()


def _has_v2(path: Path) -> bool:
    return (path / "cgroup.controllers").exists()


class CpuLimit:
    """A cgroup holding one process with a CPU quota; :meth:`release` undoes everything."""

    def __init__(self, pid: int, percent: float, threads: tuple[str, ...] = ()) -> None:
        self.pid = pid
        self.percent = percent
        self.threads = threads  # comm-name prefixes; empty = the whole process
        self._dir: Path | None = None
        self._root: Path | None = None
        self._mount: Path | None = None
        self._v1 = True

    @staticmethod
    def unavailable_reason() -> str | None:
        """Why no CPU cgroup can be made here, or None when it can."""
        if os.geteuid() != 0:
            return "not root"
        if shutil.which("mount") is None and not (_has_v1(_V1) or _has_v2(_V2)):
            return "no cgroup cpu controller mounted and no 'mount' tool"
        return None

    def _hierarchy(self) -> tuple[Path, bool]:
        """The cpu cgroup hierarchy root and whether it is v1 (mounting it if needed)."""
        if _has_v1(_V1):
            return _V1, True
        if _has_v2(_V2):
            return _V2, False
        # ``ip netns exec`` gives us a private mount namespace with a fresh /sys and no
        # cgroups; mount the cpu hierarchy privately (it never shows outside).
        mnt = Path(tempfile.mkdtemp(prefix="rtcdesk-cgroup-"))
        for argv in (["-t", "cgroup", "-o", "cpu", "cgroup"], ["-t", "cgroup2", "cgroup2"]):
            done = subprocess.run(  # noqa: S603 - fixed tool and arguments
                [shutil.which("mount") or "/bin/mount", *argv, str(mnt)],
                capture_output=True,
                check=False,
                timeout=10,
            )
            if done.returncode == 0:
                self._mount = mnt
                return mnt, _has_v1(mnt)
        mnt.rmdir()
        raise OSError("could not mount a cgroup cpu hierarchy")

    def apply(self) -> None:
        """Create the cgroup, set the quota and move the process (all its threads) in."""
        root, v1 = self._hierarchy()
        quota = max(1_000, int(_PERIOD_US * self.percent / 100))
        self._root, self._dir = root, root / f"rtcdesk-lab-{secrets.token_hex(4)}"
        self._dir.mkdir()
        if v1:
            (self._dir / "cpu.cfs_period_us").write_text(str(_PERIOD_US))
            (self._dir / "cpu.cfs_quota_us").write_text(str(quota))
            # Real-time (audio) threads may only join a group that has RT runtime.
            with contextlib.suppress(OSError):
                (self._dir / "cpu.rt_runtime_us").write_text(str(quota))
        else:
            (self._dir / "cpu.max").write_text(f"{quota} {_PERIOD_US}")
        self._v1 = v1
        if not v1 and self.threads:
            (self._dir / "cgroup.type").write_text("threaded")
        if not self.threads:
            try:
                (self._dir / "cgroup.procs").write_text(str(self.pid))
                return
            except OSError:
                pass
        if not self.refresh():
            raise OSError(f"no thread of process {self.pid} could join the cgroup")

    def refresh(self) -> int:
        """Move matching threads (new ones too) into the group; return how many moved."""
        if self._dir is None:
            return 0
        moved = 0
        for tid in os.listdir(f"/proc/{self.pid}/task"):
            with contextlib.suppress(OSError):
                comm = Path(f"/proc/{self.pid}/task/{tid}/comm").read_text().strip()
                if self.threads and not comm.startswith(self.threads):
                    continue
                (self._dir / ("tasks" if self._v1 else "cgroup.threads")).write_text(tid)
                moved += 1
        return moved

    def release(self) -> None:
        """Move every process back to the root group, remove the cgroup, unmount."""
        if self._dir is not None and self._root is not None:
            with contextlib.suppress(OSError):
                for tid in (self._dir / "tasks").read_text().split():
                    with contextlib.suppress(OSError):
                        (self._root / "tasks").write_text(tid)
            with contextlib.suppress(OSError):
                for pid in (self._dir / "cgroup.procs").read_text().split():
                    with contextlib.suppress(OSError):
                        (self._root / "cgroup.procs").write_text(pid)
            with contextlib.suppress(OSError):
                self._dir.rmdir()
            self._dir = None
        if self._mount is not None:
            subprocess.run(  # noqa: S603 - fixed tool and arguments
                [shutil.which("umount") or "/bin/umount", str(self._mount)],
                capture_output=True,
                check=False,
                timeout=10,
            )
            with contextlib.suppress(OSError):
                self._mount.rmdir()
            self._mount = None
