"""Two real worker processes racing on the same breach timer escalate the ticket once: one
``escalations`` row, one reassignment, one history entry, one notification per person
(SQLite and PostgreSQL)."""

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
from factories import escalation as fe
from factories import sla as fs
from factories import tickets as ft
from pg_databases import create_pg_database, drop_pg_database
from rtcdesk.accounts.access import SYSTEM
from rtcdesk.bootstrap import Container, build_container
from rtcdesk.config import Settings
from rtcdesk.core.clock import FrozenClock
from rtcdesk.db.migrate import upgrade
from rtcdesk.escalation.models import Escalation
from rtcdesk.escalation.schemas import StepIn
from rtcdesk.jobs import service as jobs
from rtcdesk.jobs.models import Job, JobState
from rtcdesk.notifications.models import Notification
from rtcdesk.routing import service as routing
from rtcdesk.routing.schemas import RuleCreate
from rtcdesk.tickets.models import Ticket, TicketChange

WORKER = Path(__file__).parent.parent / "sla" / "sla_worker.py"
LOG_TABLE = "CREATE TABLE sla_reaction_log (sla_event_id INTEGER NOT NULL, threshold TEXT)"
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
    url = create_pg_database(base, "rtcdesk_escrace")
    try:
        yield url
    finally:
        drop_pg_database(base, url)


@pytest.fixture
def container(db_url: str, tmp_path: Path) -> Iterator[Container]:
    """A migrated database whose clock stands two hours before the real one, so the data's
    breach is due for workers on the real clock."""
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


def test_two_workers_racing_on_one_breach_escalate_once(
    container: Container, db_url: str, tmp_path: Path
) -> None:
    cal = fs.calendar(container, name="24x7", always_open=True)
    fs.policy(container, cal, priority="P3", first=30, next_reply=None, resolution=None)
    video = fa.group(container, "Video")
    li = fa.agent(container, name="Li Wei", level="L1", group_ids=(video.id,))
    wang = fa.agent(container, name="Wang Fang", level="L2", group_ids=(video.id,))
    lead = fa.agent(container, name="Chen Jie", role="manager", level="L3")
    fe.lead(container, video.id, lead.id)
    with container.uow() as uow:
        routing.create_rule(uow, SYSTEM, RuleCreate(name="Video", group_id=video.id))
        uow.commit()
    fe.policy(
        container, steps=(StepIn(at="breach", action="reassign", notify=["assignee", "team_lead"]),)
    )
    ticket = ft.ticket(container, fa.contact(container, fa.organization(container)))
    procs = [_start(db_url, tmp_path / f"w{i}") for i in range(2)]
    try:
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
        rows = uow.session.execute(
            select(Escalation.threshold, Escalation.action, Escalation.to_agent_id).where(
                Escalation.ticket_id == ticket.id
            )
        ).all()
        assignee = uow.session.scalar(select(Ticket.assignee_id).where(Ticket.id == ticket.id))
        entries = uow.session.scalar(
            select(func.count())
            .select_from(TicketChange)
            .where(TicketChange.ticket_id == ticket.id, TicketChange.field == "escalation")
        )
        notified = sorted(
            uow.session.execute(
                select(Notification.kind, Notification.agent_id).where(
                    Notification.ticket_id == ticket.id, Notification.kind.like("sla.%")
                )
            ).all()
        )
        failed = uow.session.scalar(
            select(func.count()).select_from(Job).where(Job.state == JobState.FAILED)
        )
    assert [tuple(r) for r in rows] == [("breach", "reassign", wang.id)]
    assert assignee == wang.id
    assert entries == 1
    assert [tuple(n) for n in notified] == sorted(
        [("sla.escalated", wang.id), ("sla.breach", li.id), ("sla.breach", lead.id)]
    )
    assert failed == 0
