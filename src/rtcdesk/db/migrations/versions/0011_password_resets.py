"""password reset links: single-use, expiring, stored hashed

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 14:22:34.826638

Only the sha256 of a link's secret is kept; a link is used at most once and expires.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import rtcdesk.db.base

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("created_by_agent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_password_resets_agent_id_agents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_password_resets_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_agent_id"],
            ["agents.id"],
            name=op.f("fk_password_resets_created_by_agent_id_agents"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_password_resets_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_password_resets_contact_id"), ["contact_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_resets_contact_id"))
        batch_op.drop_index(batch_op.f("ix_password_resets_agent_id"))

    op.drop_table("password_resets")
