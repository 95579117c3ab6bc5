"""Pages for log analyses: self-service upload in the portal (and the console). The result
is the shared diagnosis page (``/{area}/diagnostics/{id}``) with its full report."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post

from rtcdesk.core.errors import InvalidInput
from rtcdesk.diagnostics import queries
from rtcdesk.diagnostics.models import ReportKind
from rtcdesk.logs import service
from rtcdesk.web.context import Area, RequestContext, page_context
from rtcdesk.web.forms import FormData, form_action, in_thread
from rtcdesk.web.templating import render_page


def _logs_page(request: Request[Any, Any, Any], area: Area) -> Response[str]:
    with page_context(request, area) as ctx:
        return render_page(
            request,
            "logs.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            area=area,
            reports=queries.self_service(ctx.uow, ctx.actor, kind=ReportKind.LOG),
        )


async def _upload(request: Request[Any, Any, Any], area: Area) -> Response[Any]:
    def store(ctx: RequestContext, form: FormData) -> str:
        if not form.files:
            raise InvalidInput("choose a log file to upload", field="file")
        filename, stream = form.files[0]
        row = service.request_self_service(
            ctx.uow, ctx.actor, ctx.container.files, filename=filename, stream=stream
        )
        return f"/{area}/diagnostics/{row.id}"

    return await form_action(request, area, store, back=f"/{area}/logs")


@get("/portal/logs", include_in_schema=False)
async def portal_logs(request: Request[Any, Any, Any]) -> Response[Any]:
    """Self-service: upload an SDK or app log and get the findings without waiting."""
    return await in_thread(_logs_page, request, "portal")


@post("/portal/logs", include_in_schema=False)
async def portal_upload(request: Request[Any, Any, Any]) -> Response[Any]:
    """Receive the log and queue its analysis."""
    return await _upload(request, "portal")


@get("/console/logs", include_in_schema=False)
async def console_logs(request: Request[Any, Any, Any]) -> Response[Any]:
    """An engineer's scratch analysis of a log that came outside a ticket."""
    return await in_thread(_logs_page, request, "console")


@post("/console/logs", include_in_schema=False)
async def console_upload(request: Request[Any, Any, Any]) -> Response[Any]:
    """Receive the log and queue its analysis."""
    return await _upload(request, "console")


ROUTES = [portal_logs, portal_upload, console_logs, console_upload]
