"""log reports: diagnostic_reports.kind tells a WebRTC dump diagnosis from a log analysis

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 17:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("diagnostic_reports") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=8), nullable=False, server_default="dump")
        )


def downgrade() -> None:
    with op.batch_alter_table("diagnostic_reports") as batch:
        batch.drop_column("kind")
