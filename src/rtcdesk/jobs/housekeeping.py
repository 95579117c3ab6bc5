"""Periodic jobs that keep an installation healthy: purge succeeded jobs after a retention
period; refresh the database's planner statistics (SQLite)."""

from __future__ import annotations

from datetime import timedelta

from rtcdesk.db.engine import refresh_statistics
from rtcdesk.jobs import service
from rtcdesk.jobs.models import JobState
from rtcdesk.jobs.registry import JobContext, JobRegistry

PURGE_JOB = "jobs.purge_succeeded"
STATISTICS_JOB = "db.refresh_statistics"
DEFAULT_RETENTION = timedelta(days=7)


def purge_succeeded(ctx: JobContext) -> None:
    """Delete succeeded jobs older than the retention period (payload ``retention_days``)."""
    days = float(ctx.payload.get("retention_days", DEFAULT_RETENTION.days))
    with ctx.container.uow() as uow:
        service.purge(uow, older_than=timedelta(days=days), state=JobState.SUCCEEDED)
        uow.commit()


def refresh_database_statistics(ctx: JobContext) -> None:
    """Refresh the planner's statistics (``db.engine.refresh_statistics``)."""
    refresh_statistics(ctx.container.engine)


def register(registry: JobRegistry, *, retention: timedelta = DEFAULT_RETENTION) -> None:
    """Register the purge and statistics jobs, each run hourly."""
    registry.job(PURGE_JOB, max_attempts=3)(purge_succeeded)
    registry.periodic(
        PURGE_JOB,
        every=timedelta(hours=1),
        payload={"retention_days": retention / timedelta(days=1)},
    )
    registry.job(STATISTICS_JOB, max_attempts=3)(refresh_database_statistics)
    registry.periodic(STATISTICS_JOB, every=timedelta(hours=1))
