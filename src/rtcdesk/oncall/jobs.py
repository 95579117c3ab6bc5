"""The page escalation timer: unacknowledged after N minutes, page the next person."""

from __future__ import annotations

from rtcdesk.jobs.registry import JobContext, JobRegistry
from rtcdesk.oncall import paging


def register(registry: JobRegistry, link_key: bytes) -> None:
    """Register the escalation job (keyed ``page:{id}:step``, replaced at every step)."""

    def escalate(ctx: JobContext) -> None:
        with ctx.container.uow() as uow:
            paging.escalate(uow, int(ctx.payload["page_id"]), int(ctx.payload["step"]), link_key)
            uow.commit()

    registry.job(paging.ESCALATE_JOB)(escalate)
