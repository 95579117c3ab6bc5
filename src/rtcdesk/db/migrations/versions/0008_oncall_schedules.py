"""on-call schedules, layers, participants and overrides

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 14:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import rtcdesk.db.base

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oncall_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("manager_agent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_oncall_schedules_group_id_groups"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["manager_agent_id"],
            ["agents.id"],
            name=op.f("fk_oncall_schedules_manager_agent_id_agents"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oncall_schedules")),
        sa.UniqueConstraint("name", name=op.f("uq_oncall_schedules_name")),
    )
    with op.batch_alter_table("oncall_schedules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_oncall_schedules_group_id"), ["group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_oncall_schedules_manager_agent_id"), ["manager_agent_id"], unique=False
        )

    op.create_table(
        "oncall_layers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "handover",
            sa.Enum("daily", "weekly", "custom", name="handover", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("length_days", sa.Integer(), nullable=False),
        sa.Column("handover_minute", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column(
            "restrict_weekdays",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("restrict_start_minute", sa.Integer(), nullable=True),
        sa.Column("restrict_end_minute", sa.Integer(), nullable=True),
        sa.Column("created_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["oncall_schedules.id"],
            name=op.f("fk_oncall_layers_schedule_id_oncall_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oncall_layers")),
    )
    with op.batch_alter_table("oncall_layers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_oncall_layers_schedule_id"), ["schedule_id"], unique=False
        )

    op.create_table(
        "oncall_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("layer_id", sa.Integer(), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_by_agent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_oncall_overrides_agent_id_agents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_agent_id"],
            ["agents.id"],
            name=op.f("fk_oncall_overrides_created_by_agent_id_agents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["layer_id"],
            ["oncall_layers.id"],
            name=op.f("fk_oncall_overrides_layer_id_oncall_layers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["oncall_schedules.id"],
            name=op.f("fk_oncall_overrides_schedule_id_oncall_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oncall_overrides")),
    )
    with op.batch_alter_table("oncall_overrides", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_oncall_overrides_agent_id"), ["agent_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_oncall_overrides_ends_at"), ["ends_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_oncall_overrides_layer_id"), ["layer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_oncall_overrides_schedule_id"), ["schedule_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_oncall_overrides_starts_at"), ["starts_at"], unique=False
        )

    op.create_table(
        "oncall_participants",
        sa.Column("layer_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_oncall_participants_agent_id_agents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["layer_id"],
            ["oncall_layers.id"],
            name=op.f("fk_oncall_participants_layer_id_oncall_layers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("layer_id", "position", name=op.f("pk_oncall_participants")),
    )
    with op.batch_alter_table("oncall_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_oncall_participants_agent_id"), ["agent_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("oncall_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oncall_participants_agent_id"))

    op.drop_table("oncall_participants")
    with op.batch_alter_table("oncall_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oncall_overrides_starts_at"))
        batch_op.drop_index(batch_op.f("ix_oncall_overrides_schedule_id"))
        batch_op.drop_index(batch_op.f("ix_oncall_overrides_layer_id"))
        batch_op.drop_index(batch_op.f("ix_oncall_overrides_ends_at"))
        batch_op.drop_index(batch_op.f("ix_oncall_overrides_agent_id"))

    op.drop_table("oncall_overrides")
    with op.batch_alter_table("oncall_layers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oncall_layers_schedule_id"))

    op.drop_table("oncall_layers")
    with op.batch_alter_table("oncall_schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oncall_schedules_manager_agent_id"))
        batch_op.drop_index(batch_op.f("ix_oncall_schedules_group_id"))

    op.drop_table("oncall_schedules")
