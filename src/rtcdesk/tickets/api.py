"""JSON API for tickets under /api/v1: thin routes over service and queries."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import anyio.to_thread
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.response import Stream

from rtcdesk.files.sniff import INLINE_SAFE
from rtcdesk.tickets import access, links, output, queries, saved_views, service
from rtcdesk.tickets.models import Channel
from rtcdesk.tickets.schemas import (
    AttachmentOut,
    ChangeOut,
    CustomerMessageOut,
    CustomerTicketOut,
    CustomerTicketPage,
    LinkCreate,
    LinkOut,
    MergeRequest,
    MessageCreate,
    MessageOut,
    SavedViewCreate,
    SavedViewOut,
    TicketCreate,
    TicketOut,
    TicketPage,
    TicketUpdate,
)
from rtcdesk.web.context import api_context
from rtcdesk.web.forms import read_upload


class TicketController(Controller):
    """Tickets, their conversation, files, history and links."""

    path = "/api/v1/tickets"
    tags = ("tickets",)

    @get("/", sync_to_thread=True)
    def list_tickets(self, request: Request[Any, Any, Any]) -> TicketPage | CustomerTicketPage:
        """List tickets visible to the caller. Filters: status, priority, category, channel,
        assignee (me|none|id), group_id, organization_id, requester_id, platform, tag, q,
        created_after, created_before, sla (breached | soon | due) with within (hours, default
        4). Sort: created_at, updated_at, priority, id, sla_due_at (time to breach, tickets
        without an open deadline last; prefix - for descending). Paginate with limit and
        cursor. Contacts and organization tokens get the customer view of each ticket
        (CustomerTicketOut)."""
        params = dict(request.query_params.items())
        with api_context(request) as ctx:
            return queries.ticket_page(ctx.uow, ctx.actor, params)

    @post("/", sync_to_thread=True)
    def create_ticket(
        self, request: Request[Any, Any, Any], data: JSONBody[TicketCreate]
    ) -> TicketOut | CustomerTicketOut:
        """Open a ticket with its first message (customers get their view of it)."""
        with api_context(request, write=True) as ctx:
            ticket = service.create_ticket(ctx.uow, ctx.actor, data, channel=Channel.API)
            ctx.uow.commit()
            return output.ticket_view(ctx.uow, ctx.actor, ticket)

    @get("/{ticket_id:int}", sync_to_thread=True)
    def get_ticket(
        self, request: Request[Any, Any, Any], ticket_id: FromPath[int]
    ) -> TicketOut | CustomerTicketOut:
        """One ticket (customers get their view of it)."""
        with api_context(request) as ctx:
            return output.ticket_view(
                ctx.uow, ctx.actor, access.get_ticket(ctx.uow, ctx.actor, ticket_id)
            )

    @patch("/{ticket_id:int}", sync_to_thread=True)
    def update_ticket(
        self,
        request: Request[Any, Any, Any],
        ticket_id: FromPath[int],
        data: JSONBody[TicketUpdate],
    ) -> TicketOut | CustomerTicketOut:
        """Change properties (status, priority with reason, assignee, group, tags, ...);
        customers get their view of the ticket."""
        with api_context(request, write=True) as ctx:
            ticket = service.update_ticket(
                ctx.uow,
                ctx.actor,
                ticket_id,
                data,
                reopen_window=ctx.container.settings.reopen_window,
            )
            ctx.uow.commit()
            return output.ticket_view(ctx.uow, ctx.actor, ticket)

    @get("/{ticket_id:int}/messages", sync_to_thread=True)
    def list_messages(
        self, request: Request[Any, Any, Any], ticket_id: FromPath[int]
    ) -> list[MessageOut] | list[CustomerMessageOut]:
        """The conversation (internal notes only for agents; customers get their view of each
        message, CustomerMessageOut)."""
        with api_context(request) as ctx:
            return queries.messages(ctx.uow, ctx.actor, ticket_id)

    @post("/{ticket_id:int}/messages", sync_to_thread=True)
    def add_message(
        self,
        request: Request[Any, Any, Any],
        ticket_id: FromPath[int],
        data: JSONBody[MessageCreate],
    ) -> MessageOut | CustomerMessageOut:
        """Reply or add an internal note; may set the status in the same step (customers get
        their view of the message)."""
        with api_context(request, write=True) as ctx:
            message = service.add_message(
                ctx.uow,
                ctx.actor,
                ticket_id,
                data,
                channel=Channel.API,
                reopen_window=ctx.container.settings.reopen_window,
            )
            ctx.uow.commit()
            return output.message_view(ctx.actor, message)

    @get("/{ticket_id:int}/attachments", sync_to_thread=True)
    def list_attachments(
        self, request: Request[Any, Any, Any], ticket_id: FromPath[int]
    ) -> list[AttachmentOut]:
        """Files on the ticket."""
        with api_context(request) as ctx:
            return queries.attachments(ctx.uow, ctx.actor, ticket_id)

    @post("/{ticket_id:int}/attachments", opt={"upload": True})
    async def upload_attachment(
        self, request: Request[Any, Any, Any], ticket_id: FromPath[int]
    ) -> AttachmentOut:
        """Upload a file: multipart/form-data with a 'file' field, or the raw bytes with
        ?filename=NAME. Add ?internal=true (agents) to keep it from the customer."""
        internal = request.query_params.get("internal", "false").lower() in ("1", "true", "yes")
        filename, stream = await read_upload(request)

        def store() -> AttachmentOut:
            with api_context(request, write=True) as ctx:
                attachment = service.add_attachment(
                    ctx.uow,
                    ctx.actor,
                    ctx.container.files,
                    ticket_id,
                    filename=filename,
                    stream=stream,
                    internal=internal,
                )
                ctx.uow.commit()
                return output.attachment_out(attachment)

        return await anyio.to_thread.run_sync(store)

    @get("/{ticket_id:int}/history", sync_to_thread=True)
    def list_history(
        self, request: Request[Any, Any, Any], ticket_id: FromPath[int]
    ) -> list[ChangeOut]:
        """Every change: who, when, field, old and new value."""
        with api_context(request) as ctx:
            return queries.history(ctx.uow, ctx.actor, ticket_id)

    @get("/{ticket_id:int}/links", sync_to_thread=True)
    def list_links(
        self, request: Request[Any, Any, Any], ticket_id: FromPath[int]
    ) -> list[LinkOut]:
        """Related and merged tickets."""
        with api_context(request) as ctx:
            return queries.links(ctx.uow, ctx.actor, ticket_id)

    @post("/{ticket_id:int}/links", sync_to_thread=True)
    def add_link(
        self, request: Request[Any, Any, Any], ticket_id: FromPath[int], data: JSONBody[LinkCreate]
    ) -> LinkOut:
        """Relate this ticket to another (agents)."""
        with api_context(request, write=True) as ctx:
            link = links.link_tickets(ctx.uow, ctx.actor, ticket_id, data)
            ctx.uow.commit()
            return queries.link_out(link)

    @post("/{ticket_id:int}/merge", sync_to_thread=True)
    def merge(
        self,
        request: Request[Any, Any, Any],
        ticket_id: FromPath[int],
        data: JSONBody[MergeRequest],
    ) -> TicketOut:
        """Merge this duplicate into target_id; messages and files move there."""
        with api_context(request, write=True) as ctx:
            target = links.merge_ticket(ctx.uow, ctx.actor, ticket_id, data.target_id)
            ctx.uow.commit()
            return output.ticket_out(access.get_ticket(ctx.uow, ctx.actor, target.id))


class AttachmentController(Controller):
    """Downloads, with headers that stop a browser from running what it fetches."""

    path = "/api/v1/attachments"
    tags = ("tickets",)

    @get("/{attachment_id:int}", sync_to_thread=True)
    def get_attachment(
        self, request: Request[Any, Any, Any], attachment_id: FromPath[int]
    ) -> AttachmentOut:
        """Metadata of one file."""
        with api_context(request) as ctx:
            return output.attachment_out(access.get_attachment(ctx.uow, ctx.actor, attachment_id))

    @get("/{attachment_id:int}/download", sync_to_thread=True)
    def download(self, request: Request[Any, Any, Any], attachment_id: FromPath[int]) -> Stream:
        """The file's bytes."""
        with api_context(request) as ctx:
            attachment = access.get_attachment(ctx.uow, ctx.actor, attachment_id)
            return download_response(ctx.container.files, attachment)


def download_response(files: Any, attachment: Any) -> Stream:
    """A streamed download with safe headers (used by the API and the pages)."""
    disposition = "inline" if attachment.content_type in INLINE_SAFE else "attachment"
    ascii_name = attachment.filename.encode("ascii", "replace").decode().replace('"', "")
    headers = {
        "Content-Disposition": (
            f'{disposition}; filename="{ascii_name}"; '
            f"filename*=UTF-8''{quote(attachment.filename)}"
        ),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, max-age=0",
        "Content-Length": str(attachment.size),
    }
    return Stream(
        files.iter_chunks(attachment.sha256),
        media_type=attachment.content_type,
        headers=headers,
    )


class SavedViewController(Controller):
    """An agent's saved ticket filters."""

    path = "/api/v1/views"
    tags = ("tickets",)

    @get("/", sync_to_thread=True)
    def list_views(self, request: Request[Any, Any, Any]) -> list[SavedViewOut]:
        """The caller's views and shared views."""
        with api_context(request) as ctx:
            return [
                saved_views.saved_view_out(v) for v in saved_views.saved_views(ctx.uow, ctx.actor)
            ]

    @post("/", sync_to_thread=True)
    def create_view(
        self, request: Request[Any, Any, Any], data: JSONBody[SavedViewCreate]
    ) -> SavedViewOut:
        """Save a filter."""
        with api_context(request, write=True) as ctx:
            view = saved_views.create_saved_view(ctx.uow, ctx.actor, data)
            ctx.uow.commit()
            return saved_views.saved_view_out(view)

    @delete("/{view_id:int}", sync_to_thread=True, status_code=204)
    def delete_view(self, request: Request[Any, Any, Any], view_id: FromPath[int]) -> None:
        """Delete a saved view."""
        with api_context(request, write=True) as ctx:
            saved_views.delete_saved_view(ctx.uow, ctx.actor, view_id)
            ctx.uow.commit()


ROUTES = [TicketController, AttachmentController, SavedViewController]
__all__ = ["ROUTES", "Response"]
