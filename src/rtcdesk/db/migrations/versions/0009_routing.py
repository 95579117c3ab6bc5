"""routing: rules, round-robin cursors, agents' availability and capacity

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 13:57:14.921174
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import rtcdesk.db.base

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "routing_cursors",
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("last_agent_id", sa.Integer(), nullable=True),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_routing_cursors")),
    )
    op.create_table(
        "routing_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("categories", _json(), nullable=False),
        sa.Column("skills", _json(), nullable=False),
        sa.Column("languages", _json(), nullable=False),
        sa.Column("plan_tiers", _json(), nullable=False),
        sa.Column("organization_ids", _json(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column(
            "min_level",
            sa.Enum("L1", "L2", "L3", name="agentlevel", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("assign", sa.Boolean(), nullable=False),
        sa.Column("created_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_routing_rules_group_id_groups"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rules")),
    )
    with op.batch_alter_table("routing_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_routing_rules_position"), ["position"], unique=False)

    # Existing agents start available with the default capacity.
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "availability",
                sa.Enum("available", "away", name="availability", native_enum=False, length=32),
                nullable=False,
                server_default="available",
            )
        )
        batch_op.add_column(sa.Column("max_load", sa.Integer(), nullable=False, server_default="8"))


def downgrade() -> None:
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.drop_column("max_load")
        batch_op.drop_column("availability")
    with op.batch_alter_table("routing_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routing_rules_position"))
    op.drop_table("routing_rules")
    op.drop_table("routing_cursors")
