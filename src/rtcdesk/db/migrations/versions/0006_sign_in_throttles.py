"""sign-in throttles: one counter row per email instead of one row per failure

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:20:00.000000

Counting failure rows and then inserting one let parallel guesses all pass the count. The
counter row is changed by one conditional UPDATE per attempt (accounts.service). Windows in
progress are not carried over: at worst an email gets a fresh window at upgrade time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import rtcdesk.db.base

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_throttles",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("window_started_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_sign_in_throttles")),
    )
    with op.batch_alter_table("sign_in_throttles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sign_in_throttles_window_started_at"),
            ["window_started_at"],
            unique=False,
        )
    with op.batch_alter_table("sign_in_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_failures_email"))
        batch_op.drop_index(batch_op.f("ix_sign_in_failures_at"))
    op.drop_table("sign_in_failures")


def downgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    with op.batch_alter_table("sign_in_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_failures_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_sign_in_failures_email"), ["email"], unique=False)
    with op.batch_alter_table("sign_in_throttles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_throttles_window_started_at"))
    op.drop_table("sign_in_throttles")
