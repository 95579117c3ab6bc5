"""Worker-side queue operations: claim, heartbeat, finish, release, fire periodic jobs.

Claiming is one atomic UPDATE: on PostgreSQL the candidate row is picked with
``FOR UPDATE SKIP LOCKED`` so concurrent workers never wait on each other; on SQLite the
write transaction (``BEGIN IMMEDIATE``) serialises claimers. Every later transition is
conditional on ``locked_by`` and ``attempts``, so a worker that lost its lease can no
longer change a job another worker has taken over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from rtcdesk.db.uow import UnitOfWork
from rtcdesk.jobs import service
from rtcdesk.jobs._sql import upsert_insert
from rtcdesk.jobs.models import Job, JobSchedule, JobState
from rtcdesk.jobs.registry import JobRegistry
from rtcdesk.jobs.schedule import period_start

MAX_ERROR_CHARS = 20_000


@dataclass(frozen=True)
class Claimed:
    """A job this worker now holds a lease on."""

    id: int
    name: str
    payload: dict[str, Any]
    attempt: int
    max_attempts: int | None


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(Job.state == JobState.QUEUED, Job.run_at <= now),
        and_(Job.state == JobState.RUNNING, Job.locked_until < now),
    )


def has_claimable(uow: UnitOfWork) -> bool:
    """Whether any job could be claimed now (a read: no write lock on SQLite)."""
    stmt = select(Job.id).where(_claimable(uow.clock.now())).limit(1)
    return uow.session.execute(stmt).first() is not None


def claim(uow: UnitOfWork, worker_id: str, lease: timedelta) -> Claimed | None:
    """Take the next due job (or one whose lease expired) and lease it to ``worker_id``."""
    now = uow.clock.now()
    candidate = (
        select(Job.id)
        .where(_claimable(now))
        .order_by(Job.run_at, Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    stmt = (
        update(Job)
        .where(Job.id == candidate, _claimable(now))
        .values(
            state=JobState.RUNNING,
            locked_by=worker_id,
            locked_until=now + lease,
            attempts=Job.attempts + 1,
            started_at=now,
        )
        .returning(Job.id, Job.name, Job.payload, Job.attempts, Job.max_attempts)
        .execution_options(synchronize_session=False)
    )
    row = uow.session.execute(stmt).first()
    if row is None:
        return None
    return Claimed(
        id=row.id,
        name=row.name,
        payload=row.payload or {},
        attempt=row.attempts,
        max_attempts=row.max_attempts,
    )


def _owned(job_id: int, worker_id: str, attempt: int) -> ColumnElement[bool]:
    return and_(
        Job.id == job_id,
        Job.state == JobState.RUNNING,
        Job.locked_by == worker_id,
        Job.attempts == attempt,
    )


def _set(uow: UnitOfWork, where: ColumnElement[bool], **values: Any) -> bool:
    result = uow.session.execute(
        update(Job).where(where).values(**values).execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def heartbeat(uow: UnitOfWork, worker_id: str, job_ids: list[int], lease: timedelta) -> set[int]:
    """Extend the leases of ``job_ids`` held by ``worker_id``; return the ids extended."""
    if not job_ids:
        return set()
    rows = uow.session.execute(
        update(Job)
        .where(Job.id.in_(job_ids), Job.locked_by == worker_id, Job.state == JobState.RUNNING)
        .values(locked_until=uow.clock.now() + lease)
        .returning(Job.id)
        .execution_options(synchronize_session=False)
    )
    return set(rows.scalars())


def succeed(uow: UnitOfWork, job: Claimed, worker_id: str) -> bool:
    """Mark ``job`` succeeded if this worker still holds it."""
    return _set(
        uow,
        _owned(job.id, worker_id, job.attempt),
        state=JobState.SUCCEEDED,
        finished_at=uow.clock.now(),
        locked_by=None,
        locked_until=None,
        last_error=None,
    )


def fail(
    uow: UnitOfWork, job: Claimed, worker_id: str, error: str, retry_at: datetime | None
) -> bool:
    """Record a failed attempt: queue the retry at ``retry_at``, or fail for good if None."""
    values: dict[str, Any] = {
        "locked_by": None,
        "locked_until": None,
        "last_error": error[-MAX_ERROR_CHARS:],
    }
    if retry_at is not None:
        values.update(state=JobState.QUEUED, run_at=retry_at)
    else:
        values.update(state=JobState.FAILED, finished_at=uow.clock.now())
    return _set(uow, _owned(job.id, worker_id, job.attempt), **values)


def release(uow: UnitOfWork, job: Claimed, worker_id: str) -> bool:
    """Give an unfinished job back to the queue (shutdown); the attempt does not count."""
    return _set(
        uow,
        _owned(job.id, worker_id, job.attempt),
        state=JobState.QUEUED,
        run_at=uow.clock.now(),
        attempts=Job.attempts - 1,
        locked_by=None,
        locked_until=None,
    )


def fire_periodic(uow: UnitOfWork, registry: JobRegistry, name: str) -> datetime | None:
    """Enqueue periodic job ``name`` for the current period unless some worker already did.

    A compare-and-set on ``job_schedules`` decides the winner; the job is enqueued in the
    same transaction, so the period is marked fired if and only if its job exists.
    Returns the period start when this call fired it.
    """
    spec = registry.periodics[name]
    now = uow.clock.now()
    start = period_start(spec.every, now)
    session = uow.session
    advanced = _set_schedule(uow, name, start, now)
    if not advanced:
        return None
    service.enqueue(
        uow,
        name,
        {**spec.payload, "period_start": start.isoformat()},
        key=f"{name}@{start.isoformat()}",
    )
    session.flush()
    return start


def _set_schedule(uow: UnitOfWork, name: str, start: datetime, now: datetime) -> bool:
    session = uow.session
    result = session.execute(
        update(JobSchedule)
        .where(JobSchedule.name == name, JobSchedule.last_period_start < start)
        .values(last_period_start=start, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:  # type: ignore[attr-defined]
        return True
    inserted = session.execute(
        upsert_insert(session, JobSchedule)
        .values(name=name, last_period_start=start, updated_at=now)
        .on_conflict_do_nothing(index_elements=[JobSchedule.name])
        .returning(JobSchedule.name)
    ).first()
    return inserted is not None
