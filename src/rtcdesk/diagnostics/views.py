"""Pages for diagnoses: self-service upload in the portal (and the console), the diagnosis
page with its summary, and the full offline report."""

from __future__ import annotations

from typing import Any, cast

from litestar import Request, Response, get, post
from litestar.params import FromPath

from rtcdesk.core.errors import InvalidInput
from rtcdesk.core.validation import validated
from rtcdesk.diagnostics import access, queries, service
from rtcdesk.diagnostics.api import report_response
from rtcdesk.diagnostics.models import ReportStatus
from rtcdesk.tickets import service as tickets
from rtcdesk.tickets.models import Category, Ticket
from rtcdesk.tickets.schemas import TicketUpdate
from rtcdesk.web.context import Area, RequestContext, page_context
from rtcdesk.web.forms import FormData, form_action, in_thread, with_flash
from rtcdesk.web.templating import render_page


def _diagnose_page(request: Request[Any, Any, Any], area: Area) -> Response[str]:
    with page_context(request, area) as ctx:
        return render_page(
            request,
            "diagnose.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            area=area,
            reports=queries.self_service(ctx.uow, ctx.actor),
        )


async def _upload(request: Request[Any, Any, Any], area: Area) -> Response[Any]:
    def store(ctx: RequestContext, form: FormData) -> str:
        if not form.files:
            raise InvalidInput("choose a dump file to upload", field="file")
        filename, stream = form.files[0]
        row = service.request_self_service(
            ctx.uow, ctx.actor, ctx.container.files, filename=filename, stream=stream
        )
        return f"/{area}/diagnostics/{row.id}"

    return await form_action(request, area, store, back=f"/{area}/diagnose")


def _report_page(request: Request[Any, Any, Any], area: Area, report_id: int) -> Response[str]:
    with page_context(request, area) as ctx:
        row = access.get_report(ctx.uow, ctx.actor, report_id)
        return render_page(
            request,
            "diagnosis.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            area=area,
            report=row,
            ticket=ctx.uow.session.get(Ticket, row.ticket_id) if row.ticket_id else None,
            pending=row.status is ReportStatus.PENDING,
        )


def _full_report(request: Request[Any, Any, Any], area: Area, report_id: int) -> Response[bytes]:
    fmt = request.query_params.get("format", "html")
    if fmt not in ("html", "md", "json"):
        raise InvalidInput("format must be html, md or json")
    with page_context(request, area) as ctx:
        lang = request.query_params.get("lang") or ctx.language
        body = queries.rendered_report(
            ctx.uow, ctx.actor, ctx.container.files, report_id, fmt, lang
        )
    return report_response(body, fmt)


@get("/portal/diagnose", include_in_schema=False)
async def portal_diagnose(request: Request[Any, Any, Any]) -> Response[Any]:
    """Self-service: upload a dump and get a diagnosis without waiting for a person."""
    return await in_thread(_diagnose_page, request, "portal")


@post("/portal/diagnose", include_in_schema=False)
async def portal_upload(request: Request[Any, Any, Any]) -> Response[Any]:
    """Receive the dump and queue its diagnosis."""
    return await _upload(request, "portal")


@get("/console/diagnose", include_in_schema=False)
async def console_diagnose(request: Request[Any, Any, Any]) -> Response[Any]:
    """An engineer's scratch diagnosis of a dump that came outside a ticket."""
    return await in_thread(_diagnose_page, request, "console")


@post("/console/diagnose", include_in_schema=False)
async def console_upload(request: Request[Any, Any, Any]) -> Response[Any]:
    """Receive the dump and queue its diagnosis."""
    return await _upload(request, "console")


@get("/portal/diagnostics/{report_id:int}", sync_to_thread=True, include_in_schema=False)
def portal_report_page(request: Request[Any, Any, Any], report_id: FromPath[int]) -> Response[str]:
    """The diagnosis: status, summary, findings, link to the full report."""
    return _report_page(request, "portal", report_id)


@get("/console/diagnostics/{report_id:int}", sync_to_thread=True, include_in_schema=False)
def console_report_page(request: Request[Any, Any, Any], report_id: FromPath[int]) -> Response[str]:
    """The diagnosis, with the ticket it belongs to and its suggestions."""
    return _report_page(request, "console", report_id)


@get("/portal/diagnostics/{report_id:int}/report", sync_to_thread=True, include_in_schema=False)
def portal_full_report(
    request: Request[Any, Any, Any], report_id: FromPath[int]
) -> Response[bytes]:
    """The full offline report (HTML with charts; ?format=md|json also)."""
    return _full_report(request, "portal", report_id)


@get("/console/diagnostics/{report_id:int}/report", sync_to_thread=True, include_in_schema=False)
def console_full_report(
    request: Request[Any, Any, Any], report_id: FromPath[int]
) -> Response[bytes]:
    """The full offline report (HTML with charts; ?format=md|json also)."""
    return _full_report(request, "console", report_id)


@post("/console/diagnostics/{report_id:int}/apply", include_in_schema=False)
async def apply_suggestion(
    request: Request[Any, Any, Any], report_id: FromPath[int]
) -> Response[Any]:
    """Set the ticket's category and add the suggested tags."""

    def apply(ctx: RequestContext, form: FormData) -> str:
        row = access.get_report(ctx.uow, ctx.actor, report_id)
        if row.ticket_id is None:
            raise InvalidInput("this diagnosis is not attached to a ticket")
        ticket = cast(Ticket, ctx.uow.session.get(Ticket, row.ticket_id))
        tags = [t.tag for t in ticket.tags]
        tags += [t for t in row.suggested_tags if t not in tags]
        update = TicketUpdate(tags=tags)
        if row.suggested_category:
            update.category = Category(row.suggested_category)
        tickets.update_ticket(ctx.uow, ctx.actor, ticket.id, validated(update))
        return with_flash(f"/console/tickets/{ticket.id}", "saved")

    return await form_action(request, "console", apply, back=f"/console/diagnostics/{report_id}")


@post("/console/diagnostics/{report_id:int}/rerun", include_in_schema=False)
async def rerun(request: Request[Any, Any, Any], report_id: FromPath[int]) -> Response[Any]:
    """Diagnose the file again."""
    path = f"/console/diagnostics/{report_id}"

    def again(ctx: RequestContext, form: FormData) -> str:
        service.rerun(ctx.uow, ctx.actor, access.get_report(ctx.uow, ctx.actor, report_id))
        return path

    return await form_action(request, "console", again, back=path)


ROUTES = [
    portal_diagnose,
    portal_upload,
    console_diagnose,
    console_upload,
    portal_report_page,
    console_report_page,
    portal_full_report,
    console_full_report,
    apply_suggestion,
    rerun,
]
