"""Matching and ranking a parsed query in SQL: the only dialect-specific reads.

``matches(query)`` is a WHERE condition on ``search_documents`` that compiles to an FTS5
MATCH on SQLite and ``tsv @@ tsquery`` on PostgreSQL, so filters built on it (the ticket
list's search box) stay one statement for both. ``ranked(...)`` ranks: BM25 through FTS5's
``bm25()`` (title weighted above body) or ``ts_rank_cd`` over the A/D-weighted tsvector.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Select, bindparam, cast, column, func, literal, select, table
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnClause, ColumnElement

from rtcdesk.search.models import FTS_TABLE, SearchDocument
from rtcdesk.search.querytext import Query, as_typed, to_fts5, to_tsquery

TITLE_WEIGHT = 4.0
# A document holding the words as typed (not only their synonyms) scores this much more;
# ranking looks at this many candidates per result asked for (at least CANDIDATES_MIN).
TYPED_BOOST = 2.0
CANDIDATES_PER_RESULT = 4
CANDIDATES_MIN = 100
_FTS = table(FTS_TABLE, column("rowid"))


class DocumentMatches(ColumnElement[bool]):
    """``search_documents`` rows whose tokens match a parsed query."""

    inherit_cache = False
    type = Boolean()

    def __init__(self, query: Query) -> None:
        self.fts5 = to_fts5(query)
        self.tsquery = to_tsquery(query)


@compiles(DocumentMatches, "sqlite")
def _matches_sqlite(element: DocumentMatches, compiler: Any, **kw: Any) -> str:
    param: str = compiler.process(bindparam("fts_match", element.fts5, unique=True), **kw)
    # Only the bound parameter varies; the table name is a constant.
    sql = "search_documents.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH "
    return sql + param + ")"


@compiles(DocumentMatches, "postgresql")
def _matches_postgresql(element: DocumentMatches, compiler: Any, **kw: Any) -> str:
    param: str = compiler.process(bindparam("ts_match", element.tsquery, unique=True), **kw)
    return f"search_documents.tsv @@ CAST({param} AS tsquery)"


def matches(query: Query) -> ColumnElement[bool]:
    """WHERE condition: the document matches ``query`` (both backends)."""
    return DocumentMatches(query)


def ranked(
    session: Session, query: Query, where: list[ColumnElement[bool]], limit: int
) -> list[tuple[int, float]]:
    """(document id, score) of the best ``limit`` matches, best first; higher is better.

    BM25 over the whole query (synonyms included) picks the candidates; those that also
    hold the words as typed are boosted, so 卡顿 ranks 卡顿 documents above 'stutter' ones.
    """
    candidates = _bm25(session, query, where, max(limit * CANDIDATES_PER_RESULT, CANDIDATES_MIN))
    typed = as_typed(query)
    if typed == query or not candidates:
        return candidates[:limit]
    ids = [doc_id for doc_id, _ in candidates]
    literal_hits = set(
        session.scalars(select(SearchDocument.id).where(SearchDocument.id.in_(ids), matches(typed)))
    )
    boosted = [
        (doc_id, score * TYPED_BOOST if doc_id in literal_hits else score)
        for doc_id, score in candidates
    ]
    # sorted() is stable: equal scores keep the SQL order (newer first).
    return sorted(boosted, key=lambda pair: -pair[1])[:limit]


def _bm25(
    session: Session, query: Query, where: list[ColumnElement[bool]], limit: int
) -> list[tuple[int, float]]:
    stmt: Select[Any]
    if session.get_bind().dialect.name == "sqlite":
        fts: ColumnClause[Any] = column(FTS_TABLE)
        bm25 = func.bm25(fts, TITLE_WEIGHT, 1.0)
        stmt = (
            select(SearchDocument.id, (-bm25).label("score"))
            .join(_FTS, _FTS.c.rowid == SearchDocument.id)
            .where(fts.op("MATCH")(to_fts5(query)), *where)
            .order_by(bm25, SearchDocument.updated_at.desc(), SearchDocument.id.desc())
        )
    else:
        tsq = cast(literal(to_tsquery(query)), TSQUERY)
        rank = func.ts_rank_cd(SearchDocument.tsv, tsq)
        stmt = (
            select(SearchDocument.id, rank.label("score"))
            .where(SearchDocument.tsv.op("@@")(tsq), *where)
            .order_by(rank.desc(), SearchDocument.updated_at.desc(), SearchDocument.id.desc())
        )
    rows = session.execute(stmt.limit(limit)).all()
    return [(int(doc_id), float(score)) for doc_id, score in rows]
