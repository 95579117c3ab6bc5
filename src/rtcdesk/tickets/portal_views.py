"""Customer portal pages: my tickets, open a ticket, read and reply, mark solved."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.params import FromPath

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import PLATFORMS
from rtcdesk.diagnostics import queries as diagnostics_queries
from rtcdesk.tickets import access, output, queries, service
from rtcdesk.tickets.forms import attach_files, reply_from_form, ticket_from_form
from rtcdesk.tickets.models import Category, Channel, Impact, Status, Urgency
from rtcdesk.tickets.schemas import TicketUpdate
from rtcdesk.web.context import RequestContext, page_context
from rtcdesk.web.forms import FormData, form_action, in_thread
from rtcdesk.web.templating import render_page


@get("/portal/", sync_to_thread=True, include_in_schema=False)
def my_tickets(request: Request[Any, Any, Any]) -> Response[str]:
    """The tickets this contact may see (their own, or their organization's if shared)."""
    params = {k: v for k, v in request.query_params.items() if k in ("status", "cursor") and v}
    with page_context(request, "portal") as ctx:
        rows, next_cursor = queries.list_tickets(
            ctx.uow,
            ctx.actor,
            queries.TicketFilters.from_params(params),
            sort="-updated_at",
            cursor=params.get("cursor"),
            limit=25,
        )
        return render_page(
            request,
            "portal/tickets.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            tickets=[output.customer_ticket_out(t) for t in rows],
            params=params,
            next_url=(
                "/portal/?" + urlencode({"status": params.get("status", ""), "cursor": next_cursor})
                if next_cursor
                else None
            ),
        )


@get("/portal/tickets/new", include_in_schema=False)
async def new_ticket_form(request: Request[Any, Any, Any]) -> Response[Any]:
    """The form to open a ticket."""
    return await in_thread(_new_ticket_form, request)


def _new_ticket_form(request: Request[Any, Any, Any]) -> Response[str]:
    with page_context(request, "portal") as ctx:
        return render_page(
            request,
            "portal/ticket_new.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            categories=list(Category),
            urgencies=list(Urgency),
            impacts=list(Impact),
            platforms=PLATFORMS,
        )


@post("/portal/tickets/new", include_in_schema=False)
async def new_ticket(request: Request[Any, Any, Any]) -> Response[Any]:
    """Open the ticket, with its attachments."""

    def create(ctx: RequestContext, form: FormData) -> str:
        ticket = service.create_ticket(
            ctx.uow, ctx.actor, ticket_from_form(form, for_agent=False), channel=Channel.PORTAL
        )
        attach_files(
            ctx.uow,
            ctx.actor,
            ctx.container.files,
            ticket.id,
            form,
            message_id=queries.first_message_id(ctx.uow, ticket.id),
        )
        return f"/portal/tickets/{ticket.id}"

    return await form_action(request, "portal", create, back="/portal/tickets/new")


@get("/portal/tickets/{ticket_id:int}", sync_to_thread=True, include_in_schema=False)
def ticket_page(request: Request[Any, Any, Any], ticket_id: FromPath[int]) -> Response[str]:
    """The conversation as the customer sees it (no internal notes)."""
    with page_context(request, "portal") as ctx:
        ticket = access.get_ticket(ctx.uow, ctx.actor, ticket_id)
        change = queries.last_status_change(ctx.uow, ctx.actor, ticket.id)
        return render_page(
            request,
            "portal/ticket.html",
            language=ctx.language,
            actor=ctx.actor,
            csrf=ctx.csrf_token,
            ticket=output.customer_ticket_out(ticket),
            now=ctx.uow.clock.now(),
            status_by=status_actor(change, ctx.actor),
            diagnoses=diagnostics_queries.customer_summaries(ctx.uow, ctx.actor, ticket.id),
            messages=queries.messages(ctx.uow, ctx.actor, ticket.id),
            loose_files=[
                a
                for a in queries.attachments(ctx.uow, ctx.actor, ticket.id)
                if a.message_id is None
            ],
        )


def status_actor(change: queries.StatusChange | None, reader: Actor) -> str:
    """Who set the status, as the customer reading it should hear it: ``you``, ``colleague``
    (another person of their organization) or ``support`` (our team or rtcdesk itself)."""
    if change is None or change.actor_kind not in ("contact", "organization_token"):
        return "support"
    if change.actor_kind == reader.kind.value and change.actor_id == reader.id:
        return "you"
    return "colleague"


@post("/portal/tickets/{ticket_id:int}/reply", include_in_schema=False)
async def reply(request: Request[Any, Any, Any], ticket_id: FromPath[int]) -> Response[Any]:
    """Add the customer's reply (reopens a solved ticket within the window)."""
    path = f"/portal/tickets/{ticket_id}"

    def post_reply(ctx: RequestContext, form: FormData) -> str:
        form.values.pop("kind", None)  # customers write public replies only
        form.values.pop("status", None)
        reply_from_form(
            ctx.uow,
            ctx.actor,
            ctx.container.files,
            ticket_id,
            form,
            channel=Channel.PORTAL,
            reopen_window=ctx.container.settings.reopen_window,
        )
        return path + "#latest"

    return await form_action(request, "portal", post_reply, back=path)


@post("/portal/tickets/{ticket_id:int}/solve", include_in_schema=False)
async def mark_solved(request: Request[Any, Any, Any], ticket_id: FromPath[int]) -> Response[Any]:
    """The customer says the problem is gone."""
    path = f"/portal/tickets/{ticket_id}"

    def solve(ctx: RequestContext, form: FormData) -> str:
        service.update_ticket(
            ctx.uow,
            ctx.actor,
            ticket_id,
            TicketUpdate(status=Status.SOLVED),
            reopen_window=ctx.container.settings.reopen_window,
        )
        return path

    return await form_action(request, "portal", solve, back=path)


ROUTES = [my_tickets, new_ticket_form, new_ticket, ticket_page, reply, mark_solved]
