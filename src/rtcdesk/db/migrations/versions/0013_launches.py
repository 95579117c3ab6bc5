"""launch guard: launch windows, readiness checklists, settings

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 15:34:57.771318

New tables only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import rtcdesk.db.base

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "launch_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "policies",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "p1_categories",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "checklist_template",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_launch_settings")),
    )
    op.create_table(
        "launch_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("peak_concurrency", sa.Integer(), nullable=True),
        sa.Column(
            "platforms",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("engineer_id", sa.Integer(), nullable=False),
        sa.Column("backup_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "report",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("report_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["backup_id"],
            ["agents.id"],
            name=op.f("fk_launch_windows_backup_id_agents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["engineer_id"],
            ["agents.id"],
            name=op.f("fk_launch_windows_engineer_id_agents"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_launch_windows_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_launch_windows")),
    )
    with op.batch_alter_table("launch_windows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_launch_windows_ends_at"), ["ends_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_launch_windows_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_launch_windows_starts_at"), ["starts_at"], unique=False
        )

    op.create_table(
        "launch_checklist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("launch_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["launch_id"],
            ["launch_windows.id"],
            name=op.f("fk_launch_checklist_items_launch_id_launch_windows"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["agents.id"],
            name=op.f("fk_launch_checklist_items_owner_id_agents"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_launch_checklist_items")),
    )
    with op.batch_alter_table("launch_checklist_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_launch_checklist_items_launch_id"), ["launch_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("launch_checklist_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_launch_checklist_items_launch_id"))

    op.drop_table("launch_checklist_items")
    with op.batch_alter_table("launch_windows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_launch_windows_starts_at"))
        batch_op.drop_index(batch_op.f("ix_launch_windows_organization_id"))
        batch_op.drop_index(batch_op.f("ix_launch_windows_ends_at"))

    op.drop_table("launch_windows")
    op.drop_table("launch_settings")
