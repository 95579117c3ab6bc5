"""Read side of the queue for operators: the console page and ``rtcdesk jobs list``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from rtcdesk.db.uow import UnitOfWork
from rtcdesk.jobs.models import Job, JobState


@dataclass(frozen=True)
class JobView:
    """One job as operators see it."""

    id: int
    name: str
    state: JobState
    key: str | None
    payload: dict[str, Any]
    run_at: datetime
    attempts: int
    max_attempts: int | None
    locked_by: str | None
    locked_until: datetime | None
    last_error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def error_summary(self) -> str:
        """The last line of the error (the exception and its message), or ''."""
        lines = [line for line in (self.last_error or "").strip().splitlines() if line.strip()]
        return lines[-1] if lines else ""


@dataclass(frozen=True)
class QueueStats:
    """Counts for the console header."""

    by_state: dict[JobState, int]
    due: int
    scheduled: int
    oldest_due: datetime | None


def _view(job: Job) -> JobView:
    return JobView(
        id=job.id,
        name=job.name,
        state=job.state,
        key=job.key,
        payload=dict(job.payload or {}),
        run_at=job.run_at,
        attempts=job.attempts,
        max_attempts=job.max_attempts,
        locked_by=job.locked_by,
        locked_until=job.locked_until,
        last_error=job.last_error,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


def stats(uow: UnitOfWork) -> QueueStats:
    """Jobs per state, how many are due now (queue depth) and how many wait for later."""
    session = uow.session
    now = uow.clock.now()
    rows = session.execute(select(Job.state, func.count()).group_by(Job.state)).all()
    by_state = dict.fromkeys(JobState, 0)
    by_state.update({row[0]: int(row[1]) for row in rows})
    queued = Job.state == JobState.QUEUED
    due_row = session.execute(
        select(func.count(), func.min(Job.run_at)).where(queued, Job.run_at <= now)
    ).one()
    scheduled = session.execute(
        select(func.count()).where(queued, Job.run_at > now).select_from(Job)
    ).scalar_one()
    return QueueStats(
        by_state=by_state, due=int(due_row[0]), scheduled=int(scheduled), oldest_due=due_row[1]
    )


def list_jobs(
    uow: UnitOfWork, *, state: JobState | None = None, name: str | None = None, limit: int = 100
) -> list[JobView]:
    """Jobs, newest first, optionally of one state and/or name."""
    stmt = select(Job).order_by(Job.id.desc()).limit(limit)
    if state is not None:
        stmt = stmt.where(Job.state == state)
    if name is not None:
        stmt = stmt.where(Job.name == name)
    return [_view(job) for job in uow.session.execute(stmt).scalars()]


def running(uow: UnitOfWork, limit: int = 100) -> list[JobView]:
    """Running jobs with their worker and lease, longest-running first."""
    stmt = select(Job).where(Job.state == JobState.RUNNING).order_by(Job.started_at).limit(limit)
    return [_view(job) for job in uow.session.execute(stmt).scalars()]


def scheduled(uow: UnitOfWork, limit: int = 100) -> list[JobView]:
    """Queued jobs not due yet (timers, retries in backoff), soonest first."""
    now = uow.clock.now()
    stmt = (
        select(Job)
        .where(Job.state == JobState.QUEUED, Job.run_at > now)
        .order_by(Job.run_at)
        .limit(limit)
    )
    return [_view(job) for job in uow.session.execute(stmt).scalars()]


def failed(uow: UnitOfWork, limit: int = 100) -> list[JobView]:
    """Jobs that exhausted their attempts, most recent first, with their last error."""
    stmt = (
        select(Job)
        .where(Job.state == JobState.FAILED)
        .order_by(Job.finished_at.desc(), Job.id.desc())
        .limit(limit)
    )
    return [_view(job) for job in uow.session.execute(stmt).scalars()]


def get(uow: UnitOfWork, job_id: int) -> JobView | None:
    """One job by id."""
    job = uow.session.get(Job, job_id)
    return _view(job) if job is not None else None
