"""Writing the search index: a document row plus its tokens, in FTS5 on SQLite and in the
row's tsvector on PostgreSQL. The only dialect-specific writes of the search package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from rtcdesk.db.uow import UnitOfWork
from rtcdesk.search.models import FTS_TABLE, DocKind, DocPart, SearchDocument
from rtcdesk.search.tokens import token_texts

# Text beyond this is neither stored for snippets nor indexed (a pasted log of megabytes
# would only slow every search that reads it).
MAX_INDEXED_CHARS = 200_000
# PostgreSQL's limits for a tsvector: positions 1..16383, at most 256 per lexeme.
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 255


@dataclass(frozen=True)
class Document:
    """One document as the index stores it."""

    kind: DocKind
    ref_id: int
    part: DocPart
    staff_view: bool
    customer_view: bool
    title: str
    body: str
    organization_id: int | None = None
    platform: str | None = None
    language: str | None = None
    status: str | None = None
    sdk_version: str | None = None
    # Searched with the title but not shown (e.g. a ticket's SDK version and platform).
    extra_title_terms: str = ""


def tsvector_literal(title: list[str], body: list[str]) -> str:
    """A tsvector literal: title tokens weighted A, body tokens D, positions kept for
    phrases. Tokens are lowercase ASCII letters, digits or one CJK character: no quoting."""
    positions: dict[str, list[str]] = {}
    for index, token in enumerate([*title, *body], start=1):
        seen = positions.setdefault(token, [])
        if len(seen) < MAX_POSITIONS_PER_LEXEME:
            weight = "A" if index <= len(title) else ""
            seen.append(f"{min(index, MAX_POSITION)}{weight}")
    return " ".join(f"'{lexeme}':{','.join(spots)}" for lexeme, spots in positions.items())


def _write_tokens(session: Session, doc_id: int, title: list[str], body: list[str]) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": doc_id})  # noqa: S608
        session.execute(
            text(f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (:id, :t, :b)"),  # noqa: S608
            {"id": doc_id, "t": " ".join(title), "b": " ".join(body)},
        )
    else:
        session.execute(
            text("UPDATE search_documents SET tsv = CAST(:v AS tsvector) WHERE id = :id"),
            {"id": doc_id, "v": tsvector_literal(title, body)},
        )


def put(uow: UnitOfWork, doc: Document, now: datetime) -> int:
    """Insert or replace ``doc`` (by kind, source id and part); return its row id."""
    session = uow.session
    row = session.scalar(
        select(SearchDocument).where(
            SearchDocument.kind == doc.kind,
            SearchDocument.ref_id == doc.ref_id,
            SearchDocument.part == doc.part,
        )
    )
    if row is None:
        row = SearchDocument(kind=doc.kind, ref_id=doc.ref_id, part=doc.part)
        session.add(row)
    title = doc.title[:MAX_INDEXED_CHARS]
    body = doc.body[:MAX_INDEXED_CHARS]
    row.staff_view = doc.staff_view
    row.customer_view = doc.customer_view
    row.organization_id = doc.organization_id
    row.platform = doc.platform
    row.language = doc.language
    row.status = doc.status
    row.sdk_version = doc.sdk_version
    row.title = title
    row.body = body
    row.updated_at = now
    session.flush()
    title_tokens = token_texts(title) + token_texts(doc.extra_title_terms)
    _write_tokens(session, row.id, title_tokens, token_texts(body))
    return row.id


def remove(uow: UnitOfWork, kind: DocKind, ref_id: int) -> int:
    """Delete every document of one source; return how many there were."""
    session = uow.session
    ids = list(
        session.scalars(
            select(SearchDocument.id).where(
                SearchDocument.kind == kind, SearchDocument.ref_id == ref_id
            )
        )
    )
    if not ids:
        return 0
    if session.get_bind().dialect.name == "sqlite":
        for doc_id in ids:
            session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": doc_id})  # noqa: S608
    session.execute(
        delete(SearchDocument)
        .where(SearchDocument.id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    return len(ids)
