"""Accounts' periodic work: forget sign-in throttle windows that have passed."""

from __future__ import annotations

from datetime import timedelta

from rtcdesk.accounts import service
from rtcdesk.jobs.registry import JobContext, JobRegistry

PURGE_THROTTLES_JOB = "accounts.purge_sign_in_throttles"


def purge_sign_in_throttles(ctx: JobContext) -> None:
    """Delete the sign-in throttle rows whose window has passed."""
    with ctx.container.uow() as uow:
        service.purge_sign_in_throttles(uow)
        uow.commit()


def register(registry: JobRegistry) -> None:
    """Register the purge, run hourly."""
    registry.job(PURGE_THROTTLES_JOB, max_attempts=3)(purge_sign_in_throttles)
    registry.periodic(PURGE_THROTTLES_JOB, every=timedelta(hours=1))
