"""Console page for operators: queue depth, running, scheduled and failed jobs; retry, drop."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath

from rtcdesk.accounts import access as account_access
from rtcdesk.jobs import queries
from rtcdesk.jobs import service as jobs
from rtcdesk.jobs.models import JobState
from rtcdesk.web.context import RequestContext, page_context
from rtcdesk.web.forms import FormData, form_action, with_flash
from rtcdesk.web.templating import render_page


@get("/console/jobs", sync_to_thread=True, include_in_schema=False)
def jobs_page(request: Request[Any, Any, Any]) -> Response[str]:
    """What the background workers are doing, and what failed (administrators, managers)."""
    with page_context(request, "console") as ctx:
        account_access.require_role(ctx.actor, account_access.MANAGERS)
        return render_page(
            request,
            "console/jobs.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            stats=queries.stats(ctx.uow),
            running=queries.running(ctx.uow),
            scheduled=queries.scheduled(ctx.uow, limit=50),
            failed=queries.failed(ctx.uow),
            recent=queries.list_jobs(ctx.uow, state=JobState.SUCCEEDED, limit=20),
            running_state=JobState.RUNNING,
        )


async def _act(request: Request[Any, Any, Any], job_id: int, action: str) -> Response[Any]:
    def run(ctx: RequestContext, form: FormData) -> str:
        account_access.require_role(ctx.actor, account_access.MANAGERS)
        if action == "retry":
            jobs.retry(ctx.uow, job_id)
        else:
            jobs.drop(ctx.uow, job_id)
        return with_flash("/console/jobs", "saved")

    return await form_action(request, "console", run, back="/console/jobs")


@post("/console/jobs/{job_id:int}/retry", include_in_schema=False)
async def retry_job(request: Request[Any, Any, Any], job_id: FromPath[int]) -> Response[Any]:
    """Queue a failed job for one more attempt."""
    return await _act(request, job_id, "retry")


@post("/console/jobs/{job_id:int}/drop", include_in_schema=False)
async def drop_job(request: Request[Any, Any, Any], job_id: FromPath[int]) -> Response[Any]:
    """Delete a failed or queued job for good."""
    return await _act(request, job_id, "drop")


ROUTES = [jobs_page, retry_job, drop_job]
