"""Real worker processes: SIGTERM shuts down cleanly; kill -9 loses no job and no effect twice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from rtcdesk.bootstrap import Container
from rtcdesk.jobs import service as jobs
from rtcdesk.jobs.models import Job, JobState

WORKER = Path(__file__).with_name("worker_proc.py")
sys.path.insert(0, str(WORKER.parent))
from worker_proc import CRASH_TABLES  # noqa: E402


def _url(container: Container) -> str:
    return container.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def spawn(
    live_container: Container, tmp_path: Path
) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start worker processes on the test database; kill leftovers at the end."""
    procs: list[subprocess.Popen[str]] = []
    env = {**os.environ, "RTCDESK_TEST_RUN_LOG": str(tmp_path / "runs.log")}

    def start(*options: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), _url(live_container), str(tmp_path), *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        procs.append(proc)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "running" in line, line
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def _state(container: Container, job_id: int) -> tuple[JobState, int]:
    with container.uow(write=False) as uow:
        job = uow.session.get(Job, job_id)
        assert job is not None
        return job.state, job.attempts


def _wait_for(predicate: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _enqueue(container: Container, name: str, payload: dict[str, float]) -> int:
    with container.uow() as uow:
        job_id = jobs.enqueue(uow, name, payload)
        uow.commit()
    return job_id


def test_sigterm_finishes_the_running_job_and_exits_0(
    live_container: Container, spawn: Callable[..., subprocess.Popen[str]]
) -> None:
    job_id = _enqueue(live_container, "t.sleep", {"seconds": 1.0})
    proc = spawn("--grace", "10", "--poll", "0.1")
    _wait_for(lambda: _state(live_container, job_id)[0] == JobState.RUNNING, 120)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(120) == 0
    assert _state(live_container, job_id) == (JobState.SUCCEEDED, 1)


def test_sigterm_releases_a_job_that_outlives_the_grace_period(
    live_container: Container, spawn: Callable[..., subprocess.Popen[str]]
) -> None:
    # The job would run for 10 minutes: exiting within the wait proves it was released.
    job_id = _enqueue(live_container, "t.sleep", {"seconds": 600})
    proc = spawn("--grace", "0.3", "--poll", "0.1")
    _wait_for(lambda: _state(live_container, job_id)[0] == JobState.RUNNING, 120)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(120) == 0
    assert _state(live_container, job_id) == (JobState.QUEUED, 0)


def test_second_signal_cuts_the_grace_period_short(
    live_container: Container, spawn: Callable[..., subprocess.Popen[str]]
) -> None:
    # A 10-minute job and a 5-minute grace period: exiting within the wait proves the
    # second signal cut the grace short.
    job_id = _enqueue(live_container, "t.sleep", {"seconds": 600})
    proc = spawn("--grace", "300", "--poll", "0.1")
    _wait_for(lambda: _state(live_container, job_id)[0] == JobState.RUNNING, 120)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(120) == 0
    assert _state(live_container, job_id) == (JobState.QUEUED, 0)


@pytest.mark.slow
def test_kill_9_loses_no_job_and_applies_no_effect_twice(
    live_container: Container, spawn: Callable[..., subprocess.Popen[str]], tmp_path: Path
) -> None:
    total, kills = 300, 5
    with live_container.uow() as uow:
        for statement in CRASH_TABLES:
            uow.session.execute(text(statement))
        for _ in range(total):
            jobs.enqueue(uow, "t.effect", {"after": 0.02})
        uow.commit()
    rng = random.Random()
    options = ("--concurrency", "2", "--lease", "1s", "--poll", "0.1", "--grace", "5")
    for _ in range(kills):
        proc = spawn(*options)
        time.sleep(rng.uniform(0.05, 0.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    final = spawn(*options)

    def drained() -> bool:
        with live_container.uow(write=False) as uow:
            stmt = select(func.count()).where(Job.state != JobState.SUCCEEDED)
            return uow.session.execute(stmt).scalar_one() == 0

    _wait_for(drained, 300)
    final.send_signal(signal.SIGTERM)
    assert final.wait(120) == 0

    with live_container.uow(write=False) as uow:
        effects = uow.session.execute(text("SELECT COUNT(*) FROM crash_effects")).scalar_one()
        counter = uow.session.execute(text("SELECT value FROM crash_counter")).scalar_one()
        succeeded = uow.session.execute(
            select(func.count()).where(Job.name == "t.effect", Job.state == JobState.SUCCEEDED)
        ).scalar_one()
    runs = Counter((tmp_path / "runs.log").read_text().split())
    reruns = sum(n - 1 for n in runs.values())
    print(f"jobs={total} kills={kills} executions={sum(runs.values())} re-runs={reruns}")
    assert succeeded == total  # jobs lost: 0
    assert effects == total
    assert counter == total  # effects applied twice: 0
    assert len(runs) == total
