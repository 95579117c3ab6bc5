"""The write path of the job queue: enqueue, cancel, retry, drop and purge.

Every function takes the caller's unit of work and never commits: a job enqueued here
exists if and only if that unit of work commits.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, text, update

from rtcdesk.core.clock import ensure_utc
from rtcdesk.core.errors import Conflict, InvalidInput, NotFound
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.jobs._sql import NOTIFY_CHANNEL, dialect_name, upsert_insert
from rtcdesk.jobs.events import JobsEnqueued
from rtcdesk.jobs.models import KEY_INDEX_WHERE, Job, JobState

MAX_KEY_LENGTH = 255


def enqueue(
    uow: UnitOfWork,
    name: str,
    payload: dict[str, Any],
    *,
    run_at: datetime | None = None,
    key: str | None = None,
    max_attempts: int | None = None,
) -> int:
    """Queue job ``name`` in ``uow``'s transaction and return its id.

    With ``key``, a queued job with the same key that has not started yet is replaced
    (new payload, new ``run_at``) instead of a second one being added.
    """
    try:
        json.dumps(payload)
    except (TypeError, ValueError) as exc:
        raise InvalidInput("job payload is not JSON: {exc}", params={"exc": exc}) from exc
    if key is not None and not 0 < len(key) <= MAX_KEY_LENGTH:
        raise InvalidInput("job key must be 1-255 characters")
    if max_attempts is not None and max_attempts < 1:
        raise InvalidInput("max_attempts must be at least 1")
    now = uow.clock.now()
    when = ensure_utc(run_at) if run_at is not None else now
    session = uow.session
    values = {
        "name": name,
        "payload": payload,
        "state": JobState.QUEUED,
        "key": key,
        "run_at": when,
        "attempts": 0,
        "max_attempts": max_attempts,
        "created_at": now,
    }
    stmt = upsert_insert(session, Job).values(**values)
    if key is not None:
        stmt = stmt.on_conflict_do_update(
            index_elements=[Job.key],
            index_where=text(KEY_INDEX_WHERE),
            set_={
                "name": stmt.excluded.name,
                "payload": stmt.excluded.payload,
                "run_at": stmt.excluded.run_at,
                "max_attempts": stmt.excluded.max_attempts,
                "created_at": stmt.excluded.created_at,
            },
        )
    job_id: int = session.execute(stmt.returning(Job.id)).scalar_one()
    _announce(uow)
    return job_id


def _announce(uow: UnitOfWork) -> None:
    """Wake workers once this transaction commits (NOTIFY is transactional on PostgreSQL)."""
    if any(isinstance(event, JobsEnqueued) for event in uow.events):
        return
    uow.emit(JobsEnqueued())
    if dialect_name(uow.session) == "postgresql":
        uow.session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL})


def cancel(uow: UnitOfWork, key: str) -> bool:
    """Delete the queued (not running) jobs with ``key``; True if there was one."""
    result = uow.session.execute(
        delete(Job)
        .where(Job.key == key, Job.state == JobState.QUEUED)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _get(uow: UnitOfWork, job_id: int) -> Job:
    job = uow.session.execute(select(Job).where(Job.id == job_id)).scalar_one_or_none()
    if job is None:
        raise NotFound("job {job_id} does not exist", params={"job_id": job_id})
    return job


def retry(uow: UnitOfWork, job_id: int) -> None:
    """Queue a failed (or waiting) job to run now, allowing it one more attempt."""
    job = _get(uow, job_id)
    if job.state not in (JobState.FAILED, JobState.QUEUED):
        raise Conflict(
            "job {job_id} is {job_state_value}; only failed or queued can be retried",
            params={"job_id": job_id, "job_state_value": job.state.value},
        )
    job.state = JobState.QUEUED
    job.run_at = uow.clock.now()
    job.max_attempts = max(job.attempts + 1, job.max_attempts or 1)
    job.locked_by = None
    job.locked_until = None
    job.finished_at = None
    uow.flush()
    _announce(uow)


def drop(uow: UnitOfWork, job_id: int) -> None:
    """Delete a failed or queued job on an operator's request (a running one cannot be)."""
    job = _get(uow, job_id)
    if job.state == JobState.RUNNING:
        raise Conflict(
            "job {job_id} is running; wait for it to finish or fail", params={"job_id": job_id}
        )
    uow.session.delete(job)
    uow.flush()


def purge(uow: UnitOfWork, *, older_than: timedelta, state: JobState = JobState.SUCCEEDED) -> int:
    """Delete finished jobs in ``state`` older than ``older_than``; return how many."""
    if state not in (JobState.SUCCEEDED, JobState.FAILED):
        raise InvalidInput("only succeeded or failed jobs can be purged")
    cutoff = uow.clock.now() - older_than
    result = uow.session.execute(
        delete(Job)
        .where(Job.state == state, Job.finished_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def reschedule(uow: UnitOfWork, job_id: int, run_at: datetime) -> None:
    """Move a queued job to ``run_at``."""
    result = uow.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == JobState.QUEUED)
        .values(run_at=ensure_utc(run_at))
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        raise NotFound("no queued job {job_id}", params={"job_id": job_id})
