"""JSON API for log analyses: upload a log, poll its analysis, fetch the report.

The same limits and errors as ``/api/v1/diagnostics`` (the upload body limit, problem+json
errors, 202 and polling); the stored rows are shared, so the shapes are the same."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery

from rtcdesk.accounts.access import Actor
from rtcdesk.core.errors import InvalidInput, NotFound
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.diagnostics import access, queries
from rtcdesk.diagnostics.api import REPORT_TYPES, report_response
from rtcdesk.diagnostics.models import DiagnosticReport, ReportKind
from rtcdesk.diagnostics.queries import DiagnosisOut
from rtcdesk.logs import service
from rtcdesk.web.context import api_context
from rtcdesk.web.forms import read_upload


def get_log_report(uow: UnitOfWork, actor: Actor, report_id: int) -> DiagnosticReport:
    """A log analysis the actor may see (dump diagnoses are not found here)."""
    row = access.get_report(uow, actor, report_id)
    if row.kind != ReportKind.LOG:
        raise NotFound("log analysis {report_id} not found", params={"report_id": report_id})
    return row


class LogsController(Controller):
    """Self-service and ticket analyses of SDK and app logs."""

    path = "/api/v1/logs"
    tags = ("logs",)

    @post("/", status_code=202, opt={"upload": True})
    async def upload(self, request: Request[Any, Any, Any]) -> DiagnosisOut:
        """Upload an SDK or app log (Chromium, console export, logcat, Apple unified log or
        Xcode console, Windows/Electron, RTC SDK lines; plain or gzip); the analysis runs in
        the background: poll GET /api/v1/logs/{id}."""
        filename, stream = await read_upload(request)

        def store() -> DiagnosisOut:
            with api_context(request, write=True) as ctx:
                row = service.request_self_service(
                    ctx.uow, ctx.actor, ctx.container.files, filename=filename, stream=stream
                )
                ctx.uow.commit()
                return queries.diagnosis_out(row)

        return await anyio.to_thread.run_sync(store)

    @get("/", sync_to_thread=True)
    def list_logs(self, request: Request[Any, Any, Any]) -> list[DiagnosisOut]:
        """Recent self-service log analyses of the caller (or their organization)."""
        with api_context(request) as ctx:
            rows = queries.self_service(ctx.uow, ctx.actor, kind=ReportKind.LOG)
            return [queries.diagnosis_out(r) for r in rows]

    @get("/{report_id:int}", sync_to_thread=True)
    def get_log(self, request: Request[Any, Any, Any], report_id: FromPath[int]) -> DiagnosisOut:
        """Status, summary, top findings and report links of one log analysis."""
        with api_context(request) as ctx:
            return queries.diagnosis_out(get_log_report(ctx.uow, ctx.actor, report_id))

    @get("/{report_id:int}/report", sync_to_thread=True)
    def get_report(
        self,
        request: Request[Any, Any, Any],
        report_id: FromPath[int],
        format: FromQuery[str] = "html",
        lang: FromQuery[str] = "en",
    ) -> Response[bytes]:
        """The full report with its timeline: format=html|json|md, lang=en|zh-CN."""
        if format not in REPORT_TYPES:
            raise InvalidInput("format must be html, json or md")
        with api_context(request) as ctx:
            get_log_report(ctx.uow, ctx.actor, report_id)
            body = queries.rendered_report(
                ctx.uow, ctx.actor, ctx.container.files, report_id, format, lang
            )
        return report_response(body, format)


ROUTES = [LogsController]
