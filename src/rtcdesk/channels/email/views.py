"""Console pages of the email channel: the quarantine (admins list, view, release, delete)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Response as RawResponse

from rtcdesk.accounts import queries as account_queries
from rtcdesk.channels.email import quarantine as actions
from rtcdesk.channels.email import queries
from rtcdesk.channels.email.errors import UnreadableMail
from rtcdesk.channels.email.labels import REASONS
from rtcdesk.channels.email.models import QuarantineKind
from rtcdesk.channels.email.parse import ParsedMail, parse_mail
from rtcdesk.tickets.forms import optional_int
from rtcdesk.web.context import RequestContext, page_context
from rtcdesk.web.forms import FormData, form_action, with_flash
from rtcdesk.web.templating import render_page

PAGE = "/console/email/quarantine"
RAW_PREVIEW = 16 * 1024


@get(PAGE, sync_to_thread=True, include_in_schema=False)
def quarantine_page(request: Request[Any, Any, Any]) -> Response[str]:
    """Held and unreadable mail, newest first (admins)."""
    with page_context(request, "console") as ctx:
        before = optional_int(request.query_params.get("before", ""), "before", field="before")
        rows = queries.quarantine(ctx.uow, ctx.actor, before=before)
        return render_page(
            request,
            "console/email_quarantine.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            rows=rows,
            total=queries.quarantine_count(ctx.uow, ctx.actor),
            reasons=REASONS,
            next_before=rows[-1].id if len(rows) == queries.PAGE_SIZE else None,
        )


def _preview(raw: bytes) -> tuple[ParsedMail | None, str]:
    try:
        return parse_mail(raw), ""
    except UnreadableMail:
        return None, raw[:RAW_PREVIEW].decode("utf-8", "replace")


@get(PAGE + "/{entry_id:int}", sync_to_thread=True, include_in_schema=False)
def quarantine_entry(request: Request[Any, Any, Any], entry_id: FromPath[int]) -> Response[str]:
    """One entry: why it is here, what it says (sanitised), its files, and the actions."""
    with page_context(request, "console") as ctx:
        row = actions.get_entry(ctx.uow, ctx.actor, entry_id)
        mail, raw_head = _preview(actions.raw_bytes(ctx.container.files, row))
        return render_page(
            request,
            "console/email_quarantine_entry.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            row=row,
            mail=mail,
            raw_head=raw_head,
            reasons=REASONS,
            releasable=row.kind is QuarantineKind.HELD,
            organizations=account_queries.organizations(ctx.uow, ctx.actor),
        )


@get(PAGE + "/{entry_id:int}/raw", sync_to_thread=True, include_in_schema=False)
def quarantine_raw(request: Request[Any, Any, Any], entry_id: FromPath[int]) -> RawResponse[bytes]:
    """The mail exactly as it arrived, as a download (never shown by the browser)."""
    with page_context(request, "console") as ctx:
        row = actions.get_entry(ctx.uow, ctx.actor, entry_id)
        data = actions.raw_bytes(ctx.container.files, row)
    name = f"quarantine-{entry_id}.eml"
    disposition = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    return RawResponse(
        content=data,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": disposition,
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, max-age=0",
        },
    )


@post(PAGE + "/{entry_id:int}/release", include_in_schema=False)
async def quarantine_release(
    request: Request[Any, Any, Any], entry_id: FromPath[int]
) -> Response[Any]:
    """Take held mail in after all (into the chosen organization for an unknown sender)."""
    back = f"{PAGE}/{entry_id}"

    def run(ctx: RequestContext, form: FormData) -> str:
        org_id = optional_int(form.get("organization_id"), "organization", field="organization_id")
        result = actions.release(
            ctx.uow, ctx.actor, ctx.container.files, entry_id, organization_id=org_id
        )
        target = f"/console/tickets/{result.ticket_id}" if result.ticket_id else PAGE
        return with_flash(target, "saved")

    return await form_action(request, "console", run, back=back)


@post(PAGE + "/{entry_id:int}/delete", include_in_schema=False)
async def quarantine_delete(
    request: Request[Any, Any, Any], entry_id: FromPath[int]
) -> Response[Any]:
    """Delete an entry for good."""

    def run(ctx: RequestContext, form: FormData) -> str:
        actions.delete(ctx.uow, ctx.actor, entry_id)
        return with_flash(PAGE, "saved")

    return await form_action(request, "console", run, back=f"{PAGE}/{entry_id}")


ROUTES = [quarantine_page, quarantine_entry, quarantine_raw, quarantine_release, quarantine_delete]
