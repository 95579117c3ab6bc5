"""search index: search_documents (FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import rtcdesk.db.base

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("ticket", name="dockind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column(
            "part",
            sa.Enum("all", "public", name="docpart", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("staff_view", sa.Boolean(), nullable=False),
        sa.Column("customer_view", sa.Boolean(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("platform", sa.String(length=32), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("sdk_version", sa.String(length=64), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tsv", postgresql.TSVECTOR().with_variant(sa.Text(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_search_documents_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint(
            "kind", "ref_id", "part", name=op.f("uq_search_documents_kind_ref_id_part")
        ),
    )
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_search_documents_organization_id", ["organization_id"], unique=False
        )
        batch_op.create_index(
            "ix_search_documents_tsv", ["tsv"], unique=False, postgresql_using="gin"
        )
    if op.get_bind().dialect.name == "sqlite":
        # One row per document (rowid = search_documents.id) holding its tokens; the
        # tokeniser runs in Python, so unicode61 only splits them at the spaces between.
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 0')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_search_documents_tsv", postgresql_using="gin")
        batch_op.drop_index("ix_search_documents_organization_id")
    op.drop_table("search_documents")
