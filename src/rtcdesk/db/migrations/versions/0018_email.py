"""email channel: mailboxes, domains, inbound mail, quarantine, bounces

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 17:23:09.342974

New tables only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import rtcdesk.db.base

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "email_domains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_email_domains_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_domains")),
        sa.UniqueConstraint("domain", name=op.f("uq_email_domains_domain")),
    )
    with op.batch_alter_table("email_domains", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_email_domains_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "email_mailboxes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column(
            "category",
            sa.Enum(
                "integration",
                "advanced_tuning",
                "troubleshooting",
                "consulting",
                name="category",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "language",
            sa.Enum("zh-CN", "en", name="language", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "unknown_sender_policy",
            sa.Enum("create", "hold", name="unknownsenderpolicy", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("unknown_organization_id", sa.Integer(), nullable=True),
        sa.Column(
            "foreign_reply_policy",
            sa.Enum("hold", "new_ticket", name="foreignreplypolicy", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("rate_limit_per_hour", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("imap_host", sa.String(length=253), nullable=True),
        sa.Column("imap_port", sa.Integer(), nullable=True),
        sa.Column(
            "imap_security",
            sa.Enum("ssl", "starttls", "none", name="imapsecurity", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("imap_user", sa.String(length=254), nullable=True),
        sa.Column("imap_password", sa.String(length=500), nullable=True),
        sa.Column("imap_folder", sa.String(length=200), nullable=False),
        sa.Column("imap_done_folder", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_email_mailboxes_group_id_groups"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unknown_organization_id"],
            ["organizations.id"],
            name=op.f("fk_email_mailboxes_unknown_organization_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_mailboxes")),
        sa.UniqueConstraint("address", name=op.f("uq_email_mailboxes_address")),
    )
    op.create_table(
        "email_bounces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("diagnostic", sa.String(length=500), nullable=False),
        sa.Column("permanent", sa.Boolean(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("bounced_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_email_bounces_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_bounces")),
        sa.UniqueConstraint("email", name=op.f("uq_email_bounces_email")),
    )
    with op.batch_alter_table("email_bounces", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_email_bounces_contact_id"), ["contact_id"], unique=False
        )

    op.create_table(
        "email_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("held", "unreadable", name="quarantinekind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("mailbox_id", sa.Integer(), nullable=True),
        sa.Column("raw_sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=254), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("message_id", sa.String(length=500), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("received_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mailbox_id"],
            ["email_mailboxes.id"],
            name=op.f("fk_email_quarantine_mailbox_id_email_mailboxes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_email_quarantine_ticket_id_tickets"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_quarantine")),
        sa.UniqueConstraint("raw_sha256", name=op.f("uq_email_quarantine_raw_sha256")),
    )
    with op.batch_alter_table("email_quarantine", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_email_quarantine_mailbox_id"), ["mailbox_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_email_quarantine_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "email_inbound",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=500), nullable=False),
        sa.Column("mailbox_id", sa.Integer(), nullable=True),
        sa.Column("sender", sa.String(length=254), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "created",
                "appended",
                "held",
                "quarantined",
                "auto_reply",
                "bounce",
                "own_address",
                name="outcome",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("ticket_message_id", sa.Integer(), nullable=True),
        sa.Column("raw_sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("received_at", rtcdesk.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mailbox_id"],
            ["email_mailboxes.id"],
            name=op.f("fk_email_inbound_mailbox_id_email_mailboxes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_email_inbound_ticket_id_tickets"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_message_id"],
            ["messages.id"],
            name=op.f("fk_email_inbound_ticket_message_id_messages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_inbound")),
        sa.UniqueConstraint("message_id", name=op.f("uq_email_inbound_message_id")),
    )
    with op.batch_alter_table("email_inbound", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_email_inbound_mailbox_id"), ["mailbox_id"], unique=False
        )
        batch_op.create_index(
            "ix_email_inbound_sender_received", ["sender", "received_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_email_inbound_ticket_id"), ["ticket_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("email_inbound", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_inbound_ticket_id"))
        batch_op.drop_index("ix_email_inbound_sender_received")
        batch_op.drop_index(batch_op.f("ix_email_inbound_mailbox_id"))

    op.drop_table("email_inbound")
    with op.batch_alter_table("email_quarantine", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_quarantine_received_at"))
        batch_op.drop_index(batch_op.f("ix_email_quarantine_mailbox_id"))

    op.drop_table("email_quarantine")
    with op.batch_alter_table("email_bounces", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_bounces_contact_id"))

    op.drop_table("email_bounces")
    op.drop_table("email_mailboxes")
    with op.batch_alter_table("email_domains", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_domains_organization_id"))

    op.drop_table("email_domains")
