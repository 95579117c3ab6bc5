"""Reads of stored diagnoses for the API and the pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import select

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import ActorKind
from rtcdesk.core.errors import NotFound
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.diagnostics import access
from rtcdesk.diagnostics.models import DiagnosticReport, ReportKind, ReportStatus
from rtcdesk.diagnostics.texts import TEXTS
from rtcdesk.files.store import FileStore
from rtcdesk.tickets import access as ticket_access
from rtcdesk.tickets.models import Attachment


class DiagnosisOut(msgspec.Struct):
    """A diagnosis as the API shows it."""

    id: int
    kind: str
    status: str
    filename: str
    size: int
    ticket_id: int | None
    dump_format: str | None
    worst_severity: str | None
    summary: dict[str, str]
    top_findings: list[dict[str, Any]]
    suggested_category: str | None
    suggested_tags: list[str]
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    report_urls: dict[str, str]


def diagnosis_out(row: DiagnosticReport) -> DiagnosisOut:
    """API shape of a stored diagnosis."""
    base = "logs" if row.kind == ReportKind.LOG else "diagnostics"
    urls = {
        key: f"/api/v1/{base}/{row.id}/report?format={key.split(':')[0]}&lang={key.split(':')[1]}"
        for key in row.rendered
    }
    return DiagnosisOut(
        id=row.id,
        kind=row.kind,
        status=row.status.value,
        filename=row.filename,
        size=row.size,
        ticket_id=row.ticket_id,
        dump_format=row.dump_format,
        worst_severity=row.worst_severity,
        summary=row.summary,
        top_findings=row.top_findings,
        suggested_category=row.suggested_category,
        suggested_tags=row.suggested_tags,
        error=row.error,
        created_at=row.created_at,
        finished_at=row.finished_at,
        report_urls=urls,
    )


def for_ticket(uow: UnitOfWork, actor: Actor, ticket_id: int) -> list[DiagnosticReport]:
    """Diagnoses of a ticket's attachments (support staff only)."""
    if not actor.is_agent:
        return []
    stmt = (
        select(DiagnosticReport)
        .where(DiagnosticReport.ticket_id == ticket_id)
        .order_by(DiagnosticReport.id)
    )
    return list(uow.session.scalars(stmt))


@dataclass(frozen=True)
class CustomerDiagnosis:
    """A diagnosis as the customer sees it on their ticket: the row and its findings with
    what to do."""

    report: DiagnosticReport
    findings: list[dict[str, Any]]


def customer_findings(row: DiagnosticReport) -> list[dict[str, Any]]:
    """Top findings with their fixes (taken from the rule texts for rows stored without)."""
    return [
        {**f, "fixes": f.get("fixes") or TEXTS.get(f["code"], {}).get("fixes", {})}
        for f in row.top_findings
    ]


def customer_summaries(uow: UnitOfWork, actor: Actor, ticket_id: int) -> list[CustomerDiagnosis]:
    """Diagnoses of the dumps the customer attached to a ticket they can see."""
    ticket = ticket_access.get_ticket(uow, actor, ticket_id)
    stmt = (
        select(DiagnosticReport, Attachment)
        .join(Attachment, Attachment.id == DiagnosticReport.attachment_id)
        .where(
            DiagnosticReport.ticket_id == ticket.id,
            DiagnosticReport.status.in_([ReportStatus.DONE, ReportStatus.PENDING]),
        )
        .order_by(DiagnosticReport.id)
    )
    return [
        CustomerDiagnosis(report=row, findings=customer_findings(row))
        for row, attachment in uow.session.execute(stmt)
        if access.can_see_summary(actor, row, attachment, ticket)
    ]


def self_service(
    uow: UnitOfWork, actor: Actor, limit: int = 50, kind: ReportKind = ReportKind.DUMP
) -> list[DiagnosticReport]:
    """The caller's recent self-service diagnoses (a contact's own, or the organization's)."""
    stmt = select(DiagnosticReport).where(
        DiagnosticReport.ticket_id.is_(None), DiagnosticReport.kind == kind.value
    )
    if actor.is_agent:
        stmt = stmt.where(DiagnosticReport.created_by_agent_id == actor.id)
    else:
        stmt = stmt.where(DiagnosticReport.organization_id == actor.organization_id)
        if actor.kind is ActorKind.CONTACT and not actor.share_tickets:
            stmt = stmt.where(DiagnosticReport.created_by_contact_id == actor.id)
    stmt = stmt.order_by(DiagnosticReport.id.desc()).limit(limit)
    return list(uow.session.scalars(stmt))


def rendered_report(
    uow: UnitOfWork, actor: Actor, files: FileStore, report_id: int, fmt: str, lang: str
) -> bytes:
    """The stored rendering of a finished diagnosis in ``fmt`` and ``lang``."""
    row = access.get_report(uow, actor, report_id)
    key = f"{fmt}:{lang}"
    if key not in row.rendered:
        key = f"{fmt}:en"
    if key not in row.rendered:
        raise NotFound("this diagnosis has no report in that format (yet)")
    return files.read_bytes(row.rendered[key])
