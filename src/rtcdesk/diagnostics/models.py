"""Stored diagnoses: one row per diagnosed file, the rendered reports live in the file store."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rtcdesk.db.base import Base, JSONType, UTCDateTime
from rtcdesk.db.types import bounded_by, enum_column
from rtcdesk.files.sniff import SAFE_FILENAME_MAX


class ReportStatus(StrEnum):
    """Where a diagnosis is."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"  # the file could not be read; ``error`` says why, for people
    NOT_A_DUMP = "not_a_dump"  # an attachment that turned out not to be a WebRTC dump (or log)


class ReportKind(StrEnum):
    """What a stored report analyses: a WebRTC dump (diagnostics) or an SDK/app log (logs)."""

    DUMP = "dump"
    LOG = "log"


class DiagnosticReport(Base):
    """The diagnosis of one WebRTC dump, or the analysis of one log (``kind``): from a ticket
    attachment or a self-service upload. Logs share the row: the same status, summary, top
    findings and rendered reports, the same access rules and pages."""

    __tablename__ = "diagnostic_reports"
    __table_args__ = (Index("ix_diagnostic_reports_org_created", "organization_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="SET NULL"), unique=True
    )
    created_by_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL")
    )
    created_by_agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL")
    )
    filename: Mapped[str] = mapped_column(
        String(255), info=bounded_by("files.sniff.safe_filename", max_length=SAFE_FILENAME_MAX)
    )
    source_sha256: Mapped[str] = mapped_column(String(64), info=bounded_by("sha256 hex"))
    size: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(
        String(8), default=ReportKind.DUMP.value, server_default="dump",
        info=bounded_by("a ReportKind value"),
    )  # fmt: skip
    status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus), default=ReportStatus.PENDING
    )
    dump_format: Mapped[str | None] = mapped_column(String(32), info=bounded_by("a format name"))
    worst_severity: Mapped[str | None] = mapped_column(
        String(16), info=bounded_by("a severity name")
    )
    summary: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    top_findings: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    suggested_category: Mapped[str | None] = mapped_column(
        String(32), info=bounded_by("a Category value")
    )
    suggested_tags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    rendered: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)  # "html:en" -> sha
    error: Mapped[str | None] = mapped_column(Text)
    note_message_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
