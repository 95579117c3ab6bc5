"""The search index: one row per searchable document, its tokens in FTS5 (SQLite) or a
GIN-indexed tsvector column (PostgreSQL).

A ticket has two documents: ``all`` (subject and every message, internal notes included)
which only staff search, and ``public`` (subject and public replies) which its customers
search. Rows are rebuilt from their source by the ``search.index`` job after each change,
so the index is derived data: ``rtcdesk search reindex`` can always rebuild it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from rtcdesk.db.base import Base, UTCDateTime
from rtcdesk.db.types import bounded_by, enum_column

# The SQLite full-text table (created by the migration; not a model: a virtual table).
FTS_TABLE = "search_fts"


class DocKind(StrEnum):
    """What a document is."""

    TICKET = "ticket"


class DocPart(StrEnum):
    """Which text of its source a document holds."""

    ALL = "all"  # everything: staff only
    PUBLIC = "public"  # what customers may read


class SearchDocument(Base):
    """One searchable document: filters, the original text for snippets, its tokens."""

    __tablename__ = "search_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocKind] = mapped_column(enum_column(DocKind))
    ref_id: Mapped[int] = mapped_column(Integer)
    part: Mapped[DocPart] = mapped_column(enum_column(DocPart))
    staff_view: Mapped[bool] = mapped_column(Boolean)
    customer_view: Mapped[bool] = mapped_column(Boolean)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    platform: Mapped[str | None] = mapped_column(
        String(32), info=bounded_by("copied from a ticket's platform column (32)")
    )
    language: Mapped[str | None] = mapped_column(
        String(16), info=bounded_by("copied from a ticket's language column (16)")
    )
    status: Mapped[str | None] = mapped_column(String(32), info=bounded_by("a status enum value"))
    sdk_version: Mapped[str | None] = mapped_column(
        String(64), info=bounded_by("copied from a ticket's sdk_version column (64)")
    )
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # PostgreSQL only (always NULL on SQLite, where the tokens live in search_fts).
    tsv: Mapped[str | None] = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"))

    __table_args__ = (
        UniqueConstraint("kind", "ref_id", "part"),
        Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),
        Index("ix_search_documents_organization_id", "organization_id"),
    )
