"""JSON API for pages: the list (open first, then recent) and acknowledging one."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, QueryParameter

from rtcdesk.oncall import acks, page_queries
from rtcdesk.oncall.page_queries import PageOut
from rtcdesk.web.context import api_context

Limit = Annotated[int, QueryParameter(ge=1, le=page_queries.MAX_PAGES)]


class PageController(Controller):
    """Pages of the on-call chain (support staff)."""

    path = "/api/v1/pages"
    tags = ("oncall",)

    @get("/", sync_to_thread=True)
    def list_pages(
        self,
        request: Request[Any, Any, Any],
        open: FromQuery[bool] = False,
        limit: Limit = 50,
    ) -> list[PageOut]:
        """Open pages first, then recent ones; ``?open=true`` for waiting pages only."""
        with api_context(request) as ctx:
            return page_queries.pages(ctx.uow, ctx.actor, open_only=open, limit=limit)

    @post("/{page_id:int}/ack", sync_to_thread=True, status_code=200)
    def acknowledge(self, request: Request[Any, Any, Any], page_id: FromPath[int]) -> PageOut:
        """Acknowledge a page (a person it reached, or a manager)."""
        with api_context(request, write=True) as ctx:
            page = acks.acknowledge(ctx.uow, ctx.actor, page_id, via="api")
            ctx.uow.commit()
            return page_queries.pages_out(ctx.uow, [page])[0]


ROUTES = [PageController]
