"""The write path of stored log analyses: they share diagnostics' table (``kind='log'``)."""

from __future__ import annotations

from typing import BinaryIO

from sqlalchemy import select

from rtcdesk.accounts.access import Actor
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.diagnostics import service as diagnostics
from rtcdesk.diagnostics.models import DiagnosticReport, ReportKind, ReportStatus
from rtcdesk.files.store import FileStore
from rtcdesk.jobs import service as jobs

JOB_NAME = diagnostics.LOG_JOB_NAME
RENDER_FORMATS = diagnostics.RENDER_FORMATS


def request_self_service(
    uow: UnitOfWork, actor: Actor, files: FileStore, *, filename: str, stream: BinaryIO
) -> DiagnosticReport:
    """Store an uploaded log and queue its analysis for the caller (portal, API)."""
    return diagnostics.request_self_service(
        uow, actor, files, filename=filename, stream=stream, kind=ReportKind.LOG
    )


def enqueue_for_attachment(uow: UnitOfWork, report_id: int) -> None:
    """Queue the log analysis of a ticket attachment that was not a WebRTC dump."""
    jobs.enqueue(uow, JOB_NAME, {"report_id": report_id}, key=f"logs:report:{report_id}")


def realign_ticket_logs(uow: UnitOfWork, ticket_id: int, dump_report_id: int) -> None:
    """Queue a re-rendering of the ticket's finished log reports with a new dump diagnosis's
    windows on their timeline (no new note)."""
    stmt = select(DiagnosticReport.id).where(
        DiagnosticReport.ticket_id == ticket_id,
        DiagnosticReport.kind == ReportKind.LOG.value,
        DiagnosticReport.status == ReportStatus.DONE,
    )
    for log_id in uow.session.scalars(stmt):
        jobs.enqueue(
            uow,
            JOB_NAME,
            {"report_id": log_id, "realign": True},
            key=f"logs:realign:{log_id}:{dump_report_id}",
        )
