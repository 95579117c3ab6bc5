"""Console page for operators: queue depth, running, scheduled and failed jobs; retry, drop."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from rtcdesk.accounts import access as account_access
from rtcdesk.core.errors import RtcdeskError
from rtcdesk.jobs import queries
from rtcdesk.jobs import service as jobs
from rtcdesk.jobs.models import JobState
from rtcdesk.web.context import check_csrf, page_context
from rtcdesk.web.forms import read_form
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
    form = await read_form(request)

    def run() -> Response[Any]:
        with page_context(request, "console", write=True) as ctx:
            check_csrf(ctx.web_session, form.csrf)
            account_access.require_role(ctx.actor, account_access.MANAGERS)
            if action == "retry":
                jobs.retry(ctx.uow, job_id)
            else:
                jobs.drop(ctx.uow, job_id)
            ctx.uow.commit()
        return Redirect(path="/console/jobs?flash=saved", status_code=303)

    try:
        return await anyio.to_thread.run_sync(run)
    except RtcdeskError as exc:
        if exc.status_code == 401:
            raise
        return Redirect(path=f"/console/jobs?flash={quote(exc.message)}", status_code=303)


@post("/console/jobs/{job_id:int}/retry", include_in_schema=False)
async def retry_job(request: Request[Any, Any, Any], job_id: FromPath[int]) -> Response[Any]:
    """Queue a failed job for one more attempt."""
    return await _act(request, job_id, "retry")


@post("/console/jobs/{job_id:int}/drop", include_in_schema=False)
async def drop_job(request: Request[Any, Any, Any], job_id: FromPath[int]) -> Response[Any]:
    """Delete a failed or queued job for good."""
    return await _act(request, job_id, "drop")


ROUTES = [jobs_page, retry_job, drop_job]
