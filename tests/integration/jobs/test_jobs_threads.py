"""Real worker threads on the real clock: embedded worker, no job run twice concurrently."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rtcdesk.bootstrap import Container, build_container
from rtcdesk.config import Settings
from rtcdesk.core.clock import FrozenClock
from rtcdesk.db.migrate import upgrade
from rtcdesk.jobs import service as jobs
from rtcdesk.jobs.models import Job, JobState
from rtcdesk.jobs.registry import JobContext, JobRegistry
from rtcdesk.jobs.worker import Worker, start_embedded_worker


def _wait_for(predicate: object, timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def test_embedded_worker_runs_a_committed_job_promptly(live_container: Container) -> None:
    started = threading.Event()
    live_container.jobs.job("t.ping")(lambda ctx: started.set())
    # Polling only every 10 minutes: the job can only run within the wait below if the
    # commit woke the worker (no wall-clock bound on how fast that was).
    worker = Worker(live_container, poll_min=600.0, poll_max=600.0)
    worker.start()
    try:
        time.sleep(0.3)  # let it go idle
        with live_container.uow() as uow:
            jobs.enqueue(uow, "t.ping", {})
            uow.commit()
        assert started.wait(120)
    finally:
        assert worker.stop(grace=30)


def test_two_workers_never_run_the_same_job(live_container: Container) -> None:
    runs: Counter[int] = Counter()
    active: set[int] = set()
    overlaps: list[int] = []
    lock = threading.Lock()

    def record(ctx: JobContext) -> None:
        with lock:
            if ctx.job_id in active:
                overlaps.append(ctx.job_id)
            active.add(ctx.job_id)
            runs[ctx.job_id] += 1
        time.sleep(0.001)
        with lock:
            active.discard(ctx.job_id)

    live_container.jobs.job("t.count")(record)
    total = 120
    with live_container.uow() as uow:
        for n in range(total):
            jobs.enqueue(uow, "t.count", {"n": n})
        uow.commit()
    workers = [
        Worker(live_container, worker_id=f"w{i}", concurrency=3, lease=timedelta(seconds=5))
        for i in range(2)
    ]
    for worker in workers:
        worker.start()
    try:
        assert _wait_for(lambda: sum(runs.values()) >= total, timeout=300)
    finally:
        for worker in workers:
            worker.stop(grace=5)
    assert overlaps == []
    assert len(runs) == total
    assert set(runs.values()) == {1}
    with live_container.uow(write=False) as uow:
        done = uow.session.execute(
            select(func.count()).where(Job.name == "t.count", Job.state == JobState.SUCCEEDED)
        ).scalar_one()
    assert done == total


def test_stop_releases_a_job_that_outlives_the_grace_period(live_container: Container) -> None:
    release = threading.Event()
    started = threading.Event()

    def slow(_ctx: JobContext) -> None:
        started.set()
        release.wait(10)

    live_container.jobs.job("t.slow")(slow)
    with live_container.uow() as uow:
        job_id = jobs.enqueue(uow, "t.slow", {})
        uow.commit()
    worker = start_embedded_worker(live_container)
    assert started.wait(120)
    assert worker.stop(grace=0.2) is False
    release.set()
    worker.join(5)
    with live_container.uow(write=False) as uow:
        job = uow.session.get(Job, job_id)
        assert job is not None
        assert (job.state, job.attempts, job.locked_by) == (JobState.QUEUED, 0, None)


def test_postgres_workers_are_woken_by_notify_not_polling(
    live_container: Container, other_container: Container
) -> None:
    if live_container.engine.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL only; SQLite workers elsewhere poll")
    started = threading.Event()
    registry = JobRegistry()  # no periodic jobs: nothing else wakes the worker
    registry.job("t.ping")(lambda ctx: started.set())
    # Polls every 10 minutes: only NOTIFY can start the job within the wait below.
    worker = Worker(live_container, registry, poll_min=600.0, poll_max=600.0)
    worker.start()
    web = other_container  # stands for another process: its own bus and pool
    try:
        time.sleep(0.5)  # idle, LISTENing
        with web.uow() as uow:
            jobs.enqueue(uow, "t.ping", {})
            uow.commit()
        assert started.wait(120)
    finally:
        worker.stop(grace=30)


def test_periodic_fires_once_when_two_workers_race_for_it(db_url: str, tmp_path: Path) -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    container = build_container(Settings(data_dir=tmp_path, database_url=db_url), clock=clock)
    upgrade(container.engine)
    try:
        registry = JobRegistry()
        registry.periodic("t.tick", every=timedelta(minutes=1))
        workers = [Worker(container, registry, worker_id=f"w{i}") for i in range(2)]
        periods = 15
        for _ in range(periods):
            barrier = threading.Barrier(2)

            def fire(worker: Worker, gate: threading.Barrier = barrier) -> None:
                gate.wait()
                worker.fire_periodics()

            threads = [threading.Thread(target=fire, args=(w,)) for w in workers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(10)
            clock.advance(timedelta(minutes=1))
        with container.uow(write=False) as uow:
            fired = uow.session.execute(
                select(func.count()).where(Job.name == "t.tick")
            ).scalar_one()
        assert fired == periods
    finally:
        container.dispose()
