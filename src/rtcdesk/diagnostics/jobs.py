"""The background job that diagnoses a stored dump, renders its reports and, for a ticket
attachment, posts an internal note with the top findings.

Idempotent: a report already finished is left alone, and the note is written in the same
transaction that marks the report done, so a re-run after a crash posts it once.
"""

from __future__ import annotations

import logging

from rtcdesk.accounts.access import Actor
from rtcdesk.accounts.models import ActorKind
from rtcdesk.core.errors import RtcdeskError
from rtcdesk.db.uow import UnitOfWork
from rtcdesk.diagnostics.engine import diagnose_bytes, sniff
from rtcdesk.diagnostics.events import DumpDiagnosed, DumpNotRecognised
from rtcdesk.diagnostics.labels import SEVERITY, TICKET_CATEGORY, label
from rtcdesk.diagnostics.models import DiagnosticReport, ReportKind, ReportStatus
from rtcdesk.diagnostics.render import render
from rtcdesk.diagnostics.report import Report
from rtcdesk.diagnostics.service import JOB_NAME, RENDER_FORMATS
from rtcdesk.jobs.registry import JobContext, JobRegistry
from rtcdesk.tickets import service as tickets
from rtcdesk.tickets.models import Channel, MessageKind, Status, Ticket
from rtcdesk.tickets.schemas import MessageCreate

log = logging.getLogger(__name__)

DIAGNOSTICS_ACTOR = Actor(kind=ActorKind.SYSTEM, id=None, name="rtcdesk diagnostics")


def register(registry: JobRegistry) -> None:
    """Register the diagnostics job."""
    registry.job(JOB_NAME, max_attempts=3)(run_diagnosis)


def run_diagnosis(ctx: JobContext) -> None:
    """Diagnose the report's source file and store the outcome."""
    container = ctx.container
    report_id = int(ctx.payload["report_id"])
    with container.uow(write=False) as uow:
        row = uow.session.get(DiagnosticReport, report_id)
        if row is None or row.status is not ReportStatus.PENDING or row.kind != ReportKind.DUMP:
            return
        sha, filename, from_ticket = row.source_sha256, row.filename, row.ticket_id is not None
    data = container.files.read_bytes(sha)
    outcome: Report | None = None
    error: str | None = None
    fmt = sniff(data, filename)
    if fmt is None and from_ticket:
        _finish(ctx, report_id, ReportStatus.NOT_A_DUMP, None, None, None)
        return
    try:
        outcome = diagnose_bytes(data, filename=filename)
    except RtcdeskError as exc:  # the file's fault: say why, do not retry
        error = exc.message
    rendered: dict[str, str] = {}
    if outcome is not None:
        for kind, lang in RENDER_FORMATS:
            text = render(outcome, kind, lang)  # type: ignore[arg-type]
            rendered[f"{kind}:{lang}"] = container.files.put_bytes(text.encode("utf-8")).sha256
    status = ReportStatus.DONE if outcome is not None else ReportStatus.FAILED
    _finish(ctx, report_id, status, outcome, rendered, error, fmt)


def _finish(
    ctx: JobContext,
    report_id: int,
    status: ReportStatus,
    outcome: Report | None,
    rendered: dict[str, str] | None,
    error: str | None,
    fmt: str | None = None,
) -> None:
    with ctx.container.uow() as uow:
        row = uow.session.get(DiagnosticReport, report_id)
        if row is None or row.status is not ReportStatus.PENDING:
            return
        row.status = status
        row.dump_format = fmt or (outcome.format if outcome else None)
        row.error = error
        row.finished_at = uow.clock.now()
        if outcome is not None:
            row.summary = dict(outcome.summary)
            row.worst_severity = outcome.worst_severity()
            row.top_findings = [
                {
                    "code": f.code,
                    "severity": f.severity,
                    "title": dict(f.title),
                    "cause": dict(f.cause),
                    "fixes": {lang: list(items) for lang, items in f.fixes.items()},
                }
                for f in outcome.top_findings(5)
            ]
            row.suggested_category = outcome.suggested_category()
            row.suggested_tags = outcome.suggested_tags()
            row.rendered = rendered or {}
        if row.ticket_id is not None and status is not ReportStatus.NOT_A_DUMP:
            row.note_message_id = _post_note(uow, row)
        if row.ticket_id is not None and status is ReportStatus.DONE:
            uow.emit(DumpDiagnosed(report_id=row.id, ticket_id=row.ticket_id))
        if row.ticket_id is not None and status is ReportStatus.NOT_A_DUMP:
            # The log analysis may take it; either way the dump diagnosis ran once.
            uow.emit(DumpNotRecognised(report_id=row.id, ticket_id=row.ticket_id))
        uow.commit()


_NOTE_TEXT = {
    "en": {
        "failed": "Automatic diagnosis of {name} failed: {error}",
        "done": "Automatic diagnosis of {name}: {summary}",
        "failed_log": "Automatic log analysis of {name} failed: {error}",
        "done_log": "Automatic log analysis of {name}: {summary}",
        "suggested": "Suggested: category {category}, tags {tags}",
        "report": "Full report",
    },
    "zh-CN": {
        "failed": "自动诊断 {name} 失败：{error}",
        "done": "自动诊断 {name}：{summary}",
        "failed_log": "自动分析日志 {name} 失败：{error}",
        "done_log": "自动分析日志 {name}：{summary}",
        "suggested": "建议：类别 {category}，标签 {tags}",
        "report": "完整报告",
    },
}


def _code(text: str) -> str:
    """A file name as Markdown inline code (no backtick inside, so it cannot end early)."""
    return "`" + text.replace("`", "'") + "`"


def note_text(row: DiagnosticReport, lang: str) -> str:
    """The stored Markdown of a diagnosis note, in ``lang``.

    Pages render the note from the report row in the reader's language instead; this text
    is the fallback kept for search, email and readers without the report."""
    lang = lang if lang in _NOTE_TEXT else "en"
    words = _NOTE_TEXT[lang]
    name = _code(row.filename)
    suffix = "_log" if row.kind == ReportKind.LOG else ""
    if row.status is ReportStatus.FAILED:
        head = words["failed" + suffix].format(name=name, error=row.error or "")
        items: list[str] = []
    else:
        summary = row.summary.get(lang) or row.summary.get("en", "")
        head = words["done" + suffix].format(name=name, summary=summary)
        items = [
            f"**{label(SEVERITY, f['severity'], lang)}** "
            + (f["title"].get(lang) or f["title"].get("en", ""))
            for f in row.top_findings
        ]
        if row.suggested_tags:
            items.append(
                words["suggested"].format(
                    category=label(TICKET_CATEGORY, row.suggested_category, lang),
                    tags=", ".join(row.suggested_tags),
                )
            )
    lines = [head, "", *(f"- {item}" for item in items)] if items else [head]
    return "\n".join([*lines, "", f"[{words['report']}](/console/diagnostics/{row.id})"])


def _post_note(uow: UnitOfWork, row: DiagnosticReport) -> int | None:
    ticket = uow.session.get(Ticket, row.ticket_id)
    if ticket is None or ticket.status is Status.CLOSED or ticket.merged_into_id is not None:
        return None
    message = tickets.add_message(
        uow,
        DIAGNOSTICS_ACTOR,
        ticket.id,
        MessageCreate(body=note_text(row, ticket.language), kind=MessageKind.INTERNAL),
        channel=Channel.SYSTEM,
    )
    return message.id
