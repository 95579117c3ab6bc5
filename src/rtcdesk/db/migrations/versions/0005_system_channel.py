"""system channel for notes rtcdesk writes itself

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 11:30:00.000000

``messages.channel`` is a VARCHAR (no native enum, no CHECK constraint), so the new value
``system`` needs no schema change; this revision moves the notes the diagnostics job and the
weak-network lab wrote before it from ``api`` to ``system``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_MOVE_TO_SYSTEM = (
    "UPDATE messages SET channel = 'system' WHERE channel = 'api' AND ("
    " id IN (SELECT note_message_id FROM diagnostic_reports WHERE note_message_id IS NOT NULL)"
    " OR (author_name = 'rtcdesk lab' AND author_agent_id IS NULL"
    " AND author_contact_id IS NULL AND kind = 'internal'))"
)


def upgrade() -> None:
    """Mark earlier diagnosis and lab notes as written by the system."""
    op.execute(sa.text(_MOVE_TO_SYSTEM))


def downgrade() -> None:
    """Back to ``api``, the value those notes had before."""
    op.execute(sa.text("UPDATE messages SET channel = 'api' WHERE channel = 'system'"))
