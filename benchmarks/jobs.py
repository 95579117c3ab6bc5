"""Job queue figures: jobs/s enqueued and executed, enqueue-to-start latency p50/p99.

rtcdesk's queue on SQLite (embedded worker threads, and separate worker processes) and on
PostgreSQL (1 and 2 ``rtcdesk worker`` processes), next to huey (SqliteHuey, RedisHuey).
Prints figures; asserts nothing.

    python benchmarks/jobs.py [--jobs 2000] [--latency-jobs 200]
        [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
        [--redis-url redis://127.0.0.1:6379/0] [--crash-runs 0]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import make_url

from rtcdesk.bootstrap import Container, build_container
from rtcdesk.config import Settings
from rtcdesk.db.migrate import upgrade
from rtcdesk.jobs import service as jobs
from rtcdesk.jobs.models import Job, JobState
from rtcdesk.jobs.worker import Worker

NAME = "bench.noop"


@dataclass
class Result:
    """One line of the report."""

    system: str
    enqueue_per_s: float
    execute_per_s: float
    p50_ms: float
    p99_ms: float


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


# -- rtcdesk ------------------------------------------------------------------------------


def _container(url: str, data_dir: str) -> Container:
    container = build_container(Settings(database_url=url, data_dir=Path(data_dir)))
    container.jobs.job(NAME)(lambda ctx: None)
    return container


@contextmanager
def _database(kind: str, pg_url: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    name = f"rtcdesk_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _enqueue_each(container: Container, count: int, gap: float = 0.0) -> float:
    """Enqueue ``count`` jobs, one transaction each; return jobs/s."""
    started = time.perf_counter()
    for n in range(count):
        with container.uow() as uow:
            jobs.enqueue(uow, NAME, {"n": n})
            uow.commit()
        if gap:
            time.sleep(gap)
    return count / (time.perf_counter() - started)


def _wait_done(container: Container, count: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    stmt = select(func.count()).where(Job.name == NAME, Job.state == JobState.SUCCEEDED)
    while True:
        with container.uow(write=False) as uow:
            if uow.session.execute(stmt).scalar_one() >= count:
                return
        if time.monotonic() > deadline:
            raise TimeoutError("jobs did not finish")
        time.sleep(0.05)


def _drain_rate(container: Container, count: int) -> float:
    with container.uow(write=False) as uow:
        first, last = uow.session.execute(
            select(func.min(Job.started_at), func.max(Job.finished_at)).where(Job.name == NAME)
        ).one()
    return count / max((last - first).total_seconds(), 1e-9)


def _latencies(container: Container) -> list[float]:
    with container.uow(write=False) as uow:
        rows = uow.session.execute(
            select(Job.created_at, Job.started_at).where(Job.name == NAME)
        ).all()
    return [(started - created).total_seconds() for created, started in rows]


def _clear(container: Container) -> None:
    with container.uow() as uow:
        uow.session.execute(delete(Job))
        uow.commit()


def _spawn_workers(
    url: str, data_dir: str, count: int, poll: float | None
) -> list[subprocess.Popen[str]]:
    procs = []
    cmd = [sys.executable, __file__, "--serve-worker", url, "--data-dir", data_dir]
    if poll is not None:
        cmd += ["--poll", str(poll)]
    for _ in range(count):
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True))
    for proc in procs:
        assert proc.stdout is not None
        proc.stdout.readline()  # "worker ... running"
    return procs


def _stop(procs: list[subprocess.Popen[str]]) -> None:
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    for proc in procs:
        proc.wait(30)
        if proc.stdout is not None:
            proc.stdout.close()


def bench_rtcdesk(
    label: str, url: str, processes: int, n: int, m: int, poll: float | None = None
) -> Result:
    """Enqueue n, then drain them with the workers; then m spaced jobs for latency."""
    with tempfile.TemporaryDirectory() as data_dir:
        container = _container(url, data_dir)
        upgrade(container.engine)
        enqueue_rate = _enqueue_each(container, n)
        worker: Worker | None = None
        procs: list[subprocess.Popen[str]] = []
        if processes == 0:
            worker = Worker(container, concurrency=1)
            worker.start()
        else:
            procs = _spawn_workers(url, data_dir, processes, poll)
        try:
            _wait_done(container, n)
            execute_rate = _drain_rate(container, n)
            _clear(container)
            time.sleep(1.0)  # let the workers go idle: latency from an idle queue
            _enqueue_each(container, m, gap=0.02)
            _wait_done(container, m)
            lat = _latencies(container)
        finally:
            if worker is not None:
                worker.stop(grace=5)
            _stop(procs)
            container.dispose()
    return Result(label, enqueue_rate, execute_rate, _pct(lat, 0.5), _pct(lat, 0.99))


def serve_worker(url: str, data_dir: str, poll: float | None) -> int:
    """Worker process for the benchmark: the real CLI loop with the no-op job registered."""
    from rtcdesk.cli.jobs import run_worker

    container = _container(url, data_dir)
    return run_worker(container, concurrency=1, grace=5, poll_max=poll)


# -- huey ---------------------------------------------------------------------------------


def bench_huey(label: str, make: Callable[[], Any], n: int, m: int) -> Result:
    """The same three measurements with huey's consumer (threads, in process)."""
    huey = make()
    done = threading.Semaphore(0)
    lat: list[float] = []

    @huey.task()
    def noop(sent: float) -> None:
        if sent:
            lat.append(time.time() - sent)
        done.release()

    started = time.perf_counter()
    for _ in range(n):
        noop(0.0)
    enqueue_rate = n / (time.perf_counter() - started)
    consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False)
    old = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer.start()
    try:
        started = time.perf_counter()
        for _ in range(n):
            done.acquire()
        execute_rate = n / (time.perf_counter() - started)
        time.sleep(1.0)
        for _ in range(m):
            noop(time.time())
            time.sleep(0.02)
        for _ in range(m):
            done.acquire()
    finally:
        consumer.stop(graceful=True)
        for sig, handler in old.items():
            signal.signal(sig, handler)
        huey.storage.flush_all()
    return Result(label, enqueue_rate, execute_rate, _pct(lat, 0.5), _pct(lat, 0.99))


# -- kill -9 ------------------------------------------------------------------------------


def crash_runs(url_kind: str, pg_url: str, runs: int, jobs_per_run: int = 300) -> str:
    """The crash test at scale: ``runs`` kill -9s; returns a one-line verdict."""
    worker_script = Path(__file__).parents[1] / "tests/integration/jobs/worker_proc.py"
    sys.path.insert(0, str(worker_script.parent))
    from worker_proc import CRASH_TABLES

    rng = random.Random()
    with _database(url_kind, pg_url) as url, tempfile.TemporaryDirectory() as data_dir:
        container = _container(url, data_dir)
        upgrade(container.engine)
        with container.uow() as uow:
            for statement in CRASH_TABLES:
                uow.session.execute(text(statement))
            uow.commit()
        log = Path(data_dir) / "runs.log"
        env = {**os.environ, "RTCDESK_TEST_RUN_LOG": str(log)}
        total = 0
        options = ["--concurrency", "2", "--lease", "1s", "--poll", "0.1"]
        cmd = [sys.executable, str(worker_script), url, data_dir]
        for run in range(runs + 1):
            with container.uow() as uow:
                for _ in range(jobs_per_run // 5 if run else jobs_per_run):
                    jobs.enqueue(uow, "t.effect", {"after": 0.02})
                    total += 1
                uow.commit()
            proc = subprocess.Popen([*cmd, *options], stdout=subprocess.PIPE, text=True, env=env)
            assert proc.stdout is not None
            proc.stdout.readline()
            if run < runs:
                time.sleep(rng.uniform(0.05, 0.5))
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                proc.stdout.close()
        stmt = select(func.count()).where(Job.name == "t.effect", Job.state != JobState.SUCCEEDED)
        while True:
            with container.uow(write=False) as uow:
                if uow.session.execute(stmt).scalar_one() == 0:
                    break
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        proc.wait()
        proc.stdout.close()
        with container.uow(write=False) as uow:
            counter = uow.session.execute(text("SELECT value FROM crash_counter")).scalar_one()
            effects = uow.session.execute(text("SELECT COUNT(*) FROM crash_effects")).scalar_one()
        container.dispose()
        executions = len(log.read_text().split())
    return (
        f"{url_kind}: {runs} kill -9s, {total} jobs, {executions} executions "
        f"({executions - total} re-runs); lost={total - effects}, applied twice={counter - total}"
    )


def main() -> None:
    """Run every scenario and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--latency-jobs", type=int, default=200)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "RTCDESK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--crash-runs", type=int, default=0)
    parser.add_argument("--serve-worker", metavar="URL")
    parser.add_argument("--data-dir")
    parser.add_argument("--poll", type=float, default=None)
    args = parser.parse_args()
    if args.serve_worker:
        sys.exit(serve_worker(args.serve_worker, args.data_dir, args.poll))

    n, m = args.jobs, args.latency_jobs
    results: list[Result] = []
    with _database("sqlite", args.pg_url) as url:
        results.append(bench_rtcdesk("rtcdesk SQLite, embedded worker (1 thread)", url, 0, n, m))
    for procs in (1, 2):
        with _database("sqlite", args.pg_url) as url:
            label = f"rtcdesk SQLite, {procs} worker process(es), polling"
            results.append(bench_rtcdesk(label, url, procs, n, m))
    for procs in (1, 2):
        with _database("postgres", args.pg_url) as url:
            label = f"rtcdesk PostgreSQL, {procs} worker process(es), LISTEN/NOTIFY"
            results.append(bench_rtcdesk(label, url, procs, n, m))

    from huey import RedisHuey, SqliteHuey

    with tempfile.TemporaryDirectory() as tmp:
        results.append(
            bench_huey(
                "huey SqliteHuey (1 thread)", lambda: SqliteHuey(filename=f"{tmp}/h.db"), n, m
            )
        )
    results.append(
        bench_huey(
            "huey RedisHuey (1 thread)",
            lambda: RedisHuey(f"bench-{uuid.uuid4().hex[:6]}", url=args.redis_url),
            n,
            m,
        )
    )
    print(f"\n{n} jobs for throughput, {m} jobs 20 ms apart for latency; handlers do nothing.\n")
    print(f"{'system':<58} {'enqueue/s':>10} {'execute/s':>10} {'p50 ms':>8} {'p99 ms':>8}")
    for r in results:
        print(
            f"{r.system:<58} {r.enqueue_per_s:>10.0f} {r.execute_per_s:>10.0f} "
            f"{r.p50_ms:>8.1f} {r.p99_ms:>8.1f}"
        )
    if args.crash_runs:
        print()
        for kind in ("sqlite", "postgres"):
            print(crash_runs(kind, args.pg_url, args.crash_runs))


if __name__ == "__main__":
    main()
