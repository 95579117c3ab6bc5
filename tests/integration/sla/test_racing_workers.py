"""Two real worker processes racing on the same SLA timer record and react to each
threshold exactly once (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from factories import accounts as fa
from factories import sla as fs
from factories import tickets as ft
from pg_databases import create_pg_database, drop_pg_database
from rtcdesk.bootstrap import Container, build_container
from rtcdesk.config import Settings
from rtcdesk.core.clock import FrozenClock
from rtcdesk.db.migrate import upgrade
from rtcdesk.jobs import service as jobs
from rtcdesk.jobs.models import Job, JobState
from rtcdesk.sla.models import SlaEvent
from rtcdesk.tickets.models import TicketChange

WORKER = Path(__file__).with_name("sla_worker.py")
sys.path.insert(0, str(WORKER.parent))
from sla_worker import LOG_TABLE  # noqa: E402

COPIES = 20


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each backend whose commits are real (other processes see them)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'race.db'}"
        return
    base = os.environ.get("RTCDESK_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("RTCDESK_TEST_POSTGRES_URL is not set: PostgreSQL variant skipped")
    url = create_pg_database(base, "rtcdesk_slarace")
    try:
        yield url
    finally:
        drop_pg_database(base, url)


@pytest.fixture
def container(db_url: str, tmp_path: Path) -> Iterator[Container]:
    """A migrated database whose clock stands two hours before the real one (so the data
    is old enough for its thresholds to be due for workers on the real clock)."""
    past = FrozenClock(datetime.now(UTC) - timedelta(hours=2))
    built = build_container(Settings(data_dir=tmp_path, database_url=db_url), clock=past)
    upgrade(built.engine)
    with built.engine.begin() as conn:
        conn.execute(text(LOG_TABLE))
    yield built
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


def test_two_workers_racing_on_one_timer_record_and_react_once(
    container: Container, db_url: str, tmp_path: Path
) -> None:
    cal = fs.calendar(container, name="24x7", always_open=True)
    fs.policy(container, cal, priority="P3", first=30, next_reply=None, resolution=None)
    org = fa.organization(container)
    ticket = ft.ticket(container, fa.contact(container, org))
    procs = [_start(db_url, tmp_path / f"w{i}") for i in range(2)]
    try:
        # Both workers are idle and polling; one commit hands them the keyed timers plus
        # many copies of the same breach timer at once (as a re-run after a lost lease does).
        with container.uow() as uow:
            for _ in range(COPIES):
                jobs.enqueue(
                    uow,
                    "sla.threshold",
                    {"ticket_id": ticket.id, "target": "first_response", "point": "breach"},
                    run_at=datetime.now(UTC),
                )
            uow.commit()
        deadline = time.monotonic() + 180
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
    with container.uow(write=False) as uow:
        events = sorted(
            (e.target, e.threshold, e.at)
            for e in uow.session.scalars(select(SlaEvent).where(SlaEvent.ticket_id == ticket.id))
        )
        reactions = sorted(
            uow.session.execute(text("SELECT threshold FROM sla_reaction_log")).scalars()
        )
        history = sorted(
            uow.session.scalars(
                select(TicketChange.new_value).where(
                    TicketChange.ticket_id == ticket.id, TicketChange.field == "sla_first_response"
                )
            )
        )
        failed = uow.session.scalar(
            select(func.count()).select_from(Job).where(Job.state == JobState.FAILED)
        )
    created = ticket.created_at
    assert events == [
        ("first_response", "75", created + timedelta(minutes=22, seconds=30)),
        ("first_response", "breach", created + timedelta(minutes=30)),
    ]
    assert reactions == ["75", "breach"]
    assert history == ["75% / 30m", "breached"]
    assert failed == 0
