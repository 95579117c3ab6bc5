"""The job queue tables: the queue *is* a table in the application database.

A job row is written in the same transaction as the domain change that asked for it, so
a job exists if and only if that transaction committed (the outbox is the queue).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from rtcdesk.db.base import Base, JSONType, UTCDateTime
from rtcdesk.db.types import bounded_by, enum_column


class JobState(StrEnum):
    """Life cycle of a job: queued -> running -> succeeded | queued (retry) | failed."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


# Only a job that has never started can be replaced through its key; a retrying or
# running job with the same key is left alone (the new one is queued beside it).
KEY_INDEX_WHERE = "key IS NOT NULL AND state = 'queued' AND attempts = 0"


class Job(Base):
    """One unit of background work, durable in the application database."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    name: Mapped[str] = mapped_column(String(120), info=bounded_by("a registered job name"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    state: Mapped[JobState] = mapped_column(enum_column(JobState), default=JobState.QUEUED)
    key: Mapped[str | None] = mapped_column(
        String(255), nullable=True, info=bounded_by("a key made of a job's ids")
    )
    run_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int | None] = mapped_column(Integer, nullable=True)
    locked_by: Mapped[str | None] = mapped_column(
        String(120), nullable=True, info=bounded_by("a worker's host and process id")
    )
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    __table_args__ = (
        Index("ix_jobs_state_run_at", "state", "run_at"),
        Index(
            "uq_jobs_pending_key",
            "key",
            unique=True,
            sqlite_where=text(KEY_INDEX_WHERE),
            postgresql_where=text(KEY_INDEX_WHERE),
        ),
    )


class JobSchedule(Base):
    """Last period fired for each periodic job: a compare-and-set makes it fire once."""

    __tablename__ = "job_schedules"

    name: Mapped[str] = mapped_column(
        String(120), primary_key=True, info=bounded_by("a registered job name")
    )
    last_period_start: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
