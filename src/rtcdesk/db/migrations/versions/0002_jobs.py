"""jobs: the durable job queue and the periodic-job schedule

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 06:36:21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import rtcdesk.db.base

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PENDING_KEY = "key IS NOT NULL AND state = 'queued' AND attempts = 0"


def upgrade() -> None:
    """Create ``jobs`` and ``job_schedules``."""
    op.create_table(
        "job_schedules",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("last_period_start", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_schedules")),
    )
    op.create_table(
        "jobs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "queued",
                "running",
                "succeeded",
                "failed",
                name="jobstate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("key", sa.String(length=255), nullable=True),
        sa.Column("run_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=True),
        sa.Column("locked_by", sa.String(length=120), nullable=True),
        sa.Column("locked_until", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index("ix_jobs_state_run_at", ["state", "run_at"], unique=False)
        batch_op.create_index(
            "uq_jobs_pending_key",
            ["key"],
            unique=True,
            sqlite_where=sa.text(PENDING_KEY),
            postgresql_where=sa.text(PENDING_KEY),
        )


def downgrade() -> None:
    """Drop the job tables."""
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("uq_jobs_pending_key")
        batch_op.drop_index("ix_jobs_state_run_at")
    op.drop_table("jobs")
    op.drop_table("job_schedules")
