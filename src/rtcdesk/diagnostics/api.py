"""JSON API for diagnoses: upload a dump, poll its diagnosis, fetch the report."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery

from rtcdesk.core.errors import InvalidInput
from rtcdesk.diagnostics import access, queries, service
from rtcdesk.diagnostics.queries import DiagnosisOut
from rtcdesk.tickets import access as ticket_access
from rtcdesk.web.context import api_context
from rtcdesk.web.forms import read_upload

REPORT_TYPES = {
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
}
# The HTML report is self-contained: inline styles and SVG, no scripts, nothing external.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def report_response(body: bytes, fmt: str) -> Response[bytes]:
    """A stored report with headers that keep it inert."""
    return Response(
        content=body,
        media_type=REPORT_TYPES[fmt],
        headers={"Content-Security-Policy": REPORT_CSP, "X-Content-Type-Options": "nosniff"},
    )


class DiagnosticsController(Controller):
    """Self-service and ticket diagnoses of WebRTC dumps."""

    path = "/api/v1/diagnostics"
    tags = ("diagnostics",)

    @post("/", status_code=202, opt={"upload": True})
    async def upload(self, request: Request[Any, Any, Any]) -> DiagnosisOut:
        """Upload a webrtc-internals dump, rtcstats dump or getStats() series (gzip or
        plain); the diagnosis runs in the background: poll GET /api/v1/diagnostics/{id}."""
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
    def list_diagnoses(self, request: Request[Any, Any, Any]) -> list[DiagnosisOut]:
        """Recent self-service diagnoses of the caller (or their organization)."""
        with api_context(request) as ctx:
            return [queries.diagnosis_out(r) for r in queries.self_service(ctx.uow, ctx.actor)]

    @get("/{report_id:int}", sync_to_thread=True)
    def get_diagnosis(
        self, request: Request[Any, Any, Any], report_id: FromPath[int]
    ) -> DiagnosisOut:
        """Status, summary, top findings and report links of one diagnosis."""
        with api_context(request) as ctx:
            return queries.diagnosis_out(access.get_report(ctx.uow, ctx.actor, report_id))

    @get("/{report_id:int}/report", sync_to_thread=True)
    def get_report(
        self,
        request: Request[Any, Any, Any],
        report_id: FromPath[int],
        format: FromQuery[str] = "html",
        lang: FromQuery[str] = "en",
    ) -> Response[bytes]:
        """The full report: format=html|json|md, lang=en|zh-CN."""
        if format not in REPORT_TYPES:
            raise InvalidInput("format must be html, json or md")
        with api_context(request) as ctx:
            body = queries.rendered_report(
                ctx.uow, ctx.actor, ctx.container.files, report_id, format, lang
            )
        return report_response(body, format)

    @post("/{report_id:int}/rerun", sync_to_thread=True, status_code=202)
    def rerun(self, request: Request[Any, Any, Any], report_id: FromPath[int]) -> DiagnosisOut:
        """Diagnose the file again (support staff)."""
        with api_context(request, write=True) as ctx:
            row = access.get_report(ctx.uow, ctx.actor, report_id)
            service.rerun(ctx.uow, ctx.actor, row)
            ctx.uow.commit()
            return queries.diagnosis_out(row)


class TicketDiagnosticsController(Controller):
    """Diagnoses of a ticket's attachments."""

    path = "/api/v1/tickets/{ticket_id:int}/diagnostics"
    tags = ("diagnostics",)

    @get("/", sync_to_thread=True)
    def list_for_ticket(
        self, request: Request[Any, Any, Any], ticket_id: FromPath[int]
    ) -> list[DiagnosisOut]:
        """Diagnoses of the ticket's attachments (support staff; customers get an empty list)."""
        with api_context(request) as ctx:
            ticket_access.get_ticket(ctx.uow, ctx.actor, ticket_id)
            return [
                queries.diagnosis_out(r) for r in queries.for_ticket(ctx.uow, ctx.actor, ticket_id)
            ]


ROUTES = [DiagnosticsController, TicketDiagnosticsController]
