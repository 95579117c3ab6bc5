"""The write path of stored diagnoses: request one, run it, record the outcome."""

from __future__ import annotations

from typing import BinaryIO

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import ActorKind
from rtcdesk.core.errors import InvalidInput, PermissionDenied
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.diagnostics.models import DiagnosticReport, ReportKind, ReportStatus
from rtcdesk.files.sniff import safe_filename
from rtcdesk.files.store import FileStore
from rtcdesk.jobs import service as jobs

JOB_NAME = "diagnostics.run"
# Log analyses share the table (``kind``); their job lives in rtcdesk.logs.jobs.
LOG_JOB_NAME = "logs.run"
RENDER_FORMATS = (("html", "en"), ("html", "zh-CN"), ("json", "en"), ("md", "en"), ("md", "zh-CN"))
# Names and types worth trying; the job itself decides from the bytes.
DUMP_NAME_HINTS = (
    ".json", ".txt", ".gz", ".jsonl", ".log", "dump", "rtcstats", "getstats", "logcat",
)  # fmt: skip
DUMP_TYPE_HINTS = ("application/json", "application/gzip", "text/plain", "application/x-gzip")


def looks_diagnosable(filename: str, content_type: str) -> bool:
    """Cheap first guess from the name and sniffed type (the job reads the bytes)."""
    name = filename.lower()
    return content_type in DUMP_TYPE_HINTS and any(hint in name for hint in DUMP_NAME_HINTS)


def _enqueue(uow: UnitOfWork, report: DiagnosticReport) -> None:
    if report.kind == ReportKind.LOG:
        jobs.enqueue(uow, LOG_JOB_NAME, {"report_id": report.id}, key=f"logs:report:{report.id}")
        return
    jobs.enqueue(uow, JOB_NAME, {"report_id": report.id}, key=f"diagnostics:report:{report.id}")


def request_for_attachment(
    uow: UnitOfWork,
    *,
    ticket_id: int,
    organization_id: int,
    attachment_id: int,
    filename: str,
    sha256: str,
    size: int,
) -> DiagnosticReport:
    """Queue the diagnosis of a ticket attachment (called inside the attaching transaction)."""
    report = DiagnosticReport(
        organization_id=organization_id,
        ticket_id=ticket_id,
        attachment_id=attachment_id,
        filename=filename,
        source_sha256=sha256,
        size=size,
        status=ReportStatus.PENDING,
        created_at=uow.clock.now(),
    )
    uow.session.add(report)
    uow.flush()
    _enqueue(uow, report)
    return report


def request_self_service(
    uow: UnitOfWork,
    actor: Actor,
    files: FileStore,
    *,
    filename: str,
    stream: BinaryIO,
    kind: ReportKind = ReportKind.DUMP,
) -> DiagnosticReport:
    """Store an uploaded dump (or log, ``kind``) and queue its analysis for the caller."""
    if actor.kind is ActorKind.SYSTEM:
        raise PermissionDenied("self-service diagnosis is for people and integrations")
    blob = files.put_stream(stream)
    if blob.size == 0:
        raise InvalidInput("{name} is empty.", params={"name": safe_filename(filename)})
    report = DiagnosticReport(
        organization_id=actor.organization_id,
        filename=safe_filename(filename),
        source_sha256=blob.sha256,
        size=blob.size,
        kind=kind.value,
        status=ReportStatus.PENDING,
        created_by_contact_id=actor.id if actor.kind is ActorKind.CONTACT else None,
        created_by_agent_id=actor.id if actor.kind is ActorKind.AGENT else None,
        created_at=uow.clock.now(),
    )
    uow.session.add(report)
    uow.flush()
    _enqueue(uow, report)
    return report


def rerun(uow: UnitOfWork, actor: Actor, report: DiagnosticReport) -> None:
    """Diagnose again (after an engine upgrade, or a failed run); agents only."""
    if not actor.is_agent:
        raise PermissionDenied("only support staff can re-run a diagnosis")
    report.status = ReportStatus.PENDING
    report.error = None
    report.finished_at = None
    _enqueue(uow, report)
