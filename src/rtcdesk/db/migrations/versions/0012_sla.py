"""SLA: business calendars, versioned policies, ticket clocks, thresholds reached

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 13:55:26.755032

New tables only, plus two nullable columns on ``tickets`` (the earliest open deadline
for sorting and filtering lists, and the first-response promise customers see).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import rtcdesk.db.base

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sla_calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("always_open", sa.Boolean(), nullable=False),
        sa.Column("follows_china", sa.Boolean(), nullable=False),
        sa.Column(
            "week",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "workday_hours",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "holidays",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "extra_workdays",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "days",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "closures",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "official_years",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_calendars")),
        sa.UniqueConstraint("name", name=op.f("uq_sla_calendars_name")),
    )
    op.create_table(
        "sla_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "plan_tier",
            sa.Enum(
                "free",
                "standard",
                "premium",
                "enterprise",
                "strategic",
                name="plantier",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "priority",
            sa.Enum("P1", "P2", "P3", "P4", name="priority", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("created_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_policies")),
        sa.UniqueConstraint(
            "plan_tier", "priority", name=op.f("uq_sla_policies_plan_tier_priority")
        ),
    )
    op.create_table(
        "sla_policy_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=False),
        sa.Column("first_response_minutes", sa.Integer(), nullable=True),
        sa.Column("next_reply_minutes", sa.Integer(), nullable=True),
        sa.Column("resolution_minutes", sa.Integer(), nullable=True),
        sa.Column(
            "pause_on",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "warning_points",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["sla_calendars.id"],
            name=op.f("fk_sla_policy_versions_calendar_id_sla_calendars"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["sla_policies.id"],
            name=op.f("fk_sla_policy_versions_policy_id_sla_policies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_policy_versions")),
        sa.UniqueConstraint(
            "policy_id", "number", name=op.f("uq_sla_policy_versions_policy_id_number")
        ),
    )
    op.create_table(
        "sla_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=32), nullable=False),
        sa.Column("occurrence", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.String(length=16), nullable=False),
        sa.Column("fraction", sa.Float(), nullable=False),
        sa.Column("at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("policy_version_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["policy_version_id"],
            ["sla_policy_versions.id"],
            name=op.f("fk_sla_events_policy_version_id_sla_policy_versions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_sla_events_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_events")),
        sa.UniqueConstraint(
            "ticket_id",
            "target",
            "occurrence",
            "threshold",
            name=op.f("uq_sla_events_ticket_id_target_occurrence_threshold"),
        ),
    )
    with op.batch_alter_table("sla_events", schema=None) as batch_op:
        batch_op.create_index("ix_sla_events_at", ["at"], unique=False)

    op.create_table(
        "ticket_sla",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("policy_version_id", sa.Integer(), nullable=True),
        sa.Column("calendar_id", sa.Integer(), nullable=True),
        sa.Column(
            "clocks",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "unknown_years",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "timers",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("computed_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["sla_calendars.id"],
            name=op.f("fk_ticket_sla_calendar_id_sla_calendars"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["policy_version_id"],
            ["sla_policy_versions.id"],
            name=op.f("fk_ticket_sla_policy_version_id_sla_policy_versions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_sla_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_ticket_sla")),
    )
    op.create_table(
        "ticket_sla_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("policy_version_id", sa.Integer(), nullable=True),
        sa.Column("plan_tier", sa.String(length=32), nullable=False),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["policy_version_id"],
            ["sla_policy_versions.id"],
            name=op.f("fk_ticket_sla_versions_policy_version_id_sla_policy_versions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_sla_versions_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_sla_versions")),
    )
    with op.batch_alter_table("ticket_sla_versions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ticket_sla_versions_ticket_at", ["ticket_id", "at", "id"], unique=False
        )

    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sla_due_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "first_response_due", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.create_index("ix_tickets_sla_due", ["sla_due_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_sla_due")
        batch_op.drop_column("first_response_due")
        batch_op.drop_column("sla_due_at")

    with op.batch_alter_table("ticket_sla_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_sla_versions_ticket_at")

    op.drop_table("ticket_sla_versions")
    op.drop_table("ticket_sla")
    with op.batch_alter_table("sla_events", schema=None) as batch_op:
        batch_op.drop_index("ix_sla_events_at")

    op.drop_table("sla_events")
    op.drop_table("sla_policy_versions")
    op.drop_table("sla_policies")
    op.drop_table("sla_calendars")
