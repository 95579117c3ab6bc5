"""paging: pages and their steps; schedules get escalation minutes and the default flag

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 15:25:22.208321
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import rtcdesk.db.base

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oncall_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "triggered",
                "acknowledged",
                "resolved",
                name="pagestate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "plan",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("escalations", sa.Integer(), nullable=False),
        sa.Column("escalate_after_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("acked_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("acked_by_agent_id", sa.Integer(), nullable=True),
        sa.Column("acked_via", sa.String(length=16), nullable=True),
        sa.Column("resolved_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["acked_by_agent_id"],
            ["agents.id"],
            name=op.f("fk_oncall_pages_acked_by_agent_id_agents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["oncall_schedules.id"],
            name=op.f("fk_oncall_pages_schedule_id_oncall_schedules"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_oncall_pages_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oncall_pages")),
    )
    with op.batch_alter_table("oncall_pages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_oncall_pages_schedule_id"), ["schedule_id"], unique=False
        )
        batch_op.create_index(
            "ix_oncall_pages_state_created", ["state", "created_at", "id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_oncall_pages_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "oncall_page_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("layer_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "triggered",
                "escalated",
                "acknowledged",
                "resolved",
                name="stepstate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("paged_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("link_used_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_oncall_page_steps_agent_id_agents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["layer_id"],
            ["oncall_layers.id"],
            name=op.f("fk_oncall_page_steps_layer_id_oncall_layers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["page_id"],
            ["oncall_pages.id"],
            name=op.f("fk_oncall_page_steps_page_id_oncall_pages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oncall_page_steps")),
        sa.UniqueConstraint("page_id", "step", name="uq_oncall_page_steps_step"),
    )
    with op.batch_alter_table("oncall_page_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_oncall_page_steps_agent_id"), ["agent_id"], unique=False
        )

    with op.batch_alter_table("oncall_schedules", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("escalate_after_minutes", sa.Integer(), server_default="5", nullable=False)
        )
        batch_op.add_column(
            sa.Column("is_default", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("oncall_schedules", schema=None) as batch_op:
        batch_op.drop_column("is_default")
        batch_op.drop_column("escalate_after_minutes")

    with op.batch_alter_table("oncall_page_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oncall_page_steps_agent_id"))

    op.drop_table("oncall_page_steps")
    with op.batch_alter_table("oncall_pages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oncall_pages_ticket_id"))
        batch_op.drop_index("ix_oncall_pages_state_created")
        batch_op.drop_index(batch_op.f("ix_oncall_pages_schedule_id"))

    op.drop_table("oncall_pages")
