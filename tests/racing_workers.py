"""Two real worker processes racing on copies of one SLA breach timer: the databases, the
container and the race itself, shared by the SLA and escalation race tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from pg_databases import PG_ENV, create_pg_database, drop_pg_database
from rtcdesk.bootstrap import Container, build_container
from rtcdesk.config import Settings
from rtcdesk.core.clock import FrozenClock
from rtcdesk.db.migrate import upgrade
from rtcdesk.jobs import service as jobs
from rtcdesk.jobs.models import Job, JobState

WORKER = Path(__file__).parent / "integration" / "sla" / "sla_worker.py"
sys.path.insert(0, str(WORKER.parent))
from sla_worker import LOG_TABLE  # noqa: E402

COPIES = 20


@contextmanager
def race_database(backend: str, tmp_path: Path, prefix: str) -> Iterator[str]:
    """An empty database of ``backend`` whose commits are real (other processes see them)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'race.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL variant skipped")
    url = create_pg_database(base, prefix)
    try:
        yield url
    finally:
        drop_pg_database(base, url)


@contextmanager
def past_container(db_url: str, tmp_path: Path) -> Iterator[Container]:
    """A migrated database whose clock stands two hours before the real one, so the data's
    thresholds are due for workers on the real clock; with the workers' reaction log."""
    past = FrozenClock(datetime.now(UTC) - timedelta(hours=2))
    built = build_container(Settings(data_dir=tmp_path, database_url=db_url), clock=past)
    upgrade(built.engine)
    with built.engine.begin() as conn:
        conn.execute(text(LOG_TABLE))
    try:
        yield built
    finally:
        built.dispose()


def _start(url: str, data_dir: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), url, str(data_dir), "--concurrency", "2", "--grace", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "running" in line, line
    return proc


def _pending(container: Container) -> int:
    with container.uow(write=False) as uow:
        return int(
            uow.session.scalar(
                select(func.count())
                .select_from(Job)
                .where(Job.state.in_((JobState.QUEUED, JobState.RUNNING)))
                .where(Job.name == "sla.threshold")
            )
            or 0
        )


def race_on_breach(container: Container, db_url: str, tmp_path: Path, ticket_id: int) -> None:
    """Start two workers, hand them ``COPIES`` copies of the ticket's first-response breach
    timer in one commit, and wait until they drained every timer."""
    procs = [_start(db_url, tmp_path / f"w{i}") for i in range(2)]
    try:
        # Both workers are idle and polling; one commit hands them the keyed timers plus
        # many copies of the same breach timer at once (as a re-run after a lost lease does).
        with container.uow() as uow:
            for _ in range(COPIES):
                jobs.enqueue(
                    uow,
                    "sla.threshold",
                    {"ticket_id": ticket_id, "target": "first_response", "point": "breach"},
                    run_at=datetime.now(UTC),
                )
            uow.commit()
        deadline = time.monotonic() + 180  # a hang guard, not a speed limit
        while _pending(container):
            assert time.monotonic() < deadline, "the workers did not drain the timers"
            time.sleep(0.05)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=60)
            if proc.stdout is not None:
                proc.stdout.close()
