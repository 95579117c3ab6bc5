"""JSON API for search under /api/v1/search: one thin route over ``search.queries``."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get

from rtcdesk.core.errors import InvalidInput
from rtcdesk.search import queries
from rtcdesk.search.schemas import SearchResults
from rtcdesk.web.context import api_context


class SearchController(Controller):
    """Search over what the caller may read."""

    path = "/api/v1/search"
    tags = ("search",)

    @get("/", sync_to_thread=True)
    def search(self, request: Request[Any, Any, Any]) -> SearchResults:
        """Ranked search (BM25) with highlighted snippets. q: the words, Chinese or English
        (synonyms across both are searched too; "quotes" for an exact phrase). Filters:
        types (ticket), platform, language (en, zh-CN), status, organization_id; limit
        (1-50, default 20). Staff search every ticket with its internal notes; contacts and
        organization tokens only the tickets they may see, without internal notes."""
        params = dict(request.query_params.items())
        q = (params.get("q") or "").strip()
        if not q:
            raise InvalidInput("q (the search text) is required", field="q")
        with api_context(request) as ctx:
            filters = queries.SearchFilters.from_params(params)
            return queries.search(ctx.uow, ctx.actor, q, filters)


ROUTES = [SearchController]
