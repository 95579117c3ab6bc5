"""The queue's own periodic job: purge succeeded jobs after a retention period."""

from __future__ import annotations

from datetime import timedelta

from rtcdesk.jobs import service
from rtcdesk.jobs.models import JobState
from rtcdesk.jobs.registry import JobContext, JobRegistry

PURGE_JOB = "jobs.purge_succeeded"
DEFAULT_RETENTION = timedelta(days=7)


def purge_succeeded(ctx: JobContext) -> None:
    """Delete succeeded jobs older than the retention period (payload ``retention_days``)."""
    days = float(ctx.payload.get("retention_days", DEFAULT_RETENTION.days))
    with ctx.container.uow() as uow:
        service.purge(uow, older_than=timedelta(days=days), state=JobState.SUCCEEDED)
        uow.commit()


def register(registry: JobRegistry, *, retention: timedelta = DEFAULT_RETENTION) -> None:
    """Register the purge job, run hourly."""
    registry.job(PURGE_JOB, max_attempts=3)(purge_succeeded)
    registry.periodic(
        PURGE_JOB,
        every=timedelta(hours=1),
        payload={"retention_days": retention / timedelta(days=1)},
    )
