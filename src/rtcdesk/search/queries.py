"""Searching: parse, scope to what the actor may see, filter, rank, then build snippets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.sql.elements import ColumnElement

from rtcdesk.accounts.access import Actor
from rtcdesk.core.errors import InvalidInput
from rtcdesk.core.validation import parse_id
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.search import matching, querytext
from rtcdesk.search.access import visible_documents
from rtcdesk.search.models import DocKind, DocPart, SearchDocument
from rtcdesk.search.schemas import SearchHit, SearchResults
from rtcdesk.search.snippets import find_spans, snippet

DEFAULT_LIMIT = 20
MAX_LIMIT = 50
LANGUAGES = ("en", "zh-CN")


@dataclass
class SearchFilters:
    """What a search is narrowed to; every field optional."""

    types: list[DocKind] = field(default_factory=list)
    platform: str | None = None
    language: str | None = None
    status: str | None = None
    organization_id: int | None = None
    limit: int = DEFAULT_LIMIT

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> SearchFilters:
        """Parse query-string filters, with errors naming the parameter."""
        filters = cls()
        for part in (p.strip() for p in params.get("types", "").split(",") if p.strip()):
            try:
                filters.types.append(DocKind(part))
            except ValueError:
                allowed = ", ".join(k.value for k in DocKind)
                raise InvalidInput(
                    "types={part!r} is not one of: {allowed}",
                    params={"part": part, "allowed": allowed},
                    field="types",
                ) from None
        platform = (params.get("platform") or "").strip()
        if len(platform) > 32:
            raise InvalidInput("platform is longer than 32 characters", field="platform")
        filters.platform = platform or None
        language = (params.get("language") or "").strip()
        if language and language not in LANGUAGES:
            raise InvalidInput(
                "language={language!r} is not one of: {allowed}",
                params={"language": language, "allowed": ", ".join(LANGUAGES)},
                field="language",
            )
        filters.language = language or None
        status = (params.get("status") or "").strip()
        if len(status) > 32:
            raise InvalidInput("status is longer than 32 characters", field="status")
        filters.status = status or None
        org = params.get("organization_id")
        if org:
            filters.organization_id = parse_id(org, "organization_id", field="organization_id")
        limit = (params.get("limit") or "").strip()
        if limit:
            if not limit.isdigit() or not 1 <= int(limit) <= MAX_LIMIT:
                raise InvalidInput(
                    "limit must be a number from 1 to {max}, not {limit!r}",
                    params={"max": MAX_LIMIT, "limit": limit},
                    field="limit",
                )
            filters.limit = int(limit)
        return filters

    def conditions(self) -> list[ColumnElement[bool]]:
        """These filters as conditions on ``search_documents``."""
        conds: list[ColumnElement[bool]] = []
        if self.types:
            conds.append(SearchDocument.kind.in_(self.types))
        if self.platform:
            conds.append(SearchDocument.platform == self.platform)
        if self.language:
            conds.append(SearchDocument.language == self.language)
        if self.status:
            conds.append(SearchDocument.status == self.status)
        if self.organization_id is not None:
            conds.append(SearchDocument.organization_id == self.organization_id)
        return conds


def _url(actor: Actor, doc: SearchDocument) -> str:
    area = "console" if actor.is_agent else "portal"
    return f"/{area}/tickets/{doc.ref_id}"


def search(uow: UnitOfWork, actor: Actor, q: str, filters: SearchFilters) -> SearchResults:
    """The best matches of ``q`` that ``actor`` may see, with snippets of the original."""
    query = querytext.parse(q)
    where = [visible_documents(actor), *filters.conditions()]
    found = matching.ranked(uow.session, query, where, filters.limit)
    if not found:
        return SearchResults(query=q, items=[])
    rows = {
        row.id: row
        for row in uow.session.scalars(
            select(SearchDocument).where(SearchDocument.id.in_([i for i, _ in found]))
        )
    }
    phrases = query.phrases()
    items = []
    for doc_id, score in found:
        doc = rows[doc_id]
        cut = snippet(doc.body, phrases)
        items.append(
            SearchHit(
                kind=doc.kind.value,
                id=doc.ref_id,
                title=doc.title,
                title_highlights=[[a, b] for a, b in find_spans(doc.title, phrases)],
                snippet=cut.text,
                highlights=[[a, b] for a, b in cut.highlights],
                score=round(score, 6),
                url=_url(actor, doc),
                platform=doc.platform,
                language=doc.language,
                status=doc.status,
                updated_at=doc.updated_at,
            )
        )
    return SearchResults(query=q, items=items)


def matching_ticket_ids(actor: Actor, q: str) -> Select[Any]:
    """Ids of tickets matching ``q`` in the text the actor may read (staff: every message;
    customers: the public conversation); the caller still scopes tickets to the actor."""
    part = DocPart.ALL if actor.is_agent else DocPart.PUBLIC
    return select(SearchDocument.ref_id).where(
        SearchDocument.kind == DocKind.TICKET,
        SearchDocument.part == part,
        matching.matches(querytext.parse(q)),
    )
